"""Reverse pairs who both choose to continue, on the rolled-back repositories (SQLite and
PostgreSQL): what is stored of each side's choice, which pairs the next round keeps (the very
next one only, and only while both can take part), and when a choice can no longer be made."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from bot.errors import InvalidInput
from bot.members import services as member_services
from bot.members.model import SkillKind, normalize_skill
from bot.rounds import services as round_services
from bot.rounds.model import REVERSE, Learned, PlannedGroup, RoundKind, Unmatched
from storage import models
from tests.support.asks import NOW, TEAM

NOVEMBER, DECEMBER, JANUARY = date(2026, 11, 2), date(2026, 12, 1), date(2027, 1, 1)
MONTH_END = NOW + timedelta(days=7)


def member(repositories, user_id: str, stage: str, offers: str, wants: str) -> None:
    round_services.join(repositories, TEAM, user_id, "reverse")
    repositories.profiles.add_skills(TEAM, user_id, SkillKind.OFFER, [normalize_skill(offers)])
    repositories.profiles.add_skills(TEAM, user_id, SkillKind.WANT, [normalize_skill(wants)])
    repositories.session.execute(
        update(models.Member)
        .where(models.Member.team_id == TEAM, models.Member.user_id == user_id)
        .values(career_stage=stage)
    )


@pytest.fixture
def paired(repositories) -> int:
    """UJUN (early career) was paired with USEN (executive) in November; USR2, a senior who
    also wants TikTok, was not. The pair's group id."""
    member(repositories, "UJUN", "early", "TikTok", "Negotiation")
    member(repositories, "USEN", "executive", "Negotiation", "TikTok")
    member(repositories, "USR2", "senior", "Budgeting", "TikTok")
    group = PlannedGroup(members=("UJUN", "USEN"), proposer="UJUN", teaching=(), reasons=(), question="Why?")
    assert repositories.rounds.record(TEAM, RoundKind.REVERSE, NOVEMBER, NOW, [group], {"USR2": Unmatched.NO_FIT})
    return repositories.session.scalar(select(models.RoundGroup.id).where(models.RoundGroup.team_id == TEAM))


def choose(repositories, group_id: int, user_id: str, learned: Learned, keep: bool) -> str | None:
    """`user_id` answers the month end and, when offered, keeps their partner or not; the partner offered."""
    answer = round_services.answer_learned(repositories, TEAM, group_id, user_id, learned, MONTH_END)
    if answer.partner is not None:
        round_services.keep_partner(repositories, TEAM, group_id, user_id, keep)
    return answer.partner


def both_keep(repositories, group_id: int) -> None:
    choose(repositories, group_id, "UJUN", Learned.A_LOT, keep=True)
    choose(repositories, group_id, "USEN", Learned.SOMETHING, keep=True)


def groups(repositories, held_on: date) -> dict[tuple[str, ...], bool]:
    """The round of that day: each group's members, and whether its introduction says they continue."""
    round_services.run_round(repositories, TEAM, REVERSE, held_on, MONTH_END)
    rows = repositories.session.scalars(
        select(models.RoundGroup).join(models.Round).where(models.Round.held_on == held_on)
    )
    return {
        (intro := repositories.rounds.introduction(TEAM, row.id, row.members)).group.members: intro.group.continuing
        for row in rows
    }


def test_each_sides_choice_is_stored_and_only_a_pair_both_keep_is_kept(paired, repositories):
    offered = choose(repositories, paired, "UJUN", Learned.A_LOT, keep=True)
    one_side = repositories.rounds.kept_pairs(TEAM, "reverse", DECEMBER)
    choose(repositories, paired, "USEN", Learned.SOMETHING, keep=True)

    assert offered == "USEN" and one_side == []
    assert repositories.rounds.kept_pairs(TEAM, "reverse", DECEMBER) == [("UJUN", "USEN")]
    assert repositories.rounds.kept_pairs(TEAM, "reverse", NOVEMBER) == []  # nothing before the round itself


def test_changing_the_answer_keeps_the_choice_unless_they_learned_little(paired, repositories):
    both_keep(repositories, paired)
    round_services.answer_learned(repositories, TEAM, paired, "USEN", Learned.A_LOT, MONTH_END)
    still = repositories.rounds.kept_pairs(TEAM, "reverse", DECEMBER)
    little = round_services.answer_learned(repositories, TEAM, paired, "USEN", Learned.NOT_MUCH, MONTH_END)

    assert still == [("UJUN", "USEN")] and little.partner is None
    assert repositories.rounds.kept_pairs(TEAM, "reverse", DECEMBER) == []
    with pytest.raises(InvalidInput, match="meet someone new"):
        round_services.keep_partner(repositories, TEAM, paired, "USEN", True)


def test_the_next_round_keeps_a_pair_both_chose_to_continue_though_they_just_met(paired, repositories):
    both_keep(repositories, paired)

    assert groups(repositories, DECEMBER) == {("UJUN", "USEN"): True}


def test_without_both_choosing_the_cooldown_holds(paired, repositories):
    choose(repositories, paired, "UJUN", Learned.A_LOT, keep=True)
    choose(repositories, paired, "USEN", Learned.A_LOT, keep=False)

    assert groups(repositories, DECEMBER) == {("UJUN", "USR2"): False}


@pytest.mark.parametrize(
    "away",
    [
        lambda work: round_services.pause(work, TEAM, "USEN", "2w", DECEMBER - timedelta(days=1)),
        lambda work: round_services.skip(work, TEAM, "USEN", "reverse", DECEMBER, True),
        lambda work: round_services.leave(work, TEAM, "USEN", "reverse"),
        lambda work: member_services.set_deactivated(work, TEAM, "USEN", True, MONTH_END),
    ],
    ids=["paused", "skipping", "no longer opted in", "gone"],
)
def test_a_kept_pair_is_not_kept_when_one_side_cannot_take_part(paired, repositories, away):
    both_keep(repositories, paired)
    away(repositories)

    assert groups(repositories, DECEMBER) == {("UJUN", "USR2"): False}


def test_keeping_is_for_the_very_next_round_only(paired, repositories):
    both_keep(repositories, paired)
    groups(repositories, DECEMBER)

    assert groups(repositories, JANUARY) == {("UJUN", "USR2"): False}  # nobody chose again


def test_once_a_newer_round_began_a_pair_can_no_longer_be_kept(paired, repositories):
    groups(repositories, DECEMBER)

    late = round_services.answer_learned(repositories, TEAM, paired, "UJUN", Learned.A_LOT, MONTH_END)

    assert late.partner is None
    with pytest.raises(InvalidInput, match="meet someone new"):
        round_services.keep_partner(repositories, TEAM, paired, "UJUN", True)
    with pytest.raises(InvalidInput, match="isn't yours"):
        round_services.keep_partner(repositories, TEAM, paired, "USR2", True)
