"""Rounds end to end: members opt in, a round pairs them in group DMs with reasons both
ways, each introduction goes once, and the next round pairs nobody again."""

import itertools
import logging
import re
import subprocess
import time
from contextlib import ExitStack

import pytest

from bot import ids
from bot.rounds import services as round_services
from bot.rounds.model import COFFEE, RoundKind
from jobs.rounds import run_due_rounds
from tests.support.app_process import app_process, run_app
from tests.support.databases import scratch_postgres_database
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.forms import settings_form
from tests.support.members import say, submit_profile
from tests.support.rounds import run_rounds_now
from tests.support.running_app import RunningApp, app_environ

SKILLS = ("SQL", "Go", "Public speaking", "Design", "Hiring", "Finance", "Writing")
PEOPLE = [f"U{n:03d}" for n in range(1, 22)]


def group_dms(mentor) -> dict[str, frozenset[str]]:
    """The group DMs the bot opened: channel -> its members."""
    opened = [call for call in mentor.fake_slack.calls("conversations.open") if "," in call.args["users"]]
    return {call.response["channel"]["id"]: frozenset(call.args["users"].split(",")) for call in opened}


def group_posts(mentor, starting: str) -> list:
    """What Slack took in group DMs, whose text starts with `starting`."""
    groups = group_dms(mentor)
    return [
        call
        for call in mentor.fake_slack.calls("chat.postMessage")
        if call.response.get("ok") and call.args["channel"] in groups and call.args["text"].startswith(starting)
    ]


def intros(mentor) -> list:
    return group_posts(mentor, (":coffee:", ":arrows_counterclockwise:"))


def dms_to(mentor, user_id: str) -> list:
    return [
        call
        for call in mentor.fake_slack.calls("chat.postMessage")
        if call.response.get("ok") and call.args["channel"] == "D" + user_id
    ]


def groups_of(mentor, calls) -> list[frozenset[str]]:
    groups = group_dms(mentor)
    return [groups[call.args["channel"]] for call in calls]


@pytest.fixture
def coffee(mentor):
    """21 members in coffee chats, each offering two skills and wanting two others."""
    for n, user_id in enumerate(PEOPLE):
        offers = f"{SKILLS[n % 7]}, {SKILLS[(n + 1) % 7]}"
        wants = f"{SKILLS[(n + 3) % 7]}, {SKILLS[(n + 5) % 7]}"
        say(mentor, f"offer {offers}", user_id)
        say(mentor, f"learn {wants}", user_id)
        assert "Joined coffee chats" in say(mentor, "join coffee", user_id)["text"]
    return mentor


def test_a_round_of_21_sends_10_introductions_with_one_trio_and_reasons_both_ways(coffee):
    [run] = run_rounds_now(coffee.deps, RoundKind.COFFEE)

    sent = intros(coffee)
    groups = groups_of(coffee, sent)
    assert (run.groups, run.members, len(sent)) == (10, 21, 10)
    assert sorted(len(group) for group in groups) == [2] * 9 + [3]
    assert frozenset().union(*groups) == frozenset(PEOPLE)
    for call in sent:
        why = str(call.args["blocks"])
        helps = [line for line in why.split(";") if "can help" in line]
        assert len(helps) >= 2, why  # both ways
        assert "could you propose a time?" in why


def test_admins_who_choose_threes_get_a_round_of_21_in_seven_groups_of_three(coffee, caplog):
    caplog.set_level(logging.INFO, logger="jobs.rounds")
    coffee.fake_slack.users["UADMIN"] = {**default_user("UADMIN", DEFAULT_TEAM), "is_admin": True}
    form = settings_form(GROUP_SIZE={"selected_option": {"value": "3"}})
    assert coffee.slack.submit_view(ids.SETTINGS_VIEW, form, "UADMIN").status == 200
    coffee.settle()
    assert "in threes" in dms_to(coffee, "UADMIN")[-1].args["text"]

    [run] = run_rounds_now(coffee.deps, RoundKind.COFFEE)

    groups = groups_of(coffee, intros(coffee))
    assert (run.groups, run.members) == (7, 21)
    assert sorted(len(group) for group in groups) == [3] * 7 and frozenset().union(*groups) == frozenset(PEOPLE)
    assert all("could you propose a time?" in str(call.args["blocks"]) for call in intros(coffee))
    # The operator reads how good the grouping is: its score against the bound none can beat.
    assert 0 < run.score <= run.bound
    [logged] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Round coffee of")]
    assert f"score {run.score:.1f} of a bound of {run.bound:.1f} ({run.score / run.bound:.0%})" in logged


def test_running_the_same_round_again_sends_nothing(coffee):
    run_rounds_now(coffee.deps, RoundKind.COFFEE)
    before = len(intros(coffee))

    [again] = run_rounds_now(coffee.deps, RoundKind.COFFEE)

    assert again.created is False and len(intros(coffee)) == before == 10


def test_the_next_round_pairs_nobody_who_met_in_the_last(coffee):
    run_rounds_now(coffee.deps, RoundKind.COFFEE)
    first = groups_of(coffee, intros(coffee))
    coffee.clock.advance(days=14)

    run_rounds_now(coffee.deps, RoundKind.COFFEE)

    second = groups_of(coffee, intros(coffee)[10:])
    met = {frozenset(pair) for group in first for pair in itertools.combinations(group, 2)}
    again = {frozenset(pair) for group in second for pair in itertools.combinations(group, 2)}
    assert len(second) == 10 and not met & again


def test_paused_departed_and_departing_members_are_left_out(coffee):
    say(coffee, "pause 2w", "U001")
    say(coffee, "leave coffee", "U002")
    user = {"id": "U003", "deleted": True, "team_id": "T0MENTOR"}
    assert coffee.slack.event({"type": "user_change", "user": user}, event_id="EvGone").status == 200
    coffee.settle()

    [run] = run_rounds_now(coffee.deps, RoundKind.COFFEE)

    seen = frozenset().union(*groups_of(coffee, intros(coffee)))
    assert run.members == 18 and not seen & {"U001", "U002", "U003"}


def test_never_pair_with_someone_is_respected_and_private(coffee):
    # U001 names everyone but U010 and U011 as never to be paired with, from the profile modal.
    never = [user_id for user_id in PEOPLE if user_id not in ("U001", "U010", "U011")]
    values = {
        "offers": {"offers": {"type": "plain_text_input", "value": "SQL, Go"}},
        "never_pair": {"never_pair": {"type": "multi_users_select", "selected_users": never}},
    }
    assert coffee.slack.submit_view(ids.PROFILE_VIEW, values, user_id="U001").status == 200
    coffee.fake_slack.wait_for("views.publish")

    run_rounds_now(coffee.deps, RoundKind.COFFEE)

    [mine] = [group for group in groups_of(coffee, intros(coffee)) if "U001" in group]
    assert mine - {"U001"} <= {"U010", "U011"}
    assert all("never" not in str(call.args).casefold() for call in coffee.fake_slack.calls("chat.postMessage"))


def test_join_leave_pause_and_resume_answer_privately_and_show_on_home(mentor):
    assert "Joined reverse mentoring" in say(mentor, "join reverse", "UANA")["text"]
    assert "Paused until 6 December 2026" in say(mentor, "pause 2w", "UANA")["text"]
    assert "pick one from today on" in say(mentor, "pause 2020-01-01", "UANA")["text"]
    assert "`coffee`" in say(mentor, "join tea", "UANA")["text"]
    assert "Welcome back" in say(mentor, "resume", "UANA")["text"]

    mentor.slack.app_home_opened("UANA")
    home = str(mentor.fake_slack.wait_for("views.publish")[-1].args["view"]["blocks"])
    assert "You're in reverse mentoring." in home and "Join coffee chats" in home

    mentor.slack.click(ids.JOIN_ROUND, "UANA", "coffee")
    home = str(mentor.fake_slack.wait_for("views.publish", count=2)[-1].args["view"]["blocks"])
    assert "You're in coffee chats and reverse mentoring." in home


def reverse_pair(mentor) -> None:
    """UJUN (early career) offers TikTok, which USEN (executive) wants; UMID (mid-career) too."""
    for user_id, stage, offers, wants in (
        ("UJUN", "early", "TikTok, Python", "Negotiation"),
        ("USEN", "executive", "Negotiation", "TikTok"),
        ("UMID", "mid", "Go", "TikTok"),
    ):
        submit_profile(mentor, user_id, stage, offers, wants)
        say(mentor, "join reverse", user_id)


def test_reverse_mentoring_pairs_a_junior_teaching_a_senior_what_they_want(mentor):
    reverse_pair(mentor)

    [run] = run_rounds_now(mentor.deps, RoundKind.REVERSE)

    [intro] = intros(mentor)
    assert groups_of(mentor, [intro]) == [frozenset({"UJUN", "USEN"})] and run.unmatched == ("UMID",)
    text = str(intro.args["blocks"])
    assert "<@UJUN> teaches <@USEN> *TikTok*" in text and "<@USEN> can help <@UJUN> with *Negotiation*" in text


def test_at_month_end_each_side_of_a_reverse_pair_says_what_they_learned(mentor):
    reverse_pair(mentor)
    run_rounds_now(mentor.deps, RoundKind.REVERSE)
    # Thursday 31 December 10:01: the first month's end at least two weeks after the introduction.
    mentor.clock.advance(days=38, minutes=31)
    run_due_rounds(mentor.deps)
    run_due_rounds(mentor.deps)

    asked = {
        user_id: [c for c in dms_to(mentor, user_id) if "What did you learn" in c.args["text"]]
        for user_id in ("UJUN", "USEN")
    }
    [to_junior], [to_senior] = asked["UJUN"], asked["USEN"]  # once each, though the job ran twice
    assert "paired with <@USEN> for reverse mentoring. What did you learn?" in to_junior.args["text"]
    assert "paired with <@UJUN>" in to_senior.args["text"]
    group_id = [e for b in to_senior.args["blocks"] for e in b.get("elements", []) if "value" in e][0]["value"]

    before = len(mentor.fake_slack.calls("response_url"))
    mentor.slack.click(ids.LEARNED_CHOICES["a_lot"], "USEN", group_id, message=("DUSEN", to_senior.response["ts"]))
    mentor.slack.click(ids.LEARNED_CHOICES["a_lot"], "UMID", group_id, message=("DUMID", "1.0"))
    answers = [call.args["text"] for call in mentor.fake_slack.wait_for("response_url", count=before + 2)[before:]]
    assert any("You learned: *A lot*" in text for text in answers) and any("isn't yours" in text for text in answers)


def test_the_scheduler_runs_coffee_on_its_day_once(coffee):
    assert run_due_rounds(coffee.deps) == 0  # Monday 23 November 9:30: before 10:00
    coffee.clock.advance(minutes=31)
    due = run_due_rounds(coffee.deps)
    assert run_due_rounds(coffee.deps) == 0

    # 23 November 2026 is a round day (an even week since 0001-01-01); 30 November is not.
    coffee.clock.advance(days=7)
    assert (due, run_due_rounds(coffee.deps)) == (1, 0)
    assert len(intros(coffee)) == 10


def test_the_day_before_members_hear_of_the_round_and_can_skip_it(coffee):
    # Monday 23 November 9:30, the clock's start: the round is at 10:00, so its notices are due.
    run_due_rounds(coffee.deps)
    run_due_rounds(coffee.deps)
    [notice] = dms_to(coffee, "U001")
    assert "Tomorrow I'll pair you for coffee chats" in notice.args["text"]
    assert all(len(dms_to(coffee, user_id)) == 1 for user_id in PEOPLE)  # once each, however often the job runs

    skip = [e for b in notice.args["blocks"] for e in b.get("elements", []) if e.get("action_id") == ids.SKIP_ROUND]
    before = len(coffee.fake_slack.calls("response_url"))
    coffee.slack.click(ids.SKIP_ROUND, "U001", skip[0]["value"], message=("DU001", notice.response["ts"]))
    assert (
        "You'll skip coffee chats" in coffee.fake_slack.wait_for("response_url", count=before + 1)[before].args["text"]
    )

    coffee.clock.advance(minutes=31)
    run_due_rounds(coffee.deps)
    paired = frozenset().union(*groups_of(coffee, intros(coffee)))
    assert "U001" not in paired and len(paired) == 20


def test_halfway_each_group_is_asked_whether_they_met_and_only_its_members_answer(coffee):
    run_rounds_now(coffee.deps, RoundKind.COFFEE)
    coffee.clock.advance(days=7, minutes=31)  # Monday 30 November 10:01: halfway to the next round
    run_due_rounds(coffee.deps)
    run_due_rounds(coffee.deps)

    checkins = group_posts(coffee, "Halfway to the next round")
    assert len(checkins) == 10
    first = checkins[0]
    members = sorted(group_dms(coffee)[first.args["channel"]])
    group_id = [e for b in first.args["blocks"] for e in b.get("elements", [])][0]["value"]
    outsider = next(user_id for user_id in PEOPLE if user_id not in members)

    before = len(coffee.fake_slack.calls("response_url"))
    where = (first.args["channel"], first.response["ts"])
    coffee.slack.click(ids.CHECKIN_CHOICES["met"], outsider, group_id, message=where)
    coffee.slack.click(ids.CHECKIN_CHOICES["met"], members[0], group_id, message=where)
    answers = [call.args["text"] for call in coffee.fake_slack.wait_for("response_url", count=before + 2)[before:]]
    assert any("isn't yours to answer" in text for text in answers)
    assert any(f"<@{members[0]}> answered: *We met*" in text for text in answers)


def test_three_introductions_left_unanswered_pause_a_member_kindly(coffee):
    for _ in range(3):
        run_rounds_now(coffee.deps, RoundKind.COFFEE)
        coffee.clock.advance(days=7, minutes=31)
        run_due_rounds(coffee.deps)  # the check-ins go out; nobody answers
        coffee.clock.advance(days=7, minutes=-31)

    [run] = run_rounds_now(coffee.deps, RoundKind.COFFEE)

    assert set(run.paused) == set(PEOPLE) and run.groups == 0
    told = dms_to(coffee, "U001")[-1].args["text"]
    assert "paused your coffee chats" in told and "/mentor resume" in told
    assert "Welcome back" in say(coffee, "resume", "U001")["text"]


def test_someone_nobody_can_be_paired_with_is_told_so(mentor):
    say(mentor, "join coffee", "UALONE")

    [run] = run_rounds_now(mentor.deps, RoundKind.COFFEE)

    assert run.unmatched == ("UALONE",)
    assert "couldn't find anyone to pair you with" in dms_to(mentor, "UALONE")[-1].args["text"]


def test_run_round_from_the_command_line(fake_slack, sqlite_url, tmp_path):
    environ = {"PATH": "/usr/bin:/bin", **app_environ(fake_slack, sqlite_url)}
    run = run_app(["run-round", "coffee"], environ, tmp_path)
    assert run.returncode == 0, run.stderr
    bad = run_app(["run-round", "Tea"], environ, tmp_path)
    assert bad.returncode == 2 and "run-round coffee|reverse" in bad.stderr
    unknown = run_app(["run-round", "tea"], environ, tmp_path)
    assert unknown.returncode == 2 and "no workspace has a program called 'tea'" in unknown.stderr


def test_the_profile_modal_shows_and_changes_the_rounds_im_in(mentor):
    say(mentor, "join coffee", "UANA")
    mentor.slack.command("profile", user_id="UANA")
    [modal] = mentor.fake_slack.wait_for("views.open")
    [rounds] = [block for block in modal.args["view"]["blocks"] if block.get("block_id") == "rounds"]
    assert [option["value"] for option in rounds["element"]["initial_options"]] == ["coffee"]

    values = {"rounds": {"rounds": {"type": "checkboxes", "selected_options": [{"value": "reverse"}]}}}
    mentor.slack.submit_view(ids.PROFILE_VIEW, values, user_id="UANA")
    mentor.fake_slack.wait_for("views.publish")

    assert "You're in reverse mentoring." in say(mentor, "resume", "UANA")["text"]


def test_life_situations_ticked_in_the_profile_pair_people_and_are_never_said(mentor):
    # Four members alike in everything else; two tick "New to the country".
    for user_id in ("UANA", "UBEN", "UCAL", "UDEV"):
        say(mentor, "join coffee", user_id)

    def tick(user_id: str, options) -> None:
        values = {"situations": {"situations": {"type": "checkboxes", "selected_options": options}}}
        assert mentor.slack.submit_view(ids.PROFILE_VIEW, values, user_id=user_id).status == 200

    for user_id in ("UANA", "UDEV"):
        tick(user_id, [{"value": "new_country"}])
    # Forged values, and a modal opened before the field existed, change nothing.
    tick("UANA", [{"value": "first_job"}, {"value": "'; DROP TABLE members; --"}])
    tick("UDEV", "new_country")
    mentor.slack.submit_view(ids.PROFILE_VIEW, {"team": {"team": {"type": "plain_text_input", "value": ""}}}, "UANA")
    mentor.fake_slack.wait_for("views.publish", count=5)

    mentor.slack.command("profile", user_id="UANA")
    [modal] = mentor.fake_slack.wait_for("views.open")
    [situations] = [block for block in modal.args["view"]["blocks"] if block.get("block_id") == "situations"]
    assert [option["value"] for option in situations["element"]["initial_options"]] == ["new_country"]

    run_rounds_now(mentor.deps, RoundKind.COFFEE)

    assert sorted(map(sorted, groups_of(mentor, intros(mentor)))) == [["UANA", "UDEV"], ["UBEN", "UCAL"]]
    said = str([call.args for call in mentor.fake_slack.calls("chat.postMessage")]).casefold()
    assert "situation" not in said and "country" not in said


def test_each_workspace_runs_its_rounds_on_its_own_schedule(coffee):
    from bot.program.model import ProgramSettings

    with coffee.store.transaction() as repositories:  # what the admins' settings will write
        repositories.program.save_settings(
            "T0MENTOR",
            ProgramSettings(
                followup_days=7, coffee_every_weeks=1, coffee_weekday=2, round_hour=9, time_zone="America/New_York"
            ),
        )
    coffee.clock.advance(minutes=31)  # Monday 10:01 UTC: the default slot, not this workspace's
    assert run_due_rounds(coffee.deps) == 0

    coffee.clock.advance(days=2, hours=3, minutes=59)  # Wednesday 14:00 UTC, 9:00 in New York
    assert run_due_rounds(coffee.deps) == 1
    assert len(intros(coffee)) == 10


def test_a_round_killed_midway_sends_every_introduction_once_after_a_restart(coffee, tmp_path):
    """SIGKILL after 4 of 10 introductions, with the 5th taken by Slack but not yet answered:
    the next process takes the claims over (a lane claims a few at once, so more than the
    5th), finds the 5th by its metadata, sends the rest."""
    environ = {"PATH": "/usr/bin:/bin", **app_environ(coffee.fake_slack, coffee.config.database_url)}
    coffee.fake_slack.hold_after = 4
    try:
        with app_process(["run-round", "coffee"], environ, tmp_path):  # then SIGKILL: no clean-up of any kind
            coffee.fake_slack.wait_for_messages(5)
    finally:
        coffee.fake_slack.release.set()
    coffee.fake_slack.hold_after = None

    restart = run_app(["send-followups"], environ, tmp_path)

    assert restart.returncode == 0, restart.stderr
    assert re.search(r"Took over [1-9][0-9]* DMs that an ended process was sending", restart.stderr)
    channels = [
        channel
        for channel, messages in coffee.fake_slack.history.items()
        for _ in messages
        if channel in group_dms(coffee)
    ]
    assert len(channels) == len(set(channels)) == 10


def test_slack_rate_limits_slow_a_round_down_but_lose_and_double_nothing(coffee):
    """chat.postMessage answers 429 with Retry-After: 2, three times: the sender waits as told."""
    coffee.fake_slack.rate_limited["chat.postMessage"] = 3
    started = time.monotonic()

    run_rounds_now(coffee.deps, RoundKind.COFFEE)

    refused = [c for c in coffee.fake_slack.calls("chat.postMessage") if c.response.get("error") == "ratelimited"]
    channels = [channel for channel, messages in coffee.fake_slack.history.items() for _ in messages]
    assert len(refused) == 3 and len(channels) == len(set(channels)) == 10
    assert time.monotonic() - started >= 3 * coffee.fake_slack.retry_after  # it waited, as Slack asked


@pytest.fixture
def postgres_database(postgres_test_url):
    """A database of its own on TEST_DATABASE_URL's server, dropped afterwards."""
    with scratch_postgres_database(postgres_test_url, "mentor_two_senders") as url:
        yield url


@pytest.mark.postgres
def test_two_senders_on_postgresql_send_every_introduction_once(fake_slack, postgres_database, tmp_path):
    environ = app_environ(fake_slack, postgres_database)
    running = RunningApp(fake_slack, environ)
    try:
        for n, user_id in enumerate(PEOPLE):
            say(running, f"offer {SKILLS[n % 7]}", user_id)
            say(running, "join coffee", user_id)
        with running.store.transaction() as repositories:  # recorded and queued, not sent yet
            run = round_services.run_round(repositories, "T0MENTOR", COFFEE, running.clock().date(), running.clock())
        assert run.groups == 10

        with ExitStack() as senders_running:  # on the way out each is killed if still running
            senders = [
                senders_running.enter_context(
                    app_process(
                        ["send-followups"],
                        {"PATH": "/usr/bin:/bin", **environ},
                        tmp_path,
                        stderr=subprocess.PIPE,
                        text=True,
                    )
                )
                for _ in range(2)
            ]
            logs = [sender.communicate(timeout=60)[1] for sender in senders]

        assert [sender.returncode for sender in senders] == [0, 0], logs
        channels = [channel for channel, messages in fake_slack.history.items() for _ in messages]
        assert len(channels) == len(set(channels)) == 10
    finally:
        running.stop()
