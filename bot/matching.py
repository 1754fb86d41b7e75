"""The matching engine of coffee chats and reverse mentoring: a pure function from the
members of a round, their history and the settings to groups, each with its reasons.

Scores. A pair scores for every skill each side can teach the other (what one offers
and the other wants), more when it goes both ways, more for different teams and for a
life situation both chose to declare, less for little shared working time and for
having met long ago. Hard rules are missing edges: people a member never wants to be
paired with, and pairs that met within the cooldown (unless nothing else is left).

Speed. The scores of all pairs are computed block by block with sparse products and
NumPy, never a Python loop over pairs, and each member keeps the best
`candidates_per_member` partners: the candidate graph. On it, a maximum-cardinality,
maximum-weight matching is exact (Edmonds' blossom algorithm, rustworkx) up to
`exact_limit` members. Above that, a maximum-weight matching of the doubled, bipartite
graph (scipy) gives cycles and paths that are matched exactly one by one; its weight,
halved, bounds the optimum from above, and is returned as a certificate. Whoever is left
is matched among the leftovers on full scores (cooldown pairs allowed there), and a last
odd member joins the group where they add the most: one trio, nobody dropped.
"""

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import rustworkx
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

PER_SKILL = 10.0  # per skill one can teach the other, up to MAX_SKILLS_COUNTED each way
MAX_SKILLS_COUNTED = 3
BOTH_WAYS = 15.0
RECIPROCAL = 15.0  # reverse mentoring: the senior also teaches the junior something
DIFFERENT_TEAMS = 5.0
SHARED_SITUATION = 5.0
LITTLE_OVERLAP = -10.0
MIN_OVERLAP_HOURS = 2.0
MET_BEFORE = -8.0  # met, but longer ago than the cooldown
BASE = 20.0  # every allowed pair is worth more than nobody: the matching groups everyone it can
# A pair within the cooldown: only to give someone a group they would otherwise not have,
# and then as few as possible (this outweighs any gain elsewhere).
COOLDOWN_FALLBACK = -1000.0
FORBIDDEN = -np.inf
BLOCK_ROWS = 1024
THREADS = 2
WEIGHT_SCALE = 100  # rustworkx wants integer weights: scores to 1/100 of a point

EARLY = "early"
SENIOR_STAGES = frozenset({"senior", "executive"})


@dataclass(frozen=True)
class Member:
    """A member in a round, as the engine sees them: skills are keys."""

    user_id: str
    offers: frozenset[str] = frozenset()
    wants: frozenset[str] = frozenset()
    team: str = ""
    utc_offset_hours: float | None = None
    career_stage: str | None = None
    situations: frozenset[str] = frozenset()
    never: frozenset[str] = frozenset()  # user ids; private, and mutual in effect


@dataclass(frozen=True)
class MatchSettings:
    cooldown_rounds: int = 6
    candidates_per_member: int = 20
    exact_limit: int = 3000


@dataclass(frozen=True)
class Teaching:
    teacher: str
    learner: str
    skills: tuple[str, ...]  # keys, sorted


@dataclass(frozen=True)
class Group:
    members: tuple[str, ...]
    score: float  # the sum of the scores of every pair in the group
    teaching: tuple[Teaching, ...]  # who can help whom with what, both ways
    reasons: tuple[str, ...]  # the rest of why, in words


@dataclass(frozen=True)
class Matching:
    groups: tuple[Group, ...]
    total: float
    # For large rounds: no pairing within the candidate graph scores more than this. (Pairs
    # made outside it, among the leftovers, and a trio's third member are not covered.)
    bound: float | None = None
    unmatched: tuple[str, ...] = ()  # nobody could be grouped with them this time


@dataclass
class _Index:
    """Members as arrays: what the vectorised scoring reads."""

    members: list[Member]
    offers: sparse.csr_matrix
    wants: sparse.csr_matrix
    teams: np.ndarray
    situations: np.ndarray  # a bit per declared situation
    any_situations: bool
    overlap_penalty: np.ndarray  # (zones, zones): LITTLE_OVERLAP where working hours barely meet
    people_ids: np.ndarray  # each member's zone and whether they named a team: 2 * zone + team
    person_kinds: int  # how many such ids there are
    skill_points: dict[bool, np.ndarray]  # _skill_points, for coffee (False) and reverse (True)
    people_points: np.ndarray
    same_team: tuple[np.ndarray, np.ndarray]  # both orientations of every pair in one team
    juniors: np.ndarray
    seniors: np.ndarray
    position: dict[str, int] = field(default_factory=dict)


def _index(members: list[Member]) -> _Index:
    skills: dict[str, int] = {}
    situations: dict[str, int] = {}

    def matrix(sets: Iterable[frozenset[str]]) -> tuple[list[int], list[int], np.ndarray]:
        rows, cols = [], []
        for row, keys in enumerate(sets):
            for key in keys:
                rows.append(row)
                cols.append(skills.setdefault(key, len(skills)))
        data = np.ones(len(rows), dtype=np.int8)  # counts stay far below 127: a member lists few skills
        return rows, cols, data

    offer_parts = matrix(m.offers for m in members)
    want_parts = matrix(m.wants for m in members)
    shape = (len(members), max(len(skills), 1))
    offers = sparse.csr_matrix((offer_parts[2], (offer_parts[0], offer_parts[1])), shape=shape)
    wants = sparse.csr_matrix((want_parts[2], (want_parts[0], want_parts[1])), shape=shape)
    team_ids: dict[str, int] = {"": 0}
    bits = []
    for member in members:
        mask = 0
        for situation in sorted(member.situations):  # sorted: the same bits whatever the hash seed
            mask |= 1 << (situations.setdefault(situation, len(situations)) % 63)  # 63 kinds told apart
        bits.append(mask)
    offsets = sorted({m.utc_offset_hours for m in members if m.utc_offset_hours is not None})
    zone_of = {offset: z for z, offset in enumerate(offsets)}  # the last id, len(offsets): unknown
    penalty = np.zeros((len(offsets) + 1, len(offsets) + 1), dtype=np.float32)
    for a, first in enumerate(offsets):
        for b, second in enumerate(offsets):
            difference = abs(first - second) % 24
            if max(0.0, 8.0 - min(difference, 24 - difference)) < MIN_OVERLAP_HOURS:
                penalty[a, b] = LITTLE_OVERLAP
    index = _Index(
        members=members,
        offers=offers,
        wants=wants,
        teams=np.array([team_ids.setdefault(m.team, len(team_ids)) if m.team else 0 for m in members]),
        situations=np.array(bits, dtype=np.int64),
        any_situations=any(bits),
        overlap_penalty=penalty,
        people_ids=np.array(
            [2 * zone_of.get(m.utc_offset_hours, len(offsets)) + bool(m.team) for m in members], dtype=np.int16
        ),
        person_kinds=2 * (len(offsets) + 1),
        skill_points={reverse: _skill_points(reverse) for reverse in (False, True)},
        people_points=np.zeros(0, dtype=np.int16),
        same_team=(np.empty(0, np.int64), np.empty(0, np.int64)),
        juniors=np.array([m.career_stage == EARLY for m in members]),
        seniors=np.array([m.career_stage in SENIOR_STAGES for m in members]),
        position={m.user_id: i for i, m in enumerate(members)},
    )
    index.people_points = _people_points(index)
    # Pairs in one team: the member-by-team one-hot matrix times itself, without the diagonal.
    teamed = np.flatnonzero(index.teams > 0)
    one_hot = sparse.csr_matrix(
        (np.ones(len(teamed), dtype=np.int8), (teamed, index.teams[teamed])), shape=(len(members), len(team_ids) + 1)
    )
    together = (one_hot @ one_hot.T).tocoo()
    apart = together.row != together.col
    index.same_team = (together.row[apart].astype(np.int64), together.col[apart].astype(np.int64))
    if index.person_kinds**2 > np.iinfo(np.int16).max:
        raise ValueError("too many distinct UTC offsets for the int16 people table")
    return index


def _pairs(index: _Index, pairs: Iterable[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """Both orientations of the pairs whose two members are in the round, as index arrays."""
    left, right = [], []
    for a, b in pairs:
        i, j = index.position.get(a), index.position.get(b)
        if i is not None and j is not None and i != j:
            left += [i, j]
            right += [j, i]
    return np.array(left, dtype=np.int64), np.array(right, dtype=np.int64)


NEVER = np.int16(-30000)  # a forbidden pair in int16 blocks; -inf once scores are floats


def _skill_points(reverse: bool) -> np.ndarray:
    """Points for (skills i can teach j, skills j can teach i), each counted up to the cap."""
    counts = np.arange(MAX_SKILLS_COUNTED + 1)
    points = BASE + PER_SKILL * counts[:, None] + PER_SKILL * counts[None, :]
    points[1:, 1:] += RECIPROCAL if reverse else BOTH_WAYS
    return np.rint(points).astype(np.int16).ravel()


def _people_points(index: _Index) -> np.ndarray:
    """Points for (i's zone and team flag, j's zone and team flag): little overlap of
    working hours, and (before the same-team correction) different teams."""
    zones = index.overlap_penalty.shape[0]
    zone = np.repeat(np.arange(zones), 2)  # each zone twice: without and with a team
    has_team = np.tile([False, True], zones)
    points = index.overlap_penalty[zone[:, None], zone[None, :]] + DIFFERENT_TEAMS * (
        has_team[:, None] & has_team[None, :]
    )
    return np.rint(points).astype(np.int16).ravel()


def _terms(
    index: _Index, teach: np.ndarray, taught: np.ndarray, i: np.ndarray, j: np.ndarray, reverse: bool
) -> np.ndarray:
    """int16 scores from what each side can teach the other and the members' facts; `i`
    and `j` broadcast against each other (a block of rows against everyone, or two lists
    of pairs). Same-team pairs lose the bonus for different teams here; history is applied
    by the callers."""
    cap = MAX_SKILLS_COUNTED
    cell = np.minimum(teach, cap).astype(np.int16) * (cap + 1) + np.minimum(taught, cap)
    # Two small tables, two gathers: one index over both would overflow int16.
    score = index.skill_points[reverse][cell]
    score += index.people_points[index.people_ids[i] * index.person_kinds + index.people_ids[j]]
    if index.any_situations:
        score += np.int16(SHARED_SITUATION) * ((index.situations[i] & index.situations[j]) != 0)
    score[np.broadcast_to(i == j, score.shape)] = NEVER
    if reverse:  # only a junior (i) teaching a senior (j) something the senior wants
        score[~(index.juniors[i] & index.seniors[j] & (teach > 0))] = NEVER
    return score


def _block_scores(index: _Index, rows: np.ndarray, reverse: bool) -> np.ndarray:
    """int16 scores of `rows` against everyone, without history: a dense block."""
    teach = (index.offers[rows] @ index.wants.T).toarray()  # what each row can teach each column
    taught = (index.wants[rows] @ index.offers.T).toarray()  # what each column can teach each row
    everyone = np.arange(len(index.members))
    score = _terms(index, teach, taught, rows[:, None], everyone[None, :], reverse)
    # The table gave every pair with teams the bonus for different ones; take it back from
    # the few in the same team (a sparse list, not a comparison over the whole block).
    _apply_pairs(score, rows, index.same_team, np.int16(-DIFFERENT_TEAMS), add=True)
    return score


def _pair_scores(index: _Index, i: np.ndarray, j: np.ndarray, reverse: bool = False) -> np.ndarray:
    """Scores of the pairs (i[k], j[k]), without history, as floats (-inf: forbidden)."""
    teach = np.asarray(index.offers[i].multiply(index.wants[j]).sum(axis=1)).ravel()
    taught = np.asarray(index.wants[i].multiply(index.offers[j]).sum(axis=1)).ravel()
    score = _terms(index, teach, taught, i, j, reverse)
    score -= np.int16(DIFFERENT_TEAMS) * ((index.teams[i] == index.teams[j]) & (index.teams[i] > 0))
    score = score.astype(np.float64)
    score[score <= NEVER] = FORBIDDEN
    return score


def _history_terms(
    index: _Index, history: dict[frozenset[str], int], settings: MatchSettings, i: np.ndarray, j: np.ndarray
) -> np.ndarray:
    """For pairs (i[k], j[k]): never-pairs forbidden, a meeting within the cooldown costs
    COOLDOWN_FALLBACK, an older one MET_BEFORE. A loop over the pairs given: for chosen
    groups and leftovers, never for the whole score matrix."""
    terms = np.zeros(len(i))
    for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        first, second = index.members[a], index.members[b]
        if second.user_id in first.never or first.user_id in second.never:
            terms[k] = FORBIDDEN
            continue
        ago = history.get(frozenset((first.user_id, second.user_id)))
        if ago is not None:
            terms[k] = COOLDOWN_FALLBACK if ago < settings.cooldown_rounds else MET_BEFORE
    return terms


def _apply_pairs(score: np.ndarray, rows: np.ndarray, pairs: tuple[np.ndarray, np.ndarray], value, add: bool) -> None:
    """Set (or add) `value` at the pairs whose first member is one of the block's `rows`
    (sorted): row positions found by binary search, so blocks can be scored in parallel."""
    left, right = pairs
    if not len(left):
        return
    at = np.minimum(np.searchsorted(rows, left), len(rows) - 1)
    inside = rows[at] == left
    r, c = at[inside], right[inside]
    if add:
        np.add.at(score, (r, c), value)
    else:
        score[r, c] = value


def _scored_blocks(
    index: _Index,
    rows: np.ndarray,
    history: dict[frozenset[str], int],
    settings: MatchSettings,
    reverse: bool,
    then=None,
):
    """Blocks (rows, scores) of `rows` (sorted) against everyone, with the hard rules and
    history applied, or `then` of them; blocks are scored on THREADS threads (NumPy's and
    scipy's kernels let go of the GIL)."""
    never = _pairs(index, ((m.user_id, other) for m in index.members for other in m.never))
    recent = _pairs(index, (tuple(pair) for pair, ago in history.items() if ago < settings.cooldown_rounds))
    older = _pairs(index, (tuple(pair) for pair, ago in history.items() if ago >= settings.cooldown_rounds))

    def score(block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        scores = _block_scores(index, block, reverse)
        _apply_pairs(scores, block, older, np.int16(MET_BEFORE), add=True)
        _apply_pairs(scores, block, recent, NEVER, add=False)
        _apply_pairs(scores, block, never, NEVER, add=False)
        return then((block, scores)) if then else (block, scores)

    blocks_of_rows = [rows[start : start + BLOCK_ROWS] for start in range(0, len(rows), BLOCK_ROWS)]
    if len(blocks_of_rows) == 1:
        yield score(blocks_of_rows[0])
        return
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        yield from pool.map(score, blocks_of_rows)


def candidate_graph(
    index: _Index, history: dict[frozenset[str], int], settings: MatchSettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (i, j, score) with i < j: each member's best candidates, hard rules applied."""
    n = len(index.members)
    k = min(settings.candidates_per_member, n - 1)
    lefts, rights, weights = [], [], []

    def best_of(scored: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        block, score = scored
        # Ranked in int8 (faster to partition; every allowed score fits, forbidden ones sink).
        ranked = np.clip(score, -127, 127).astype(np.int8)
        best = np.argpartition(-ranked, k - 1, axis=1)[:, :k]
        chosen = np.take_along_axis(score, best, axis=1)
        keep = chosen > NEVER
        return np.broadcast_to(block[:, None], best.shape)[keep], best[keep], chosen[keep]

    blocks = _scored_blocks(index, np.arange(n), history, settings, reverse=False, then=best_of)
    for block_left, block_right, block_weight in blocks:
        lefts.append(block_left)
        rights.append(block_right)
        weights.append(block_weight)
    left, right, weight = np.concatenate(lefts), np.concatenate(rights), np.concatenate(weights)
    low, high = np.minimum(left, right), np.maximum(left, right)
    _, unique = np.unique(low.astype(np.int64) * n + high, return_index=True)
    return low[unique], high[unique], weight[unique].astype(np.float64)


# Tie-breaks per edge. Larger ranges make exact ties rarer still but slow the blossom
# algorithm down (2,000 members: 0.6 s with 16, 1.4 s with 2**20, measured here).
TIE_RANGE = 16


def _exact(n: int, left: np.ndarray, right: np.ndarray, weight: np.ndarray) -> list[tuple[int, int]]:
    """A maximum-cardinality matching of maximum weight among those (Edmonds' blossom).

    rustworkx picks any of several equally good matchings, differently from call to call.
    So each edge's integer weight also carries a tie-break drawn from its two ends: scaled
    below one hundredth of a point in total, it changes no choice between different
    scores, and settles ties between equal ones the same way every time, unless their
    tie-breaks tie too (rare, and then rustworkx chooses)."""
    scale = TIE_RANGE * (n // 2 + 1)
    low, high = np.minimum(left, right).astype(np.int64), np.maximum(left, right).astype(np.int64)
    ties = (low * 2654435761 + high * 40503 + (low ^ high) * 97) % TIE_RANGE
    weights = np.rint(weight * WEIGHT_SCALE).astype(np.int64) * scale + ties
    graph = rustworkx.PyGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(list(zip(left.tolist(), right.tolist(), weights.tolist(), strict=True)))
    matched = rustworkx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    return sorted(tuple(sorted(pair)) for pair in matched)


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


def _doubled(n: int, left: np.ndarray, right: np.ndarray, weight: np.ndarray) -> tuple[list[tuple[int, int]], float]:
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
    bound = float((top - np.asarray(graph[everyone[taken], successor[taken]]).ravel()).sum()) / 2
    # Most cycles are two members choosing each other: a pair, found without a loop.
    mutual = taken & (successor[successor] == everyone) & (everyone < successor)
    pairs = list(zip(everyone[mutual].tolist(), successor[mutual].tolist()))
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
            edge_weight = dict(zip(zip(left.tolist(), right.tolist()), weight.tolist()))
        edges = [edge_weight[tuple(sorted((cycle[i], cycle[(i + 1) % len(cycle)])))] for i in range(len(cycle))]
        for e in _cycle_matching(edges):
            a, b = cycle[e], cycle[(e + 1) % len(cycle)]
            pairs.append((min(a, b), max(a, b)))
    return pairs, bound


def _teaching(index: _Index, ids: tuple[int, ...]) -> tuple[Teaching, ...]:
    said = []
    for i in ids:
        for j in ids:
            if i != j:
                a, b = index.members[i], index.members[j]
                skills = tuple(sorted(a.offers & b.wants))
                if skills:
                    said.append(Teaching(a.user_id, b.user_id, skills))
    return tuple(said)


def _reasons(index: _Index, ids: tuple[int, ...], history: dict[frozenset[str], int]) -> tuple[str, ...]:
    members = [index.members[i] for i in ids]
    said = []
    if len({m.team for m in members if m.team}) == len(members):
        said.append("different teams")
    if all(frozenset((a.user_id, b.user_id)) not in history for a in members for b in members if a != b):
        said.append("first time meeting")
    # A life situation in common counts in the score but is never said: naming it would
    # tell each what the other declared (bot/situations.py).
    return tuple(said)


def _groups(
    index: _Index, groups: list[tuple[int, ...]], history, settings: MatchSettings, reverse: bool
) -> list[Group]:
    """The groups with their scores (every pair in a group, scored in one go) and reasons."""
    pairs = [(g, a, b) for g, ids in enumerate(groups) for x, a in enumerate(ids) for b in ids[x + 1 :]]
    scores = np.zeros(len(groups))
    if pairs:
        g, i, j = (np.array(column, dtype=np.int64) for column in zip(*pairs, strict=True))
        values = _pair_scores(index, i, j, reverse) + _history_terms(index, history, settings, i, j)
        np.add.at(scores, g, values)
    return [
        Group(
            members=tuple(index.members[i].user_id for i in ids),
            score=float(scores[n]),
            teaching=_teaching(index, ids),
            reasons=_reasons(index, ids, history),
        )
        for n, ids in enumerate(groups)
    ]


def _cooldown_edges(index: _Index, history, settings: MatchSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    left, right = _pairs(index, (tuple(pair) for pair, ago in history.items() if ago < settings.cooldown_rounds))
    once = left < right
    left, right = left[once], right[once]
    weight = _pair_scores(index, left, right) + _history_terms(index, history, settings, left, right)
    allowed = np.isfinite(weight)
    return left[allowed], right[allowed], weight[allowed]


def _fill_leftovers(
    index: _Index, pairs: list[tuple[int, int]], history, settings: MatchSettings
) -> list[tuple[int, ...]]:
    """Match whoever the candidate graph left out, on full scores (a pair within the cooldown
    allowed, at a cost); a last odd member joins the pair they add most to."""
    n = len(index.members)
    matched = np.zeros(n, dtype=bool)
    for a, b in pairs:
        matched[a] = matched[b] = True
    groups: list[tuple[int, ...]] = [tuple(pair) for pair in pairs]
    left_out = np.flatnonzero(~matched)
    if len(left_out) >= 2:
        la, lb = np.triu_indices(len(left_out), k=1)
        i, j = left_out[la], left_out[lb]
        weight = _pair_scores(index, i, j) + _history_terms(index, history, settings, i, j)
        allowed = np.isfinite(weight)
        if allowed.any():  # as many of them as possible in pairs, then the best such pairs
            for a, b in _exact(len(left_out), la[allowed], lb[allowed], weight[allowed]):
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
    return groups


def _improve_trio(index: _Index, history, settings: MatchSettings, groups: list, trio: int) -> None:
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


def _with_everyone(index: _Index, history, settings: MatchSettings, member: int) -> np.ndarray:
    n = len(index.members)
    everyone, repeated = np.arange(n), np.full(n, member)
    return _pair_scores(index, repeated, everyone) + _history_terms(index, history, settings, repeated, everyone)


def _swap_into_trio(
    index: _Index, history, settings: MatchSettings, groups: list, single: int, scores: np.ndarray
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
    members: list[Member], history: dict[frozenset[str], int] | None = None, settings: MatchSettings = MatchSettings()
) -> Matching:
    """Coffee chats: everyone in pairs, one trio if the count is odd. `history` maps a pair
    of user ids to how many rounds ago they met (0: the last round)."""
    history = history or {}
    members = sorted(members, key=lambda m: m.user_id)  # the same input always gives the same groups
    if len(members) < 2:
        return Matching(groups=(), total=0.0, unmatched=tuple(m.user_id for m in members))
    index = _index(members)
    left, right, weight = candidate_graph(index, history, settings)
    bound = None
    if len(members) <= settings.exact_limit:
        # Pairs within the cooldown join the graph at a cost that only someone's having no
        # group at all outweighs: the matching's cardinality comes first.
        cl, cr, cw = _cooldown_edges(index, history, settings)
        pairs = _exact(
            len(members), np.concatenate([left, cl]), np.concatenate([right, cr]), np.concatenate([weight, cw])
        )
    else:
        pairs, bound = _doubled(len(members), left, right, weight)
    filled = _fill_leftovers(index, pairs, history, settings)
    alone = tuple(sorted(index.members[ids[0]].user_id for ids in filled if len(ids) == 1))
    groups = _groups(index, [ids for ids in filled if len(ids) > 1], history, settings, reverse=False)
    groups.sort(key=lambda group: group.members)
    return Matching(groups=tuple(groups), total=sum(g.score for g in groups), bound=bound, unmatched=alone)


def pair_reverse(
    members: list[Member], history: dict[frozenset[str], int] | None = None, settings: MatchSettings = MatchSettings()
) -> Matching:
    """Reverse mentoring: each early-career member teaches a senior one something the
    senior wants. Exact (a bipartite assignment); those nobody fits are `unmatched`."""
    history = history or {}
    members = sorted(members, key=lambda m: m.user_id)
    index = _index(members)
    juniors, seniors = np.flatnonzero(index.juniors), np.flatnonzero(index.seniors)
    if not len(juniors) or not len(seniors):
        return Matching(groups=(), total=0.0, unmatched=tuple(m.user_id for m in members))
    # Costs: a pair costs `top` less its score, staying alone costs `alone`, so much more that
    # the assignment makes as many pairs as it can first, then the best ones.
    top = BASE * 50
    alone = top + len(juniors) * top
    rows, cols, costs = [], [], []
    for block, score in _scored_blocks(index, juniors, history, settings, reverse=True):
        senior_scores = score[:, seniors]
        r, c = np.nonzero(senior_scores > NEVER)
        rows.append(np.searchsorted(juniors, block)[r])
        cols.append(c)
        costs.append(top - senior_scores[r, c].astype(np.float64))
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
    groups = _groups(index, chosen, history, settings, reverse=True)
    groups.sort(key=lambda group: group.members)
    paired = {user_id for group in groups for user_id in group.members}
    unmatched = tuple(sorted(m.user_id for m in members if m.user_id not in paired))
    return Matching(groups=tuple(groups), total=sum(g.score for g in groups), unmatched=unmatched)
