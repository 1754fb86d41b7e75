"""What Mentor says, end to end (issue 19, "Words"): help grouped and short, confirmations
that say a thing once, and buttons only for those who may press them."""

from bot import ids
from bot.slash_command import SUBCOMMANDS
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.members import answer_followup, button_value, helped, say


def test_help_is_a_few_lines_grouped_by_what_people_want_to_do(mentor):
    body = mentor.slack.command("help").json()

    section = body["blocks"][0]["text"]["text"]
    everything = str(body["blocks"])
    assert len(section.splitlines()) <= 6, section  # an intro and one line per thing people want to do
    assert "•" not in section
    assert "*Get help:*" in section and "*Meet colleagues:*" in section
    for subcommand in SUBCOMMANDS:
        if subcommand != "help":
            assert f"`/mentor {subcommand}" in everything, subcommand


def test_offer_names_each_skill_once(mentor):
    say(mentor, "offer SQL", "UANA")

    reply = say(mentor, "offer Go, sql", "UANA")["text"]

    assert [reply.count("*Go*"), reply.count("*SQL*")] == [1, 1], reply
    assert "Added to what you can help with: *Go*." in reply and "Already there: *SQL*." in reply


def test_forget_asks_in_a_few_words(mentor):
    reply = mentor.slack.command("forget", user_id="UANA").json()

    assert reply["text"].startswith("*Forget me?*") and len(reply["text"].split()) <= 40, reply["text"]


def test_joining_and_leaving_say_what_changed_once_and_never_to_someone_not_in(mentor):
    joined = say(mentor, "join reverse", "UANA")["text"]
    assert joined.startswith("Joined reverse mentoring") and joined.count("reverse mentoring") == 1, joined

    never_in = say(mentor, "leave coffee", "UANA")["text"]
    assert never_in.startswith("You weren't in coffee chats") and "Left" not in never_in, never_in

    paused = say(mentor, "pause 2w", "UANA")["text"]
    assert paused.count("Paused") == 1 and "until 6 December 2026" in paused, paused

    left = say(mentor, "leave reverse", "UANA")["text"]
    assert left.startswith("Left reverse mentoring") and left.count("reverse mentoring") == 1, left


def _texts(mentor) -> list[str]:
    """Every message, update and private reply Slack took, as one string each."""
    methods = ("chat.postMessage", "chat.update", "response_url")
    return [str(call.args) for method in methods for call in mentor.fake_slack.calls(method)]


def test_the_note_is_mentioned_only_to_someone_who_wrote_one(mentor):
    answer_followup(mentor, share=True)

    assert any("Your answer counts, anonymised" in text for text in _texts(mentor))
    assert not any("note never does" in text for text in _texts(mentor))


def test_only_the_mentor_is_shown_ask_how_it_went_and_only_in_their_own_dm(mentor):
    for user_id in ("UANA", "UASK"):
        mentor.fake_slack.users[user_id] = default_user(user_id, DEFAULT_TEAM)  # a follow-up is planned
    helped(mentor)
    mentor.settle()

    [intro] = [call for call in mentor.fake_slack.calls("chat.postMessage") if call.args["channel"] == "DUASKUANA"]
    assert ids.ASK_HOW_IT_WENT not in str(intro.args["blocks"])  # the mentee sees the group DM too
    [mine] = [call for call in mentor.fake_slack.calls("chat.update") if call.args["channel"] == "DUANA"]
    ask_id = button_value(mine.args, ids.ASK_HOW_IT_WENT)

    before = len(mentor.fake_slack.calls("response_url"))
    mentor.slack.click(ids.ASK_HOW_IT_WENT, "UANA", ask_id, message=("DUANA", mine.args["ts"]))
    assert "I'll ask <@UASK>" in mentor.fake_slack.wait_for("response_url", count=before + 1)[before].args["text"]
