"""What Mentor says, end to end (issue 19, "Words"): help grouped and short, and
confirmations that say a thing once."""

from bot.slash_command import SUBCOMMANDS
from tests.support.members import say


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
