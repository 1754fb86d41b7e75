"""Solving a round: members, their history and the settings in, groups with their reasons out.

Each member keeps the best `candidates_per_member` partners (bot/rounds/scoring.py says what
a pair is worth), equal scores told apart by the round's seed: the candidate graph (above
`full_scoring_limit` members, the best within a seeded cell, and partners for rare skills
from anywhere: candidate_graph). On it,
with the pairs that met within the cooldown added, a maximum-cardinality matching that uses
the fewest such pairs, then the least recent ones, then scores most is exact (Edmonds'
blossom algorithm, rustworkx, tiered integer weights) up to `exact_limit` members. Above
that, a maximum-weight matching of the doubled, bipartite graph (scipy) gives cycles and
paths that are matched exactly one by one; its weight, halved, bounds the optimum from
above, and is returned as a certificate. Whoever is left is matched among the leftovers on
seeded candidates (never all their pairs; cooldown pairs allowed there), and a last odd
member joins the group where they add the most: one trio, nobody dropped.

Odd rounds up to TRIO_SEARCH_LIMIT members choose the trio with the pairs instead (exactly
up to `settings.trio_exact_limit`). Reverse mentoring and mentoring are bipartite: exact
assignments (pair_reverse, group_mentoring). Groups are tuples of member indices throughout, so groups of other
sizes need a new search, not new types."""

import hashlib
from collections import defaultdict
from collections.abc import Collection, Mapping
from itertools import combinations

import numpy as np
import rustworkx
from scipy import sparse
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching

from bot.rounds.scoring import (
    BASE,
    COOLDOWN_FALLBACK,
    NEVER,
    RECENT_REPEAT,
    Group,
    Matching,
    MatchSettings,
    Member,
    MemberIndex,
    history_pairs,
    history_parts,
    history_terms,
    index_members,
    pair_keys,
    pair_scores,
    row_blocks,
    score_groups,
    scored_blocks,
)

WEIGHT_SCALE = 100  # rustworkx wants integer weights: scores to 1/100 of a point


Seed = int | str  # a round's: the same seed and members, in any order, give the same groups


def seed_number(seed: Seed) -> int:
    """A 64-bit number from a seed, the same in every process (hashlib, not hash(), which
    PYTHONHASHSEED changes)."""
    return int.from_bytes(hashlib.sha256(f"mentor-round:{seed}".encode()).digest()[:8], "little")


def member_keys(index: MemberIndex, seed: Seed) -> np.ndarray:
    """A random odd 32-bit key per member, drawn from the seed and their user id alone: ties
    between equal pairs fall by these, whatever the order members came in."""
    salt = seed_number(seed).to_bytes(8, "little")
    keys = [
        int.from_bytes(hashlib.blake2b(m.user_id.encode(), digest_size=4, key=salt).digest(), "little") | 1
        for m in index.members
    ]
    return np.array(keys, dtype=np.uint32)


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: well-spread 64-bit numbers from nearby ones (wrapping)."""
    z = values.astype(np.uint64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def candidate_graph(
    index: MemberIndex, history: dict[frozenset[str], int], settings: MatchSettings, seed: Seed = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (i, j, score) with i < j: each member's best candidates, hard rules applied.

    Up to `settings.full_scoring_limit` members, every pair is scored. Above it, members are
    dealt into seeded cells of about `settings.cell_size` and every pair within a cell is
    scored, so the work grows as n * cell_size, not n**2; across cells, each member is also
    offered a few members from anywhere for every rare skill they want or offer
    (skill_proposals), so a rare skill's only teacher is never lost to the cells.

    Among equal scores (members who filled in nothing all tie), a seeded jitter below a
    point decides, different for every pair: each member's candidates spread across the
    field instead of all naming the same few, and the graph still pairs nearly everyone."""
    n = len(index.members)
    keys = member_keys(index, seed)
    everyone = np.arange(n)
    if n <= settings.full_scoring_limit:
        blocks = row_blocks(everyone, everyone)
    else:
        order = np.lexsort((everyone, keys))  # a seeded deal: cells differ from round to round
        cells = np.array_split(order, -(-n // settings.cell_size))
        blocks = [(np.sort(cell), np.sort(cell)) for cell in cells]

    def best_of(scored: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, ...]:
        rows, columns, score = scored
        k = min(settings.candidates_per_member, len(columns) - 1)
        # Ranked in int16: the score (clipped to int8; every allowed score fits, forbidden
        # ones sink) in the high byte, the pair's jitter (the top byte of the product of
        # both keys) in the low one.
        ranked = np.left_shift(np.clip(score, -127, 127).astype(np.int16), 8)
        ranked |= ((keys[rows][:, None] * keys[columns][None, :]) >> np.uint32(24)).astype(np.int16)
        best = np.argpartition(-ranked, k - 1, axis=1)[:, :k]
        chosen = np.take_along_axis(score, best, axis=1)
        keep = chosen > NEVER
        return np.broadcast_to(rows[:, None], best.shape)[keep], columns[best][keep], chosen[keep].astype(np.float64)

    parts = list(scored_blocks(index, blocks, history, settings, reverse=False, then=best_of))
    if n > settings.full_scoring_limit:
        parts.append(skill_proposals(index, history, settings, seed))
    left, right, weight = (np.concatenate(column) for column in zip(*parts, strict=True))
    low, high = np.minimum(left, right), np.maximum(left, right)
    _, unique = np.unique(low.astype(np.int64) * n + high, return_index=True)
    return low[unique], high[unique], weight[unique]


# Partners offered from anywhere per rare skill a member wants or offers, when the
# candidates come from cells (candidate_graph).
PROPOSALS_PER_SKILL = 3
RARE_PER_CELL = 2


def skill_proposals(
    index: MemberIndex, history: dict[frozenset[str], int], settings: MatchSettings, seed: Seed = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (i, j, score) from what members listed, for skills too rare for every cell to
    hold someone with them: for each such skill a member wants, up to PROPOSALS_PER_SKILL of
    those who offer it (all of them when they are that few, else a seeded run of them), and
    the same for each such skill they offer, among those who want it. Scored as
    candidate_graph scores; never-pairs and pairs within the cooldown left out."""
    lefts, rights = [], []
    salt = np.uint64(seed_number(seed))
    # Rare: fewer than RARE_PER_CELL in a cell on average, so the member's cell may well hold none.
    rare_below = RARE_PER_CELL * len(index.members) / settings.cell_size
    for listed, partners in ((index.wants, index.offers.tocsc()), (index.offers, index.wants.tocsc())):
        listed = listed.tocsr()
        member = np.repeat(np.arange(listed.shape[0]), np.diff(listed.indptr))
        skill = listed.indices.astype(np.int64)
        start, count = partners.indptr[skill], np.diff(partners.indptr)[skill]
        rare = (count > 0) & (count < rare_below)
        member, skill, start, count = (part[rare] for part in (member, skill, start, count))
        if not len(member):
            continue
        draw = _mix((member.astype(np.uint64) * np.uint64(listed.shape[1]) + skill.astype(np.uint64)) ^ salt)
        first = (draw % count.astype(np.uint64)).astype(np.int64)
        steps = np.arange(PROPOSALS_PER_SKILL)
        taken = start[:, None] + (first[:, None] + steps[None, :]) % count[:, None]
        lefts.append(np.repeat(member, PROPOSALS_PER_SKILL))
        rights.append(partners.indices[taken].ravel().astype(np.int64))
    if not lefts:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    left, right = np.concatenate(lefts), np.concatenate(rights)
    n = len(index.members)
    keys = np.unique(pair_keys(n, left, right)[left != right])
    left, right = keys // n, keys % n
    terms, repeats, _ = history_parts(index, history, settings, left, right)
    weight = pair_scores(index, left, right) + terms
    keep = np.isfinite(weight) & (repeats == 0)
    return left[keep], right[keep], weight[keep]


# Tie-breaks per edge. Larger ranges make exact ties rarer still but slow the blossom
# algorithm down (2,000 members: 0.6 s with 16, 1.4 s with 2**20, measured here).
TIE_RANGE = 16


def exact_matching(
    n: int,
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    seed: Seed = 0,
    repeats: np.ndarray | None = None,
    recency: np.ndarray | None = None,
) -> list[tuple[int, int]]:
    """A maximum-cardinality matching (Edmonds' blossom) that, among those, uses the fewest
    edges with `repeats` (pairs within the cooldown), then the least `recency` over those,
    then has the most `weight`: the integer weights are tiered so that no amount of a
    lower part outweighs one unit of a higher one (rustworkx takes Python integers).

    rustworkx picks any of several equally good matchings. So each edge's weight also
    carries a tie-break drawn from the seed and its two ends: scaled below one hundredth of
    a point in total, it changes no choice between different scores, and settles ties
    between equal ones by the seed, unless their tie-breaks tie too (rare)."""
    if not len(left):
        return []
    pairs = n // 2 + 1  # more than any matching holds
    scale = TIE_RANGE * pairs
    low, high = np.minimum(left, right).astype(np.uint64), np.maximum(left, right).astype(np.uint64)
    ties = _mix(_mix(low * np.uint64(n) + high) ^ np.uint64(seed_number(seed))) % np.uint64(TIE_RANGE)
    points = np.rint(weight * WEIGHT_SCALE).astype(np.int64)
    weights = (points * scale + ties.astype(np.int64)).tolist()
    if repeats is not None and repeats.any():
        recency = np.zeros(len(left), dtype=np.int64) if recency is None else recency
        # Two matchings of one size differ by less than `per_recency` in weight and ties,
        # and by less than `per_repeat` in recency and all below it.
        per_recency = (int(points.max() - points.min()) + 1) * scale * pairs
        per_repeat = per_recency * (int(recency.max()) + 1) * pairs
        for e in np.flatnonzero(repeats).tolist():
            weights[e] -= per_repeat + int(recency[e]) * per_recency
    graph = rustworkx.PyGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(list(zip(left.tolist(), right.tolist(), weights, strict=True)))
    matched = rustworkx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    return sorted(_edge(a, b) for a, b in matched)


def _edge(a: int, b: int) -> tuple[int, int]:
    """An edge between two members, as (lower index, higher index)."""
    return (a, b) if a < b else (b, a)


def _path_matching(weights: list[float]) -> tuple[float, list[int]]:
    """The best set of non-adjacent edges along a path of edges: (total, indices)."""
    take = [0.0] * (len(weights) + 1)
    for i, w in enumerate(weights):
        take[i + 1] = max(take[i], (take[i - 1] if i >= 1 else 0.0) + w)
    chosen, i = [], len(weights)
    while i > 0:
        if take[i] == take[i - 1]:
            i -= 1
        else:
            chosen.append(i - 1)
            i -= 2
    return take[-1], chosen


def _cycle_matching(weights: list[float]) -> list[int]:
    """The best matching of a cycle of edges (edge e joins node e and node e + 1), exactly:
    either edge 0 is out (a path of the rest), or it is in and its two neighbours are out."""
    last = len(weights) - 1
    without, rest = _path_matching(weights[1:])
    with_first, inner = _path_matching(weights[2:last])
    if weights[0] + with_first > without:
        return [0, *(e + 2 for e in inner)]
    return [e + 1 for e in rest]


def doubled_matching(
    n: int, left: np.ndarray, right: np.ndarray, weight: np.ndarray
) -> tuple[list[tuple[int, int]], float]:
    """A near-optimal matching from the doubled graph's maximum-weight bipartite matching,
    and the upper bound it certifies (half that matching's weight)."""
    top = float(weight.max()) + 1.0 if len(weight) else 1.0
    # Costs top - w on both orientations, and top on i -> i ("unmatched"): a full matching
    # always exists and the cheapest one is the heaviest 2-matching.
    rows = np.concatenate([left, right, np.arange(n)])
    cols = np.concatenate([right, left, np.arange(n)])
    costs = np.concatenate([top - weight, top - weight, np.full(n, top)])
    graph = sparse.csr_matrix((costs, (rows, cols)), shape=(n, n))
    _, successor = min_weight_full_bipartite_matching(graph)
    everyone = np.arange(n)
    taken = successor != everyone
    # (With nobody matched, scipy's fancy indexing returns an empty sparse matrix, not numbers.)
    chosen = np.asarray(graph[everyone[taken], successor[taken]]).ravel() if taken.any() else np.zeros(0)
    bound = float((top - chosen).sum()) / 2
    # Most cycles are two members choosing each other: a pair, found without a loop.
    mutual = taken & (successor[successor] == everyone) & (everyone < successor)
    pairs = list(zip(everyone[mutual].tolist(), successor[mutual].tolist(), strict=False))
    seen = ~taken | mutual | mutual[successor]
    edge_weight = None
    for start in np.flatnonzero(~seen).tolist():
        if seen[start]:
            continue
        cycle, node = [], start
        while not seen[node]:
            seen[node] = True
            cycle.append(node)
            node = int(successor[node])
        if edge_weight is None:  # only for the longer cycles, which are few
            edge_weight = dict(zip(zip(left.tolist(), right.tolist(), strict=False), weight.tolist(), strict=False))
        edges = [edge_weight[_edge(cycle[i], cycle[(i + 1) % len(cycle)])] for i in range(len(cycle))]
        for e in _cycle_matching(edges):
            pairs.append(_edge(cycle[e], cycle[(e + 1) % len(cycle)]))
    return pairs, bound


def _weighed(
    index: MemberIndex, history, settings: MatchSettings, i: np.ndarray, j: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For pairs (i[k], j[k]): (score with never-pairs forbidden and older meetings counted,
    1 if they met within the cooldown, how recently): what exact_matching weighs."""
    terms, repeats, recency = history_parts(index, history, settings, i, j)
    return pair_scores(index, i, j) + terms, repeats, recency


def _cooldown_edges(index: MemberIndex, history, settings: MatchSettings) -> tuple[np.ndarray, ...]:
    left, right = history_pairs(index, history, settings, recent=True)
    weight, repeats, recency = _weighed(index, history, settings, left, right)
    allowed = np.isfinite(weight)
    return left[allowed], right[allowed], weight[allowed], repeats[allowed], recency[allowed]


def _leftover_pairs(count: int, per_member: int, seed: Seed) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs (low, high) among `count` leftovers: all of them when they are few,
    else `per_member` seeded random partners each: never quadratic in the leftovers."""
    if count <= per_member + 1:
        low, high = np.triu_indices(count, k=1)
        return low.astype(np.int64), high.astype(np.int64)
    rng = np.random.default_rng(seed_number(seed))
    rows = np.repeat(np.arange(count), per_member)
    cols = rng.integers(0, count - 1, size=len(rows))
    cols += cols >= rows  # anyone but themselves
    low, high = np.minimum(rows, cols), np.maximum(rows, cols)
    _, unique = np.unique(low * count + high, return_index=True)
    return low[unique], high[unique]


def _fill_leftovers(
    index: MemberIndex, pairs: list[tuple[int, int]], history, settings: MatchSettings, seed: Seed = 0
) -> tuple[list[tuple[int, ...]], int]:
    """Match whoever the candidate graph left out, among themselves (a pair within the
    cooldown allowed, as few and as old as can be); a last odd member joins the pair they
    add most to. Returns the groups and how many were left out."""
    n = len(index.members)
    matched = np.zeros(n, dtype=bool)
    for a, b in pairs:
        matched[a] = matched[b] = True
    groups: list[tuple[int, ...]] = [tuple(pair) for pair in pairs]
    left_out = np.flatnonzero(~matched)
    if len(left_out) >= 2:
        la, lb = _leftover_pairs(len(left_out), settings.candidates_per_member, seed)
        weight, repeats, recency = _weighed(index, history, settings, left_out[la], left_out[lb])
        allowed = np.isfinite(weight)
        if allowed.any():  # as many of them as possible in pairs, then the best such pairs
            chosen = exact_matching(
                len(left_out), la[allowed], lb[allowed], weight[allowed], seed, repeats[allowed], recency[allowed]
            )
            for a, b in chosen:
                groups.append((int(left_out[a]), int(left_out[b])))
                matched[left_out[a]] = matched[left_out[b]] = True
    for single in np.flatnonzero(~matched).tolist():
        with_everyone = _with_everyone(index, history, settings, single)
        gains = [(with_everyone[list(group)].sum(), g) for g, group in enumerate(groups) if len(group) == 2]
        gain, best = max(gains, default=(-np.inf, None))
        if best is not None and np.isfinite(gain):
            groups[best] = groups[best] + (single,)
            _improve_trio(index, history, settings, groups, best)
        elif not _swap_into_trio(index, history, settings, groups, single, with_everyone):
            groups.append((single,))  # alone: only when nobody at all may meet them (reported as unmatched)
    return groups, len(left_out)


# Odd rounds up to settings.trio_exact_limit members try every trio, each with the exact
# matching of the rest: the fewest pairs within the cooldown, then the oldest, then the best
# score, exactly. Up to this many, every member is tried as the trio's third: the rest matched exactly,
# they join the pair they fit best. Above it, the matching leaves one member out (which one
# falls by the seed) and they join the pair they add most to, then one move is tried.
TRIO_SEARCH_LIMIT = 41


def _trio_seats(
    index: MemberIndex,
    history: dict[frozenset[str], int],
    within: int,
    trio_seats: Mapping[str, Collection[int]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """How many past rounds each member was in a trio: (within the last `within` rounds, in
    all that is known). From `trio_seats` (user id -> rounds ago of each seat) when the
    caller knows them; else read off the history, which keeps each pair's last meeting only:
    whoever met two people the same round was in a trio with both, but a seat is lost once
    those two are met again (in a program of 5, at most 2 seats show)."""
    recent = np.zeros(len(index.members), dtype=np.int64)
    seats = np.zeros(len(index.members), dtype=np.int64)
    if trio_seats is not None:
        for user_id, agos in trio_seats.items():
            if user_id in index.position:
                seats[index.position[user_id]] = len(agos)
                recent[index.position[user_id]] = sum(ago < within for ago in agos)
        return recent, seats
    partners: defaultdict[tuple[str, int], set[str]] = defaultdict(set)
    for pair, ago in history.items():
        first, second = tuple(pair)
        partners[(first, ago)].add(second)
        partners[(second, ago)].add(first)
    sat = {(user_id, ago) for (member, ago), met in partners.items() if len(met) >= 2 for user_id in (member, *met)}
    for user_id, ago in sat:
        if user_id in index.position:
            seats[index.position[user_id]] += 1
            recent[index.position[user_id]] += ago < within
    return recent, seats


def _odd_round(
    index: MemberIndex, history, settings: MatchSettings, seed: Seed, trio_seats: Mapping[str, Collection[int]] | None
) -> list[tuple[int, ...]] | None:
    """An odd round of at most TRIO_SEARCH_LIMIT members in pairs and one trio, chosen
    together: the fewest pairs within the cooldown, then the least recent ones, then the
    best score, then the trio for those who sat in fewest trios, then the seed. None when
    no such grouping exists (never-lists), for the general path to deal with."""
    n = len(index.members)
    i, j = (side.astype(np.int64) for side in np.triu_indices(n, k=1))
    weight, repeats, recency = _weighed(index, history, settings, i, j)
    allowed = np.isfinite(weight)
    points = np.zeros((n, n), dtype=np.int64)
    repeated = np.zeros((n, n), dtype=np.int64)
    recent = np.zeros((n, n), dtype=np.int64)
    fits = np.zeros((n, n), dtype=bool)
    for matrix, values in (
        (points, np.rint(np.where(allowed, weight, 0) * WEIGHT_SCALE)),
        (repeated, repeats),
        (recent, recency),
        (fits, allowed),
    ):
        matrix[i, j] = matrix[j, i] = values
    recent_seats, seats = _trio_seats(index, history, settings.cooldown_rounds, trio_seats)
    keys = member_keys(index, seed)

    def rest_matching(rest: np.ndarray) -> list[tuple[int, ...]] | None:
        inside = np.zeros(n, dtype=bool)
        inside[rest] = True
        local = np.zeros(n, dtype=np.int64)
        local[rest] = np.arange(len(rest))
        edges = allowed & inside[i] & inside[j]
        chosen = exact_matching(
            len(rest), local[i[edges]], local[j[edges]], weight[edges], seed, repeats[edges], recency[edges]
        )
        if 2 * len(chosen) != len(rest):
            return None
        return [(int(rest[a]), int(rest[b])) for a, b in chosen]

    def cost(trio: tuple[int, ...]) -> tuple[int, int, int]:
        links = [(a, b) for x, a in enumerate(trio) for b in trio[x + 1 :]]
        return (
            sum(int(repeated[a, b]) for a, b in links),
            sum(int(recent[a, b]) for a, b in links),
            -sum(int(points[a, b]) for a, b in links),
        )

    def key(groups: list[tuple[int, ...]], trio: tuple[int, ...]) -> tuple[int, ...]:
        parts = [cost(group) for group in groups]
        repeats, recency, points = (sum(part[p] for part in parts) for p in range(3))
        # The same groups as last round (every pair met last round) only if nothing else is left.
        again = all(recent[a, b] == settings.cooldown_rounds - 1 for g in groups for a, b in combinations(g, 2))
        again = again and all(repeated[a, b] for g in groups for a, b in combinations(g, 2))
        tie = int(_mix(np.array([keys[trio[0]] ^ keys[trio[1]] ^ keys[trio[2]]], dtype=np.uint64))[0])
        # A trio seat taken within the cooldown weighs as a round of recency: without it, a
        # program of 5, where every grouping repeats, keeps one pair in every trio.
        rotation = int(recent_seats[list(trio)].sum())
        return (repeats, int(again), recency + rotation, points, int(seats[list(trio)].sum()), tie)

    everyone = np.arange(n)
    best: tuple[tuple[int, ...], list[tuple[int, ...]]] | None = None
    if n <= settings.trio_exact_limit:
        for trio in combinations(range(n), 3):
            if not all(fits[a, b] for a, b in combinations(trio, 2)):
                continue
            pairs = rest_matching(np.setdiff1d(everyone, trio))
            if pairs is not None:
                groups = [*pairs, trio]
                option = (key(groups, trio), groups)
                best = option if best is None or option[0] < best[0] else best
    else:
        for third in range(n):
            pairs = rest_matching(everyone[everyone != third])
            joinable = [(a, b) for a, b in (pairs or []) if fits[third, a] and fits[third, b]]
            if not joinable:
                continue
            a, b = min(joinable, key=lambda pair: (cost((*pair, third)), int(keys[pair[0]] ^ keys[pair[1]])))
            trio = (a, b, third)
            groups = [pair for pair in (pairs or []) if pair != (a, b)] + [trio]
            option = (key(groups, trio), groups)
            best = option if best is None or option[0] < best[0] else best
    return None if best is None else best[1]


def _improve_trio(index: MemberIndex, history, settings: MatchSettings, groups: list, trio: int) -> None:
    """A trio holding a pair that met within the cooldown: move one of its three to another
    pair if that leaves no such pair (the best such move)."""

    def recent(a: int, b: int) -> bool:
        ago = history.get(frozenset((index.members[a].user_id, index.members[b].user_id)))
        return ago is not None and ago < settings.cooldown_rounds

    members = groups[trio]
    if not any(recent(a, b) for x, a in enumerate(members) for b in members[x + 1 :]):
        return
    pairs = [g for g, group in enumerate(groups) if len(group) == 2]
    best, best_gain = None, -np.inf
    for mover in members:
        staying = tuple(m for m in members if m != mover)
        if recent(*staying):
            continue
        scores = _with_everyone(index, history, settings, mover)
        for g in pairs:
            a, b = groups[g]
            if recent(mover, a) or recent(mover, b) or not (np.isfinite(scores[a]) and np.isfinite(scores[b])):
                continue
            gain = scores[a] + scores[b]
            if gain > best_gain:
                best, best_gain = (mover, staying, g), gain
    if best is not None:
        mover, staying, g = best
        groups[trio] = staying
        groups[g] = groups[g] + (mover,)


def _with_everyone(index: MemberIndex, history, settings: MatchSettings, member: int) -> np.ndarray:
    n = len(index.members)
    everyone, repeated = np.arange(n), np.full(n, member)
    return pair_scores(index, repeated, everyone) + history_terms(index, history, settings, repeated, everyone)


def _swap_into_trio(
    index: MemberIndex, history, settings: MatchSettings, groups: list, single: int, scores: np.ndarray
) -> bool:
    """A member who may join no pair as a third (their never-list, say): pair them with
    someone they may meet, whose partner then joins another pair. True if it worked."""
    pairs = [g for g, group in enumerate(groups) if len(group) == 2]
    firsts = np.array([groups[g][0] for g in pairs])
    seconds = np.array([groups[g][1] for g in pairs])
    for g in sorted(pairs, key=lambda g: -max(scores[groups[g][0]], scores[groups[g][1]])):
        for keep, move in (groups[g], groups[g][::-1]):
            if not np.isfinite(scores[keep]):
                continue
            mover = _with_everyone(index, history, settings, move)
            fits = np.isfinite(mover[firsts]) & np.isfinite(mover[seconds]) & (np.array(pairs) != g)
            if fits.any():
                target = pairs[int(np.argmax(np.where(fits, mover[firsts] + mover[seconds], -np.inf)))]
                groups[g] = (keep, single)
                groups[target] = groups[target] + (move,)
                return True
    return False


def pair_members(
    members: list[Member],
    history: dict[frozenset[str], int] | None = None,
    settings: MatchSettings = MatchSettings(),
    seed: Seed = 0,
    trio_seats: Mapping[str, Collection[int]] | None = None,
) -> Matching:
    """Coffee chats: everyone in pairs, one trio if the count is odd. `history` maps a pair
    of user ids to how many rounds ago they met (0: the last round); `trio_seats`, if known,
    a user id to how many rounds ago each time they sat in a trio (else read off `history`,
    which loses seats). Ties fall by `seed` (the round's: bot/rounds/services.py), the same
    way for the same members in any order."""
    history = history or {}
    members = sorted(members, key=lambda m: m.user_id)  # the same input always gives the same groups
    if len(members) < 2:
        return Matching(groups=(), total=0.0, unmatched=tuple(m.user_id for m in members))
    index = index_members(members)
    n = len(members)
    bound, left_out = None, 0
    filled = _odd_round(index, history, settings, seed, trio_seats) if n % 2 and n <= TRIO_SEARCH_LIMIT else None
    if filled is None:
        left, right, weight = candidate_graph(index, history, settings, seed)
        if n <= settings.exact_limit:
            # Pairs within the cooldown join the graph, counted before any score: the
            # matching's cardinality comes first, then the fewest and oldest such pairs.
            cl, cr, cw, repeats, recency = _cooldown_edges(index, history, settings)
            none = np.zeros(len(left), dtype=np.int64)
            pairs = exact_matching(
                n,
                np.concatenate([left, cl]),
                np.concatenate([right, cr]),
                np.concatenate([weight, cw]),
                seed,
                np.concatenate([none, repeats]),
                np.concatenate([none, recency]),
            )
        else:
            pairs, bound = doubled_matching(n, left, right, weight)
        filled, left_out = _fill_leftovers(index, pairs, history, settings, seed)
    alone = tuple(sorted(index.members[ids[0]].user_id for ids in filled if len(ids) == 1))
    groups = score_groups(index, [ids for ids in filled if len(ids) > 1], history, settings, reverse=False)
    groups.sort(key=lambda group: group.members)
    total = sum(g.score for g in groups)
    return Matching(groups=tuple(groups), total=total, bound=bound, unmatched=alone, leftover=left_out)


def pair_reverse(
    members: list[Member],
    history: dict[frozenset[str], int] | None = None,
    settings: MatchSettings = MatchSettings(),
    seed: Seed = 0,
) -> Matching:
    """Reverse mentoring: each early-career member teaches a senior one something the
    senior wants. Exact (a bipartite assignment); those nobody fits are `unmatched`. Equal
    assignments are told apart by `seed`, as in pair_members."""
    history = history or {}
    members = sorted(members, key=lambda m: m.user_id)
    index = index_members(members)
    juniors, seniors = np.flatnonzero(index.juniors), np.flatnonzero(index.seniors)
    if not len(juniors) or not len(seniors):
        return Matching(groups=(), total=0.0, unmatched=tuple(m.user_id for m in members))
    keys = member_keys(index, seed)
    # Costs: a pair costs `top` less its score, staying alone costs `alone`, so much more that
    # the assignment makes as many pairs as it can first, then the best ones. Scores are
    # whole points; each pair's seeded jitter is below 1 / (juniors + 1) of one, so all of
    # an assignment's together change no choice between different scores.
    top = BASE * 50
    alone = top + len(juniors) * top
    jitter = 1.0 / (len(juniors) + 1) / 1024
    rows, cols, costs = [], [], []
    for block, _, senior_scores in scored_blocks(index, row_blocks(juniors, seniors), history, settings, reverse=True):
        r, c = np.nonzero(senior_scores > NEVER)
        rows.append(np.searchsorted(juniors, block)[r])
        cols.append(c)
        ties = (keys[block[r]] * keys[seniors[c]]) >> np.uint32(22)  # 0 to 1023
        costs.append(top - senior_scores[r, c].astype(np.float64) + ties * jitter)
    n_j, n_s = len(juniors), len(seniors)
    # Each junior may also stay unmatched: a dummy column of their own, costing `alone`.
    graph = sparse.csr_matrix(
        (
            np.concatenate([*costs, np.full(n_j, alone)]),
            (np.concatenate([*rows, np.arange(n_j)]), np.concatenate([*cols, n_s + np.arange(n_j)])),
        ),
        shape=(n_j, n_s + n_j),
    )
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    chosen = [(int(juniors[r]), int(seniors[c])) for r, c in zip(row_ind, col_ind, strict=True) if c < n_s]
    groups = score_groups(index, chosen, history, settings, reverse=True)
    groups.sort(key=lambda group: group.members)
    paired = {user_id for group in groups for user_id in group.members}
    unmatched = tuple(sorted(m.user_id for m in members if m.user_id not in paired))
    return Matching(groups=tuple(groups), total=sum(g.score for g in groups), unmatched=unmatched)


# group_mentoring's costs, which it minimises. A pair of a mentor and a mentee costs
# PAIR_COST less its score (scores are a few to about a hundred and ten points), so the best
# pairs cost least. A mentor's k-th extra mentee adds k * SPREAD, more than any one pair's
# score can differ, so mentees are shared out evenly before scores are weighed: everyone who
# signed up to mentor gets someone before anyone gets a second. A repeat within the cooldown
# adds its history cost (COOLDOWN_FALLBACK, more the more recent), more than any spread.
PAIR_COST = 200.0
SPREAD = 150.0
# The shortlist (group_mentoring): the best mentors each mentee keeps; each mentor keeps a
# third as many mentees per seat. Every mentor and mentee pair of 10,000 members is 25
# million edges, times the seats: minutes and gigabytes; these keep a few hundred thousand.
MENTORS_PER_MENTEE = 12
MENTORING_REPAIRS = 3  # solves with the full rows and columns of whoever is left, at most

Edges = tuple[np.ndarray, np.ndarray, np.ndarray]  # (mentee position, mentor position, cost)


def _mentoring_pairs(
    index: MemberIndex,
    history,
    settings: MatchSettings,
    sides: tuple[np.ndarray, np.ndarray],
    among: tuple[np.ndarray, np.ndarray],
    keys: np.ndarray,
    best: tuple[int, int] | None = None,
) -> Edges:
    """The allowed pairs of the mentees `among[0]` with the mentors `among[1]` (sorted member
    indices), not repeats within the cooldown, as edges over the positions in `sides`
    (mentees, mentors) costing PAIR_COST less their score. With `best` = (per mentee, per
    mentor), only each mentee's best that many mentors and each mentor's best that many
    mentees, equal scores told apart by the seed (the tie-break group_mentoring adds, so that
    the shortlist and the assignment rank alike)."""
    mentees, leaders = sides
    parts = []
    for block, columns, scores in scored_blocks(index, row_blocks(*among), history, settings, reverse=False):
        if best is None:
            r, c = np.nonzero(scores > NEVER)
        else:
            ties = ((keys[block][:, None] * keys[columns][None, :]) >> np.uint32(22)).astype(np.int32)
            ranked = scores.astype(np.int32) * 1024 - ties
            per_row, per_column = min(best[0], len(columns)), min(best[1], len(block))
            top_rows = np.argpartition(-ranked, per_row - 1, axis=1)[:, :per_row]
            top_columns = np.argpartition(-ranked, per_column - 1, axis=0)[:per_column, :]
            r = np.concatenate([np.repeat(np.arange(len(block)), per_row), top_columns.ravel()])
            c = np.concatenate([top_rows.ravel(), np.tile(np.arange(len(columns)), per_column)])
            # A mentor's best in the block, of which the best of all blocks are kept below.
            allowed = scores[r, c] > NEVER
            r, c = r[allowed], c[allowed]
        parts.append((block[r], columns[c], scores[r, c].astype(np.int32)))
    mentee, mentor, score = (np.concatenate(column) for column in zip(*parts, strict=True))
    if best is not None and len(mentee):
        ties = ((keys[mentee] * keys[mentor]) >> np.uint32(22)).astype(np.int32)
        ranked = score * 1024 - ties
        by_row = _first_of_each(mentee, ranked, best[0])
        by_column = _first_of_each(mentor, ranked, best[1])
        keep = np.unique(np.concatenate([by_row, by_column]))
        mentee, mentor, score = mentee[keep], mentor[keep], score[keep]
    return np.searchsorted(mentees, mentee), np.searchsorted(leaders, mentor), PAIR_COST - score


def _first_of_each(owner: np.ndarray, ranked: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` highest `ranked` of each `owner` (ties by position)."""
    order = np.lexsort((-ranked, owner))
    starts = np.searchsorted(owner[order], owner[order], side="left")
    return order[np.arange(len(order)) - starts < count]


def _mentoring_repeats(
    index: MemberIndex, history, settings: MatchSettings, is_mentor: np.ndarray, sides: tuple[np.ndarray, np.ndarray]
) -> Edges:
    """Repeats within the cooldown, which scored_blocks forbids: allowed here at their cost."""
    mentees, leaders = sides
    low, high, weight, repeats, recency = _cooldown_edges(index, history, settings)
    mentee_of, mentor_of = np.where(is_mentor[low], high, low), np.where(is_mentor[low], low, high)
    across = is_mentor[low] != is_mentor[high]
    repeat_cost = COOLDOWN_FALLBACK + RECENT_REPEAT * recency / max(settings.cooldown_rounds - 1, 1)
    return (
        np.searchsorted(mentees, mentee_of[across]),
        np.searchsorted(leaders, mentor_of[across]),
        PAIR_COST - (weight + repeats * repeat_cost)[across],
    )


def _seat_assignment(edges: Edges, n_e: int, n_m: int, seats: int, ties: np.ndarray) -> np.ndarray:
    """A min-cost assignment of mentees to mentors' seats on `edges` (one per pair, costs in
    whole points; `ties` from 0 to 1023 beside each) placing as many mentees as it can: each
    mentee's mentor position, -1 for none. Costs are whole numbers, points times a scale
    above every assignment's ties together: scipy's solver compares them exactly (with
    fractions of a point it was seen to search without end)."""
    row, mentor, points = edges
    scale = 1024.0 * (n_e + 1)
    # Seat k of mentor m is column m * seats + k, and costs k * SPREAD more than seat 0.
    seat = np.repeat(np.arange(seats), len(row))
    points = np.tile(np.rint(points), seats) + seat * SPREAD
    row, column = np.tile(row, seats), np.tile(mentor, seats) * seats + seat
    cost = points * scale + np.tile(ties.astype(np.float64), seats)
    n_seats = n_m * seats
    graph = sparse.csr_matrix((cost, (row, column)), shape=(n_e, n_seats))
    # Every mentee seated, or every seat taken, is the most there can be. When the graph holds
    # such an assignment (Hopcroft–Karp says so in milliseconds), the cheapest is found without
    # the columns below, four times faster (10,000 members in sixes: 11 s, not 27); without
    # one, scipy's solver is not to be given the graph alone (it can search without end).
    if (maximum_bipartite_matching(graph, perm_type="column") >= 0).sum() == min(n_e, n_seats):
        placed, seated = min_weight_full_bipartite_matching(graph)
    else:
        # Each mentee may stay alone, in a column of their own, at a cost above all of the
        # other mentees' costs together: as many are placed as can be, first.
        alone = (float(cost.max()) if len(cost) else PAIR_COST) * (n_e + 1) + 1.0
        graph = sparse.csr_matrix(
            (
                np.concatenate([cost, np.full(n_e, alone)]),
                (np.concatenate([row, np.arange(n_e)]), np.concatenate([column, n_seats + np.arange(n_e)])),
            ),
            shape=(n_e, n_seats + n_e),
        )
        placed, seated = min_weight_full_bipartite_matching(graph)
    assigned = np.full(n_e, -1, dtype=np.int64)
    taken = seated < n_seats
    assigned[placed[taken]] = seated[taken] // seats
    return assigned


def group_mentoring(
    members: list[Member],
    mentors: Collection[str],
    size: int,
    history: dict[frozenset[str], int] | None = None,
    settings: MatchSettings = MatchSettings(),
    seed: Seed = 0,
    shortlist: int | None = MENTORS_PER_MENTEE,
) -> Matching:
    """Mentoring by a category: each group is one of `mentors` (user ids; every other member
    is a mentee) with up to `size - 1` mentees, scored as every round's pairs are (what each
    offers meets what the other wants, teams, hours, situations; bot/rounds/scoring.py).

    A min-cost assignment of mentees to mentors' seats (Kuhn–Munkres on a sparse graph,
    scipy): as many mentees placed as can be, then the fewest repeats within the cooldown
    (taken only when nothing else is left, as in every round), then mentees shared out as
    evenly as can be (SPREAD), then the best pairs; equal choices fall by `seed`. A
    never-pair is never grouped. Mentee with mentee pairs count in a group's score, not in
    the choice: mentees are not introduced for each other. Groups list the mentor first.

    With `shortlist` (mentors kept per mentee; None: every pair, the exact assignment), the
    graph holds each mentee's best `shortlist` mentors, each mentor's best `shortlist` / 3
    mentees per seat, and every repeat within the cooldown, as the pair engine keeps each
    member's best candidates (candidate_graph): exact on that graph, not on every pair. When
    it leaves mentees out while seats are free, the full rows of those mentees and the full
    columns of mentors with a free seat join the graph and it is solved again (up to
    MENTORING_REPAIRS times): an augmenting path through those alone places one more, as
    exact does; one through pairs neither holds is not found (bench/matching.py compares).

    Mentors and mentees nobody could be grouped with are `unmatched`; `bound` is None.
    Raises ValueError for a size outside 2 to 6."""
    if not 2 <= size <= 6:
        raise ValueError(f"group size must be 2 to 6, not {size}")
    history = history or {}
    members = sorted(members, key=lambda m: m.user_id)
    index = index_members(members)
    mentoring = set(mentors)
    is_mentor = np.array([m.user_id in mentoring for m in members], dtype=bool)
    leaders, mentees = np.flatnonzero(is_mentor), np.flatnonzero(~is_mentor)
    if not len(leaders) or not len(mentees):
        return Matching(groups=(), total=0.0, unmatched=tuple(m.user_id for m in members))
    seats = size - 1
    sides = (mentees, leaders)
    keys = member_keys(index, seed)
    n_e, n_m = len(mentees), len(leaders)
    best = None if shortlist is None or n_m <= shortlist else (shortlist, -(-shortlist // 3) * seats)
    parts = [
        _mentoring_pairs(index, history, settings, sides, sides, keys, best),
        _mentoring_repeats(index, history, settings, is_mentor, sides),
    ]
    most, placed_before = min(n_e, n_m * seats), -1
    for attempt in range(MENTORING_REPAIRS + 1):
        row, mentor, cost = (np.concatenate(column) for column in zip(*parts, strict=True))
        _, first = np.unique(row * n_m + mentor, return_index=True)  # a pair once (a repeat is never scored)
        edges = (row[first], mentor[first], cost[first])
        # Equal costs fall by the seed: a tie-break below a point over the whole assignment.
        ties = (keys[mentees[edges[0]]] * keys[leaders[edges[1]]]) >> np.uint32(22)  # 0 to 1023
        assigned = _seat_assignment(edges, n_e, n_m, seats, ties)
        placed = int((assigned >= 0).sum())
        if best is None or placed == most or attempt == MENTORING_REPAIRS:
            break
        if placed == placed_before:
            break  # the repair's rows and columns place nobody more
        placed_before = placed
        left_out = mentees[assigned < 0]
        free = leaders[np.bincount(assigned[assigned >= 0], minlength=n_m) < seats]
        parts += [
            _mentoring_pairs(index, history, settings, sides, (left_out, leaders), keys),
            _mentoring_pairs(index, history, settings, sides, (mentees, free), keys),
        ]
    placed_with: dict[int, list[int]] = defaultdict(list)
    for e in np.flatnonzero(assigned >= 0).tolist():
        placed_with[int(leaders[assigned[e]])].append(int(mentees[e]))
    chosen = [(leader, *sorted(group)) for leader, group in sorted(placed_with.items())]
    groups = score_groups(index, chosen, history, settings, reverse=False)
    groups.sort(key=lambda group: group.members)
    grouped = {user_id for group in groups for user_id in group.members}
    unmatched = tuple(sorted(m.user_id for m in members if m.user_id not in grouped))
    return Matching(groups=tuple(groups), total=sum(g.score for g in groups), unmatched=unmatched)


def pair_to_join(
    single: Member,
    pairs: list[tuple[Member, Member]],
    history: dict[frozenset[str], int] | None = None,
    settings: MatchSettings = MatchSettings(),
) -> tuple[int, Group] | None:
    """A coffee member left alone after the round began (their partner can no longer be
    reached): the pair they add most to, as the round's last odd member joins one, and the
    trio it makes. A pair one of them never wants to meet is ruled out, a pair within the
    cooldown taken only if nothing else fits; None when no pair is left."""
    if not pairs:
        return None
    history = history or {}
    index = index_members([single, *(member for pair in pairs for member in pair)])
    scores = _with_everyone(index, history, settings, 0)
    gains = [float(scores[1 + 2 * g] + scores[2 + 2 * g]) for g in range(len(pairs))]
    best = max(range(len(pairs)), key=lambda g: (gains[g], -g))  # the first of equals
    if not np.isfinite(gains[best]):
        return None
    [trio] = score_groups(index, [(1 + 2 * best, 2 + 2 * best, 0)], history, settings, reverse=False)
    return best, trio
