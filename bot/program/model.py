"""A workspace's program: its settings, set by admins in `/mentor settings`, and the
figures admins see of whether mentoring works, as aggregates only.

Nothing here names a member or quotes what anyone wrote: figures count people and
outcomes, and a follow-up's outcome counts only when its mentee chose "Let it count"."""

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import InvalidInput
from bot.followups.model import DEFAULT_FOLLOWUP_DAYS
from bot.program.disclosure import Answers
from bot.rounds.model import Program, RoundKind

CADENCES = {1: "Every week", 2: "Every 2 weeks", 4: "Every 4 weeks"}


GROUP_SIZES = {2: "Pairs", 3: "Threes", 4: "Fours", 5: "Fives", 6: "Sixes"}


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


MAX_ASK_TIMEOUT_HOURS = 168


CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,31}$")


@dataclass(frozen=True)
class ProgramSettings:
    """Every setting with its default: a workspace whose admins never saved any uses these."""

    coffee_every_weeks: int = 2
    coffee_weekday: int = 0  # Monday
    round_hour: int = 10  # in `time_zone`
    time_zone: str | None = None  # an IANA name; None: UTC
    followup_days: int = DEFAULT_FOLLOWUP_DAYS
    ask_timeout_hours: int = 48
    program_channel: str | None = None  # where each round's figures are announced
    reverse_enabled: bool = True
    guests_included: bool = False  # guests may take part; members of the workspace only by default
    coffee_group_size: int = 2  # 2 to 6 (bot.rounds.grouping.group_sizes): pairs, threes, …


@dataclass(frozen=True)
class FixedSettings:
    """Settings the deployment fixes for every workspace, over what its admins save (issue 19):
    MENTOR_ASK_TIMEOUT_HOURS (hours) and MENTOR_FOLLOWUP_DAYS (days); None where it fixes nothing."""

    ask_timeout_hours: int | None = None
    followup_days: int | None = None

    def applied(self, settings: ProgramSettings) -> ProgramSettings:
        """`settings` as they apply: the fixed values over the workspace's own."""
        return replace(
            settings,
            ask_timeout_hours=settings.ask_timeout_hours if self.ask_timeout_hours is None else self.ask_timeout_hours,
            followup_days=settings.followup_days if self.followup_days is None else self.followup_days,
        )

    def kept(self, chosen: ProgramSettings, saved: ProgramSettings) -> ProgramSettings:
        """What to save of `chosen`: a fixed value is not in the modal, so the workspace's own
        (`saved`) stays as it was, for the day the deployment stops fixing it."""
        return replace(
            chosen,
            ask_timeout_hours=chosen.ask_timeout_hours if self.ask_timeout_hours is None else saved.ask_timeout_hours,
            followup_days=chosen.followup_days if self.followup_days is None else saved.followup_days,
        )


class SettingsFormErrors(ValueError):
    """The form has mistakes; `errors` maps a SettingsField to what to fix there."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


def canonical_zone(name: str) -> str | None:
    """`name` when it is an IANA zone this machine knows, else None."""
    if not re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", name) or len(name) > 64:
        return None
    try:
        return str(ZoneInfo(name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


DEFAULT_PERIOD_DAYS = 90


MAX_PERIOD_DAYS = 731


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
    """One program's figures over a period (issue 21: stats per program)."""

    program: Program
    opted_in: int  # members in it now, whether paused or not
    rounds: int  # rounds held in the period
    participants: int  # distinct members introduced in the period
    groups: int
    # Coffee chats and mentoring: the check-ins' answers ("did you meet?"), one per group, and
    # who gave them; reverse mentoring: what each side said it learned ("we didn't meet" among
    # them). Shown only through the rule of bot.program.disclosure.
    answers: Answers = field(default_factory=Answers)
    # {"sent": thank-yous sent after meeting, for groups of the period's rounds}, and their
    # senders: how many, never what they said nor who (the same rule).
    thanks: Answers = field(default_factory=Answers)

    @property
    def asks_learned(self) -> bool:
        """Its `answers` say what people learned (reverse mentoring), not whether they met."""
        return self.program.kind is RoundKind.REVERSE


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
    programs: tuple[RoundFigures, ...]  # each program of the workspace, archived too, as it lists them
    asks_made: int
    asks_matched: int
    asks_waiting: int  # still open (or waiting for a skill) at the end of the period
    median_to_help: timedelta | None
    followups_sent: int
    loops_closed: Answers  # {"closed": follow-ups answered}, and the mentees who answered
    outcomes: Answers  # counted outcomes only ("Let it count"), and the mentees who let them
    # {"gave": members who said "I can help" and were introduced, "received": members whose ask
    # found a mentor, "both": members who did both}; people: those who did either.
    helpers: Answers
    gaps: tuple[SkillDemand, ...]
    pending_intros: int  # round introductions queued, not yet sent

    def of(self, key: str) -> RoundFigures:
        """The figures of the program keyed `key`. Raises KeyError for a key it has none of."""
        for figures in self.programs:
            if figures.program.key == key:
                return figures
        raise KeyError(key)

    @property
    def reciprocity(self) -> float | str:
        """Of the members who gave or received help through asks, the share who did both; or
        why it is not shown (bot.program.disclosure)."""
        return self.helpers.read(lambda counts: counts.get("both", 0) / self.helpers.people)
