"""The round use cases on the rolled-back repositories: skipping a round until it starts,
check-ins and month-end answers that only a group's members can give, and joining reverse
mentoring while the admins have switched it off."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.errors import InvalidInput
from bot.program.model import ProgramSettings
from bot.rounds import services as round_services
from bot.rounds.model import CheckinOutcome, Learned, PlannedGroup, RoundKind
from storage import models
from tests.support.asks import NOW, TEAM

MONDAY = date(2026, 11, 30)


def held(repositories, *members: str, kind: RoundKind = RoundKind.COFFEE, on: date = MONDAY) -> int:
    """A round of `kind` held `on` that day, with one group of `members`; the group's id."""
    group = PlannedGroup(members=members, proposer=members[0], teaching=(), reasons=(), question="Why?")
    assert repositories.rounds.record(TEAM, kind, on, NOW, [group], {})
    return repositories.session.scalar(
        select(models.RoundGroup.id).where(models.RoundGroup.team_id == TEAM).order_by(models.RoundGroup.id.desc())
    )


def in_round(repositories, user_id: str, on: date = MONDAY) -> bool:
    return user_id in {member.user_id for member in repositories.rounds.available(TEAM, RoundKind.COFFEE, on)}


def test_a_round_recorded_by_another_run_is_not_recorded_again(repositories):
    """Two schedulers racing on the same round: the second sees it recorded, and queues nothing."""
    group = PlannedGroup(members=("UANA", "UBEN"), proposer="UANA", teaching=(), reasons=(), question="Why?")
    first = repositories.rounds.record(TEAM, RoundKind.COFFEE, MONDAY, NOW, [group], {})
    again = repositories.rounds.record(TEAM, RoundKind.COFFEE, MONDAY, NOW, [group], {})
    groups = repositories.session.scalar(select(func.count()).select_from(models.RoundGroup))

    assert (first, again, groups) == (True, False, 1)


def test_a_member_can_skip_the_next_round_and_join_it_again_until_it_starts(repositories):
    round_services.join(repositories, TEAM, "UANA", "coffee")

    (_, skipped) = round_services.skip(repositories, TEAM, "UANA", "coffee", MONDAY, True)
    out = not in_round(repositories, "UANA")
    (_, back) = round_services.skip(repositories, TEAM, "UANA", "coffee", MONDAY, False)

    assert skipped and out and back and in_round(repositories, "UANA")
    assert in_round(repositories, "UANA", on=date(2026, 12, 14))  # still in for the next one


def test_skipping_a_round_that_has_started_changes_nothing(repositories):
    round_services.join(repositories, TEAM, "UANA", "coffee")
    held(repositories, "UBEN", "UCAT")

    assert round_services.skip(repositories, TEAM, "UANA", "coffee", MONDAY, True)[1] is False
    assert in_round(repositories, "UANA")


def test_a_groups_check_in_is_answered_by_one_of_its_members_for_the_group(repositories):
    group_id = held(repositories, "UANA", "UBEN")

    answer = round_services.answer_checkin(repositories, TEAM, group_id, "UBEN", CheckinOutcome.MET, NOW)

    assert answer == (("UANA", "UBEN"), "met", "UBEN")
    assert repositories.rounds.checkin_answer(TEAM, group_id) == answer


def test_a_check_in_or_month_end_answer_from_outside_the_group_is_refused(repositories):
    group_id = held(repositories, "UANA", "UBEN")
    pair_id = held(repositories, "UANA", "UBEN", kind=RoundKind.REVERSE)

    for group, user, team in ((group_id, "USTRANGER", TEAM), (group_id + 1000, "UANA", TEAM), (group_id, "UANA", "T2")):
        with pytest.raises(InvalidInput):
            round_services.answer_checkin(repositories, team, group, user, CheckinOutcome.MET, NOW)
    with pytest.raises(InvalidInput):
        round_services.answer_learned(repositories, TEAM, pair_id, "USTRANGER", Learned.A_LOT, NOW)

    assert repositories.rounds.checkin_answer(TEAM, group_id) == (("UANA", "UBEN"), None, None)
    assert repositories.session.scalars(select(models.ReverseLearning)).all() == []


def test_each_side_of_a_reverse_pair_says_what_they_learned_and_may_change_it(repositories):
    pair_id = held(repositories, "UANA", "UBEN", kind=RoundKind.REVERSE)

    round_services.answer_learned(repositories, TEAM, pair_id, "UANA", Learned.SOMETHING, NOW)
    recorded = round_services.answer_learned(repositories, TEAM, pair_id, "UANA", Learned.A_LOT, NOW)

    rows = repositories.session.execute(select(models.ReverseLearning.user_id, models.ReverseLearning.learned)).all()
    assert recorded.learned is Learned.A_LOT and [tuple(row) for row in rows] == [("UANA", "a_lot")]


def test_joining_reverse_mentoring_while_the_admins_switched_it_off_says_it_is_on_hold(repositories):
    before = round_services.join(repositories, TEAM, "UANA", "reverse")
    repositories.program.save_settings(TEAM, replace(ProgramSettings(), reverse_enabled=False))

    reverse = round_services.join(repositories, TEAM, "UBEN", "reverse")
    coffee = round_services.join(repositories, TEAM, "UBEN", "coffee")

    assert not before.on_hold and reverse.on_hold and not coffee.on_hold
    assert "reverse" in reverse.membership.programs and "coffee" in coffee.membership.programs


def test_trio_seats_are_read_from_the_rounds_own_groups(repositories):
    """Each member's trio seats, rounds ago, over the last rounds of a kind; pairs and other
    kinds do not count."""
    held(repositories, "UANA", "UBEN", "UCAL", on=date(2026, 11, 2))
    held(repositories, "UANA", "UDEV", on=date(2026, 11, 16))
    held(repositories, "UANA", "UBEN", "UDEV", on=MONDAY)
    held(repositories, "UCAL", "UEVE", "UFAY", kind=RoundKind.REVERSE, on=MONDAY)

    seats = repositories.rounds.trio_seats(TEAM, RoundKind.COFFEE, 6)

    assert seats == {"UANA": [0, 2], "UBEN": [0, 2], "UCAL": [2], "UDEV": [0]}
    assert repositories.rounds.trio_seats(TEAM, RoundKind.COFFEE, 2) == {"UANA": [0], "UBEN": [0], "UDEV": [0]}
