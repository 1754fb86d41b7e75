"""Closing the loop: some days after a mentor helped (the workspace's delay, a week by
default), ask the mentee what happened when they used the advice, and carry the answer back
to the mentor.

A follow-up is a state machine. Every step is a pure function from one FollowUp to the
next, with the direct messages that step must send (Deliveries). Storage applies a step
only if the follow-up is still at the version the step was computed from, and writes
the deliveries in the same transaction under unique keys: however often the job runs,
and whatever crashes in between, each step happens once and each DM is sent once.

    SCHEDULED --due--> SENT --outcome--> ANSWERED (mentor told now, or after the note)
                        |--"Not yet"--> SNOOZED --due--> SENT (asked again in the prompt's thread)
                        `--no answer after two reminders--> UNANSWERED
    (mentor: "Ask how it went" moves the due time forward)
    once the mentor has heard: the pair write to each other in the follow-up's threads (relay_to)
    SCHEDULED, SENT or SNOOZED --the mentee turns follow-ups off--> CANCELLED
"""

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from enum import Enum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.deliveries import DeliveryKind
from bot.members.model import Skill
from bot.text import clean_paragraphs

DEFAULT_FOLLOWUP_DAYS = 7


MAX_FOLLOWUP_DAYS = 60


MAX_NOTE_LENGTH = 1000


WORKDAY_START = time(9)


WORKDAY_END = time(17)


class FollowUpStatus(str, Enum):
    SCHEDULED = "scheduled"  # waiting for its due time
    SENT = "sent"  # the mentee was asked; reminders follow
    ANSWERED = "answered"  # the mentee said how it went
    SNOOZED = "snoozed"  # "Not yet": ask again later
    UNANSWERED = "unanswered"  # no answer after the reminders
    CANCELLED = "cancelled"  # the mentee turned follow-ups off

    @property
    def open(self) -> bool:
        return self in (FollowUpStatus.SCHEDULED, FollowUpStatus.SENT, FollowUpStatus.SNOOZED)


class Outcome(str, Enum):
    HELPED = "helped"
    MIXED = "mixed"
    DIDNT_HELP = "didnt_help"
    NOT_RELEVANT = "not_relevant"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]

    @property
    def tells_mentor(self) -> bool:
        """Whether the mentor hears about it: "Not relevant" closes the loop quietly."""
        return self is not Outcome.NOT_RELEVANT


_OUTCOME_LABELS = {
    Outcome.HELPED: "It helped",
    Outcome.MIXED: "Mixed",
    Outcome.DIDNT_HELP: "Didn't help",
    Outcome.NOT_RELEVANT: "Not relevant",
}


NOT_YET = "not_yet"  # the fifth button: an answer that snoozes, not an outcome


class Purpose(str, Enum):
    """What a direct message of a follow-up is for; with the cycle, part of its unique key."""

    PROMPT = "prompt"  # to the mentee: how did it go?
    REMINDER = "reminder"  # to the mentee, at most twice per prompt
    REPORT = "report"  # to the mentor: the outcome, with the note if there is one
    NOTE = "note"  # to the mentor: a note that came after the report
    REPLY = "reply"  # to the mentee: the mentor's answer to the note (queued by older versions)
    RELAY = "relay"  # to one of the pair: what the other wrote in the follow-up's thread
    UPDATE = "prompt_update"  # the mentee's prompt, redrawn in place as things now stand

    @property
    def kind(self) -> DeliveryKind:
        """The outbox's kind of this DM."""
        return _DELIVERY_KINDS[self]


_DELIVERY_KINDS = {
    Purpose.PROMPT: DeliveryKind.FOLLOWUP_PROMPT,
    Purpose.REMINDER: DeliveryKind.FOLLOWUP_REMINDER,
    Purpose.REPORT: DeliveryKind.FOLLOWUP_REPORT,
    Purpose.NOTE: DeliveryKind.FOLLOWUP_NOTE,
    Purpose.REPLY: DeliveryKind.FOLLOWUP_REPLY,
    Purpose.RELAY: DeliveryKind.FOLLOWUP_RELAY,
    Purpose.UPDATE: DeliveryKind.FOLLOWUP_UPDATE,
}


@dataclass(frozen=True)
class Delivery:
    """A direct message a step decided to send. `key` is unique within the follow-up."""

    recipient: str
    purpose: Purpose
    key: str


@dataclass(frozen=True)
class FollowUpPolicy:
    delay: timedelta = timedelta(days=DEFAULT_FOLLOWUP_DAYS)
    remind_after: timedelta = timedelta(days=3)
    max_reminders: int = 2
    snooze: timedelta = timedelta(days=7)
    max_snoozes: int = 2
    # After an outcome is chosen, the mentor's DM waits this long for a note.
    note_wait: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class FollowUp:
    id: int
    team_id: str
    ask_id: int
    mentee_id: str
    mentor_id: str
    skill: Skill | None
    status: FollowUpStatus
    due_at: datetime | None  # when the job next acts on it; None when it waits on nobody
    helped_at: datetime  # when the mentor said "I can help"
    version: int = 0
    cycle: int = 0  # prompts sent so far (a snooze starts a new cycle)
    reminders: int = 0  # reminders sent in this cycle
    snoozes: int = 0
    outcome: Outcome | None = None
    # What people typed stays out of repr(), and so out of any log line that shows a follow-up.
    note: str = field(default="", repr=False)
    shared: bool = False  # the mentee lets the outcome count, anonymised, in program figures
    reported: bool = False  # the mentor's DM is on its way
    note_in_report: bool = False  # that DM carries the note; a later note gets its own DM
    mentor_reply: str = field(default="", repr=False)
    answered_at: datetime | None = None
    question: str = field(default="", repr=False)  # the mentee's own question, to remind them


@dataclass(frozen=True)
class Step:
    """A follow-up's next state and the DMs that go with it."""

    before: FollowUp
    after: FollowUp
    deliveries: tuple[Delivery, ...] = field(default_factory=tuple)


MENTOR_SIDE = "mentor:"  # prefixes a refusal's reason when the mentor is the one refused


class FollowUpRefused(Exception):
    """The member cannot do this to the follow-up (any more); `reason` says why, for the reply."""

    def __init__(self, reason: str, followup: FollowUp | None = None):
        super().__init__(reason)
        self.reason = reason
        self.followup = followup


# --- time -------------------------------------------------------------------------------
def member_zone(tz_name: str | None, utc_offset_seconds: int | None) -> tzinfo:
    """A member's time zone: their IANA zone from Slack (which knows about daylight saving),
    else the fixed offset Slack gave, else UTC."""
    if tz_name:
        try:
            return ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    if utc_offset_seconds is not None:
        return timezone(timedelta(seconds=utc_offset_seconds))
    return UTC


def _local(day: date, at: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


def next_working_time(after: datetime, zone: tzinfo) -> datetime:
    """The first moment at or after `after` that falls on a weekday between 9:00 and 17:00
    in `zone`, in UTC. Local times are resolved per day, so daylight saving is respected."""
    local = after.astimezone(zone)
    day = local.date()
    for _ in range(8):
        if day.weekday() < 5:
            start, end = _local(day, WORKDAY_START, zone), _local(day, WORKDAY_END, zone)
            if local < start:
                return start.astimezone(UTC)
            if local < end:
                return after.astimezone(UTC)
        day += timedelta(days=1)
        local = _local(day, time(0), zone)
    raise AssertionError("a week always has a weekday")


def working_time_after(moment: datetime, delay: timedelta, zone: tzinfo) -> datetime:
    """The first working moment `delay` after `moment`, the days counted on the member's own
    clock: a week after Friday 16:30 is the next Friday 16:30, summer time or not."""
    return next_working_time(moment.astimezone(zone) + delay, zone)


def first_due(helped_at: datetime, zone: tzinfo, policy: FollowUpPolicy) -> datetime:
    """When to ask first. A delay of zero means at once (for trying Mentor out)."""
    if not policy.delay:
        return helped_at.astimezone(UTC)
    return working_time_after(helped_at, policy.delay, zone)


def clean_note(text: str | None) -> str:
    """A note as stored: several lines of clean text, cut to the limit rather than lost."""
    note = clean_paragraphs(text or "")
    return note[:MAX_NOTE_LENGTH]


# --- steps -----------------------------------------------------------------------------
def _key(purpose: Purpose, *parts: int) -> str:
    return ":".join([purpose.value, *(str(part) for part in parts)])


def _prompt(followup: FollowUp, now: datetime, zone: tzinfo, policy: FollowUpPolicy) -> Step:
    cycle = followup.cycle + 1
    after = replace(
        followup,
        status=FollowUpStatus.SENT,
        cycle=cycle,
        reminders=0,
        due_at=working_time_after(now, policy.remind_after, zone),
    )
    return Step(followup, after, (Delivery(followup.mentee_id, Purpose.PROMPT, _key(Purpose.PROMPT, cycle)),))


def _reported(followup: FollowUp, after: FollowUp) -> Step:
    """The step that queues the mentor's DM, with the note if there is one by now."""
    after = replace(after, reported=True, note_in_report=bool(after.note), due_at=None)
    return Step(followup, after, (Delivery(followup.mentor_id, Purpose.REPORT, _key(Purpose.REPORT)),))


def due_step(followup: FollowUp, now: datetime, zone: tzinfo, policy: FollowUpPolicy) -> Step | None:
    """What the job does with a follow-up whose due time has come; None if nothing."""
    if followup.due_at is None or followup.due_at > now:
        return None
    if followup.status in (FollowUpStatus.SCHEDULED, FollowUpStatus.SNOOZED):
        return _prompt(followup, now, zone, policy)
    if followup.status is FollowUpStatus.SENT:
        if followup.reminders < policy.max_reminders:
            reminders = followup.reminders + 1
            after = replace(followup, reminders=reminders, due_at=working_time_after(now, policy.remind_after, zone))
            key = _key(Purpose.REMINDER, followup.cycle, reminders)
            return Step(followup, after, (Delivery(followup.mentee_id, Purpose.REMINDER, key),))
        after = replace(followup, status=FollowUpStatus.UNANSWERED, due_at=None)
        if followup.note:
            return _reported(followup, after)  # a note but never an answer: the note still goes
        return Step(followup, after)
    if followup.status is FollowUpStatus.ANSWERED and not followup.reported:
        return _reported(followup, followup)  # nobody added a note in time: the outcome alone
    return Step(followup, replace(followup, due_at=None))


def _own(followup: FollowUp, user_id: str) -> None:
    if user_id != followup.mentee_id:
        raise FollowUpRefused("not_yours", followup)


def answer(followup: FollowUp, user_id: str, choice: str, now: datetime, zone: tzinfo, policy: FollowUpPolicy) -> Step:
    """The mentee clicked one of the five buttons."""
    _own(followup, user_id)
    if followup.status is FollowUpStatus.ANSWERED:
        raise FollowUpRefused("already_answered", followup)
    if followup.status not in (FollowUpStatus.SENT, FollowUpStatus.SNOOZED):
        raise FollowUpRefused(followup.status.value, followup)
    if choice == NOT_YET:
        if followup.status is FollowUpStatus.SNOOZED:
            raise FollowUpRefused("already_snoozed", followup)
        if followup.snoozes >= policy.max_snoozes:
            raise FollowUpRefused("no_more_snoozes", followup)
        after = replace(
            followup,
            status=FollowUpStatus.SNOOZED,
            snoozes=followup.snoozes + 1,
            due_at=working_time_after(now, policy.snooze, zone),
        )
        return Step(followup, after)
    try:
        outcome = Outcome(choice)
    except ValueError:
        raise FollowUpRefused("unknown_choice", followup) from None
    after = replace(followup, status=FollowUpStatus.ANSWERED, outcome=outcome, answered_at=now, due_at=None)
    if not outcome.tells_mentor and not followup.note:
        return Step(followup, replace(after, reported=True))
    if followup.note:
        return _reported(followup, after)  # the note came first, in the thread: both go now
    return Step(followup, replace(after, due_at=now + policy.note_wait))


def add_note(followup: FollowUp, user_id: str, text: str | None, shared: bool | None) -> Step:
    """A note, from the modal or a reply in the prompt's thread. One note per follow-up;
    it goes with the mentor's DM, or after it if that DM has already left. A note before
    any outcome waits for one, and reaches the mentor even if none ever comes."""
    _own(followup, user_id)
    note = clean_note(text)
    if not note:
        raise FollowUpRefused("empty_note", followup)
    if followup.note:
        raise FollowUpRefused("note_already_sent", followup)
    accepting = (FollowUpStatus.SENT, FollowUpStatus.SNOOZED, FollowUpStatus.ANSWERED)
    if followup.status not in accepting or followup.outcome is Outcome.NOT_RELEVANT:
        raise FollowUpRefused(followup.status.value, followup)
    after = replace(followup, note=note, shared=followup.shared if shared is None else shared)
    if followup.status is not FollowUpStatus.ANSWERED:
        return Step(followup, after)  # kept until the mentee picks an outcome
    if not followup.reported:
        return _reported(followup, after)
    return Step(followup, after, (Delivery(followup.mentor_id, Purpose.NOTE, _key(Purpose.NOTE)),))


def report_now(followup: FollowUp, user_id: str) -> Step:
    """ "Send without a note": the mentor hears the outcome now."""
    _own(followup, user_id)
    if followup.status is not FollowUpStatus.ANSWERED:
        raise FollowUpRefused(followup.status.value, followup)
    if followup.reported:
        raise FollowUpRefused("already_reported", followup)
    return _reported(followup, followup)


def share(followup: FollowUp, user_id: str, shared: bool) -> Step:
    _own(followup, user_id)
    return Step(followup, replace(followup, shared=shared))


def ask_how_it_went(followup: FollowUp, user_id: str, now: datetime, zone: tzinfo) -> Step:
    """The mentor asks for the follow-up now: at the mentee's next working hour."""
    if user_id != followup.mentor_id:
        raise FollowUpRefused("not_the_mentor", followup)
    if followup.status not in (FollowUpStatus.SCHEDULED, FollowUpStatus.SNOOZED):
        raise FollowUpRefused(MENTOR_SIDE + followup.status.value, followup)
    due = next_working_time(now, zone)
    if followup.due_at is not None and followup.due_at <= due:
        return Step(followup, followup)
    return Step(followup, replace(followup, due_at=due))


def mentor_told(followup: FollowUp) -> bool:
    """Whether the mentor has heard from this follow-up (a quiet "Not relevant" tells nobody):
    from then on the pair may write to each other in its threads."""
    if not followup.reported:
        return False
    return followup.outcome is None or followup.outcome.tells_mentor or bool(followup.note)


def relay_to(followup: FollowUp, user_id: str, text: str | None) -> tuple[str, str]:
    """A message one of the pair wrote in a follow-up's thread (or the mentor's reply modal),
    once the mentor has heard how it went: (to whom it goes, the text as it goes). As many as
    they like; each reaches the other once, in their own thread. Raises FollowUpRefused."""
    if user_id not in (followup.mentee_id, followup.mentor_id):
        raise FollowUpRefused("not_yours", followup)
    if not mentor_told(followup):
        side = MENTOR_SIDE if user_id == followup.mentor_id else ""
        raise FollowUpRefused(side + followup.status.value, followup)
    message = clean_note(text)
    if not message:
        raise FollowUpRefused("empty_note", followup)
    other = followup.mentee_id if user_id == followup.mentor_id else followup.mentor_id
    return other, message


# What the mentee's prompt shows: when one of these changes, it is redrawn.
_SHOWN = ("status", "outcome", "note", "shared", "reported", "snoozes", "cycle")


def with_redraw(step: Step) -> Step:
    """The step, plus the prompt's redraw when the mentee would see a change there (and a
    prompt has gone out). Keyed by the version it leads to, so it is queued once per change;
    it draws the follow-up as it stands when sent, so a late one never shows an old state."""
    before, after = step.before, step.after
    if before.cycle == 0 or all(getattr(before, name) == getattr(after, name) for name in _SHOWN):
        return step
    redraw = Delivery(before.mentee_id, Purpose.UPDATE, _key(Purpose.UPDATE, before.version + 1))
    return replace(step, deliveries=(*step.deliveries, redraw))


def cancel(followup: FollowUp) -> Step | None:
    """Follow-ups turned off: stop asking. Answers already given stand."""
    if not followup.status.open:
        return None
    return Step(followup, replace(followup, status=FollowUpStatus.CANCELLED, due_at=None))


def still_wanted(followup: FollowUp, purpose: Purpose, key: str) -> bool:
    """Whether a queued DM should still go out when its turn comes: a prompt or reminder
    is pointless once the mentee has answered or the follow-up was cancelled."""
    if purpose in (Purpose.PROMPT, Purpose.REMINDER):
        return followup.status is FollowUpStatus.SENT and key.split(":")[1] == str(followup.cycle)
    if purpose is Purpose.UPDATE:
        return followup.cycle > 0
    return followup.reported
