"""Program figures for admins: whether mentoring works, as aggregates only.

Nothing here names a member or quotes what anyone wrote: figures count people and
outcomes, and a follow-up's outcome counts only when its mentee chose "Let it count"."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.errors import InvalidInput
from bot.followups import Outcome
from bot.rounds import CheckinOutcome, Learned, RoundKind

DEFAULT_PERIOD_DAYS = 90
MAX_PERIOD_DAYS = 731
GAPS_SHOWN = 10
_PERIOD = re.compile(r"^(\d{1,3})\s*([dwm])$")
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30}


@dataclass(frozen=True)
class Period:
    """The last `days` days up to `end`."""

    end: datetime
    days: int = DEFAULT_PERIOD_DAYS

    @property
    def start(self) -> datetime:
        return self.end - timedelta(days=self.days)

    @property
    def first_day(self) -> date:
        return self.start.date()

    def describe(self) -> str:
        return f"the last {self.days} days ({self.first_day:%d %b %Y} to {self.end:%d %b %Y})"


def month_start(day: date, months_back: int) -> date:
    """The first day of the month `months_back` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def parse_period(text: str, now: datetime) -> Period:
    """`90d`, `12w`, `6m` (months of 30 days) or nothing (the last 90 days)."""
    text = text.strip().casefold()
    if not text:
        return Period(now)
    found = _PERIOD.match(text)
    days = int(found.group(1)) * _UNIT_DAYS[found.group(2)] if found else 0
    if not 1 <= days <= MAX_PERIOD_DAYS:
        raise InvalidInput(
            f"Say how far back to look, like `30d`, `12w` or `6m` (up to {MAX_PERIOD_DAYS} days); "
            f"with nothing, the last {DEFAULT_PERIOD_DAYS} days."
        )
    return Period(now, days)


@dataclass(frozen=True)
class RoundFigures:
    kind: RoundKind
    opted_in: int  # members in it now, whether paused or not
    rounds: int  # rounds held in the period
    participants: int  # distinct members introduced in the period
    groups: int
    # Coffee: the check-ins' answers, per group; reverse: what each side said it learned.
    answers: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SkillDemand:
    label: str
    wants: int
    offers: int

    @property
    def gap(self) -> int:
        return self.wants - self.offers


@dataclass(frozen=True)
class ProgramFigures:
    period: Period
    members: int  # with a profile, not gone from the workspace
    coffee: RoundFigures
    reverse: RoundFigures
    asks_made: int
    asks_matched: int
    asks_waiting: int  # still open (or waiting for a skill) at the end of the period
    median_to_help: timedelta | None
    followups_sent: int
    loops_closed: int
    outcomes: dict[str, int]  # counted outcomes only ("Let it count")
    givers: int  # members who said "I can help" and were introduced
    receivers: int  # members whose ask found a mentor
    both: int  # members who did both
    gaps: tuple[SkillDemand, ...]
    pending_intros: int  # round introductions queued, not yet sent

    @property
    def reciprocity(self) -> float | None:
        """Of the members who gave or received help through asks, the share who did both."""
        active = self.givers + self.receivers - self.both
        return self.both / active if active else None


def share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def duration(value: timedelta | None) -> str:
    if value is None:
        return "–"
    hours = value.total_seconds() / 3600
    if hours < 1:
        return f"{max(1, round(hours * 60))} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


OUTCOME_LABELS = {outcome.value: outcome.label for outcome in Outcome}
CHECKIN_LABELS = {outcome.value: outcome.label for outcome in CheckinOutcome}
LEARNED_LABELS = {learned.value: learned.label for learned in Learned}


def figure_rows(figures: ProgramFigures) -> list[tuple[str, str]]:
    """Every figure as (name, value), in the order people read them: for the CSV export."""
    coffee, reverse = figures.coffee, figures.reverse
    rows = [
        ("period_start", figures.period.first_day.isoformat()),
        ("period_end", figures.period.end.date().isoformat()),
        ("members_with_a_profile", figures.members),
        ("coffee_opted_in", coffee.opted_in),
        ("coffee_rounds", coffee.rounds),
        ("coffee_participants", coffee.participants),
        ("coffee_intros", coffee.groups),
        *((f"coffee_checkin_{value}", coffee.answers.get(value, 0)) for value in CHECKIN_LABELS),
        ("reverse_opted_in", reverse.opted_in),
        ("reverse_rounds", reverse.rounds),
        ("reverse_participants", reverse.participants),
        ("reverse_pairs", reverse.groups),
        *((f"reverse_learned_{value}", reverse.answers.get(value, 0)) for value in LEARNED_LABELS),
        ("asks_made", figures.asks_made),
        ("asks_matched", figures.asks_matched),
        ("asks_waiting", figures.asks_waiting),
        (
            "median_hours_to_i_can_help",
            "" if figures.median_to_help is None else f"{figures.median_to_help.total_seconds() / 3600:.2f}",
        ),
        ("followups_sent", figures.followups_sent),
        ("loops_closed", figures.loops_closed),
        *((f"outcome_{value}_counted", figures.outcomes.get(value, 0)) for value in OUTCOME_LABELS),
        ("members_who_gave_help", figures.givers),
        ("members_who_received_help", figures.receivers),
        ("members_who_did_both", figures.both),
        ("pending_intros", figures.pending_intros),
    ]
    rows += [(f"skill_gap:{gap.label}", f"{gap.wants} want / {gap.offers} offer") for gap in figures.gaps]
    return [(name, str(value)) for name, value in rows]
