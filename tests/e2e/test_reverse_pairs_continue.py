"""Reverse pairs may continue, end to end: at month end each side of a pair who learned
something may keep their partner; when both do, the next reverse round keeps them together
though they met within the cooldown, and says so. Each choice is told only to the one who made it."""

import pytest

from bot import ids
from jobs.rounds import run_due_rounds
from tests.e2e.test_rounds import dms_to, groups_of, intros
from tests.support.members import button_value, say, submit_profile

PAIR = frozenset({"UJUN", "USEN"})


@pytest.fixture
def reverse(mentor):
    """UJUN (early career) teaches USEN (executive) TikTok and learns Negotiation back; USR2, a
    senior who also wants TikTok but teaches UJUN nothing, is left out of the first round.
    Tuesday 1 December, the first weekday of the month: the scheduler's round pairs UJUN and
    USEN; on Thursday 31 December, the month's last weekday, each side is asked what they learned."""
    for user_id, stage, offers, wants in (
        ("UJUN", "early", "TikTok, Python", "Negotiation"),
        ("USEN", "executive", "Negotiation", "TikTok"),
        ("USR2", "senior", "Budgeting", "TikTok"),
    ):
        submit_profile(mentor, user_id, stage, offers, wants)
        say(mentor, "join reverse", user_id)
    mentor.clock.advance(days=8, minutes=31)  # Tuesday 1 December 10:01
    run_due_rounds(mentor.deps)
    assert groups_of(mentor, intros(mentor)) == [PAIR]
    mentor.clock.advance(days=30)  # Thursday 31 December 10:01
    run_due_rounds(mentor.deps)
    return mentor


def answer(mentor, action_id: str, user_id: str, shown: dict) -> dict:
    """`user_id` clicks a button of the month-end DM as it is `shown`; what replaces it."""
    [question] = [call for call in dms_to(mentor, user_id) if "What did you learn?" in call.args["text"]]
    where = (question.args["channel"], question.response["ts"])
    before = len(mentor.fake_slack.calls("response_url"))
    assert mentor.slack.click(action_id, user_id, button_value(shown, action_id), message=where).status == 200
    return mentor.fake_slack.wait_for("response_url", count=before + 1)[before].args


def month_end(mentor, user_id: str, learned: str, keep: bool | None) -> dict:
    """`user_id` answers what they learned, then keeps their partner or not (None: neither);
    the last reply they saw."""
    [question] = [call for call in dms_to(mentor, user_id) if "What did you learn?" in call.args["text"]]
    reply = answer(mentor, ids.LEARNED_CHOICES[learned], user_id, question.args)
    return reply if keep is None else answer(mentor, ids.KEEP_PARTNER if keep else ids.NEW_PARTNER, user_id, reply)


def next_round(mentor) -> list[frozenset[str]]:
    """Friday 1 January 10:01, the first weekday of the month: the next reverse round's groups."""
    before = len(intros(mentor))
    mentor.clock.advance(days=1)
    run_due_rounds(mentor.deps)
    return groups_of(mentor, intros(mentor)[before:])


def test_a_pair_who_both_keep_each_other_meets_again_next_month_and_is_told_it_continues(reverse):
    to_junior = month_end(reverse, "UJUN", "a_lot", keep=True)
    month_end(reverse, "USEN", "something", keep=True)

    assert "I'll keep you with <@USEN> next month if they'd like to too" in to_junior["text"]
    assert next_round(reverse) == [PAIR]  # within the cooldown, yet together again
    intro = intros(reverse)[-1]
    assert "another month together" in intro.args["text"] and "you both chose to continue" in intro.args["text"]
    assert "<@UJUN> teaches <@USEN> *TikTok*" in str(intro.args["blocks"])
    assert "Nobody fit you" in dms_to(reverse, "USR2")[-1].args["text"]


def test_when_only_one_keeps_their_partner_the_cooldown_holds_and_nobody_learns_who_declined(reverse):
    keeping = month_end(reverse, "UJUN", "a_lot", keep=True)
    declining = month_end(reverse, "USEN", "a_lot", keep=False)
    told_junior = len(dms_to(reverse, "UJUN"))

    assert "if not, you'll meet someone new" in keeping["text"]
    assert "you'll meet someone new next month" in declining["text"] and "UJUN" not in declining["text"]
    assert next_round(reverse) == [frozenset({"UJUN", "USR2"})]
    intro = intros(reverse)[-1]
    assert "Reverse mentoring this month" in intro.args["text"] and "continue" not in intro.args["text"]
    assert all("USEN" not in call.args["text"] for call in dms_to(reverse, "UJUN")[told_junior:])


def test_a_member_who_learned_little_is_not_offered_to_keep_their_partner(reverse):
    reply = month_end(reverse, "UJUN", "not_much", keep=None)

    assert "You learned: *Not much*" in reply["text"] and "another month" not in reply["text"]
    assert all(ids.KEEP_PARTNER not in str(block) for block in reply.get("blocks", []))


def test_a_kept_pair_with_one_side_paused_is_not_kept(reverse):
    month_end(reverse, "UJUN", "a_lot", keep=True)
    month_end(reverse, "USEN", "a_lot", keep=True)
    say(reverse, "pause 2w", "USEN")

    assert next_round(reverse) == [frozenset({"UJUN", "USR2"})]
    assert "continue" not in intros(reverse)[-1].args["text"]


def test_a_member_may_change_their_mind_until_the_round(reverse):
    month_end(reverse, "UJUN", "a_lot", keep=True)
    kept = month_end(reverse, "USEN", "a_lot", keep=True)
    changed = answer(reverse, ids.NEW_PARTNER, "USEN", kept)

    assert "you'll meet someone new next month" in changed["text"]
    assert next_round(reverse) == [frozenset({"UJUN", "USR2"})]
