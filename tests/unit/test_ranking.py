"""Who hears about an ask, and why: the ranking as a table of cases."""

from datetime import date

import pytest

from bot.ranking import MentorCandidate, overlap_hours, rank_mentors

TODAY = date(2026, 11, 23)


def candidate(user_id: str, **overrides) -> MentorCandidate:
    return MentorCandidate(user_id=user_id, **{"capacity": 2, **overrides})


@pytest.mark.parametrize(
    ("candidates", "asker_offset", "order"),
    [
        pytest.param([candidate("UB"), candidate("UA")], None, ["UA", "UB"], id="ties go to the user id"),
        pytest.param(
            [candidate("UA", recent_asks=2), candidate("UB", recent_asks=0)], None, ["UB", "UA"], id="spreads the load"
        ),
        pytest.param(
            [candidate("UA", utc_offset_hours=9), candidate("UB", utc_offset_hours=1)],
            0,
            ["UB", "UA"],
            id="prefers overlapping working hours",
        ),
        pytest.param(
            [candidate("UA"), candidate("UB", helped_by_asker=True)], None, ["UB", "UA"], id="gives back to people the asker helped"
        ),
        pytest.param(
            [candidate("UA"), candidate("UB", mentors_asker_on=("Go",))],
            None,
            ["UA", "UB"],
            id="prefers a new mentor to one the asker has for another skill",
        ),
        pytest.param(
            [candidate("UA"), candidate("UB", helped_asker_on_skill=True, mentors_asker_on=())],
            None,
            ["UB", "UA"],
            id="keeps continuity with a mentor on this skill",
        ),
        pytest.param(
            [candidate("UA", capacity=3, open_asks=2), candidate("UB", capacity=3)],
            None,
            ["UB", "UA"],
            id="prefers spare capacity",
        ),
    ],
)
def test_candidates_are_ranked_by_what_matters(candidates, asker_offset, order):
    ranking = rank_mentors(candidates, asker_id="UASK", today=TODAY, asker_utc_offset_hours=asker_offset)

    assert [mentor.user_id for mentor in ranking.chosen] == order


@pytest.mark.parametrize(
    ("excluded", "why"),
    [
        (candidate("UASK"), "is the asker"),
        (candidate("UX", deactivated=True), "has left the workspace"),
        (candidate("UX", paused_until=date(2026, 12, 1)), "paused until 2026-12-01"),
        (candidate("UX", capacity=2, open_asks=2), "at capacity (2 of 2 open asks)"),
        (candidate("UX", capacity=0), "at capacity (0 of 0 open asks)"),
    ],
)
def test_some_members_are_never_asked_and_the_reason_is_kept(excluded, why):
    ranking = rank_mentors([excluded, candidate("UOK")], asker_id="UASK", today=TODAY)

    assert [mentor.user_id for mentor in ranking.chosen] == ["UOK"]
    assert ranking.excluded == {excluded.user_id: why}


def test_a_pause_that_ended_yesterday_no_longer_excludes():
    ranking = rank_mentors([candidate("UA", paused_until=date(2026, 11, 22))], asker_id="UASK", today=TODAY)

    assert [mentor.user_id for mentor in ranking.chosen] == ["UA"]


def test_each_choice_comes_with_its_reasons():
    ranking = rank_mentors(
        [candidate("UA", recent_asks=1, utc_offset_hours=-5, helped_asker_on_skill=True, helped_by_asker=True)],
        asker_id="UASK",
        today=TODAY,
        asker_utc_offset_hours=0,
    )

    assert ranking.chosen[0].reasons == (
        "1 recent asks",
        "3h of shared working hours",
        "helped the asker with this skill before",
        "the asker has helped them before",
        "2 of 2 slots free",
    )


def test_the_limit_keeps_the_best():
    ranking = rank_mentors([candidate(f"U{n}", recent_asks=n) for n in range(6)], "UASK", TODAY, limit=3)

    assert [mentor.user_id for mentor in ranking.chosen] == ["U0", "U1", "U2"]


@pytest.mark.parametrize(
    ("a", "b", "hours"), [(0, 0, 8), (0, -5, 3), (0, 9, 0), (-10, 12, 6), (5.5, 0, 2.5), (12, -12, 8)]
)
def test_shared_working_hours_wrap_around_the_date_line(a, b, hours):
    assert overlap_hours(a, b) == hours
