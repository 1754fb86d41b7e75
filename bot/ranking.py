"""Choosing who hears about an ask: a pure function, with the reasons for every choice.

Hard rules first: the asker, members who left, paused members and members at their
capacity are never asked. Among the rest the score spreads the load (fewer recent
asks first), prefers working hours that overlap the asker's, gives a little back to
people the asker has helped (give and take), keeps continuity with a mentor who
already helped on this skill, and otherwise prefers a mentor the asker does not
already lean on for other skills (one mentor per skill).
"""

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


@dataclass(frozen=True)
class MentorCandidate:
    """A member who offers the skill, with what the ranking needs to know about them."""

    user_id: str
    capacity: int
    open_asks: int = 0  # asks they are helping with or have been asked and not answered
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
    if candidate.open_asks >= candidate.capacity:
        return f"at capacity ({candidate.open_asks} of {candidate.capacity} open asks)"
    return None


def _score(candidate: MentorCandidate, asker_offset: float | None) -> tuple[float, tuple[str, ...]]:
    score, reasons = BASE_SCORE, []
    if candidate.recent_asks:
        score += PER_RECENT_ASK * candidate.recent_asks
        reasons.append(f"{candidate.recent_asks} recent asks")
    else:
        reasons.append("no recent asks")
    if asker_offset is not None and candidate.utc_offset_hours is not None:
        hours = overlap_hours(asker_offset, candidate.utc_offset_hours)
        if hours < MIN_OVERLAP_HOURS:
            score += LITTLE_OVERLAP
            reasons.append(f"only {hours:g}h of shared working hours")
        else:
            score += PER_OVERLAP_HOUR * hours
            reasons.append(f"{hours:g}h of shared working hours")
    if candidate.helped_asker_on_skill:
        score += CONTINUITY
        reasons.append("helped the asker with this skill before")
    elif candidate.mentors_asker_on:
        score += ALREADY_MENTOR_ELSEWHERE
        reasons.append("already the asker's mentor for " + ", ".join(candidate.mentors_asker_on))
    if candidate.helped_by_asker:
        score += HELPED_BY_ASKER
        reasons.append("the asker has helped them before")
    spare = candidate.capacity - candidate.open_asks
    score += PER_SPARE_SLOT * spare
    reasons.append(f"{spare} of {candidate.capacity} slots free")
    return score, tuple(reasons)


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
    scored: list[tuple[float, int, str, tuple[str, ...]]] = []
    for candidate in candidates:
        why_not = _exclusion(candidate, asker_id, today)
        if why_not is not None:
            excluded[candidate.user_id] = why_not
            continue
        score, reasons = _score(candidate, asker_utc_offset_hours)
        scored.append((score, candidate.recent_asks, candidate.user_id, reasons))
    scored.sort(key=lambda entry: (-entry[0], entry[1], entry[2]))
    chosen = tuple(RankedMentor(user_id, score, reasons) for score, _, user_id, reasons in scored)
    return Ranking(chosen=chosen[:limit] if limit is not None else chosen, excluded=excluded)
