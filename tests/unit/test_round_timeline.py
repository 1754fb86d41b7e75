"""The timeline's pure rules: the cycle each round belongs to, and why someone had nobody
(bot.rounds.schedule, bot.rounds.services.unmatched_reasons)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rounds.model import COFFEE, MONTHLY, REVERSE, Intro, Program, Unmatched
from bot.rounds.schedule import Schedule, cycle_of, cycle_span, is_round_day, next_round_day
from bot.rounds.scoring import Member
from bot.rounds.services import unmatched_reasons

# Coffee chats every two weeks on Monday (23 November 2026 is one); reverse mentoring monthly, on the first weekday.
SCHEDULES = {"coffee": Schedule(), "reverse": Schedule(every_weeks=MONTHLY)}


@pytest.mark.parametrize(
    ("cadence", "day", "cycle"),
    [
        ("reverse", date(2026, 11, 30), date(2026, 12, 1)),  # the day before: that date's round
        ("reverse", date(2026, 11, 16), date(2026, 11, 2)),  # nearer the date under way
        ("reverse", date(2026, 12, 1), date(2026, 12, 1)),
        ("coffee", date(2026, 11, 25), date(2026, 11, 23)),
        ("coffee", date(2026, 11, 30), date(2026, 11, 23)),  # halfway: the earlier, on a tie
        ("coffee", date(2026, 12, 6), date(2026, 12, 7)),
    ],
)
def test_a_round_belongs_to_the_cycle_of_the_nearest_date_of_the_cadence(cadence, day, cycle):
    assert cycle_of(day, SCHEDULES[cadence]) == cycle


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.sampled_from([MONTHLY, 1, 2, 4]),
    st.integers(0, 4),
)
def test_cycles_cover_every_day_once_and_each_holds_its_own_date(day, every_weeks, weekday):
    schedule = Schedule(every_weeks=every_weeks, weekday=weekday)
    cycle = cycle_of(day, schedule)
    first, last = cycle_span(cycle, schedule)

    assert is_round_day(cycle, schedule) and first <= day <= last and first <= cycle <= last
    assert cycle_of(first - timedelta(days=1), schedule) != cycle != cycle_of(last + timedelta(days=1), schedule)
    assert next_round_day(cycle, schedule) > last


def member(user_id: str, stage: str | None = None, never: frozenset[str] = frozenset()) -> Member:
    return Member(user_id, career_stage=stage, never=never)


@pytest.mark.parametrize(
    ("program", "members", "reason"),
    [
        (COFFEE, [member("UA")], Unmatched.TOO_FEW),
        (
            COFFEE,
            [member("UA", never=frozenset({"UB", "UC"})), member("UB"), member("UC")],
            Unmatched.OWN_NEVER_LIST,
        ),
        # Someone else's never-list is never the reason given.
        (COFFEE, [member("UA"), member("UB", never=frozenset({"UA"}))], Unmatched.NO_FIT),
        (COFFEE, [member("UA", never=frozenset({"UB"})), member("UB"), member("UC")], Unmatched.NO_FIT),
        (REVERSE, [member("UA", "early"), member("UB", "mid")], Unmatched.TOO_FEW),
        (REVERSE, [member("UA", "mid"), member("UB", "senior")], Unmatched.CAREER_STAGE),
        (
            REVERSE,
            [member("UA", "early", frozenset({"UB"})), member("UB", "executive")],
            Unmatched.OWN_NEVER_LIST,
        ),
        (REVERSE, [member("UA", "senior"), member("UB", "early", frozenset({"UA"}))], Unmatched.NO_FIT),
    ],
)
def test_why_someone_had_nobody_is_what_they_may_be_told(program, members, reason):
    assert unmatched_reasons(program, members, ("UA",)) == (reason,)


def test_in_a_program_by_a_category_not_having_picked_is_the_reason():
    by_office = Program("by-office", "By office", intro=Intro.ACROSS, category="office")
    members = [member("UA"), member("UB"), member("UC")]

    assert unmatched_reasons(by_office, members, ("UA", "UC"), {"UB": "NYC", "UC": "NYC"}) == (
        Unmatched.NO_CATEGORY,
        Unmatched.NO_FIT,  # UB, the only one across from them, is in their own office
    )
