"""Closing the loop end to end: a mentor accepts, days pass on a clock the test moves, the
mentee is asked how it went, and the answer and note reach the mentor, each DM once."""

import re
import subprocess
import threading
from contextlib import ExitStack
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import command_workers
from bot import ids
from bot.followups import services as followup_services
from deps import utc_now
from handlers import KNOWN
from handlers.events.followups import EVENT_STALE_AFTER
from jobs import outbox
from jobs.followups import run_due_followups
from jobs.outbox import LEASE, METADATA_EVENT
from storage import models
from tests.support.app_process import app_process, run_app
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.members import (
    NOTE,
    answer_followup,
    button_value,
    click,
    helped,
    posted_to,
    prompt_of,
    reply_in_thread,
    say,
)
from tests.support.running_app import RunningApp, app_environ


@pytest.fixture
def loop(mentor):
    """UANA has accepted UASK's ask about SQL on Monday 23 November, 9:30 in London."""
    for user_id in ("UANA", "UASK"):
        mentor.fake_slack.users[user_id] = default_user(user_id, DEFAULT_TEAM)  # Europe/London
    helped(mentor)
    return mentor


def test_a_week_later_the_mentee_is_asked_once_how_it_went(loop):
    assert run_due_followups(loop.deps) == 0  # not due yet
    assert posted_to(loop, "DUASK") == []

    loop.clock.advance(days=7)
    assert run_due_followups(loop.deps) == 1
    assert run_due_followups(loop.deps) == 0  # however often the job runs

    prompt = prompt_of(loop)
    assert prompt.args["text"] == "Last week <@UANA> helped you with *SQL*: did you try it? What happened?"
    labels = [
        element["text"]["text"]
        for block in prompt.args["blocks"]
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]
    assert labels[:5] == ["It helped", "Mixed", "Didn't help", "Not yet", "Not relevant"]
    assert len(posted_to(loop, "DUASK")) == 1


def test_an_answer_and_a_thread_reply_reach_the_mentor_in_one_dm_with_the_note_escaped(loop):
    loop.clock.advance(days=7)
    run_due_followups(loop.deps)
    prompt = prompt_of(loop)

    click(
        loop, ids.FOLLOWUP_CHOICES["helped"], "UASK", button_value(prompt.args, ids.FOLLOWUP_CHOICES["helped"]), prompt
    )
    [updated] = [c for c in loop.fake_slack.wait_for("chat.update", count=2) if c.args["ts"] == prompt.response["ts"]]
    assert "You said *It helped*" in updated.args["text"] and "Add a note" in str(updated.args["blocks"])
    assert posted_to(loop, "DUANA")[1:] == []  # the mentor's DM waits for a note

    reply_in_thread(loop, "UASK", "DUASK", prompt.response["ts"], NOTE)

    [report] = [c for c in loop.fake_slack.wait_for("chat.postMessage", count=5) if c.args["channel"] == "DUANA"][1:]
    assert report.args["text"] == "<@UASK> closed the loop on *SQL*: it helped."
    quoted = str(report.args["blocks"])
    assert "&lt;!channel&gt; &amp; it went from 9 s to 40 ms" in quoted and "<!channel>" not in quoted
    thanks = [c for c in posted_to(loop, "DUASK") if c.args.get("thread_ts") == prompt.response["ts"]]
    assert "on its way to <@UANA>" in thanks[0].args["text"]

    loop.clock.advance(days=30)
    assert run_due_followups(loop.deps) == 0
    assert len(posted_to(loop, "DUANA")) == 2  # the ask, then one report: nothing twice


def test_without_a_note_the_mentor_hears_the_outcome_an_hour_later(loop):
    loop.clock.advance(days=7)
    run_due_followups(loop.deps)
    prompt = prompt_of(loop)
    click(loop, ids.FOLLOWUP_CHOICES["mixed"], "UASK", button_value(prompt.args, ids.FOLLOWUP_CHOICES["mixed"]), prompt)
    loop.settle()  # the click's own work, a drain of the outbox included, is over

    assert run_due_followups(loop.deps) == 0
    loop.clock.advance(hours=1)
    assert run_due_followups(loop.deps) == 1

    assert posted_to(loop, "DUANA")[-1].args["text"] == "<@UASK> closed the loop on *SQL*: it was a mixed result."


def test_a_note_from_the_modal_can_count_anonymised_and_the_mentor_can_reply(loop):
    loop.clock.advance(days=7)
    run_due_followups(loop.deps)
    prompt = prompt_of(loop)
    followup_id = button_value(prompt.args, ids.FOLLOWUP_CHOICES["helped"])
    click(loop, ids.FOLLOWUP_CHOICES["didnt_help"], "UASK", followup_id, prompt)
    loop.fake_slack.wait_for("chat.update", count=2)  # the prompt shows the answer: it is stored

    click(loop, ids.FOLLOWUP_ADD_NOTE, "UASK", followup_id, prompt)
    [modal] = loop.fake_slack.wait_for("views.open")
    assert modal.args["view"]["private_metadata"] == followup_id
    values = {
        ids.NOTE_INPUT: {ids.NOTE_INPUT: {"type": "plain_text_input", "value": "The plan was too slow for us"}},
        ids.SHARE_INPUT: {ids.SHARE_INPUT: {"type": "checkboxes", "selected_options": [{"value": "yes"}]}},
    }
    assert loop.slack.submit_view(ids.FOLLOWUP_NOTE_VIEW, values, "UASK", private_metadata=followup_id).status == 200

    report = [c for c in loop.fake_slack.wait_for("chat.postMessage", count=4) if c.args["channel"] == "DUANA"][-1]
    assert report.args["text"] == "<@UASK> closed the loop on *SQL*: it didn't help."
    assert "The plan was too slow for us" in str(report.args["blocks"])
    with loop.store.transaction() as repositories:
        assert repositories.followups.get(DEFAULT_TEAM, int(followup_id)).shared is True

    click(loop, ids.FOLLOWUP_REPLY, "UANA", button_value(report.args, ids.FOLLOWUP_REPLY), report)
    [_, opened] = loop.fake_slack.wait_for("views.open", count=2)
    reply = {ids.NOTE_INPUT: {ids.NOTE_INPUT: {"type": "plain_text_input", "value": "Try a partial index next"}}}
    view_id = opened.response["view"]["id"]
    loop.slack.submit_view(ids.FOLLOWUP_REPLY_VIEW, reply, "UANA", private_metadata=followup_id, view_id=view_id)

    answer = loop.fake_slack.wait_for("chat.postMessage", count=5)[-1]
    assert answer.args["channel"] == "DUASK" and "<@UANA> wrote about *SQL*" in answer.args["text"]
    assert answer.args["thread_ts"] == prompt.response["ts"]  # in the follow-up's thread
    assert "Try a partial index next" in str(answer.args["blocks"])


def test_the_pair_go_on_talking_in_their_follow_up_threads_each_message_relayed_once(loop):
    prompt = answer_followup(loop, note=NOTE)
    report = posted_to(loop, "DUANA")[-1]
    assert "closed the loop" in report.args["text"]

    thanks = "Thanks, the plan looks better now"
    mentee_says = reply_in_thread(loop, "UASK", "DUASK", prompt.response["ts"], thanks, event_id="EvThanks")
    loop.slack.event(mentee_says, event_id="EvThanks")  # Slack sends it again
    loop.settle()
    [relayed] = [call for call in posted_to(loop, "DUANA") if "the plan looks better" in str(call.args["blocks"])]
    assert relayed.args["thread_ts"] == report.response["ts"] and "<@UASK> wrote" in relayed.args["text"]
    assert "group DM" in str(relayed.args["blocks"])  # the other way to go on
    passed = [call for call in posted_to(loop, "DUASK") if call.args.get("text") == "Passed on to <@UANA>."]
    assert len(passed) == 1

    for text in ("Glad it helped! Try EXPLAIN ANALYZE too", "And shout if it gets slow again"):
        reply_in_thread(loop, "UANA", "DUANA", report.response["ts"], text)  # the mentor, twice: never refused
    loop.settle()
    to_mentee = [call for call in posted_to(loop, "DUASK") if "<@UANA> wrote" in call.args["text"]]
    assert [call.args["thread_ts"] for call in to_mentee] == [prompt.response["ts"]] * 2
    relayed_texts = sorted(str(call.args["blocks"]) for call in to_mentee)  # events may be handled in either order
    assert "slow again" in relayed_texts[0] and "EXPLAIN ANALYZE" in relayed_texts[1]
    assert all("already replied" not in str(call.args) for call in loop.fake_slack.calls("chat.postMessage"))
    everywhere_else = [
        call for call in loop.fake_slack.calls("chat.postMessage") if call.args["channel"] == "DUASKUANA"
    ]
    assert all("EXPLAIN" not in str(call.args) and "plan looks" not in str(call.args) for call in everywhere_else)
    with loop.store.transaction() as repositories:  # relayed: Mentor keeps no copy of what they wrote
        kept = repositories.session.scalars(select(models.FollowUpMessage.text)).all()
    assert len(kept) == 3 and set(kept) == {""}


def test_a_note_whose_worker_died_after_beginning_on_it_reaches_the_mentor_by_the_jobs_next_try(loop):
    prompt = answer_followup(loop)  # a week on, the mentee says it helped: the mentor waits for a note
    loop.workers.stop()  # the note is recorded at its ack; nobody here takes it yet
    note = reply_in_thread(loop, "UASK", "DUASK", prompt.response["ts"], NOTE, event_id="EvDied")

    # A worker elsewhere claimed the note, marked its event begun, and died before saving it:
    # its lease has run out since.
    now = utc_now()
    with loop.store.transaction() as work:
        claimed = work.command_jobs.claim(now, now - timedelta(seconds=1), KNOWN, "elsewhere:1")
        assert claimed is not None and claimed.name == "message"
        assert work.events.start(DEFAULT_TEAM, "EvDied", loop.clock(), EVENT_STALE_AFTER, claimed.id)
    loop.workers = command_workers(loop.deps).start()  # the job's next try, here
    loop.settle()

    loop.slack.event(note, event_id="EvDied")  # and Slack sends it again: handled once
    loop.settle()

    [report] = [call for call in posted_to(loop, "DUANA") if "closed the loop" in call.args["text"]]
    assert "it went from 9 s to 40 ms" in str(report.args["blocks"])  # the note, not lost
    thanks = [call for call in posted_to(loop, "DUASK") if "on its way to <@UANA>" in call.args["text"]]
    assert len(thanks) == 1


def test_a_dm_outside_any_thread_is_answered_with_what_mentor_can_do(loop):
    said = reply_in_thread(loop, "UASK", "DUASK", None, "hello, are you there?")
    [answer] = [
        call for call in loop.fake_slack.wait_for("chat.postMessage", count=3) if call.args["channel"] == "DUASK"
    ]
    assert answer.args["thread_ts"] == said["ts"]
    assert "/mentor ask" in answer.args["text"] and "/mentor offer" in answer.args["text"]
    assert "only read" not in answer.args["text"]


@pytest.mark.parametrize(("days", "promise"), [(None, "in about a week"), ("3", "in about 3 days")])
def test_the_intro_the_home_tab_and_the_followups_command_make_one_promise_about_timing(
    fake_slack, sqlite_url, days, promise
):
    environ = app_environ(fake_slack, sqlite_url, **({"MENTOR_FOLLOWUP_DAYS": days} if days else {}))
    running = RunningApp(fake_slack, environ)
    try:
        helped(running)
        [intro] = posted_to(running, "DUASKUANA")
        assert f"{promise[:1].upper()}{promise[1:]} I'll ask <@UASK>" in str(intro.args["blocks"])
        mentors_dm = [call.args for call in fake_slack.calls("chat.update") if "You're helping" in str(call.args)]
        assert mentors_dm and f"how it went {promise}. To hear sooner" in str(mentors_dm[-1]["blocks"])
        assert f"I'll ask you {promise} how it went" in say(running, "followups", "UASK")["text"]
        running.slack.app_home_opened("UASK")
        home = str(fake_slack.wait_for("views.publish")[-1].args["view"]["blocks"])
        assert f"I'll ask {promise} how it went" in home
    finally:
        running.stop()


def test_nobody_else_can_answer_or_read_a_follow_up(loop):
    loop.clock.advance(days=7)
    run_due_followups(loop.deps)
    prompt = prompt_of(loop)
    followup_id = button_value(prompt.args, ids.FOLLOWUP_CHOICES["helped"])

    before = len(loop.fake_slack.calls("response_url"))
    loop.slack.click(ids.FOLLOWUP_CHOICES["helped"], "UEVE", followup_id, message=("DUEVE", "1.0"))
    loop.slack.submit_view(
        ids.FOLLOWUP_NOTE_VIEW,
        {ids.NOTE_INPUT: {ids.NOTE_INPUT: {"type": "plain_text_input", "value": "forged"}}},
        "UEVE",
        private_metadata=followup_id,
    )

    refusal = loop.fake_slack.wait_for("response_url", count=before + 1)[before]
    assert "isn't yours" in refusal.args["text"]
    with loop.store.transaction() as repositories:
        followup = repositories.followups.get(DEFAULT_TEAM, int(followup_id))
    assert followup.outcome is None and followup.note == ""
    assert all("forged" not in str(call.args) for call in loop.fake_slack.calls("chat.postMessage"))


def buttons_in(args: dict) -> list[str]:
    return [
        element["action_id"]
        for block in args.get("blocks") or []
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]


def test_an_unanswered_follow_up_is_one_message_whose_thread_holds_the_reminders_and_it_closes_once(loop):
    loop.clock.advance(days=7)
    for _ in range(6):
        run_due_followups(loop.deps)
        loop.clock.advance(days=3, hours=1)
    run_due_followups(loop.deps)

    [prompt, *reminders] = posted_to(loop, "DUASK")
    assert "thread_ts" not in prompt.args and prompt.args["text"].startswith("Last week <@UANA> helped you")
    assert [reminder.args.get("thread_ts") for reminder in reminders] == [prompt.response["ts"]] * 2
    assert all(reminder.args["text"].startswith("A gentle reminder") for reminder in reminders)
    assert [buttons_in(reminder.args) for reminder in reminders] == [[], []]  # the prompt's are the only ones
    loop.settle()
    closed = [call for call in loop.fake_slack.calls("chat.update") if call.args["channel"] == "DUASK"]
    assert [call.args["ts"] for call in closed] == [prompt.response["ts"]]
    assert "has closed" in closed[0].args["text"] and buttons_in(closed[0].args) == []


def claimed_by_a_sender_about_to_die(loop):
    """The due follow-up's next DM, queued and claimed by a sender (as the job would), which the
    test then lets die: the claim, for the test to post as that sender did."""
    with loop.store.transaction() as repositories:
        [(team_id, followup_id)] = repositories.followups.due(loop.clock(), 10)
        policy = followup_services.policy_for(repositories, team_id, None)
        followup_services.advance_due(repositories, team_id, followup_id, loop.clock(), policy)
    with loop.store.transaction() as repositories:
        [claim] = repositories.outbox.claim(loop.clock(), loop.clock() + LEASE, 10)
    return claim


def test_a_reminder_a_crashed_sender_posted_in_the_thread_is_not_posted_again(loop):
    """A thread's replies are not in the conversation's history: the next sender looks for
    the dead one's reminder in the thread itself."""
    loop.clock.advance(days=7)
    run_due_followups(loop.deps)
    prompt = prompt_of(loop)
    loop.clock.advance(days=3, hours=1)
    claim = claimed_by_a_sender_about_to_die(loop)
    loop.deps.client_for(DEFAULT_TEAM).chat_postMessage(
        channel="DUASK",
        thread_ts=prompt.response["ts"],
        text="A gentle reminder",
        metadata={"event_type": METADATA_EVENT, "event_payload": {"delivery": claim.id}},
    )  # ...and the sender dies here

    loop.clock.advance(seconds=LEASE.total_seconds() + 1)
    run_due_followups(loop.deps)

    assert len([call for call in posted_to(loop, "DUASK") if call.args.get("thread_ts")]) == 1
    assert [call.args["channel"] for call in loop.fake_slack.calls("conversations.replies")] == ["DUASK"]


def test_not_yet_asks_again_a_week_later_in_the_same_thread_with_the_same_buttons(loop):
    loop.clock.advance(days=7)
    run_due_followups(loop.deps)
    prompt = prompt_of(loop)
    click(
        loop,
        ids.FOLLOWUP_CHOICES["not_yet"],
        "UASK",
        button_value(prompt.args, ids.FOLLOWUP_CHOICES["not_yet"]),
        prompt,
    )
    [snoozed] = [call for call in loop.fake_slack.wait_for("chat.update", count=2) if call.args["channel"] == "DUASK"]
    assert "ask again" in snoozed.args["text"] and buttons_in(snoozed.args) == []
    loop.settle()

    loop.clock.advance(days=6)
    assert run_due_followups(loop.deps) == 0
    loop.clock.advance(days=1)
    assert run_due_followups(loop.deps) == 1

    [_, again] = posted_to(loop, "DUASK")
    assert again.args["thread_ts"] == prompt.response["ts"] and again.args["text"].startswith("As promised")
    redrawn = [call for call in loop.fake_slack.calls("chat.update") if call.args["channel"] == "DUASK"][-1]
    assert redrawn.args["ts"] == prompt.response["ts"] and redrawn.args["text"].startswith("2 weeks ago <@UANA>")
    assert ids.FOLLOWUP_CHOICES["helped"] in buttons_in(redrawn.args)


def test_turning_follow_ups_off_cancels_the_waiting_one(loop):
    reply = say(loop, "followups off", "UASK")
    assert "Follow-ups are off" in reply["text"] and "cancelled 1" in reply["text"]

    loop.clock.advance(days=7)
    assert run_due_followups(loop.deps) == 0
    assert posted_to(loop, "DUASK") == []
    assert "Follow-ups are off" in say(loop, "followups", "UASK")["text"]


def mentors_dm(loop):
    """The mentor's own DM of the ask, as updated once the pair was introduced."""
    return [call for call in loop.fake_slack.calls("chat.update") if call.args["channel"] == "DUANA"][-1]


def test_the_mentor_can_ask_how_it_went_from_their_dm(loop):
    mine = mentors_dm(loop)
    ask_id = button_value(mine.args, ids.ASK_HOW_IT_WENT)

    before = len(loop.fake_slack.calls("response_url"))
    loop.slack.click(ids.ASK_HOW_IT_WENT, "UASK", ask_id, message=("DUASK", "1.0"))  # only the mentor may
    assert "Only the mentor" in loop.fake_slack.wait_for("response_url", count=before + 1)[before].args["text"]

    loop.slack.click(ids.ASK_HOW_IT_WENT, "UANA", ask_id, message=("DUANA", mine.args["ts"]))
    assert "I'll ask <@UASK>" in loop.fake_slack.wait_for("response_url", count=before + 2)[before + 1].args["text"]
    prompt = loop.fake_slack.wait_for("chat.postMessage", count=3)[-1]  # Monday 9:30 in London: at once
    assert prompt.args["channel"] == "DUASK" and prompt.args["text"].startswith("Today <@UANA> helped you")


def test_home_shows_the_mentee_what_waits_and_the_mentor_what_came_of_it(loop):
    loop.clock.advance(days=7)
    run_due_followups(loop.deps)
    loop.slack.app_home_opened("UASK")
    home = loop.fake_slack.wait_for("views.publish")[-1].args["view"]
    assert "helped you with *SQL*: did you try it?" in str(home["blocks"])

    prompt = prompt_of(loop)
    click(
        loop, ids.FOLLOWUP_CHOICES["helped"], "UASK", button_value(prompt.args, ids.FOLLOWUP_CHOICES["helped"]), prompt
    )
    reply_in_thread(loop, "UASK", "DUASK", prompt.response["ts"], "It worked")
    loop.fake_slack.wait_for("chat.postMessage", count=5)

    count = len(loop.fake_slack.calls("views.publish"))
    loop.slack.app_home_opened("UANA")
    home = str(loop.fake_slack.wait_for("views.publish", count=count + 1)[-1].args["view"]["blocks"])
    assert "Advice you gave" in home and "<@UASK> · *SQL* · *It helped* · “It worked”" in home


def test_a_dm_a_crashed_sender_posted_is_not_posted_again(loop):
    """A sender that dies after Slack took the message but before it wrote that down leaves
    the delivery claimed; the next sender finds the message by its metadata."""
    loop.clock.advance(days=7)
    claim = claimed_by_a_sender_about_to_die(loop)
    client = loop.deps.client_for(DEFAULT_TEAM)
    client.chat_postMessage(
        channel="DUASK", text="prompt", metadata={"event_type": METADATA_EVENT, "event_payload": {"delivery": claim.id}}
    )  # ...and the sender dies here

    assert run_due_followups(loop.deps) == 0  # still within the dead sender's lease
    loop.clock.advance(seconds=LEASE.total_seconds() + 1)
    assert run_due_followups(loop.deps) == 0

    assert len(posted_to(loop, "DUASK")) == 1
    with loop.store.transaction() as repositories:
        assert repositories.followups.by_message(DEFAULT_TEAM, "DUASK", posted_to(loop, "DUASK")[0].response["ts"])


def test_send_followups_with_no_delay_sends_one_prompt_and_then_nothing(fake_slack, sqlite_url, tmp_path):
    """The issue's "done when": MENTOR_FOLLOWUP_DAYS=0 and `python app.py send-followups`."""
    environ = app_environ(fake_slack, sqlite_url, MENTOR_FOLLOWUP_DAYS="0")
    running = RunningApp(fake_slack, environ, clock=utc_now)
    try:
        helped(running)
        run = lambda: run_app(["send-followups"], {"PATH": "/usr/bin:/bin", **environ}, tmp_path)  # noqa: E731
        first = run()
        assert first.returncode == 0, first.stderr
        [prompt] = posted_to(running, "DUASK")
        assert prompt.args["text"].startswith("Today <@UANA> helped you with *SQL*")

        click(
            running,
            ids.FOLLOWUP_CHOICES["helped"],
            "UASK",
            button_value(prompt.args, ids.FOLLOWUP_CHOICES["helped"]),
            prompt,
        )
        fake_slack.wait_for("chat.update", count=2)
        reply_in_thread(running, "UASK", "DUASK", prompt.response["ts"], NOTE)
        fake_slack.wait_for("chat.postMessage", count=5)

        assert run().returncode == 0
        [_, report] = posted_to(running, "DUANA")
        assert "closed the loop on *SQL*: it helped" in report.args["text"] and "&lt;!channel&gt;" in str(
            report.args["blocks"]
        )
        assert len(posted_to(running, "DUASK")) == 2  # the prompt, and the thanks in its thread
        assert "Sent 0 follow-up DMs" in run().stderr
    finally:
        running.stop()


def test_a_dm_slack_failed_to_take_is_retried_later_after_checking_it_did_not_go(loop):
    loop.clock.advance(days=7)
    loop.fake_slack.errors["chat.postMessage"] = "internal_error"
    assert run_due_followups(loop.deps) == 0
    del loop.fake_slack.errors["chat.postMessage"]

    assert run_due_followups(loop.deps) == 0  # waits before trying again
    loop.clock.advance(minutes=3)
    assert run_due_followups(loop.deps) == 1

    assert [call.args["channel"] for call in loop.fake_slack.calls("conversations.history")] == ["DUASK"]
    assert len(posted_to(loop, "DUASK")) == 1


def test_a_refusal_on_the_home_tab_is_shown_in_a_modal(loop):
    say(loop, "followups off", "UASK")
    ask_id = button_value(mentors_dm(loop).args, ids.ASK_HOW_IT_WENT)
    assert say(loop, "followups", "UASK")["text"].startswith("Follow-ups are off")

    loop.slack.click(ids.ASK_HOW_IT_WENT, "UANA", ask_id)  # from the Home tab: no message to answer under

    [notice] = loop.fake_slack.wait_for("views.open")
    assert "turned follow-ups off" in str(notice.args["view"]["blocks"])


def test_a_refusal_on_the_home_tab_whose_modal_came_too_late_is_sent_by_dm(loop):
    """A worker that reaches a Home click after Slack's 3-second trigger expired cannot open
    the notice: the member is told in their DM with Mentor instead of hearing nothing."""
    say(loop, "followups off", "UASK")
    ask_id = button_value(mentors_dm(loop).args, ids.ASK_HOW_IT_WENT)
    loop.fake_slack.errors["views.open"] = "expired_trigger_id"
    posted = len(loop.fake_slack.calls("chat.postMessage"))

    loop.slack.click(ids.ASK_HOW_IT_WENT, "UANA", ask_id)

    [told] = loop.fake_slack.wait_for("chat.postMessage", count=posted + 1)[posted:]
    assert told.args["channel"] == "UANA"
    assert told.args["text"].startswith("About what you clicked on your Mentor Home tab: ")  # apart from the click
    assert "turned follow-ups off" in told.args["text"]


def test_two_schedulers_started_by_mistake_send_a_prompt_once(fake_slack, sqlite_url, tmp_path):
    """`python app.py scheduler` runs the jobs at start: two of them race for the same due
    follow-up, and the database lets one prompt through."""
    environ = app_environ(fake_slack, sqlite_url, MENTOR_FOLLOWUP_DAYS="0")
    running = RunningApp(fake_slack, environ, clock=utc_now)
    try:
        helped(running)
        with ExitStack() as schedulers_running:  # on the way out each is killed, with any process it started
            schedulers = [
                schedulers_running.enter_context(
                    app_process(
                        ["scheduler"], {"PATH": "/usr/bin:/bin", **environ}, tmp_path, stderr=subprocess.PIPE, text=True
                    )
                )
                for _ in range(2)
            ]
            # A watchdog: if a scheduler never logs its run, it is killed and the test fails.
            watchdog = threading.Timer(60, lambda: [scheduler.kill() for scheduler in schedulers])
            watchdog.start()
            try:
                for scheduler in schedulers:  # each logs when its first run of the follow-up job is over
                    ran = False
                    for line in scheduler.stderr:
                        assert "Traceback" not in line, line
                        if re.search(r"Sent \d+ follow-up DMs", line):
                            ran = True
                            break
                    assert ran, "a scheduler did not run the follow-up job"
            finally:
                watchdog.cancel()
        # A scheduler whose drain found the workspace's lane held by another sender (the other
        # scheduler, or this app's own) leaves the DM to it: what is still queued goes now.
        outbox.drain(running.deps)
        [prompt] = posted_to(running, "DUASK")
        assert prompt.args["text"].startswith("Today <@UANA> helped you with *SQL*")
    finally:
        running.stop()
