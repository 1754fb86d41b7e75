"""Choosing who hears about an ask: a pure function, with the reasons for every choice.

Hard rules first: the asker, members who left, paused members, members at their
capacity (asks they accepted that still hold a slot) and members with MAX_PENDING_REQUESTS
requests still unanswered are never asked. Among the rest the score spreads the load (fewer recent
asks first), prefers working hours that overlap the asker's, gives a little back to
people the asker has helped (give and take), keeps continuity with a mentor who
already helped on this skill, and otherwise prefers a mentor the asker does not
already lean on for other skills (one mentor per skill).
"""

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

WORKDAY_HOURS = 8


MIN_OVERLAP_HOURS = 2


BASE_SCORE = 100.0


PER_RECENT_ASK = -8.0


PER_OVERLAP_HOUR = 2.0


LITTLE_OVERLAP = -30.0


HELPED_BY_ASKER = 10.0


CONTINUITY = 25.0


ALREADY_MENTOR_ELSEWHERE = -15.0


PER_SPARE_SLOT = 1.0


# Requests a mentor may have waiting for their answer at once, apart from their capacity:
# a request she has not seen yet is not help she is giving, so it must not make her look
# full (issue 20), but a mentor away for a week should not come back to a pile of them.
# Three is the fan-out's worth: one ask's whole round could reach her while she is away.
MAX_PENDING_REQUESTS = 3


@dataclass(frozen=True)
class MentorCandidate:
    """A member who offers the skill, with what the ranking needs to know about them."""

    user_id: str
    capacity: int
    helping: int = 0  # asks they accepted that still hold one of their capacity slots
    pending: int = 0  # requests that reached them and wait for their answer, on asks still open
    recent_asks: int = 0  # asks sent to them in the recent window
    utc_offset_hours: float | None = None
    paused_until: date | None = None
    deactivated: bool = False
    helped_by_asker: bool = False  # the asker has mentored them before
    helped_asker_on_skill: bool = False  # they mentored the asker on this skill before
    mentors_asker_on: tuple[str, ...] = ()  # other skills (labels) they mentored the asker on


@dataclass(frozen=True)
class RankedMentor:
    user_id: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Ranking:
    chosen: tuple[RankedMentor, ...]  # best first
    excluded: dict[str, str] = field(default_factory=dict)  # user id -> why not

    @property
    def busy(self) -> tuple[str, ...]:
        """Those excluded only for now: at capacity or with requests waiting (see `busy`).
        With `chosen` empty, everyone who could take the ask once they free up."""
        return tuple(sorted(user_id for user_id, why_not in self.excluded.items() if busy(why_not)))


def overlap_hours(offset_a: float, offset_b: float) -> float:
    """Shared hours of two 9-to-5 days, given each side's UTC offset in hours."""
    difference = abs(offset_a - offset_b) % 24
    difference = min(difference, 24 - difference)
    return max(0.0, WORKDAY_HOURS - difference)


def _exclusion(candidate: MentorCandidate, asker_id: str, today: date) -> str | None:
    if candidate.user_id == asker_id:
        return "is the asker"
    if candidate.deactivated:
        return "has left the workspace"
    if candidate.paused_until is not None and candidate.paused_until >= today:
        return f"paused until {candidate.paused_until.isoformat()}"
    if candidate.capacity <= 0:
        return "takes no questions"
    if candidate.helping >= candidate.capacity:
        return f"at capacity (helping with {candidate.helping} of {candidate.capacity})"
    if candidate.pending >= MAX_PENDING_REQUESTS:
        return f"{candidate.pending} requests waiting for their answer"
    return None


def busy(why_not: str) -> bool:
    """Whether an exclusion is one that passes: at capacity or with requests waiting, as
    opposed to being the asker, gone or paused. An ask whose offerers are all busy waits."""
    return why_not.startswith("at capacity") or why_not.endswith("waiting for their answer")


def _overlap_term(candidate: MentorCandidate, asker_offset: float | None) -> tuple[float, float | None]:
    if asker_offset is None or candidate.utc_offset_hours is None:
        return 0.0, None
    hours = overlap_hours(asker_offset, candidate.utc_offset_hours)
    return (LITTLE_OVERLAP if hours < MIN_OVERLAP_HOURS else PER_OVERLAP_HOUR * hours), hours


def _points(
    recent: int, helping: int, capacity: int, overlap: float, continuity: bool, elsewhere: bool, helped_by_asker: bool
) -> float:
    total = BASE_SCORE + PER_RECENT_ASK * recent + overlap + PER_SPARE_SLOT * (capacity - helping)
    if continuity:
        total += CONTINUITY
    elif elsewhere:
        total += ALREADY_MENTOR_ELSEWHERE
    if helped_by_asker:
        total += HELPED_BY_ASKER
    return total


def score(candidate: MentorCandidate, asker_offset: float | None) -> float:
    """The candidate's score for an ask (higher is better). It only falls as recent
    asks or accepted asks grow, which lets rank_offerers skip counting for most members.
    (Pending requests are among the recent asks, so they lower it too.)"""
    return _points(
        candidate.recent_asks,
        candidate.helping,
        candidate.capacity,
        _overlap_term(candidate, asker_offset)[0],
        candidate.helped_asker_on_skill,
        bool(candidate.mentors_asker_on),
        candidate.helped_by_asker,
    )


def reasons(candidate: MentorCandidate, asker_offset: float | None) -> tuple[str, ...]:
    """The score's parts in words, in the order `score` adds them."""
    said = [f"{candidate.recent_asks} recent asks" if candidate.recent_asks else "no recent asks"]
    _, hours = _overlap_term(candidate, asker_offset)
    if hours is not None:
        said.append(f"{'only ' if hours < MIN_OVERLAP_HOURS else ''}{hours:g}h of shared working hours")
    if candidate.helped_asker_on_skill:
        said.append("helped the asker with this skill before")
    elif candidate.mentors_asker_on:
        said.append("already the asker's mentor for " + ", ".join(candidate.mentors_asker_on))
    if candidate.helped_by_asker:
        said.append("the asker has helped them before")
    spare = candidate.capacity - candidate.helping
    said.append(f"{spare} of {candidate.capacity} slots free")
    if candidate.pending:
        said.append(f"{candidate.pending} requests waiting for their answer")
    return tuple(said)


def rank_mentors(
    candidates: list[MentorCandidate],
    asker_id: str,
    today: date,
    asker_utc_offset_hours: float | None = None,
    limit: int | None = None,
) -> Ranking:
    """Rank the members who offer a skill for one ask; ties go to the fewest recent asks,
    then to the user id, so the same inputs always give the same order."""
    excluded: dict[str, str] = {}
    scored: list[tuple[float, int, str, MentorCandidate]] = []
    for candidate in candidates:
        why_not = _exclusion(candidate, asker_id, today)
        if why_not is not None:
            excluded[candidate.user_id] = why_not
            continue
        scored.append((-score(candidate, asker_utc_offset_hours), candidate.recent_asks, candidate.user_id, candidate))
    best = heapq.nsmallest(limit, scored) if limit is not None else sorted(scored)
    chosen = tuple(
        RankedMentor(user_id, -negative, reasons(candidate, asker_utc_offset_hours))
        for negative, _, user_id, candidate in best
    )
    return Ranking(chosen=chosen, excluded=excluded)


@dataclass(frozen=True, slots=True)
class Offerer:
    """What is known about a member who offers the skill before counting their asks."""

    user_id: str
    capacity: int
    utc_offset_hours: float | None
    paused_until: date | None
    deactivated: bool
    recently_asked: bool  # an ask was sent to them within the recent window


@dataclass(frozen=True)
class History:
    """The asker's history with one member."""

    helped_by_asker: bool = False
    mentored_asker_on: tuple[tuple[str, str], ...] = ()  # (skill key, label) they helped the asker with


def rank_offerers(
    offerers: list[Offerer],
    history: dict[str, History],
    count_asks: Callable[[list[str]], dict[str, tuple[int, int, int]]],
    skill_key: str,
    asker_id: str,
    today: date,
    asker_utc_offset_hours: float | None = None,
    limit: int | None = None,
) -> Ranking:
    """rank_mentors over everyone who offers a skill, counting asks only where it can matter.

    Counting each member's recent, accepted and pending asks is the costly part in a large
    workspace. A member not asked within the recent window has none of them, so their
    score is known at once. The others score at most as if they had one recent ask and
    none accepted; only those whose best case reaches the current top `limit` are counted
    (by `count_asks`: user ids -> (recent asks, accepted asks holding a slot, pending
    requests)). The result is the same as rank_mentors over everyone fully counted;
    tests/unit/test_ranking.py checks it. With `limit` and nothing chosen, every eligible
    member was counted, so `Ranking.busy` names everyone who is only busy."""
    nothing = History()
    overlaps: dict[float | None, float] = {}
    # (continuity, a mentor elsewhere, helped by the asker) for the few with a history
    flags = {
        user_id: (
            any(key == skill_key for key, _ in known.mentored_asker_on),
            any(key != skill_key for key, _ in known.mentored_asker_on),
            known.helped_by_asker,
        )
        for user_id, known in history.items()
    }
    no_flags = (False, False, False)

    def overlap(offset: float | None) -> float:
        if offset not in overlaps:
            probe = MentorCandidate(user_id="", capacity=0, utc_offset_hours=offset)
            overlaps[offset] = _overlap_term(probe, asker_utc_offset_hours)[0]
        return overlaps[offset]

    def candidate(offerer: Offerer, recent: int, helping: int, pending: int) -> MentorCandidate:
        known = history.get(offerer.user_id, nothing)
        return MentorCandidate(
            user_id=offerer.user_id,
            capacity=offerer.capacity,
            helping=helping,
            pending=pending,
            recent_asks=recent,
            utc_offset_hours=offerer.utc_offset_hours,
            paused_until=offerer.paused_until,
            deactivated=offerer.deactivated,
            helped_by_asker=known.helped_by_asker,
            helped_asker_on_skill=any(key == skill_key for key, _ in known.mentored_asker_on),
            mentors_asker_on=tuple(label for key, label in known.mentored_asker_on if key != skill_key),
        )

    def best_case(offerer: Offerer, recent: int) -> float | None:
        """The score with `recent` asks and none open; None for members never eligible."""
        if (
            offerer.user_id == asker_id
            or offerer.deactivated
            or offerer.capacity <= 0
            or (offerer.paused_until is not None and offerer.paused_until >= today)
        ):
            return None
        return _points(
            recent, 0, offerer.capacity, overlap(offerer.utc_offset_hours), *flags.get(offerer.user_id, no_flags)
        )

    if limit is None:
        counts = count_asks([o.user_id for o in offerers if o.recently_asked])
        everyone = [candidate(o, *counts.get(o.user_id, (0, 0, 0))) for o in offerers]
        return rank_mentors(everyone, asker_id, today, asker_utc_offset_hours)

    quiet = []
    for offerer in offerers:
        if not offerer.recently_asked:
            points = best_case(offerer, 0)
            if points is not None:
                quiet.append((-points, offerer.user_id, offerer))
    leaders = heapq.nsmallest(limit, quiet)
    bar = -leaders[-1][0] if len(leaders) == limit else float("-inf")
    contenders = []
    for offerer in offerers:
        if offerer.recently_asked:
            points = best_case(offerer, 1)
            if points is not None and points >= bar:
                contenders.append(offerer)
    counts = count_asks([o.user_id for o in contenders]) if contenders else {}
    finalists = [candidate(offerer, 0, 0, 0) for _, _, offerer in leaders]
    finalists += [candidate(o, *counts.get(o.user_id, (0, 0, 0))) for o in contenders]
    return rank_mentors(finalists, asker_id, today, asker_utc_offset_hours, limit)
