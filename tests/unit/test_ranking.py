"""Who hears about an ask, and why: the ranking as a table of cases."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.asks.ranking import History, MentorCandidate, Offerer, overlap_hours, rank_mentors, rank_offerers

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


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
            [candidate("UA"), candidate("UB", helped_by_asker=True)],
            None,
            ["UB", "UA"],
            id="gives back to people the asker helped",
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
            [candidate("UA", capacity=3, helping=2), candidate("UB", capacity=3)],
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
        (candidate("UX", capacity=2, helping=2), "at capacity (helping with 2 of 2)"),
        (candidate("UX", capacity=0), "takes no questions"),
        (candidate("UX", capacity=2, pending=3, recent_asks=3), "3 requests waiting for their answer"),
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


@st.composite
def workspaces(draw):
    """Offerers with random load and history, and the counts a database would give."""
    size = draw(st.integers(0, 25))
    offerers, history, counts = [], {}, {}
    for n in range(size):
        user_id = f"U{n:02d}"
        asked_days_ago = draw(st.one_of(st.none(), st.integers(0, 60)))
        offerers.append(
            Offerer(
                user_id=user_id,
                capacity=draw(st.integers(0, 4)),
                utc_offset_hours=draw(st.one_of(st.none(), st.sampled_from([-8, -5, 0, 1, 5.5, 9, 12]))),
                paused_until=draw(st.sampled_from([None, date(2026, 11, 1), date(2026, 12, 1)])),
                deactivated=draw(st.booleans()),
                recently_asked=asked_days_ago is not None and asked_days_ago <= 30,
            )
        )
        if asked_days_ago is not None and asked_days_ago <= 30:
            recent = draw(st.integers(1, 6))
            counts[user_id] = (recent, draw(st.integers(0, 4)), draw(st.integers(0, recent)))
        history[user_id] = History(
            helped_by_asker=draw(st.booleans()),
            mentored_asker_on=draw(st.sampled_from([(), (("sql", "SQL"),), (("go", "Go"),)])),
        )
    return offerers, history, counts


@settings(max_examples=300)
@given(workspaces(), st.sampled_from([None, 0, -5, 9]), st.integers(1, 5))
def test_skipping_the_count_for_quiet_members_gives_the_same_ranking_as_counting_everyone(workspace, offset, limit):
    offerers, history, counts = workspace
    counted: list[list[str]] = []

    def count_asks(user_ids):
        counted.append(user_ids)
        return {user_id: counts[user_id] for user_id in user_ids if user_id in counts}

    pruned = rank_offerers(offerers, history, count_asks, "sql", "UASK", TODAY, offset, limit)
    everyone = rank_offerers(
        offerers, history, lambda ids: {i: counts[i] for i in ids if i in counts}, "sql", "UASK", TODAY, offset
    )

    assert [(m.user_id, m.score) for m in pruned.chosen] == [(m.user_id, m.score) for m in everyone.chosen[:limit]]
    assert all(user_id in counts for batch in counted for user_id in batch)  # quiet members are never counted


def test_requests_she_has_not_answered_do_not_make_a_mentor_full_up_to_the_pending_limit():
    # Issue 20: capacity 2 and two unanswered requests used to read "at capacity".
    waiting = candidate("UANA", capacity=2, pending=2, recent_asks=2)
    ranking = rank_mentors([waiting], asker_id="UASK", today=TODAY)

    assert [mentor.user_id for mentor in ranking.chosen] == ["UANA"]
    assert "2 requests waiting for their answer" in ranking.chosen[0].reasons


def test_busy_names_those_who_could_take_the_ask_once_they_free_up():
    ranking = rank_mentors(
        [
            candidate("UFULL", capacity=1, helping=1),
            candidate("UPILE", pending=3, recent_asks=3),
            candidate("UAWAY", paused_until=date(2026, 12, 1)),
            candidate("UNONE", capacity=0),
        ],
        asker_id="UASK",
        today=TODAY,
    )

    assert ranking.chosen == () and ranking.busy == ("UFULL", "UPILE")
