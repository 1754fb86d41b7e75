"""Groups of 2 to 6 (bot/rounds/grouping.py): sizes, never-pairs, across and within a
category, the same groups for the same members in any order, and a bound that holds."""

import random
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rounds.grouping import group_members, group_sizes
from bot.rounds.model import Intro
from bot.rounds.scoring import Member

SKILLS = [f"skill{n}" for n in range(12)]


def people(count: int, seed: int = 7, never: dict[str, set[str]] | None = None) -> list[Member]:
    rng = random.Random(seed)
    never = never or {}
    return [
        Member(
            f"U{n:03d}",
            offers=frozenset(rng.sample(SKILLS, 3)),
            wants=frozenset(rng.sample(SKILLS, 2)),
            team=f"team{n % 4}",
            never=frozenset(never.get(f"U{n:03d}", set())),
        )
        for n in range(count)
    ]


@pytest.mark.parametrize(
    ("count", "size", "sizes"),
    [
        (0, 3, []),
        (1, 3, []),
        (2, 3, [2]),
        (5, 2, [3, 2]),  # one trio, as in pairs
        (6, 3, [3, 3]),
        (7, 3, [4, 3]),
        (8, 3, [3, 3, 2]),
        (11, 6, [6, 5]),
        (12, 4, [4, 4, 4]),
    ],
)
def test_group_sizes_are_about_the_size_asked_and_never_one(count, size, sizes):
    assert group_sizes(count, size) == sizes


def test_a_size_outside_two_to_six_is_refused():
    with pytest.raises(ValueError, match="2 to 6"):
        group_sizes(10, 7)
    with pytest.raises(ValueError, match="2 to 6"):
        group_members(people(10), 1)


@settings(max_examples=40, deadline=None)
@given(count=st.integers(min_value=2, max_value=40), size=st.integers(min_value=2, max_value=6))
def test_everyone_is_in_exactly_one_group_of_the_sizes_given(count, size):
    matching = group_members(people(count), size, seed="r1")

    placed = [user for group in matching.groups for user in group.members]
    assert sorted(placed) == sorted(m.user_id for m in people(count)) and not matching.unmatched
    assert sorted((len(g.members) for g in matching.groups), reverse=True) == group_sizes(count, size)


@settings(max_examples=40, deadline=None)
@given(
    count=st.integers(min_value=3, max_value=24),
    size=st.integers(min_value=2, max_value=6),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_nobody_is_grouped_with_someone_on_their_never_list(count, size, seed):
    rng = random.Random(seed)
    ids = [f"U{n:03d}" for n in range(count)]
    never = {user: set(rng.sample(ids, min(3, count - 1))) - {user} for user in ids}

    matching = group_members(people(count, never=never), size, seed=seed)

    for group in matching.groups:
        for a, b in combinations(group.members, 2):
            assert b not in never[a] and a not in never[b]
    assert matching.bound is not None and matching.total <= matching.bound + 1e-6


def test_across_offices_every_group_of_three_has_three_offices():
    members = people(12)
    office = {m.user_id: ("NYC", "London", "Remote")[n % 3] for n, m in enumerate(members)}

    matching = group_members(members, 3, seed=1, intro=Intro.ACROSS, category=office)

    assert len(matching.groups) == 4
    assert all(len({office[user] for user in group.members}) == 3 for group in matching.groups)


def test_within_an_office_groups_never_mix_offices_and_a_member_without_one_is_left_out():
    members = people(13)
    office = {m.user_id: ("NYC", "London")[n % 2] for n, m in enumerate(members[:12])}

    matching = group_members(members, 3, seed=1, intro=Intro.WITHIN, category=office)

    assert all(len({office[user] for user in group.members}) == 1 for group in matching.groups)
    assert matching.unmatched == ("U012",)  # picked no office yet
    assert sum(len(group.members) for group in matching.groups) == 12


def test_the_same_members_in_any_order_make_the_same_groups():
    members = people(30)
    shuffled = members[:]
    random.Random(3).shuffle(shuffled)

    assert group_members(members, 4, seed="2026-12-07") == group_members(shuffled, 4, seed="2026-12-07")


def test_a_group_that_met_last_round_is_not_grouped_again_when_others_are_free():
    members = people(9)
    first = group_members(members, 3, seed=1)
    history = {frozenset(pair): 0 for group in first.groups for pair in combinations(group.members, 2)}

    second = group_members(members, 3, history=history, seed=2)

    for group in second.groups:
        assert not any(frozenset(pair) in history for pair in combinations(group.members, 2))


def test_the_bound_is_at_least_the_best_grouping_found_by_trying_every_one():
    members = people(6, seed=11)

    matching = group_members(members, 3, seed=1)

    ids = [m.user_id for m in members]
    best = max(
        trio_score(members, set(first)) + trio_score(members, set(ids) - set(first))
        for first in combinations(ids, 3)
        if ids[0] in first
    )
    assert matching.total <= best + 1e-6 <= matching.bound + 1e-6


def trio_score(members: list[Member], trio: set[str]) -> float:
    """The score of `trio` as one group: the engine given just them, in one group."""
    return group_members([m for m in members if m.user_id in trio], 3, seed=0).total
