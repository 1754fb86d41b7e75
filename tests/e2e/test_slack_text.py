"""Text as Slack sends it, with `&`, `<` and `>` escaped and mentions and links as markup
(tests/fixtures/slack): read once as what the member typed, whether it came in a command, a
modal or a DM, and escaped once when shown, so R&D is one skill everywhere and nothing pings."""

from bot import ids
from tests.support.fake_slack import BOT_USER
from tests.support.members import answer_followup, posted_to, say
from tests.support.slack_fixtures import replay


def command(mentor, user_id: str, sent: str) -> dict:
    """`/mentor <sent>`, `sent` as Slack sends it; the answer at the command's response URL."""
    before = len(mentor.fake_slack.calls("response_url"))
    assert replay(mentor.slack, "commands/mentor", USER=user_id, TEXT=sent).status == 200
    answer = mentor.fake_slack.wait_for("response_url", count=before + 1)[before].args
    mentor.settle()  # and the outbox has sent what it queued
    return answer


def test_r_and_d_from_a_command_or_the_profile_modal_is_one_skill_an_ask_finds(mentor):
    offered = command(mentor, "UANA", "offer R&amp;D")
    typed_in_modal = {ids.ProfileField.OFFERS: {ids.ProfileField.OFFERS: {"type": "plain_text_input", "value": "R&D"}}}
    assert mentor.slack.submit_view(ids.PROFILE_VIEW, typed_in_modal, "UBEN").status == 200
    wanted = command(mentor, "UCAT", "learn P&amp;L; M&amp;A, Q&amp;A")

    answer = command(mentor, "UASK", "ask Any tips for planning our R&amp;D budget?")

    assert "*R&amp;D*" in offered["text"] and "&amp;amp;" not in offered["text"]  # shows as R&D
    assert "*P&amp;L* · *M&amp;A* · *Q&amp;A*" in wanted["text"]
    assert "I've asked 2 people who can help with *R&amp;D*" in answer["text"]
    assert {call.args["channel"] for call in mentor.fake_slack.calls("chat.postMessage")} == {"DUANA", "DUBEN"}


def test_a_question_reaches_the_mentor_as_typed_with_mentions_and_links_that_ping_nobody(mentor):
    say(mentor, "offer SQL", "UANA")

    command(
        mentor,
        "UASK",
        "ask Q&amp;A prep for &lt;date&gt;: <@U0BEN|ben> says read "
        "<https://example.com/q?a=1&amp;b=2|his notes> <!here> #sql",
    )

    [request] = posted_to(mentor, "DUANA")
    shown = str(request.args["blocks"])
    assert "Q&amp;A prep for &lt;date&gt;: @ben says read his notes (https://example.com/q?a=1&amp;b=2) @here" in shown
    assert "&amp;amp;" not in shown and "&amp;lt;" not in shown
    assert "<@U0BEN" not in shown and "<!here" not in shown and "<https" not in shown


def test_a_note_in_the_thread_reaches_the_mentor_as_typed(mentor):
    prompt = answer_followup(mentor)

    thread = {"USER": "UASK", "CHANNEL": "DUASK", "THREAD_TS": prompt.response["ts"], "PARENT_USER": BOT_USER}
    replay(mentor.slack, "events/message_im", TEXT="Paired on it with <@U0BEN> &amp; it worked &lt;3", **thread)
    mentor.settle()

    [_, report] = posted_to(mentor, "DUANA")
    shown = str(report.args["blocks"])
    assert "Paired on it with @U0BEN &amp; it worked &lt;3" in shown
    assert "&amp;amp;" not in shown and "<@U0BEN>" not in shown
