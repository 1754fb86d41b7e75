"""What Mentor says, end to end (issue 19, "Words"): help grouped and short, confirmations
that say a thing once, buttons only for those who may press them, reasons both ways for
every member of a group, and "first time meeting" only for people who never met."""

import re

from bot import ids
from bot.rounds.model import RoundKind
from bot.slash_command import SUBCOMMANDS
from tests.e2e.test_rounds import intros
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.members import answer_followup, button_value, helped, say, submit_profile
from tests.support.rounds import run_rounds_now


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


def _mentioned_both_ways(why: str, user_id: str) -> bool:
    """`user_id` is named as someone who teaches and as someone who learns, or as someone
    whose side of it is still to find out."""
    teaches = re.search(rf"<@{user_id}> (can help|teaches)|what <@{user_id}> could teach", why)
    learns = re.search(rf"(help|teaches) <@{user_id}>|what <@{user_id}> could (teach and )?learn", why)
    return bool(teaches and learns)


def test_a_trio_is_told_both_ways_for_each_of_its_members(mentor):
    # UBEN teaches UASK, UASK teaches UBEN and UCAL; nobody wants what UCAL offers.
    for user_id, offers, wants in (("UASK", "SQL", "Go"), ("UBEN", "Go", "SQL"), ("UCAL", "Design", "SQL")):
        submit_profile(mentor, user_id, "mid", offers, wants)
        say(mentor, "join coffee", user_id)

    run_rounds_now(mentor.deps, RoundKind.COFFEE)

    [intro] = intros(mentor)
    why = next(block["text"]["text"] for block in intro.args["blocks"] if "*Why you:*" in str(block))
    for user_id in ("UASK", "UBEN", "UCAL"):
        assert _mentioned_both_ways(why, user_id), (user_id, why)
    assert "what <@UCAL> could teach" in why


def _round_of(mentor, *user_ids: str) -> str:
    for user_id in user_ids:
        say(mentor, "join coffee", user_id)
    run_rounds_now(mentor.deps, RoundKind.COFFEE)
    [intro] = intros(mentor)
    return str(intro.args["blocks"])


def test_two_people_an_ask_introduced_are_not_told_it_is_their_first_meeting(mentor):
    helped(mentor)  # UANA said "I can help" to UASK's question: the two have met

    intro = _round_of(mentor, "UASK", "UANA")

    assert "first time" not in intro


def test_two_people_who_never_met_are_told_it_is_their_first_meeting(mentor):
    helped(mentor)  # UASK and UANA have met; UBEN and UCAL have not

    intro = _round_of(mentor, "UBEN", "UCAL")

    assert "first time meeting" in intro


def test_how_often_coffee_chats_come_is_the_workspaces_own_cadence(mentor):
    from bot.program.model import ProgramSettings

    with mentor.store.transaction() as repositories:  # what the admins' settings write
        repositories.program.save_settings(DEFAULT_TEAM, ProgramSettings(followup_days=7, coffee_every_weeks=1))

    joined = str(say(mentor, "join reverse", "UANA")["blocks"])  # the hint: how to join coffee chats too
    mentor.slack.command("profile", user_id="UANA")
    modal = str(mentor.fake_slack.wait_for("views.open")[-1].args["view"]["blocks"])

    assert "pairs you for a chat every week on Mondays at 10:00 UTC" in joined and "two weeks" not in joined, joined
    assert "Every week, a colleague to talk with" in modal and "two weeks" not in modal
