"""Rounds over time: ties fall by the round's seed, repeats are the fewest and the oldest,
the trio seat rotates, and a workspace where nobody filled anything in is paired as fast as
one where everyone did (issue 18)."""

import os
import subprocess
import sys
from collections import Counter
from datetime import date
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.rounds.model import COFFEE, REVERSE, Program
from bot.rounds.scoring import MatchSettings, Member
from bot.rounds.services import round_seed
from bot.rounds.solving import pair_members, seed_number
from tests.unit.test_matching import expected_shape, groupings, pairs_in, refused, shape, workspaces

COOLDOWN = MatchSettings().cooldown_rounds
FAST = settings(max_examples=60, deadline=None)
CELLS = MatchSettings(exact_limit=1, full_scoring_limit=1, cell_size=16)  # candidates from cells of 16
ROOT = Path(__file__).resolve().parents[2]


def blank(ids):
    return [Member(user_id) for user_id in ids]


def fed_back(history, result):
    """The history of the next round: every meeting one round older, this round's at 0."""
    later = {pair: ago + 1 for pair, ago in history.items()}
    later.update({pair: 0 for group in result.groups for pair in pairs_in(group.members)})
    return later


def rounds_of(members, count, history=None):
    """`count` rounds in a row, each fed the history of those before, each with its own seed."""
    history, results = dict(history or {}), []
    for number in range(count):
        result = pair_members(members, history, seed=f"T1:coffee:round-{number}")
        results.append(result)
        history = fed_back(history, result)
    return results


def grouping(result):
    return frozenset(frozenset(group.members) for group in result.groups)


def repeats(result, history):
    _, recent = refused([], history)
    return sum(len(pairs_in(group.members) & recent) for group in result.groups)


# --- the five failures of issue 18 ----------------------------------------------------------------------
def test_the_trio_is_chosen_with_the_pairs_so_a_member_who_met_everyone_repeats_one_meeting_not_two():
    history = {frozenset({"E", other}): 0 for other in "ABCD"}

    result = pair_members(blank("ABCDE"), history)

    assert shape(result) == [2, 3] and repeats(result, history) == 1


@pytest.mark.parametrize(
    "oldest", [frozenset({frozenset("AD"), frozenset("BC")}), frozenset({frozenset("AC"), frozenset("BD")})]
)
def test_four_members_who_all_met_recently_meet_again_in_the_pairs_that_met_longest_ago(oldest):
    everyone = [frozenset(pair) for pair in combinations("ABCD", 2)]
    last = {frozenset("AB"), frozenset("CD")} if frozenset("AB") not in oldest else {frozenset("AC"), frozenset("BD")}
    history = {pair: 4 if pair in oldest else 0 if pair in last else 2 for pair in everyone}

    result = pair_members(blank("ABCD"), history)

    assert grouping(result) == oldest


def test_twenty_one_blank_members_take_turns_in_the_trio_over_twelve_rounds():
    members = blank(f"U{n:02d}" for n in range(21))

    seats = Counter(
        user_id
        for result in rounds_of(members, 12)
        for group in result.groups
        if len(group.members) == 3
        for user_id in group.members
    )

    fair = 12 * 3 / 21
    assert max(seats.values()) <= 2 * fair


def test_a_blank_round_of_two_thousand_leaves_next_to_nobody_to_the_leftover_pass():
    """The leftover pass is the part that was quadratic: counted, not timed."""
    members = blank(f"U{n:04d}" for n in range(2000))

    result = pair_members(members, {})

    assert shape(result) == [2] * 1000 and result.leftover <= 2


@pytest.mark.parametrize("size", [4, 5, 6, 7, 8, 9])
def test_a_small_program_meeting_every_round_cycles_through_its_partners(size):
    members = blank("ABCDEFGHI"[:size])

    results = rounds_of(members, 12)

    assert all(grouping(a) != grouping(b) for a, b in zip(results, results[1:], strict=False))
    met = Counter(pair for result in results for group in result.groups for pair in pairs_in(group.members))
    meetings = sum(met.values())
    fair = meetings / (size * (size - 1) / 2)
    assert len(met) == size * (size - 1) // 2  # everyone met everyone
    assert max(met.values()) <= 2 * fair  # a round-robin meets each pair `fair` times


# --- seeds ----------------------------------------------------------------------------------------------
def test_ties_fall_by_the_seed_the_same_in_every_process():
    script = (
        "from bot.rounds.scoring import Member; from bot.rounds.solving import pair_members;"
        "print([g.members for g in pair_members([Member(f'U{n:02d}') for n in range(31)], seed='T1:coffee:2026-11-30')"
        ".groups])"
    )

    def groups_with(hash_seed):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=True).stdout

    assert groups_with("1") == groups_with("2") == groups_with("random")


def test_a_different_round_date_rotates_equal_partners():
    members = blank(f"U{n:02d}" for n in range(21))

    rounds = {grouping(pair_members(members, seed=f"T1:coffee:2026-12-{day:02d}")) for day in range(1, 9)}

    assert len(rounds) == 8 and seed_number("x") == seed_number("x") != seed_number("y")


# --- properties -----------------------------------------------------------------------------------------
E_MET_EVERYONE = (blank("ABCDE"), {frozenset({"E", other}): 0 for other in "ABCD"})
ALL_MET = (blank("ABCD"), {frozenset(pair): ago for ago, pair in enumerate(combinations("ABCD", 2))})


@FAST
@example(E_MET_EVERYONE, "")
@given(workspaces(sizes=st.integers(2, 9)), st.text(max_size=8))
def test_a_small_round_uses_the_fewest_pairs_that_met_within_the_cooldown(workspace, seed):
    """Brute force over every grouping (pairs, one trio when odd) that keeps never-pairs apart."""
    members, history = workspace
    nevers, recent = refused(members, history)
    splits = [s for s in groupings(tuple(m.user_id for m in members)) if not any(pairs_in(g) & nevers for g in s)]

    result = pair_members(members, history, seed=seed)

    assert not any(pairs_in(group.members) & nevers for group in result.groups)
    if splits:
        fewest = min(sum(len(pairs_in(group) & recent) for group in split) for split in splits)
        assert shape(result) == expected_shape(len(members))
        assert repeats(result, history) == fewest


@FAST
@example(ALL_MET)
@example(E_MET_EVERYONE)
@given(workspaces(sizes=st.integers(3, 9)))
def test_a_round_never_repeats_the_last_rounds_groups_when_another_grouping_exists(workspace):
    members, history = workspace
    nevers, _ = refused(members, history)
    first = pair_members(members, history, seed="round-1")
    last = grouping(first)
    others = [
        s
        for s in groupings(tuple(m.user_id for m in members))
        if not any(pairs_in(g) & nevers for g in s) and frozenset(frozenset(g) for g in s) != last
    ]

    second = pair_members(members, fed_back(history, first), seed="round-2")

    if others and not first.unmatched:
        assert grouping(second) != last


@pytest.mark.parametrize("large", [MatchSettings(), CELLS], ids=["every pair scored", "cells"])
@FAST
@given(workspaces(sizes=st.integers(2, 45)), st.randoms(use_true_random=False), st.integers())
def test_the_same_members_in_any_order_make_the_same_groups(large, workspace, rng, seed):
    members, history = workspace
    shuffled = members[:]
    rng.shuffle(shuffled)

    first = pair_members(members, history, large, seed=seed)
    again = pair_members(shuffled, dict(reversed(history.items())), large, seed=seed)

    assert (again.groups, again.total) == (first.groups, first.total)


@FAST
@given(workspaces(sizes=st.integers(10, 45)), st.integers())
def test_never_pairs_are_never_grouped_and_everyone_has_a_group_or_is_told(workspace, seed):
    members, history = workspace
    nevers, _ = refused(members, history)

    result = pair_members(members, history, seed=seed)

    placed = [user_id for group in result.groups for user_id in group.members] + list(result.unmatched)
    assert sorted(placed) == sorted(m.user_id for m in members)
    assert not any(pairs_in(group.members) & nevers for group in result.groups)


def test_a_rounds_seed_is_its_workspace_program_and_date():
    seeds = {
        round_seed(team, program, day)
        for team in ("T1", "T2")
        for program in (COFFEE, REVERSE, Program("eng-nyc", "Eng NYC"))
        for day in (date(2026, 11, 30), date(2026, 12, 14))
    }

    assert len(seeds) == 12 and round_seed("T1", COFFEE, date(2026, 11, 30)) == "T1:coffee:2026-11-30"


# --- large rounds: candidates from cells ----------------------------------------------------------------
@pytest.mark.parametrize("seed", range(8))
def test_above_the_full_scoring_limit_a_rare_skills_only_teacher_still_meets_the_one_who_wants_it(seed):
    """200 members dealt into cells of 16: the only two who can teach each other anything
    are seldom dealt into one cell, yet they meet in every round."""
    rust, go = frozenset({"rust"}), frozenset({"go"})
    members = [*blank(f"U{n:03d}" for n in range(198)), Member("W1", offers=go, wants=rust), Member("W2", rust, go)]

    result = pair_members(members, {}, CELLS, seed=f"T1:coffee:{seed}")

    assert ("W1", "W2") in [group.members for group in result.groups]


def test_a_workspace_all_in_one_team_takes_no_more_memory_to_pair_than_one_of_many_teams():
    """Pairs in one team used to be listed: quadratic in the team's size (5 GB for 10,000
    members in one team). Peak memory traced by tracemalloc, which NumPy reports to."""
    import tracemalloc

    def peak(team_of) -> int:
        members = [Member(f"U{n:04d}", offers=frozenset({f"s{n % 7}"}), team=team_of(n)) for n in range(3000)]
        tracemalloc.start()
        pair_members(members, {})
        _, high = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return high

    assert peak(lambda n: "one") <= 1.5 * peak(lambda n: f"team{n % 150}")


def test_in_a_program_of_five_the_trio_seat_passes_round_after_round():
    """History keeps each pair's last meeting only: in a program of 5, it shows at most 2 of
    anyone's trio seats, and with these profiles one member sat in the trio in all 12 rounds.
    The rounds' own groups (storage's trio_seats) show every seat."""

    def member(user_id, offers, wants, offset=0):
        skills = lambda numbers: frozenset(f"skill{n:03d}" for n in numbers)  # noqa: E731
        return Member(user_id, skills(offers), skills(wants), "team0", offset)

    members = [
        member("U0", (2, 4, 12, 25, 31, 77, 78), (0, 24, 111)),
        member("U1", (0, 1, 5, 20, 40, 48, 91), (0, 1, 93, 94, 180)),
        member("U2", (0, 1, 4, 21, 96, 162, 166), (0, 2, 3, 18, 29)),
        member("U3", (1, 2, 8, 33, 139, 148), (0, 4, 57, 80), offset=1),
        member("U4", (1, 3, 4, 11, 47, 132, 142, 153), (0, 45, 60, 87, 145)),
    ]
    history: dict = {}
    seated: dict[str, list[int]] = {}
    trios = Counter()
    for number in range(12):
        result = pair_members(members, history, seed=f"T1:coffee:round-{number}", trio_seats=seated)
        history = fed_back(history, result)
        seated = {user_id: [ago + 1 for ago in agos] for user_id, agos in seated.items()}
        [trio] = [group.members for group in result.groups if len(group.members) == 3]
        trios.update(trio)
        for user_id in trio:
            seated.setdefault(user_id, []).append(0)

    assert max(trios.values()) <= 9  # 12 * 3 / 5 = 7.2 each, fairly
