"""A mentee's note in the follow-up prompt's thread, in each shape Slack sends a DM
(tests/fixtures/slack/events/message_im*.json): replied with "Also send as direct message"
ticked or with a file attached, it reaches the mentor like any reply; an edit or a deletion of
a note already taken, and bots' messages, change nothing."""

import pytest

from tests.support.fake_slack import BOT_USER
from tests.support.members import answer_followup, posted_to
from tests.support.slack_fixtures import replay

NOTE = "Rewrote the join & it went from 9 s to 40 ms"
SENT = NOTE.replace("&", "&amp;")  # as Slack sends what the mentee typed


def in_prompt_thread(mentor, prompt, fixture: str, **values) -> None:
    """Replay `fixture` as the mentee's message in the thread of the follow-up `prompt`."""
    thread = {"USER": "UASK", "CHANNEL": "DUASK", "THREAD_TS": prompt.response["ts"], "PARENT_USER": BOT_USER}
    assert replay(mentor.slack, fixture, **(thread | values)).status == 200
    mentor.settle()


def thread_replies(mentor, prompt) -> list:
    return [call for call in posted_to(mentor, "DUASK") if call.args.get("thread_ts") == prompt.response["ts"]]


@pytest.mark.parametrize(
    "fixture", ["events/message_im_thread_broadcast", "events/message_im_file_share", "events/message_im_me_message"]
)
def test_a_note_also_sent_to_the_conversation_or_with_a_file_reaches_the_mentor(mentor, fixture):
    prompt = answer_followup(mentor)  # "It helped": the mentor's DM waits for a note

    in_prompt_thread(mentor, prompt, fixture, TEXT=SENT, TS="1800000000.000500")

    [_, report] = posted_to(mentor, "DUANA")  # the ask, then the outcome with the note
    assert "it helped" in report.args["text"]
    assert "Rewrote the join &amp; it went from 9 s to 40 ms" in str(report.args["blocks"])
    [thanks] = thread_replies(mentor, prompt)
    assert "on its way to <@UANA>" in thanks.args["text"]


@pytest.mark.parametrize("fixture", ["events/message_im_changed", "events/message_im_deleted"])
def test_editing_or_deleting_a_note_already_taken_sends_nothing_more(mentor, fixture):
    prompt = answer_followup(mentor)
    note_ts = "1800000000.000600"
    in_prompt_thread(mentor, prompt, "events/message_im", TEXT=SENT, TS=note_ts)
    [_, report] = posted_to(mentor, "DUANA")
    answered = len(thread_replies(mentor, prompt))

    in_prompt_thread(mentor, prompt, fixture, TS=note_ts, PREVIOUS_TEXT=SENT, TEXT="Actually it went to 2 s")

    assert posted_to(mentor, "DUANA")[1:] == [report]  # the mentor keeps the note as first sent
    assert "Actually" not in str(mentor.fake_slack.calls())
    assert len(thread_replies(mentor, prompt)) == answered  # and no answer to the edit


def test_a_bots_message_in_the_thread_is_not_a_note(mentor):
    prompt = answer_followup(mentor)

    in_prompt_thread(mentor, prompt, "events/message_im_bot_message", TEXT="Deploy finished", TS="1800000000.000700")

    assert thread_replies(mentor, prompt) == []
    assert len(posted_to(mentor, "DUANA")) == 1  # the ask only: the mentor still waits for a note
