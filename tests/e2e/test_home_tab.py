"""The Home tab shows what matters now, end to end: what waits for the member first, then
their open asks, their rounds with the next round's date, their mentor network (round
partners included) and their profile; no empty sections; and within Block Kit's limits
however busy the member is."""

from bot import ids
from bot.rounds.model import RoundKind
from jobs.followups import run_due_followups
from jobs.rounds import run_due_rounds
from tests.e2e.test_rounds import dms_to, reverse_pair
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.members import button_value, helped, say
from tests.support.rounds import run_rounds_now

MAX_HOME_BLOCKS = 100  # Slack's limit for a Home view


def home_of(mentor, user_id: str) -> list[dict]:
    """The blocks of `user_id`'s Home tab as Slack took it when they opened it."""
    mentor.settle()
    before = len(mentor.fake_slack.calls("views.publish"))
    assert mentor.slack.app_home_opened(user_id).status == 200
    publish = mentor.fake_slack.wait_for("views.publish", count=before + 1)[before]
    assert publish.args["user_id"] == user_id and publish.response["ok"], publish.response
    return publish.args["view"]["blocks"]


def where(blocks: list[dict], text: str) -> int:
    """The index of the first block that shows `text`; fails when none does."""
    found = [index for index, block in enumerate(blocks) if text in str(block)]
    assert found, f"{text!r} is not on the Home tab"
    return found[0]


def buttons(blocks: list[dict]) -> list[str]:
    return [
        element["text"]["text"]
        for block in blocks
        for element in [*block.get("elements", []), *([block["accessory"]] if "accessory" in block else [])]
        if element.get("type") == "button"
    ]


def asked_and_taken(mentor, asker: str, helper: str, skill: str) -> None:
    """`helper` offers `skill`, `asker` asks about it and `helper` says "I can help"."""
    say(mentor, f"offer {skill}", helper)
    before = len(mentor.fake_slack.calls("chat.postMessage"))
    say(mentor, f"ask How do I get started with #{skill.replace(' ', '')}?", asker)
    mentor.settle()
    [request] = [
        call
        for call in mentor.fake_slack.calls("chat.postMessage")[before:]
        if call.args["channel"] == "D" + helper and "I can help" in str(call.args.get("blocks"))
    ]
    where_ = (request.args["channel"], request.response["ts"])
    mentor.slack.click(ids.ACCEPT_ASK, helper, button_value(request.args, ids.ACCEPT_ASK), message=where_)
    mentor.settle()


def test_home_shows_what_waits_for_me_first_then_my_asks_rounds_network_and_profile(mentor):
    # UASK wants SQL and was helped with it a week ago: the follow-up waits for their answer.
    say(mentor, "learn SQL", "UASK")
    helped(mentor)
    mentor.clock.advance(days=7)
    run_due_followups(mentor.deps)
    # UASK offers Go, and UDEV's question about it waits for UASK's "I can help".
    say(mentor, "offer Go", "UASK")
    say(mentor, "ask How do I structure a #go service?", "UDEV")
    # UASK has an open ask of their own, and a coffee partner.
    say(mentor, "ask How do I run a good retrospective?", "UASK")
    for user_id in ("UASK", "UBEN"):
        say(mentor, "join coffee", user_id)
    run_rounds_now(mentor.deps, RoundKind.COFFEE)

    home = home_of(mentor, "UASK")

    order = [
        where(home, "Waiting for you"),
        where(home, "helped you with *SQL*: did you try it?"),
        where(home, "<@UDEV> asks about *Go*"),
        where(home, "Your open asks"),
        where(home, "with <@UBEN>"),
        where(home, "Your mentor network"),
        where(home, "Your profile"),
    ]
    assert order == sorted(order)
    assert "I can help" in buttons(home) and "Not this time" in buttons(home)


def test_a_question_answered_from_home_leaves_it_and_introduces_the_pair(mentor):
    say(mentor, "offer Go", "UASK")
    say(mentor, "ask How do I structure a #go service?", "UDEV")
    home = home_of(mentor, "UASK")
    ask_id = button_value({"blocks": home}, ids.ACCEPT_ASK)
    publishes = len(mentor.fake_slack.calls("views.publish"))

    assert mentor.slack.click(ids.ACCEPT_ASK, "UASK", ask_id).status == 200  # on the Home tab

    redrawn = mentor.fake_slack.wait_for("views.publish", count=publishes + 1)[-1].args["view"]["blocks"]
    assert "asks about *Go*" not in str(redrawn) and "Waiting for you" not in str(redrawn)
    mentor.settle()
    opened = [call.args["users"] for call in mentor.fake_slack.calls("conversations.open")]
    assert "UDEV,UASK" in opened or "UASK,UDEV" in opened


def test_a_reverse_partner_shows_as_my_current_pairing_and_as_my_mentor_for_what_i_want(mentor):
    reverse_pair(mentor)
    mentor.clock.advance(days=8, minutes=31)  # Tuesday 1 December 10:01: the scheduler's round
    run_due_rounds(mentor.deps)

    home = str(home_of(mentor, "UJUN"))

    assert "*Reverse mentoring* with <@USEN>, since Tuesday 1 December." in home
    assert "You can help <@USEN> with *TikTok*. <@USEN> can help you with *Negotiation*." in home
    assert "Next round: Friday 1 January at 10:00 UTC." in home
    assert "*Negotiation*: <@USEN> (reverse mentoring)" in home and "nobody yet" not in home


def test_after_a_round_run_by_hand_the_next_round_is_the_next_cycles(mentor):
    reverse_pair(mentor)
    mentor.clock.advance(days=7, hours=1)  # Monday 30 November 10:30, the day before the cadence's date
    run_rounds_now(mentor.deps, RoundKind.REVERSE)

    home = str(home_of(mentor, "USEN"))

    assert "with <@UJUN>, since Monday 30 November" in home
    assert "Next round: Friday 1 January at 10:00 UTC." in home and "1 December" not in home


def test_a_paused_member_is_given_the_first_round_after_their_pause_and_none_while_paused_for_good(mentor):
    say(mentor, "join coffee", "UANA")
    say(mentor, "pause 4w", "UANA")  # on Monday 23 November: until Sunday 20 December

    home = str(home_of(mentor, "UANA"))
    assert "Paused until 20 December 2026" in home and "Next round: Monday 21 December at 10:00 UTC." in home

    say(mentor, "pause", "UANA")  # until they resume
    home_blocks = home_of(mentor, "UANA")
    assert "until you resume" in str(home_blocks) and "Next round" not in str(home_blocks)
    assert "Resume" in buttons(home_blocks)


def test_with_nothing_going_on_home_shows_no_empty_sections_and_one_next_step(mentor):
    say(mentor, "offer SQL", "UANA")  # a profile, but nothing wanted, asked or joined yet

    home = home_of(mentor, "UANA")

    text = str(home)
    assert "Waiting for you" not in text and "Your open asks" not in text and "Advice you gave" not in text
    assert "Nothing yet" not in text and "nobody yet" not in text and "Your mentor network" not in text
    assert text.count("Next step") == 1 and "`/mentor learn delegation`" in text
    assert home[0]["type"] != "divider"
    assert buttons(home)[0] == "Add what I want to grow"


def test_a_busy_member_sees_each_list_capped_with_how_many_more_and_where_within_slack_limits(mentor):
    mentor.fake_slack.users["UASK"] = {**default_user("UASK", DEFAULT_TEAM), "is_admin": True}
    values = {
        "offers": {"offers": {"type": "plain_text_input", "value": ", ".join(f"Offer {n}" for n in range(30))}},
        "wants": {"wants": {"type": "plain_text_input", "value": ", ".join(f"Skill {n}" for n in range(30))}},
        "capacity": {"capacity": {"type": "number_input", "value": "10"}},  # room for every question
    }
    mentor.slack.submit_view(ids.PROFILE_VIEW, values, user_id="UASK")
    for n in range(5):  # five colleagues helped UASK: a follow-up waits for each
        asked_and_taken(mentor, "UASK", f"UHELP{n}", f"Skill {n}")
    mentor.clock.advance(days=7)
    run_due_followups(mentor.deps)
    for n in range(5):  # five questions for UASK: three (the pending limit) reach her, two wait in line
        say(mentor, f"ask How do I learn #offer{n} quickly?", f"UASKER{n}")
    for n in range(12):  # twelve asks of UASK's own wait for a mentor or a skill
        say(mentor, f"ask Question number {n} about something?", "UASK")
    for user_id in ("UASK", "UBEN"):
        say(mentor, "join coffee", user_id)
    run_rounds_now(mentor.deps, RoundKind.COFFEE)

    home = home_of(mentor, "UASK")

    text = str(home)
    assert len(home) <= MAX_HOME_BLOCKS
    assert text.count("did you try it?") == 3 and "…and 2 more in your messages from Mentor" in text
    assert text.count("which you offer") == 3 and "more questions in your messages" not in text
    assert "…and 7 more. `/mentor asks` lists them." in text
    assert "…and 22 more skills you want to grow: `/mentor network` lists all." in text
    assert "and 20 more" in text  # of the skills in the profile
    assert "with <@UBEN>" in text and "Edit profile" in buttons(home)
    assert "Mentoring program (admins)" in text  # the admins' section still fits, last
    assert where(home, "Your profile") < where(home, "Mentoring program (admins)")


def test_a_member_who_skips_the_coming_round_is_shown_the_one_after_as_their_next(mentor):
    for user_id in ("UANA", "UBEN"):
        say(mentor, "join coffee", user_id)
    run_due_rounds(mentor.deps)  # Monday 23 November 9:30: the notices of today's 10:00 round
    [notice] = [dm for dm in dms_to(mentor, "UANA") if "pair you for coffee chats" in dm.args["text"]]
    skip = button_value(notice.args, ids.SKIP_ROUND)
    mentor.slack.click(ids.SKIP_ROUND, "UANA", skip, message=("DUANA", notice.response["ts"]))

    home = str(home_of(mentor, "UANA"))

    assert "Next round: Monday 7 December at 10:00 UTC." in home and "23 November" not in home
