"""Groups of any size from 2 to 6, with anyone, across a category's groups or within them
(issue 21: "coffee chats for #eng-nyc every week in threes", "cross-department mentoring").

Pairs have an exact engine (bot/rounds/solving.py: a maximum-weight matching). Grouping in
threes and more is NP-hard (it contains partition into triangles: Garey and Johnson, GT11),
so this is a local search, with a certificate of how far from the best it can be:

1. The members are split by category when intros stay within one, and each part into seeded
   cells of at most CELL members (a dense score matrix of a cell takes CELL² float32s).
2. A cell's pair scores are bot/rounds/scoring.py's, every pair: teaching both ways, teams,
   situations, working hours, history (a pair met within the cooldown costs
   COOLDOWN_FALLBACK, so it is used only when nothing else is left). A never-pair, or a pair
   of one category when intros go across, costs far more than any other choice.
3. Greedy groups of the sizes group_sizes gives, then the best swaps of two members between
   two groups, many disjoint ones at a time, until no swap gains: a 2-swap local optimum.
4. The bound: a member's share of their group's score is at most the sum of their s - 1 best
   pair scores (s their group's size), or 0 if left out, so half the sum of those over every
   member is at least any grouping's total (the same relaxation as a b-matching's degree
   bound). The total over the bound is what bench/matching.py reports as the share of it.

A never-pair that no swap could separate (a round too small to keep them apart) is broken by
leaving one of the two out: nobody is ever grouped with someone they asked never to meet.
Ties fall by the round's seed, the same for the same members in any order."""

from collections.abc import Mapping

import numpy as np

from bot.rounds.model import Intro
from bot.rounds.scoring import (
    COOLDOWN_FALLBACK,
    MET_BEFORE,
    NEVER,
    Matching,
    MatchSettings,
    Member,
    MemberIndex,
    history_pairs,
    index_members,
    row_blocks,
    score_groups,
    scored_blocks,
)
from bot.rounds.solving import Seed, member_keys

MIN_SIZE, MAX_SIZE = 2, 6


# Members grouped together with one dense score matrix: 16 MB of float32 at 2,000, and a
# swap pass reads a few such matrices. Larger rounds are cut into seeded cells of this size.
CELL = 2_000


# A pair that must not be grouped: far below any score or sum of scores a group can have
# (a pair scores at most a few hundred points), so a swap that separates it always gains.
FORBIDDEN_PAIR = -100_000.0


# A pair of one category's group when intros go across groups: worse than any allowed pair
# (which scores at least BASE less a few penalties), better than a repeat within the cooldown.
SAME_GROUP_PAIR = -200.0


# Swap passes at most: each makes the best disjoint gaining swaps it finds. On bench/matching.py's
# skilled workspace of 2,000, sizes 2 to 6, anyone, across and within five offices, the search
# settled within 27 passes (the last finding nothing), so this only stops a runaway loop.
MAX_PASSES = 200


def group_sizes(count: int, size: int) -> list[int]:
    """The sizes of the groups `count` members make when the program asks for `size`: as
    many groups as `count / size` rounds to, but never a group of one, sizes as equal as can
    be, the larger first (7 in threes: 4 and 3; 8: 3, 3 and 2; 5 in pairs: 3 and 2). Raises
    ValueError for a size outside 2 to 6."""
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"group size must be {MIN_SIZE} to {MAX_SIZE}, not {size}")
    if count < MIN_SIZE:
        return []
    groups = max(1, min(int(count / size + 0.5), count // MIN_SIZE))
    base, extra = divmod(count, groups)
    return [base + 1] * extra + [base] * (groups - extra)


def group_members(
    members: list[Member],
    size: int,
    history: dict[frozenset[str], int] | None = None,
    settings: MatchSettings = MatchSettings(),
    seed: Seed = 0,
    intro: Intro = Intro.ANYONE,
    category: Mapping[str, str] | None = None,
) -> Matching:
    """Everyone in groups of about `size` (group_sizes), with anyone, or across or within the
    groups of `category` (user id -> the member's group in it, such as "NYC"; a member
    without one is left out of a program that needs it: `unmatched`). `history` maps a pair of
    user ids to how many rounds ago they met (0: the last round). Returns the groups, each
    with its score (the sum of its pairs' scores) and reasons, and `bound`: no grouping of
    the same cells scores more. Raises ValueError for a size outside 2 to 6."""
    history = history or {}
    group_sizes(MIN_SIZE, size)  # the size's check, before any work
    members = sorted(members, key=lambda m: m.user_id)  # the same input always gives the same groups
    needs_category = intro is not Intro.ANYONE
    labels = dict(category or {})
    left_out = [m.user_id for m in members if needs_category and not labels.get(m.user_id)]
    members = [m for m in members if not needs_category or labels.get(m.user_id)]
    if len(members) < MIN_SIZE:
        return Matching(
            groups=(), total=0.0, bound=0.0, unmatched=tuple(sorted(left_out + [m.user_id for m in members]))
        )
    index = index_members(members)
    keys = member_keys(index, seed)
    parts: list[np.ndarray]
    if intro is Intro.WITHIN:
        by_label: dict[str, list[int]] = {}
        for i, member in enumerate(members):
            by_label.setdefault(labels[member.user_id], []).append(i)
        parts = [np.array(ids, dtype=np.int64) for _, ids in sorted(by_label.items())]
    else:
        parts = [np.arange(len(members), dtype=np.int64)]
    code = _codes([labels.get(m.user_id, "") for m in members]) if intro is Intro.ACROSS else None
    groups: list[tuple[int, ...]] = []
    alone: list[int] = []
    bound = 0.0
    for part in parts:
        for cell in _cells(part, keys):
            found, cell_bound, unplaced = _group_cell(index, cell, size, history, settings, keys, code)
            groups += found
            alone += unplaced
            bound += cell_bound
    scored = score_groups(index, groups, history, settings, reverse=False)
    scored.sort(key=lambda group: group.members)
    unmatched = sorted(left_out + [members[i].user_id for i in alone])
    return Matching(groups=tuple(scored), total=sum(g.score for g in scored), bound=bound, unmatched=tuple(unmatched))


def _codes(labels: list[str]) -> np.ndarray:
    """Each label as a number (0 for none), for comparing whole rows at once."""
    known = {label: n for n, label in enumerate(sorted(set(labels) - {""}), start=1)}
    return np.array([known.get(label, 0) for label in labels], dtype=np.int64)


def _cells(part: np.ndarray, keys: np.ndarray) -> list[np.ndarray]:
    """`part` in seeded cells of at most CELL members, as equal as can be."""
    if len(part) <= CELL:
        return [part]
    shuffled = part[np.argsort(keys[part], kind="stable")]
    count = -(-len(part) // CELL)
    return [np.sort(cell) for cell in np.array_split(shuffled, count)]


def _weights(
    index: MemberIndex,
    cell: np.ndarray,
    history: dict[frozenset[str], int],
    settings: MatchSettings,
) -> tuple[np.ndarray, np.ndarray]:
    """(W, forbidden): the cell's pair scores as a dense float32 matrix (diagonal 0), and
    which pairs may never share a group (never-lists). A repeat within the cooldown scores
    COOLDOWN_FALLBACK, the least it can cost, so that W is never below a pair's true score
    and the bound holds."""
    n = len(cell)
    weights = np.zeros((n, n), dtype=np.float32)
    for rows, _, scores in scored_blocks(index, row_blocks(cell, cell), {}, settings, reverse=False):
        at = np.searchsorted(cell, rows)
        weights[at] = scores.astype(np.float32)
    forbidden = weights <= np.float32(NEVER)
    weights[forbidden] = FORBIDDEN_PAIR
    position = np.full(len(index.members), -1, dtype=np.int64)
    position[cell] = np.arange(n)
    for recent, value in ((False, MET_BEFORE), (True, COOLDOWN_FALLBACK)):
        low, high = history_pairs(index, history, settings, recent=recent)
        a, b = position[low], position[high]
        inside = (a >= 0) & (b >= 0)
        a, b = a[inside], b[inside]
        keep = ~forbidden[a, b]
        a, b = a[keep], b[keep]
        if recent:
            weights[a, b] = weights[b, a] = value  # the least a repeat within the cooldown costs
        else:
            weights[a, b] += value
            weights[b, a] += value
    np.fill_diagonal(weights, 0.0)
    np.fill_diagonal(forbidden, False)
    return weights, forbidden


def _group_cell(
    index: MemberIndex,
    cell: np.ndarray,
    size: int,
    history: dict[frozenset[str], int],
    settings: MatchSettings,
    keys: np.ndarray,
    code: np.ndarray | None,
) -> tuple[list[tuple[int, ...]], float, list[int]]:
    """One cell's groups (member indices), its bound, and who was left out of it."""
    sizes = group_sizes(len(cell), size)
    if not sizes:
        return [], 0.0, [int(i) for i in cell]
    weights, forbidden = _weights(index, cell, history, settings)
    bound = _bound(weights, sizes)
    searched = weights
    if code is not None:  # intros across groups: a pair of one group only when nothing else fits
        here = code[cell]
        same = (here[:, None] == here[None, :]) & (here[:, None] > 0) & ~forbidden
        searched = weights.copy()
        searched[same] = np.minimum(searched[same], SAME_GROUP_PAIR)
        np.fill_diagonal(searched, 0.0)  # a member and themself are not a pair
    order = np.argsort(keys[cell], kind="stable")
    group_of = _greedy(searched, sizes, order)
    _swap(searched, group_of, len(sizes))
    groups, alone = _separate_never_pairs(group_of, len(sizes), forbidden, weights)
    return [tuple(int(cell[i]) for i in g) for g in groups], bound, [int(cell[i]) for i in alone]


def _greedy(weights: np.ndarray, sizes: list[int], order: np.ndarray) -> np.ndarray:
    """A first grouping: each group starts with the next free member in seeded order and takes,
    one at a time, the free member who adds the most to it. Returns each member's group."""
    n = len(weights)
    group_of = np.full(n, -1, dtype=np.int64)
    free = np.ones(n, dtype=bool)
    next_free = 0
    for g, wanted in enumerate(sizes):
        while not free[order[next_free]]:
            next_free += 1
        first = int(order[next_free])
        group_of[first], free[first] = g, False
        gain = weights[first].astype(np.float64)
        for _ in range(wanted - 1):
            choice = int(np.argmax(np.where(free, gain, -np.inf)))
            group_of[choice], free[choice] = g, False
            gain += weights[choice]
    return group_of


def _swap(weights: np.ndarray, group_of: np.ndarray, groups: int) -> None:
    """Improve `group_of` in place by swaps of two members of different groups: each pass
    finds every swap's gain at once (for a in A and b in B: what a adds to B without b, less
    what a added to A, and the same for b, counting their own pair in neither), then makes
    the best ones that share no group, until none gains."""
    n = len(weights)
    for _ in range(MAX_PASSES):
        members = np.argsort(group_of, kind="stable")
        starts = np.searchsorted(group_of[members], np.arange(groups))
        to_group = np.add.reduceat(weights[:, members], starts, axis=1)  # member x group: sum of pair scores
        own = to_group[np.arange(n), group_of]
        change = to_group[:, group_of] - own[:, None]  # [a, b]: a moves into b's group (with b still there)
        gain = change + change.T - 2 * weights
        gain[group_of[:, None] == group_of[None, :]] = -np.inf
        flat = np.flatnonzero(gain > 1e-3)
        if not len(flat):
            return
        best = flat[np.argsort(-gain.ravel()[flat], kind="stable")][: 4 * groups]
        touched = np.zeros(groups, dtype=bool)
        for a, b in zip(*np.unravel_index(best, gain.shape), strict=True):
            ga, gb = group_of[a], group_of[b]
            if touched[ga] or touched[gb]:
                continue
            touched[ga] = touched[gb] = True
            group_of[a], group_of[b] = gb, ga


def _separate_never_pairs(
    group_of: np.ndarray, groups: int, forbidden: np.ndarray, weights: np.ndarray
) -> tuple[list[tuple[int, ...]], list[int]]:
    """The groups (sorted member positions), with whoever still shares a group with someone
    on a never-list left out: of each such pair, the one who adds least to the group goes,
    until none is left. Groups left with one member are dissolved into `alone`."""
    result: list[tuple[int, ...]] = []
    alone: list[int] = []
    for g in range(groups):
        group = [int(i) for i in np.flatnonzero(group_of == g)]
        while len(group) > 1:
            clash = forbidden[np.ix_(group, group)]
            if not clash.any():
                break
            clashing = [x for x, row in zip(group, clash, strict=True) if row.any()]
            adds = {x: float(weights[x, group].sum()) for x in clashing}
            leaving = min(clashing, key=lambda x: (adds[x], x))
            group.remove(leaving)
            alone.append(leaving)
        if len(group) > 1:
            result.append(tuple(group))
        else:
            alone += group
    return result, alone


def _bound(weights: np.ndarray, sizes: list[int]) -> float:
    """At least the total of any grouping of these members in groups of at most the largest
    of `sizes` (a never-pair broken up shrinks a group), some maybe left out (0 each): half
    the sum, over members, of the most their s - 1 best pair scores can add for any such
    size s, or 0."""
    partners = weights.astype(np.float64)
    np.fill_diagonal(partners, -np.inf)  # nobody is their own partner
    ordered = -np.sort(-partners, axis=1)[:, : max(sizes) - 1]
    best = np.cumsum(ordered, axis=1)
    return float(np.maximum(best.max(axis=1), 0.0).sum() / 2)
