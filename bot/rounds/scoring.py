"""What a pair is worth in the matching engine of coffee chats and reverse mentoring
(solving, in bot/rounds/solving.py, uses these scores to make the groups).

Scores. A pair scores for every skill each side can teach the other (what one offers
and the other wants), more when it goes both ways, more for different teams and for a
life situation both chose to declare, less for little shared working time and for
having met long ago. Hard rules are missing edges: people a member never wants to be
paired with, and pairs that met within the cooldown (unless nothing else is left).

Speed. Scores are computed block by block with sparse products and NumPy, never a Python
loop over pairs: every pair up to `full_scoring_limit` members, the pairs within each cell
above it; history and never-lists are looked up as sorted pair keys. Solving keeps each
member's best `candidates_per_member` partners (the candidate graph).
"""

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

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
# and then as few as possible (solving counts them first: see bot/rounds/solving.py).
COOLDOWN_FALLBACK = -1000.0


# ... and the more recent, the more it costs: up to this much more for last round's pairs,
# falling evenly to nothing for a pair that met at the cooldown's far end. Less than
# COOLDOWN_FALLBACK's size less any pair's score, so one repeat more always costs more.
RECENT_REPEAT = -500.0


FORBIDDEN = -np.inf


BLOCK_ROWS = 1024


THREADS = 2


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
    # Above this many members, candidates come from cells of about cell_size members
    # (bot/rounds/solving.candidate_graph) instead of every pair.
    full_scoring_limit: int = 12_000
    cell_size: int = 4096
    # Odd rounds up to this many members try every trio (bot/rounds/solving.py): C(n, 3)
    # exact matchings, 455 at 15 members (150 ms); bench/matching.py measures the search above it.
    trio_exact_limit: int = 15


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
    # How many members the candidate graph left to the leftover pass (an odd one included):
    # that pass is never quadratic in them, and for a round of blank members they are few.
    leftover: int = 0


@dataclass
class MemberIndex:
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
    any_teams: bool
    juniors: np.ndarray
    seniors: np.ndarray
    position: dict[str, int] = field(default_factory=dict)
    met: "MetPairs | None" = None  # the last history read (met_pairs), kept for the round's other reads


@dataclass(frozen=True)
class MetPairs:
    """A round's history and never-lists as sorted pair keys (low * n + high, in member
    indices), so any list of pairs is looked up at once (np.searchsorted), never pair by pair."""

    source: dict[frozenset[str], int]  # the history read: a new one is read again
    keys: np.ndarray  # int64, sorted: pairs that met
    ago: np.ndarray  # rounds since each of those met (0: last round)
    never: np.ndarray  # int64, sorted: pairs one of whom never wants to meet the other


def index_members(members: list[Member]) -> MemberIndex:
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
    # The last id, len(offsets), is for an unknown zone (None).
    zone_of: dict[float | None, int] = {offset: z for z, offset in enumerate(offsets)}
    penalty = np.zeros((len(offsets) + 1, len(offsets) + 1), dtype=np.float32)
    for a, first in enumerate(offsets):
        for b, second in enumerate(offsets):
            difference = abs(first - second) % 24
            if max(0.0, 8.0 - min(difference, 24 - difference)) < MIN_OVERLAP_HOURS:
                penalty[a, b] = LITTLE_OVERLAP
    index = MemberIndex(
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
        any_teams=any(m.team for m in members),
        juniors=np.array([m.career_stage == EARLY for m in members]),
        seniors=np.array([m.career_stage in SENIOR_STAGES for m in members]),
        position={m.user_id: i for i, m in enumerate(members)},
    )
    index.people_points = _people_points(index)
    if index.person_kinds**2 > np.iinfo(np.int16).max:
        raise ValueError("too many distinct UTC offsets for the int16 people table")
    return index


def pair_keys(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """One int64 key per pair (i[k], j[k]) of member indices, the same either way round."""
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    return np.minimum(i, j) * n + np.maximum(i, j)


def met_pairs(index: MemberIndex, history: dict[frozenset[str], int]) -> MetPairs:
    """The history (pair of user ids -> rounds since they met) and the members' never-lists as
    sorted keys of pairs in this round; read once per history (kept on the index)."""
    if index.met is not None and index.met.source is history:
        return index.met
    n, position = len(index.members), index.position
    left, right, ago = [], [], []
    for pair, rounds in history.items():
        if len(pair) != 2:
            continue
        a, b = pair
        i, j = position.get(a), position.get(b)
        if i is not None and j is not None:
            left.append(i)
            right.append(j)
            ago.append(rounds)
    keys = pair_keys(n, np.array(left, dtype=np.int64), np.array(right, dtype=np.int64))
    order = np.argsort(keys, kind="stable")
    never_left, never_right = [], []
    for i, member in enumerate(index.members):
        for other in member.never:
            j = position.get(other)
            if j is not None and j != i:
                never_left.append(i)
                never_right.append(j)
    never = np.unique(pair_keys(n, np.array(never_left, dtype=np.int64), np.array(never_right, dtype=np.int64)))
    index.met = MetPairs(history, keys[order], np.array(ago, dtype=np.int64)[order], never)
    return index.met


def _look_up(sorted_keys: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(found, position) of each of `keys` in `sorted_keys`."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.int64)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys, at


def history_pairs(
    index: MemberIndex, history: dict[frozenset[str], int], settings: MatchSettings, recent: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) with i < j: the pairs of this round that met within the cooldown (`recent`), or
    longer ago."""
    met = met_pairs(index, history)
    inside = (met.ago < settings.cooldown_rounds) == recent
    n = len(index.members)
    return met.keys[inside] // n, met.keys[inside] % n


NEVER = np.int16(-30000)  # a forbidden pair in int16 blocks; -inf once scores are floats


def _skill_points(reverse: bool) -> np.ndarray:
    """Points for (skills i can teach j, skills j can teach i), each counted up to the cap."""
    counts = np.arange(MAX_SKILLS_COUNTED + 1)
    points = BASE + PER_SKILL * counts[:, None] + PER_SKILL * counts[None, :]
    points[1:, 1:] += RECIPROCAL if reverse else BOTH_WAYS
    return np.rint(points).astype(np.int16).ravel()


def _people_points(index: MemberIndex) -> np.ndarray:
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
    index: MemberIndex, teach: np.ndarray, taught: np.ndarray, i: np.ndarray, j: np.ndarray, reverse: bool
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


def _block_scores(index: MemberIndex, rows: np.ndarray, columns: np.ndarray, reverse: bool) -> np.ndarray:
    """int16 scores of `rows` against `columns`, without history: a dense block."""
    teach = (index.offers[rows] @ index.wants[columns].T).toarray()  # what each row can teach each column
    taught = (index.wants[rows] @ index.offers[columns].T).toarray()  # what each column can teach each row
    score = _terms(index, teach, taught, rows[:, None], columns[None, :], reverse)
    if index.any_teams:
        # The table gave every pair with teams the bonus for different ones; take it back
        # from those in the same team (a comparison per pair of the block: a list of such
        # pairs would be quadratic in a team's size, and one team may be everyone).
        teams = index.teams[rows][:, None]
        score -= np.int16(DIFFERENT_TEAMS) * ((teams == index.teams[columns][None, :]) & (teams > 0))
    return score


def pair_scores(index: MemberIndex, i: np.ndarray, j: np.ndarray, reverse: bool = False) -> np.ndarray:
    """Scores of the pairs (i[k], j[k]), without history, as floats (-inf: forbidden)."""
    teach = np.asarray(index.offers[i].multiply(index.wants[j]).sum(axis=1)).ravel()
    taught = np.asarray(index.wants[i].multiply(index.offers[j]).sum(axis=1)).ravel()
    score = _terms(index, teach, taught, i, j, reverse)
    score -= np.int16(DIFFERENT_TEAMS) * ((index.teams[i] == index.teams[j]) & (index.teams[i] > 0))
    score = score.astype(np.float64)
    score[score <= NEVER] = FORBIDDEN
    return score


def history_terms(
    index: MemberIndex, history: dict[frozenset[str], int], settings: MatchSettings, i: np.ndarray, j: np.ndarray
) -> np.ndarray:
    """For pairs (i[k], j[k]): never-pairs forbidden, a meeting within the cooldown costs
    COOLDOWN_FALLBACK and up to RECENT_REPEAT more the more recent it is, an older one
    MET_BEFORE."""
    terms, repeats, recency = history_parts(index, history, settings, i, j)
    return terms + repeats * (COOLDOWN_FALLBACK + RECENT_REPEAT * recency / max(settings.cooldown_rounds - 1, 1))


def history_parts(
    index: MemberIndex, history: dict[frozenset[str], int], settings: MatchSettings, i: np.ndarray, j: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """History of pairs (i[k], j[k]) in three parts, which the solver weighs one after the
    other: (forbidden for never-pairs or MET_BEFORE for a meeting older than the cooldown,
    else 0; 1 for a meeting within the cooldown, else 0; how recent such a meeting is, from
    0 for one at the cooldown's far end to cooldown_rounds - 1 for last round's)."""
    met = met_pairs(index, history)
    keys = pair_keys(len(index.members), i, j)
    found, at = _look_up(met.keys, keys)
    ago = np.where(found, met.ago[at] if len(met.ago) else 0, -1)
    cooldown = settings.cooldown_rounds
    within = found & (ago < cooldown)
    terms = np.where(found & ~within, MET_BEFORE, 0.0)
    terms[_look_up(met.never, keys)[0]] = FORBIDDEN
    repeats = within.astype(np.int64)
    recency = np.where(within, cooldown - 1 - np.maximum(ago, 0), 0).astype(np.int64)
    return terms, repeats, recency


def _apply_pairs(
    score: np.ndarray, rows: np.ndarray, columns: np.ndarray, pairs: tuple[np.ndarray, np.ndarray], value, add: bool
) -> None:
    """Set (or add) `value` at the pairs (row member, column member) that fall in the block
    of `rows` by `columns` (both sorted): positions found by binary search."""
    left, right = pairs
    if not len(left):
        return
    r = np.minimum(np.searchsorted(rows, left), len(rows) - 1)
    c = np.minimum(np.searchsorted(columns, right), len(columns) - 1)
    inside = (rows[r] == left) & (columns[c] == right)
    if add:
        np.add.at(score, (r[inside], c[inside]), value)
    else:
        score[r[inside], c[inside]] = value


Block = tuple[np.ndarray, np.ndarray]  # (rows, columns): member indices, each sorted


def scored_blocks(
    index: MemberIndex,
    blocks: Sequence[Block],
    history: dict[frozenset[str], int],
    settings: MatchSettings,
    reverse: bool,
    then=None,
):
    """For each block (rows, columns), where no two blocks share a row: (rows, columns,
    scores), with the hard rules and history applied, or `then` of that. Blocks are scored
    on THREADS threads (NumPy's and scipy's kernels let go of the GIL)."""
    n = len(index.members)
    block_of = np.full(n, -1, dtype=np.int64)
    for b, (rows, _) in enumerate(blocks):
        block_of[rows] = b

    def by_block(low: np.ndarray, high: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Both orientations of the pairs, split by the block of their first member."""
        left, right = np.concatenate([low, high]), np.concatenate([high, low])
        owner = block_of[left]
        order = np.argsort(owner, kind="stable")
        bounds = np.searchsorted(owner[order], np.arange(len(blocks) + 1))
        return [(left[order[a:z]], right[order[a:z]]) for a, z in zip(bounds[:-1], bounds[1:], strict=True)]

    met = met_pairs(index, history)
    older = by_block(*history_pairs(index, history, settings, recent=False))
    recent = by_block(*history_pairs(index, history, settings, recent=True))
    never = by_block(met.never // n, met.never % n)

    def score(b: int):
        rows, columns = blocks[b]
        scores = _block_scores(index, rows, columns, reverse)
        _apply_pairs(scores, rows, columns, older[b], np.int16(MET_BEFORE), add=True)
        _apply_pairs(scores, rows, columns, recent[b], NEVER, add=False)
        _apply_pairs(scores, rows, columns, never[b], NEVER, add=False)
        return then((rows, columns, scores)) if then else (rows, columns, scores)

    if len(blocks) == 1:
        yield score(0)
        return
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        yield from pool.map(score, range(len(blocks)))


def row_blocks(rows: np.ndarray, columns: np.ndarray) -> list[Block]:
    """`rows` (sorted) against all of `columns`, BLOCK_ROWS rows at a time."""
    return [(rows[start : start + BLOCK_ROWS], columns) for start in range(0, len(rows), BLOCK_ROWS)]


def _teaching(index: MemberIndex, ids: tuple[int, ...]) -> tuple[Teaching, ...]:
    said = []
    for i in ids:
        for j in ids:
            if i != j:
                a, b = index.members[i], index.members[j]
                skills = tuple(sorted(a.offers & b.wants))
                if skills:
                    said.append(Teaching(a.user_id, b.user_id, skills))
    return tuple(said)


# Said only of those with no round in history; the round's use case drops it for those who
# met otherwise (bot.rounds.services.said_reasons).
FIRST_MEETING = "first time meeting"


def _reasons(index: MemberIndex, ids: tuple[int, ...], history: dict[frozenset[str], int]) -> tuple[str, ...]:
    members = [index.members[i] for i in ids]
    said = []
    if len({m.team for m in members if m.team}) == len(members):
        said.append("different teams")
    if all(frozenset((a.user_id, b.user_id)) not in history for a in members for b in members if a != b):
        said.append(FIRST_MEETING)
    # A life situation in common counts in the score but is never said: naming it would
    # tell each what the other declared (bot/members/model.py).
    return tuple(said)


def score_groups(
    index: MemberIndex, groups: Sequence[tuple[int, ...]], history, settings: MatchSettings, reverse: bool
) -> list[Group]:
    """The groups with their scores (every pair in a group, scored in one go) and reasons."""
    pairs = [(g, a, b) for g, ids in enumerate(groups) for x, a in enumerate(ids) for b in ids[x + 1 :]]
    scores = np.zeros(len(groups))
    if pairs:
        g, i, j = (np.array(column, dtype=np.int64) for column in zip(*pairs, strict=True))
        values = pair_scores(index, i, j, reverse) + history_terms(index, history, settings, i, j)
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
