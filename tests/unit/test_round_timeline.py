"""The timeline's pure rules: the cycle each round belongs to, and why someone had nobody
(bot.rounds.schedule, bot.rounds.services.unmatched_reasons)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rounds.model import RoundKind, Unmatched
from bot.rounds.schedule import Schedule, cycle_of, cycle_span, is_round_day, next_round_day
from bot.rounds.scoring import Member
from bot.rounds.services import unmatched_reasons

DEFAULT = Schedule()  # coffee every two weeks on Monday (23 November 2026 is one); reverse on the first weekday


@pytest.mark.parametrize(
    ("kind", "day", "cycle"),
    [
        (RoundKind.REVERSE, date(2026, 11, 30), date(2026, 12, 1)),  # the day before: that date's round
        (RoundKind.REVERSE, date(2026, 11, 16), date(2026, 11, 2)),  # nearer the date under way
        (RoundKind.REVERSE, date(2026, 12, 1), date(2026, 12, 1)),
        (RoundKind.COFFEE, date(2026, 11, 25), date(2026, 11, 23)),
        (RoundKind.COFFEE, date(2026, 11, 30), date(2026, 11, 23)),  # halfway: the earlier, on a tie
        (RoundKind.COFFEE, date(2026, 12, 6), date(2026, 12, 7)),
    ],
)
def test_a_round_belongs_to_the_cycle_of_the_nearest_date_of_the_cadence(kind, day, cycle):
    assert cycle_of(kind, day, DEFAULT) == cycle


@given(
    st.sampled_from(list(RoundKind)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.sampled_from([1, 2, 4]),
)
def test_cycles_cover_every_day_once_and_each_holds_its_own_date(kind, day, every_weeks):
    schedule = Schedule(every_weeks=every_weeks)
    cycle = cycle_of(kind, day, schedule)
    first, last = cycle_span(kind, cycle, schedule)

    assert is_round_day(kind, cycle, schedule) and first <= day <= last and first <= cycle <= last
    assert (
        cycle_of(kind, first - timedelta(days=1), schedule)
        != cycle
        != cycle_of(kind, last + timedelta(days=1), schedule)
    )
    assert next_round_day(kind, cycle, schedule) > last


def member(user_id: str, stage: str | None = None, never: frozenset[str] = frozenset()) -> Member:
    return Member(user_id, career_stage=stage, never=never)


@pytest.mark.parametrize(
    ("kind", "members", "reason"),
    [
        (RoundKind.COFFEE, [member("UA")], Unmatched.TOO_FEW),
        (
            RoundKind.COFFEE,
            [member("UA", never=frozenset({"UB", "UC"})), member("UB"), member("UC")],
            Unmatched.OWN_NEVER_LIST,
        ),
        # Someone else's never-list is never the reason given.
        (RoundKind.COFFEE, [member("UA"), member("UB", never=frozenset({"UA"}))], Unmatched.NO_FIT),
        (RoundKind.COFFEE, [member("UA", never=frozenset({"UB"})), member("UB"), member("UC")], Unmatched.NO_FIT),
        (RoundKind.REVERSE, [member("UA", "early"), member("UB", "mid")], Unmatched.TOO_FEW),
        (RoundKind.REVERSE, [member("UA", "mid"), member("UB", "senior")], Unmatched.CAREER_STAGE),
        (
            RoundKind.REVERSE,
            [member("UA", "early", frozenset({"UB"})), member("UB", "executive")],
            Unmatched.OWN_NEVER_LIST,
        ),
        (RoundKind.REVERSE, [member("UA", "senior"), member("UB", "early", frozenset({"UA"}))], Unmatched.NO_FIT),
    ],
)
def test_why_someone_had_nobody_is_what_they_may_be_told(kind, members, reason):
    assert unmatched_reasons(kind, members, ("UA",)) == (reason,)
