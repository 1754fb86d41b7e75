"""Rounds: recurring coffee chats and monthly reverse mentoring. Who is in them, when
they happen, and running one: members -> matching engine -> groups recorded, with an
introduction queued for each group in the same transaction."""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import Enum
from typing import Protocol

from bot import matching
from bot.errors import InvalidInput

PAUSED_UNTIL_RESUMED = date(9999, 12, 31)
MAX_PAUSE = timedelta(days=366)
HISTORY_ROUNDS = 24  # rounds looked back on: the cooldown, and "met before" beyond it
LATE_START = timedelta(days=1)  # a round the scheduler missed still runs within this
_DURATION = re.compile(r"^(\d{1,3})\s*([dw])$")

FIRST_QUESTIONS = (
    "What's something you've changed your mind about at work this year?",
    "What are you trying to get better at right now, and what's in the way?",
    "What's a piece of advice you were given that turned out to be right?",
    "What does a good week look like for you?",
    "What's something your team does that others could learn from?",
    "What would you do with an extra hour a week at work?",
)


class RoundKind(str, Enum):
    COFFEE = "coffee"
    REVERSE = "reverse"

    @property
    def label(self) -> str:
        return "coffee chats" if self is RoundKind.COFFEE else "reverse mentoring"


def round_kind(word: str) -> RoundKind:
    try:
        return RoundKind(word.strip().casefold())
    except ValueError:
        raise InvalidInput("Say which: `coffee` (coffee chats) or `reverse` (reverse mentoring).") from None


def parse_pause(text: str, today: date) -> date:
    """`/mentor pause`, `pause 2w`, `pause 10d` or `pause 2026-12-24`: the last day paused."""
    text = text.strip().casefold()
    if not text:
        return PAUSED_UNTIL_RESUMED
    duration = _DURATION.match(text)
    if duration:
        amount, unit = int(duration.group(1)), duration.group(2)
        if amount == 0:
            raise InvalidInput("Pause for at least a day, like `1d` or `2w`.")
        until = today + timedelta(days=amount * (7 if unit == "w" else 1)) - timedelta(days=1)
    else:
        try:
            until = date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(
                "Pause for a while (`2w`, `10d`), until a date (`2026-12-24`), or leave it empty."
            ) from None
    if until < today:
        raise InvalidInput("That date has passed: pick one from today on.")
    if until - today > MAX_PAUSE:
        raise InvalidInput("Pause for at most a year; you can always resume earlier.")
    return until


@dataclass(frozen=True)
class Schedule:
    """When a workspace's rounds happen: its settings, else these defaults."""

    every_weeks: int = 2  # coffee: 1, 2 or 4
    weekday: int = 0  # coffee: Monday
    hour: int = 10  # both kinds
    zone: tzinfo | None = None  # the workspace's zone; None: UTC


def _slot(day: date, schedule: Schedule) -> datetime:
    return datetime.combine(day, time(schedule.hour), tzinfo=schedule.zone or timezone.utc)


def is_round_day(kind: RoundKind, day: date, schedule: Schedule) -> bool:
    if kind is RoundKind.COFFEE:
        weeks_since_epoch = (day.toordinal() - 1) // 7  # 0001-01-01 was a Monday
        return day.weekday() == schedule.weekday and weeks_since_epoch % schedule.every_weeks == 0
    first = day.replace(day=1)
    while first.weekday() >= 5:
        first += timedelta(days=1)
    return day == first  # reverse: the first weekday of the month


def local_day(moment: datetime, schedule: Schedule) -> date:
    return moment.astimezone(schedule.zone or timezone.utc).date()


def notice_due(kind: RoundKind, now: datetime, schedule: Schedule) -> date | None:
    """The date of the next round when its members should hear about it now: from the
    same hour the day before until it starts."""
    for ahead in (0, 1):
        day = local_day(now + timedelta(days=ahead), schedule)
        if is_round_day(kind, day, schedule) and _slot(day, schedule) - timedelta(days=1) <= now < _slot(day, schedule):
            return day
    return None


def checkin_after(schedule: Schedule) -> timedelta:
    """Halfway through the cadence, in whole days: a weekly round checks in after 3 days."""
    return timedelta(days=max(1, schedule.every_weeks * 7 // 2))


def checkin_due(now: datetime, schedule: Schedule) -> date | None:
    """The date of the coffee round whose groups should be asked "Did you meet?" now."""
    day = local_day(now - checkin_after(schedule), schedule)
    start = _slot(day, schedule) + checkin_after(schedule)
    if is_round_day(RoundKind.COFFEE, day, schedule) and start <= now < start + LATE_START:
        return day
    return None


class CheckinOutcome(str, Enum):
    MET = "met"
    SCHEDULED = "scheduled"
    NOT_THIS_TIME = "not_this_time"

    @property
    def label(self) -> str:
        return {"met": "We met", "scheduled": "Scheduled", "not_this_time": "Not this time"}[self.value]


QUIET_INTROS = 3  # introductions in a row left without any answer before Mentor pauses someone


class Learned(str, Enum):
    """What one side of a reverse-mentoring pair says they learned, asked at month end."""

    A_LOT = "a_lot"
    SOMETHING = "something"
    NOT_MUCH = "not_much"
    DID_NOT_MEET = "did_not_meet"

    @property
    def label(self) -> str:
        return {"a_lot": "A lot", "something": "Something", "not_much": "Not much", "did_not_meet": "We didn't meet"}[
            self.value
        ]


def month_end_due(now: datetime, schedule: Schedule) -> date | None:
    """On the last weekday of a month, from the round hour on: the first day of that month,
    whose reverse-mentoring pairs are asked what they learned."""
    today = local_day(now, schedule)
    last = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    while last.weekday() >= 5:
        last -= timedelta(days=1)
    if today != last or not _slot(today, schedule) <= now < _slot(today, schedule) + LATE_START:
        return None
    return today.replace(day=1)


def due_round(kind: RoundKind, now: datetime, schedule: Schedule) -> date | None:
    """The date of a round that should have started by `now` (and not long before)."""
    for days_back in range(2):
        day = (now - LATE_START * days_back).astimezone(schedule.zone or now.tzinfo).date()
        if is_round_day(kind, day, schedule):
            slot = _slot(day, schedule)
            if slot <= now < slot + LATE_START:
                return day
    return None


@dataclass(frozen=True)
class Membership:
    in_coffee: bool = False
    in_reverse: bool = False
    paused_until: date | None = None

    def paused_on(self, today: date) -> bool:
        return self.paused_until is not None and self.paused_until >= today


@dataclass(frozen=True)
class PlannedGroup:
    members: tuple[str, ...]
    proposer: str
    teaching: tuple[tuple[str, str, tuple[str, ...]], ...]  # (teacher, learner, skill labels)
    reasons: tuple[str, ...]
    question: str


@dataclass(frozen=True)
class Introduction:
    """What a group's introduction shows, read when it is sent: objectives as they are then."""

    kind: RoundKind
    group: PlannedGroup
    objectives: dict[str, str]


@dataclass(frozen=True)
class RoundRun:
    kind: RoundKind
    held_on: date
    created: bool  # False: this round had already been run
    groups: int = 0
    members: int = 0
    unmatched: tuple[str, ...] = ()
    paused: tuple[str, ...] = ()  # left QUIET_INTROS introductions unanswered: paused and told


class RoundRepository(Protocol):
    def membership(self, team_id: str, user_id: str) -> Membership: ...
    def set_opt_in(self, team_id: str, user_id: str, kind: RoundKind, joined: bool) -> None: ...
    def set_paused(self, team_id: str, user_id: str, until: date | None) -> None: ...
    def available(self, team_id: str, kind: RoundKind, today: date) -> list[matching.Member]: ...
    def labels(self, team_id: str) -> dict[str, str]: ...
    def history(self, team_id: str, kind: RoundKind, rounds: int) -> dict[frozenset[str], int]: ...
    def proposals(self, team_id: str, user_ids: list[str]) -> dict[str, int]: ...
    def record(
        self,
        team_id: str,
        kind: RoundKind,
        held_on: date,
        now: datetime,
        groups: list[PlannedGroup],
        unmatched: tuple[str, ...],
    ) -> bool: ...
    def is_recorded(self, team_id: str, kind: RoundKind, held_on: date) -> bool: ...
    def quiet_members(self, team_id: str, before: date, count: int) -> list[str]: ...
    def pause_quiet(self, team_id: str, user_ids: list[str], held_on: date, now: datetime) -> None: ...


def join(rounds: RoundRepository, team_id: str, user_id: str, kind: RoundKind) -> Membership:
    rounds.set_opt_in(team_id, user_id, kind, True)
    return rounds.membership(team_id, user_id)


def leave(rounds: RoundRepository, team_id: str, user_id: str, kind: RoundKind) -> Membership:
    rounds.set_opt_in(team_id, user_id, kind, False)
    return rounds.membership(team_id, user_id)


def pause(rounds: RoundRepository, team_id: str, user_id: str, text: str, today: date) -> Membership:
    rounds.set_paused(team_id, user_id, parse_pause(text, today))
    return rounds.membership(team_id, user_id)


def resume(rounds: RoundRepository, team_id: str, user_id: str) -> Membership:
    rounds.set_paused(team_id, user_id, None)
    return rounds.membership(team_id, user_id)


def _first_question(members: tuple[str, ...], held_on: date) -> str:
    digest = hashlib.sha256(f"{held_on.isoformat()}:{','.join(members)}".encode()).digest()
    return FIRST_QUESTIONS[digest[0] % len(FIRST_QUESTIONS)]


def plan_groups(
    result: matching.Matching, labels: dict[str, str], proposals: dict[str, int], held_on: date
) -> list[PlannedGroup]:
    """The engine's groups as the introductions will show them. The one asked to propose a
    time is whoever has been asked least so far (then by id): everyone's turn comes."""
    planned = []
    for group in result.groups:
        if len(group.members) < 2:
            continue
        proposer = min(group.members, key=lambda user_id: (proposals.get(user_id, 0), user_id))
        proposals[proposer] = proposals.get(proposer, 0) + 1
        planned.append(
            PlannedGroup(
                members=group.members,
                proposer=proposer,
                teaching=tuple(
                    (t.teacher, t.learner, tuple(labels.get(key, key) for key in t.skills)) for t in group.teaching
                ),
                reasons=group.reasons,
                question=_first_question(group.members, held_on),
            )
        )
    return planned


def run_round(
    rounds: RoundRepository,
    team_id: str,
    kind: RoundKind,
    held_on: date,
    now: datetime,
    settings: matching.MatchSettings = matching.MatchSettings(),
) -> RoundRun:
    """Pair everyone available and record the round with its introductions queued; a
    round already recorded for this workspace, kind and date is left as it is. Coffee
    members who left QUIET_INTROS introductions in a row without a word are paused first,
    and told so."""
    if rounds.is_recorded(team_id, kind, held_on):
        return RoundRun(kind, held_on, created=False)
    quiet: list[str] = []
    if kind is RoundKind.COFFEE:
        quiet = rounds.quiet_members(team_id, held_on, QUIET_INTROS)
        rounds.pause_quiet(team_id, quiet, held_on, now)
    members = rounds.available(team_id, kind, held_on)
    history = rounds.history(team_id, kind, HISTORY_ROUNDS)
    pair = matching.pair_members if kind is RoundKind.COFFEE else matching.pair_reverse
    result = pair(members, history, settings)
    proposals = rounds.proposals(team_id, [m.user_id for m in members])
    planned = plan_groups(result, rounds.labels(team_id), proposals, held_on)
    if not rounds.record(team_id, kind, held_on, now, planned, result.unmatched):
        raise RoundAlreadyRecorded()  # another process got there first: roll this one back
    return RoundRun(
        kind, held_on, True, len(planned), sum(len(g.members) for g in planned), result.unmatched, tuple(quiet)
    )


class RoundAlreadyRecorded(Exception):
    """Raised inside the transaction so that nothing this run wrote (pauses) is kept."""
