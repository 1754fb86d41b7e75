"""When rounds happen: a program's cadence, the cycle each round belongs to, and the days
of notices, rounds, check-ins and month-end questions, each in the program's time zone (its
own, or the workspace's)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.program.model import WEEKDAYS, canonical_zone
from bot.rounds.model import MONTHLY, Program

LATE_START = timedelta(days=1)  # a round the scheduler missed still runs within this

# A pair needs this long to meet before being asked what they learned: a round younger than
# this at a month's end is asked at the next month's end instead.
TIME_TO_MEET = timedelta(days=14)

# Round days are at most this far apart (monthly first weekdays: up to 33 days; every 4 weeks: 28).
_LONGEST_CYCLE = 35


@dataclass(frozen=True)
class Schedule:
    """When a program's rounds happen: its cadence, at its hour (0 to 23) in its zone."""

    every_weeks: int = 2  # 1, 2 or 4; MONTHLY (0): the first weekday of each month
    weekday: int = 0  # Monday; unused when MONTHLY
    hour: int = 10
    zone: tzinfo | None = None  # None: UTC

    def of(self, program: Program) -> "Schedule":
        """`program`'s schedule, this one being the workspace's: its cadence, at its own hour
        and in its own zone where it has them (issue 21), else at this hour and zone. A value
        out of range (a row no form checked) keeps this one's."""
        zone = canonical_zone(program.time_zone) if program.time_zone else None
        return Schedule(
            every_weeks=program.every_weeks if program.every_weeks in (MONTHLY, 1, 2, 4) else self.every_weeks,
            weekday=program.weekday if 0 <= program.weekday < len(WEEKDAYS) else self.weekday,
            hour=program.hour if program.hour is not None and 0 <= program.hour <= 23 else self.hour,
            zone=ZoneInfo(zone) if zone is not None else self.zone,
        )


def starts_at(day: date, schedule: Schedule) -> datetime:
    """When a round held on `day` starts: the schedule's hour that day, in its zone."""
    return datetime.combine(day, time(schedule.hour), tzinfo=schedule.zone or UTC)


def hour_and_zone(schedule: Schedule) -> str:
    """The hour rounds start, in words: "09:00 America/New_York", "10:00 UTC"."""
    return f"{schedule.hour:02d}:00 {schedule.zone or UTC}"


def day_and_hour(start: datetime) -> str:
    """When a round starts (starts_at), in words: "Monday 7 December at 09:00 America/New_York"."""
    return f"{start:%A %-d %B} at {start:%H:%M} {start.tzinfo or UTC}"


def is_round_day(day: date, schedule: Schedule) -> bool:
    if schedule.every_weeks != MONTHLY:
        weeks_since_epoch = (day.toordinal() - 1) // 7  # 0001-01-01 was a Monday
        return day.weekday() == schedule.weekday and weeks_since_epoch % schedule.every_weeks == 0
    first = day.replace(day=1)
    while first.weekday() >= 5:
        first += timedelta(days=1)
    return day == first


def local_day(moment: datetime, schedule: Schedule) -> date:
    return moment.astimezone(schedule.zone or UTC).date()


def notice_due(now: datetime, schedule: Schedule) -> date | None:
    """The date of the next round when its members should hear about it now: from the
    same hour the day before until it starts."""
    for ahead in (0, 1):
        day = local_day(now + timedelta(days=ahead), schedule)
        start = starts_at(day, schedule)
        if is_round_day(day, schedule) and start - timedelta(days=1) <= now < start:
            return day
    return None


def how_often(schedule: Schedule) -> str:
    """How often the rounds come, in words: "every week", "every two weeks", "every four
    weeks", or "each month"."""
    if schedule.every_weeks == MONTHLY:
        return "each month"
    return {1: "every week", 2: "every two weeks", 4: "every four weeks"}.get(
        schedule.every_weeks, f"every {schedule.every_weeks} weeks"
    )


def when(schedule: Schedule) -> str:
    """When the rounds come, in words, with their hour and zone: "every week on Mondays at
    09:00 America/New_York", "each month on its first weekday at 10:00 UTC"."""
    if schedule.every_weeks == MONTHLY:
        day = "on its first weekday"
    else:
        day = f"on {WEEKDAYS[schedule.weekday]}s" if schedule.weekday < len(WEEKDAYS) else "on a weekend day"
    return f"{how_often(schedule)} {day} at {hour_and_zone(schedule)}"


def checkin_after(schedule: Schedule) -> timedelta:
    """Halfway through the cadence, in whole days: a weekly round checks in after 3 days, a
    monthly one after 14."""
    weeks = 4 if schedule.every_weeks == MONTHLY else schedule.every_weeks
    return timedelta(days=max(1, weeks * 7 // 2))


def checkins_between(now: datetime, schedule: Schedule) -> tuple[datetime, datetime]:
    """(after, up to): rounds recorded in this span are halfway to their next round now,
    whether the scheduler ran them or an admin did, on a date of the cadence or not."""
    halfway = now - checkin_after(schedule)
    return halfway - LATE_START, halfway


def month_end_between(now: datetime) -> tuple[datetime, datetime]:
    """(after, up to): at a month's end, the reverse rounds recorded in this span have had
    TIME_TO_MEET, and the later of them had less at the month's end before (asked once: the
    outbox keeps each question to one)."""
    met_by = now - TIME_TO_MEET
    return met_by - timedelta(days=62), met_by


def month_end_due(now: datetime, schedule: Schedule) -> bool:
    """True on the last weekday of a month, from the round hour on (for LATE_START): when
    reverse-mentoring pairs who have had TIME_TO_MEET are asked what they learned."""
    today = local_day(now, schedule)
    last = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    while last.weekday() >= 5:
        last -= timedelta(days=1)
    start = starts_at(today, schedule)
    return today == last and start <= now < start + LATE_START


def due_round(now: datetime, schedule: Schedule) -> date | None:
    """The date of a round that should have started by `now` (and not long before)."""
    for days_back in range(2):
        day = (now - LATE_START * days_back).astimezone(schedule.zone or now.tzinfo).date()
        if is_round_day(day, schedule):
            start = starts_at(day, schedule)
            if start <= now < start + LATE_START:
                return day
    return None


def _round_day_on_or_before(day: date, schedule: Schedule) -> date:
    while not is_round_day(day, schedule):
        day -= timedelta(days=1)
    return day


def next_round_day(day: date, schedule: Schedule) -> date:
    """The first date of the cadence after `day`."""
    day += timedelta(days=1)
    while not is_round_day(day, schedule):
        day += timedelta(days=1)
    return day


def cycle_of(day: date, schedule: Schedule) -> date:
    """The cycle a round held on `day` belongs to, named by its date of the cadence: the one
    nearest `day` (the earlier on a tie). A round run by hand the day before its scheduled
    date is that date's round, so the scheduler does not pair everyone again the next day;
    one run a few days after is the round of the cycle under way."""
    before = _round_day_on_or_before(day, schedule)
    after = next_round_day(day, schedule) if before != day else day
    return before if day - before <= after - day else after


def cycle_span(cycle: date, schedule: Schedule) -> tuple[date, date]:
    """(first, last) day whose rounds belong to the cycle of `cycle` (a date of the cadence):
    the days at least as near to it as to the dates before and after."""
    first = cycle - timedelta(days=_LONGEST_CYCLE)
    while cycle_of(first, schedule) != cycle:
        first += timedelta(days=1)
    last = cycle + timedelta(days=_LONGEST_CYCLE)
    while cycle_of(last, schedule) != cycle:
        last -= timedelta(days=1)
    return first, last
