"""Members Slack can no longer reach, when Mentor never heard of it (a `user_change` event
missed during a redeploy, say): the fake Slack answers for them as Slack does
(`user_disabled`, `deleted: true`). They are found before a round, or by the first DM Slack
refuses, whatever it was; from then on they are out of everything, and whoever was to meet
them is told and, while the round is fresh, joins another pair."""

from datetime import date

import pytest

from bot import ids
from bot.rounds.model import COFFEE, RoundKind
from jobs import outbox
from jobs.followups import run_due_followups
from jobs.rounds import run_due_rounds, run_round
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.members import ask, button_value, click, helped, posted_to, say
from tests.support.rounds import run_rounds_now

TODAY = date(2026, 11, 23)  # the test clock's Monday: a coffee round day
GONE_WORDS = "can't be reached on Slack any more"
SKILLS = {"UANA": ("SQL", "Go"), "UBEN": ("Go", "Design"), "UCAT": ("Design", "Hiring"), "UDAN": ("Hiring", "SQL")}


def deactivate(mentor, user_id: str) -> None:
    """Deactivated in Slack; Mentor hears nothing of it."""
    mentor.fake_slack.users[user_id] = {**default_user(user_id, DEFAULT_TEAM), "deleted": True}


def group_posts(mentor, starting: str) -> list[tuple[frozenset[str], dict]]:
    """(members, message) of what Slack took in group DMs, whose text starts with `starting`."""
    opened = {
        call.response["channel"]["id"]: frozenset(call.args["users"].split(","))
        for call in mentor.fake_slack.calls("conversations.open")
        if call.response.get("ok") and "," in call.args["users"]
    }
    return [
        (opened[call.args["channel"]], call.args)
        for call in mentor.fake_slack.calls("chat.postMessage")
        if call.response.get("ok") and call.args["channel"] in opened and call.args["text"].startswith(starting)
    ]


def intros(mentor) -> list[tuple[frozenset[str], dict]]:
    return group_posts(mentor, ":coffee:")


def told_gone(mentor) -> dict[str, str]:
    """Member -> the DM telling them someone in their group can no longer be reached."""
    return {
        call.args["channel"].removeprefix("D"): call.args["text"]
        for call in mentor.fake_slack.calls("chat.postMessage")
        if call.response.get("ok") and GONE_WORDS in call.args["text"]
    }


def dms_opened_with(mentor, user_id: str) -> int:
    return sum(call.args["users"] == user_id for call in mentor.fake_slack.calls("conversations.open"))


def in_coffee(mentor, *user_ids: str):
    for user_id in user_ids:
        mentor.fake_slack.users[user_id] = default_user(user_id, DEFAULT_TEAM)
        offers, wants = SKILLS[user_id]
        say(mentor, f"offer {offers}", user_id)
        say(mentor, f"learn {wants}", user_id)
        say(mentor, "join coffee", user_id)
    return mentor


@pytest.fixture
def four(mentor):
    return in_coffee(mentor, "UANA", "UBEN", "UCAT", "UDAN")


def test_a_member_deactivated_without_an_event_is_found_before_the_round_and_not_paired(four):
    deactivate(four, "UDAN")
    four.clock.advance(days=14)  # Slack was last asked about them when they joined, two weeks ago

    [run] = run_rounds_now(four.deps, RoundKind.COFFEE)

    [(members, _)] = intros(four)
    assert members == {"UANA", "UBEN", "UCAT"} and run.members == 3
    assert dms_opened_with(four, "UDAN") == 0 and told_gone(four) == {}


def test_when_an_introduction_fails_the_partner_is_told_and_joins_the_other_pair(four):
    # Deactivated after the round was matched, before its introductions went out.
    run_round(four.deps, DEFAULT_TEAM, COFFEE, TODAY)
    deactivate(four, "UDAN")
    outbox.drain(four.deps)

    [(partner, text)] = told_gone(four).items()
    assert text.startswith("<@UDAN> can't be reached on Slack any more, so your coffee chat with them is off.")
    *pair, (trio, message) = intros(four)  # the other pair's introduction may have gone first
    assert trio == {"UANA", "UBEN", "UCAT"} and [members for members, _ in pair] in ([], [trio - {partner}])
    others = sorted(trio - {partner})
    assert f"I've added you to <@{others[0]}> and <@{others[1]}>'s chat instead" in text
    assert f"<@{partner}> joined you this round" in str(message["blocks"])

    four.clock.advance(days=14)  # the next round: the three of them, and never UDAN again
    before = len(intros(four))
    opened = dms_opened_with(four, "UDAN")
    run_rounds_now(four.deps, RoundKind.COFFEE)
    assert [members for members, _ in intros(four)[before:]] == [trio]
    assert dms_opened_with(four, "UDAN") == opened  # nor is Slack asked about them again


def test_the_rest_of_a_trio_still_get_their_introduction(mentor):
    in_coffee(mentor, "UANA", "UBEN", "UCAT")
    run_round(mentor.deps, DEFAULT_TEAM, COFFEE, TODAY)
    deactivate(mentor, "UCAT")
    outbox.drain(mentor.deps)

    [(members, message)] = intros(mentor)
    assert (
        members == {"UANA", "UBEN"} and message["text"] == ":coffee: Coffee chat: <@UANA> and <@UBEN>, meet each other!"
    )
    assert "UCAT" not in str(message["blocks"]) and told_gone(mentor) == {}


def test_a_halfway_check_in_to_a_group_with_someone_gone_goes_to_the_others(mentor):
    in_coffee(mentor, "UANA", "UBEN", "UCAT")
    run_rounds_now(mentor.deps, RoundKind.COFFEE)
    deactivate(mentor, "UCAT")
    mentor.clock.advance(days=7, minutes=31)  # Monday 30 November 10:01: halfway to the next round

    run_due_rounds(mentor.deps)

    [(members, checkin)] = group_posts(mentor, "Halfway to the next round")
    assert members == {"UANA", "UBEN"} and checkin["text"].endswith("did you meet, <@UANA> and <@UBEN>?")


def test_a_departure_event_the_day_after_the_introduction_regroups_the_partner(four):
    run_rounds_now(four.deps, RoundKind.COFFEE)
    pairs = [members for members, _ in intros(four)]
    four.clock.advance(days=1)

    user = {"id": "UDAN", "deleted": True, "team_id": DEFAULT_TEAM}
    assert four.slack.event({"type": "user_change", "user": user}, event_id="EvDanLeft").status == 200
    four.settle()

    [partner] = next(pair for pair in pairs if "UDAN" in pair) - {"UDAN"}
    assert list(told_gone(four)) == [partner]
    assert intros(four)[-1][0] == next(pair for pair in pairs if "UDAN" not in pair) | {partner}


def test_a_follow_up_slack_refuses_marks_the_mentee_gone_everywhere(mentor):
    """UASK, helped by UANA with SQL, is in coffee chats and offers Go; deactivated unheard."""
    mentor.fake_slack.users["UANA"] = default_user("UANA", DEFAULT_TEAM)
    helped(mentor)
    for user_id in ("UASK", "UBEN"):
        say(mentor, "offer Go", user_id)
        say(mentor, "join coffee", user_id)
    deactivate(mentor, "UASK")

    mentor.clock.advance(days=7)
    run_due_followups(mentor.deps)  # the prompt: Slack says user_disabled
    mentor.clock.advance(days=3)
    run_due_followups(mentor.deps)  # no reminder for someone gone
    asked = ask(mentor, "Any tips for #go error handling?", "UCAT")

    assert "asked 1 person" in asked["text"] and dms_opened_with(mentor, "UBEN") == 1  # UBEN, not UASK
    assert dms_opened_with(mentor, "UASK") == 1  # the prompt alone: no reminder, no ask, nothing tried again
    run_rounds_now(mentor.deps, RoundKind.COFFEE)
    assert intros(mentor) == []  # nobody left to pair UBEN with
    assert any("couldn't find anyone to pair you with" in call.args["text"] for call in posted_to(mentor, "DUBEN"))


def test_an_asker_gone_before_the_introduction_is_marked_gone_and_the_mentor_told(mentor):
    """UASK asks about SQL and is deactivated, unheard, before UANA says "I can help"."""
    mentor.fake_slack.users["UANA"] = default_user("UANA", DEFAULT_TEAM)
    say(mentor, "offer SQL", "UANA")
    say(mentor, "offer Go", "UASK")
    ask(mentor, "How do I speed up a slow #sql query?", "UASK")
    mentor.settle()
    outbox.drain(mentor.deps)
    [request] = [call for call in posted_to(mentor, "DUANA") if "has a question" in call.args["text"]]
    deactivate(mentor, "UASK")

    click(mentor, ids.ACCEPT_ASK, "UANA", button_value(request.args, ids.ACCEPT_ASK), request)
    mentor.settle()
    outbox.drain(mentor.deps)

    updated = [call.args["text"] for call in mentor.fake_slack.calls("chat.update") if call.args["channel"] == "DUANA"]
    assert updated and GONE_WORDS in updated[-1] and "couldn't introduce you" in updated[-1]
    tried = dms_opened_with(mentor, "UASK")
    say(mentor, "ask Any tips for #go error handling?", "UCAT")  # UASK was the one who offers Go
    mentor.settle()
    outbox.drain(mentor.deps)
    assert dms_opened_with(mentor, "UASK") == tried  # gone: never asked again
