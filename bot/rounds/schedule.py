"""When rounds happen: a workspace's cadence, and the days of notices, rounds, check-ins
and month-end questions, each in the workspace's time zone."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.rounds.model import RoundKind

LATE_START = timedelta(days=1)  # a round the scheduler missed still runs within this


@dataclass(frozen=True)
class Schedule:
    """When a workspace's rounds happen: its settings, else these defaults."""

    every_weeks: int = 2  # coffee: 1, 2 or 4
    weekday: int = 0  # coffee: Monday
    hour: int = 10  # both kinds
    zone: tzinfo | None = None  # the workspace's zone; None: UTC


def _slot(day: date, schedule: Schedule) -> datetime:
    return datetime.combine(day, time(schedule.hour), tzinfo=schedule.zone or UTC)


def is_round_day(kind: RoundKind, day: date, schedule: Schedule) -> bool:
    if kind is RoundKind.COFFEE:
        weeks_since_epoch = (day.toordinal() - 1) // 7  # 0001-01-01 was a Monday
        return day.weekday() == schedule.weekday and weeks_since_epoch % schedule.every_weeks == 0
    first = day.replace(day=1)
    while first.weekday() >= 5:
        first += timedelta(days=1)
    return day == first  # reverse: the first weekday of the month


def local_day(moment: datetime, schedule: Schedule) -> date:
    return moment.astimezone(schedule.zone or UTC).date()


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
