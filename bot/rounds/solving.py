"""Solving a round: members, their history and the settings in, groups with their reasons out.

Each member keeps the best `candidates_per_member` partners (bot/rounds/scoring.py says what
a pair is worth): the candidate graph. On it, a maximum-cardinality, maximum-weight matching
is exact (Edmonds' blossom algorithm, rustworkx) up to `exact_limit` members. Above that, a
maximum-weight matching of the doubled, bipartite graph (scipy) gives cycles and paths that
are matched exactly one by one; its weight, halved, bounds the optimum from above, and is
returned as a certificate. Whoever is left is matched among the leftovers on full scores
(cooldown pairs allowed there), and a last odd member joins the group where they add the
most: one trio, nobody dropped."""

import numpy as np
import rustworkx
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from bot.rounds.scoring import (
    BASE,
    NEVER,
    Group,
    Matching,
    MatchSettings,
    Member,
    MemberIndex,
    history_terms,
    index_members,
    pair_indices,
    pair_scores,
    score_groups,
    scored_blocks,
)

WEIGHT_SCALE = 100  # rustworkx wants integer weights: scores to 1/100 of a point


def candidate_graph(
    index: MemberIndex, history: dict[frozenset[str], int], settings: MatchSettings
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

    blocks = scored_blocks(index, np.arange(n), history, settings, reverse=False, then=best_of)
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


def exact_matching(n: int, left: np.ndarray, right: np.ndarray, weight: np.ndarray) -> list[tuple[int, int]]:
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
    bound = float((top - np.asarray(graph[everyone[taken], successor[taken]]).ravel()).sum()) / 2
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


def _cooldown_edges(index: MemberIndex, history, settings: MatchSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    left, right = pair_indices(index, (tuple(pair) for pair, ago in history.items() if ago < settings.cooldown_rounds))
    once = left < right
    left, right = left[once], right[once]
    weight = pair_scores(index, left, right) + history_terms(index, history, settings, left, right)
    allowed = np.isfinite(weight)
    return left[allowed], right[allowed], weight[allowed]


def _fill_leftovers(
    index: MemberIndex, pairs: list[tuple[int, int]], history, settings: MatchSettings
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
        weight = pair_scores(index, i, j) + history_terms(index, history, settings, i, j)
        allowed = np.isfinite(weight)
        if allowed.any():  # as many of them as possible in pairs, then the best such pairs
            for a, b in exact_matching(len(left_out), la[allowed], lb[allowed], weight[allowed]):
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
    members: list[Member], history: dict[frozenset[str], int] | None = None, settings: MatchSettings = MatchSettings()
) -> Matching:
    """Coffee chats: everyone in pairs, one trio if the count is odd. `history` maps a pair
    of user ids to how many rounds ago they met (0: the last round)."""
    history = history or {}
    members = sorted(members, key=lambda m: m.user_id)  # the same input always gives the same groups
    if len(members) < 2:
        return Matching(groups=(), total=0.0, unmatched=tuple(m.user_id for m in members))
    index = index_members(members)
    left, right, weight = candidate_graph(index, history, settings)
    bound = None
    if len(members) <= settings.exact_limit:
        # Pairs within the cooldown join the graph at a cost that only someone's having no
        # group at all outweighs: the matching's cardinality comes first.
        cl, cr, cw = _cooldown_edges(index, history, settings)
        pairs = exact_matching(
            len(members), np.concatenate([left, cl]), np.concatenate([right, cr]), np.concatenate([weight, cw])
        )
    else:
        pairs, bound = doubled_matching(len(members), left, right, weight)
    filled = _fill_leftovers(index, pairs, history, settings)
    alone = tuple(sorted(index.members[ids[0]].user_id for ids in filled if len(ids) == 1))
    groups = score_groups(index, [ids for ids in filled if len(ids) > 1], history, settings, reverse=False)
    groups.sort(key=lambda group: group.members)
    return Matching(groups=tuple(groups), total=sum(g.score for g in groups), bound=bound, unmatched=alone)


def pair_reverse(
    members: list[Member], history: dict[frozenset[str], int] | None = None, settings: MatchSettings = MatchSettings()
) -> Matching:
    """Reverse mentoring: each early-career member teaches a senior one something the
    senior wants. Exact (a bipartite assignment); those nobody fits are `unmatched`."""
    history = history or {}
    members = sorted(members, key=lambda m: m.user_id)
    index = index_members(members)
    juniors, seniors = np.flatnonzero(index.juniors), np.flatnonzero(index.seniors)
    if not len(juniors) or not len(seniors):
        return Matching(groups=(), total=0.0, unmatched=tuple(m.user_id for m in members))
    # Costs: a pair costs `top` less its score, staying alone costs `alone`, so much more that
    # the assignment makes as many pairs as it can first, then the best ones.
    top = BASE * 50
    alone = top + len(juniors) * top
    rows, cols, costs = [], [], []
    for block, score in scored_blocks(index, juniors, history, settings, reverse=True):
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
    groups = score_groups(index, chosen, history, settings, reverse=True)
    groups.sort(key=lambda group: group.members)
    paired = {user_id for group in groups for user_id in group.members}
    unmatched = tuple(sorted(m.user_id for m in members if m.user_id not in paired))
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
