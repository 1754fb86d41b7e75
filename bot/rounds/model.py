"""Rounds: recurring coffee chats, monthly reverse mentoring, and mentoring by a category. The kinds of round, a
member's membership, pauses, and what a round produces: planned groups and introductions."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from bot.errors import InvalidInput
from bot.text import escape_mrkdwn

PAUSED_UNTIL_RESUMED = date(9999, 12, 31)


MAX_PAUSE = timedelta(days=366)


_DURATION = re.compile(r"^(\d{1,3})\s*([dw])$")


class RoundKind(str, Enum):
    COFFEE = "coffee"
    REVERSE = "reverse"
    # Bipartite by an admin's category ("Role: mentor, mentee"): each group is one member of
    # the program's mentor side with group_size - 1 of the other side (issue 21).
    MENTORING = "mentoring"

    @property
    def label(self) -> str:
        return {"coffee": "coffee chats", "reverse": "reverse mentoring", "mentoring": "mentoring"}[self.value]


class Intro(str, Enum):
    """Who a program introduces to whom, over its category (a member's team, an office, a role)."""

    ANYONE = "anyone"
    ACROSS = "across"  # everyone in a group from a different group of the category
    WITHIN = "within"  # everyone in a group from the same group of the category


MONTHLY = 0  # a program's every_weeks when its rounds are on the first weekday of each month


class ProgramStatus(str, Enum):
    ACTIVE = "active"
    PAUSED = "paused"  # no notices and no rounds until an admin resumes it; members stay in
    ARCHIVED = "archived"  # over: nobody can join it; its rounds stay in the figures


TEAM_CATEGORY = "team"  # the category every workspace has: the team on each member's profile


@dataclass(frozen=True)
class Program:
    """A program of rounds in a workspace (issue 21). `key` names it in `/mentor join <key>`
    and in its rounds, skips and DMs: "coffee" and "reverse" for the two every workspace
    has. Rounds come every `every_weeks` weeks (1, 2 or 4) on `weekday` (0 = Monday), or on
    the first weekday of each month (MONTHLY), at `hour` (0 to 23) in `time_zone` (an IANA
    name), each None for the workspace's (bot.rounds.schedule.Schedule.of). Groups of
    `group_size` (2 to 6), introduced by `intro` over `category` (None with Intro.ANYONE).
    Members of `channel` are in it: joining the channel joins the program. A MENTORING
    program's `category` says who is on which side: those who picked its option `mentor_side`
    mentor, those who picked another option are mentored."""

    key: str
    name: str
    kind: RoundKind = RoundKind.COFFEE
    every_weeks: int = 2
    weekday: int = 0
    group_size: int = 2
    intro: Intro = Intro.ANYONE
    category: str | None = None
    channel: str | None = None
    status: ProgramStatus = ProgramStatus.ACTIVE
    mentor_side: str | None = None
    hour: int | None = None
    time_zone: str | None = None

    @property
    def built_in(self) -> bool:
        """One of the two every workspace has, keyed by its kind; else one its admins made."""
        return self.key == self.kind.value

    @property
    def label(self) -> str:
        """How a sentence names it: "coffee chats" and "reverse mentoring" for the two every
        workspace has, a program of its admins' by the name they gave it."""
        return self.kind.label if self.built_in else self.name

    @property
    def grouped_by(self) -> str | None:
        """The category its intros need a member's group in; None for intros of anyone. A
        MENTORING program always needs it: a member's option in it is their side."""
        if self.kind is RoundKind.MENTORING:
            return self.category
        return None if self.intro is Intro.ANYONE else self.category


COFFEE = Program(RoundKind.COFFEE.value, "Coffee chats", RoundKind.COFFEE)
REVERSE = Program(RoundKind.REVERSE.value, "Reverse mentoring", RoundKind.REVERSE, every_weeks=MONTHLY)
BUILT_IN = (COFFEE, REVERSE)  # every workspace's two, keyed by their kinds; mentoring programs are its admins'


@dataclass(frozen=True)
class Category:
    """What members of a workspace are grouped by for intros across or within groups: an
    admin's ("Office": NYC, London, Remote), picked by each member with a button, or TEAM_CATEGORY,
    read from profiles (options: none to pick)."""

    key: str
    name: str
    options: tuple[str, ...] = ()


class UnknownProgram(InvalidInput):
    """No program the member may join has that key; `programs` are those they may."""

    def __init__(self, key: str, programs: tuple[Program, ...]):
        keys = ", ".join(f"`{program.key}` ({escape_mrkdwn(program.label)})" for program in programs)
        said = f"There's no program called `{escape_mrkdwn(key)}` here." if key else "Say which program."
        super().__init__(f"{said} Programs you can join: {keys}." if keys else f"{said} There are none right now.")
        self.key, self.programs = key, programs


class ChannelTaken(InvalidInput):
    """Another program of the workspace is already tied to that channel."""

    def __init__(self, channel: str):
        super().__init__(f"<#{channel}> already has a program: pick another channel, or archive that program first.")
        self.channel = channel


KEY_LENGTH = 16  # programs.key, rounds.kind: a program's key fits the columns that name it


def program_key(name: str, taken: set[str]) -> str:
    """The key a new program called `name` is joined by (`/mentor join <key>`): its words in
    lower case joined by hyphens, at most KEY_LENGTH characters, with a number added when
    another program of the workspace has it ("eng-nyc", "eng-nyc-2"). Never the key of the
    two programs every workspace has ("coffee", "reverse")."""
    plain = unicodedata.normalize("NFKD", name.casefold()).encode("ascii", "ignore").decode()  # "café": "cafe"
    words = re.findall(r"[a-z0-9]+", plain)
    base = "-".join(words)[:KEY_LENGTH].strip("-") or "program"
    key, number = base, 1
    while key in taken or key in {kind.value for kind in RoundKind}:
        number += 1
        suffix = f"-{number}"
        key = base[: KEY_LENGTH - len(suffix)].strip("-") + suffix
    return key


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


class CheckinOutcome(str, Enum):
    MET = "met"
    SCHEDULED = "scheduled"
    NOT_THIS_TIME = "not_this_time"

    @property
    def label(self) -> str:
        return {"met": "We met", "scheduled": "Scheduled", "not_this_time": "Not this time"}[self.value]


QUIET_INTROS = 3  # introductions in a row left without any answer before Mentor pauses someone


# A round this recent is still fresh: someone whose partner turns out to be gone can still be
# given a group in it. Three days is before any halfway check-in (three and a half days after
# a weekly round), and while a chat arranged by the introduction is still ahead.
FRESH_FOR = timedelta(days=3)


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

    @property
    def something(self) -> bool:
        """Enough to offer keeping the partner for another month: a pair continues only when
        both sides learned something."""
        return self in (Learned.A_LOT, Learned.SOMETHING)


@dataclass(frozen=True)
class MonthEndAnswer:
    """A month-end answer as recorded, and the partner the member may now choose to keep for
    the next round (None: not offered, as when they learned little or a newer round began)."""

    learned: Learned
    partner: str | None = None


@dataclass(frozen=True)
class Membership:
    """The programs a member is in, by key ("coffee", "reverse", …), and their pause."""

    programs: frozenset[str] = frozenset()
    paused_until: date | None = None

    def paused_on(self, today: date) -> bool:
        return self.paused_until is not None and self.paused_until >= today

    def is_in(self, program: Program) -> bool:
        return program.key in self.programs


@dataclass(frozen=True)
class Joined:
    program: Program
    membership: Membership
    others: tuple[Program, ...] = ()  # the other programs they are in

    @property
    def on_hold(self) -> bool:
        """The program's admins have paused it for now: they are in, and paired once it is back."""
        return self.program.status is ProgramStatus.PAUSED


@dataclass(frozen=True)
class Left:
    program: Program
    membership: Membership
    was_in: bool  # False: they had not joined, so nothing was left
    others: tuple[Program, ...] = ()  # the programs they are still in


@dataclass(frozen=True)
class PlannedGroup:
    members: tuple[str, ...]
    proposer: str
    teaching: tuple[tuple[str, str, tuple[str, ...]], ...]  # (teacher, learner, skill labels)
    reasons: tuple[str, ...]
    question: str
    continuing: bool = False  # a reverse pair who both chose to keep each other for another month
    mentor: str | None = None  # mentoring: the member of the group on the mentor side


@dataclass(frozen=True)
class Introduction:
    """What a group's introduction shows, read when it is sent: objectives as they are then."""

    program: Program
    group: PlannedGroup
    objectives: dict[str, str]
    joined: tuple[str, ...] = ()  # who joined the group after the round began: their partner was gone
    group_id: int | None = None  # the group's row, for its buttons ("Give us a question")


@dataclass(frozen=True)
class HeldGroup:
    """A group of a round already held, as it stands: `members` are those still in the
    workspace (someone Slack can no longer reach is left out)."""

    id: int
    round_id: int
    program: Program
    held_on: date
    members: tuple[str, ...]


@dataclass(frozen=True)
class Pairing:
    """A round group of a member's, as it stands, seen from that member: the partners still
    in the workspace, and who was introduced to help whom with what (teacher, learner,
    skill labels as the workspace spells them)."""

    program: Program
    held_on: date
    partners: tuple[str, ...]
    teaching: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class RoundsNow:
    """Where a member stands in rounds today: their membership, their pairings in the latest
    round of each program (when they were in it), when the next round of each program they
    are in starts (an aware datetime in that program's zone), and the programs they could
    join (`offered`: not archived, not theirs)."""

    membership: Membership
    current: tuple[Pairing, ...] = ()
    next_on: tuple[tuple[Program, datetime], ...] = ()
    on_hold: tuple[Program, ...] = ()  # programs they are in that the admins have paused
    joined: tuple[Program, ...] = ()  # every program they are in, as the workspace lists them
    offered: tuple[Program, ...] = ()
    picks: tuple["Pick", ...] = ()  # for each program they are in that groups by an admin's category


@dataclass(frozen=True)
class Pick:
    """A member's group in the admin's category a program introduces by: `option` of
    `category` ("Office": "NYC"), or None while they have not picked one."""

    program: Program
    category: Category
    option: str | None = None


@dataclass(frozen=True)
class PartnerGone:
    """What a member left alone in a group is told: who can no longer be reached, and the
    members of the group they joined instead (empty: none)."""

    program: Program
    gone: tuple[str, ...]
    joined: tuple[str, ...] = ()


class Unmatched(str, Enum):
    """Why nobody could be grouped with a member, as far as it can be told to them. Another
    member's never-list is never a reason given: it shows as NO_FIT."""

    TOO_FEW = "too_few"  # nobody else (reverse: nobody on the other side) was in the round
    OWN_NEVER_LIST = "own_never_list"  # everyone who could have been their partner is on their own never-list
    CAREER_STAGE = "career_stage"  # reverse: neither early-career nor senior
    NO_CATEGORY = "no_category"  # the program groups by a category they have not picked an option of
    NO_FIT = "no_fit"


@dataclass(frozen=True)
class RoundRun:
    program: Program
    held_on: date
    created: bool  # False: this round had already been run, or its cycle has one (`cycle_round`)
    groups: int = 0
    members: int = 0
    unmatched: tuple[str, ...] = ()
    paused: tuple[str, ...] = ()  # left QUIET_INTROS introductions unanswered: paused and told
    planned: tuple[PlannedGroup, ...] = ()  # the groups, as their introductions show them
    why_unmatched: tuple[Unmatched, ...] = ()  # beside `unmatched`, one each
    cycle_round: date | None = None  # not created: the date of the round its cycle already has
    score: float = 0.0  # the groups' total score (bot.rounds.scoring), kept pairs' not counted
    bound: float | None = None  # no grouping of these members scores more (None: not computed)


MAX_THANKS_LENGTH = 300  # a thank-you is a line or two, not a letter


@dataclass(frozen=True)
class Thanks:
    """A thank-you one member of a round's group sent another after they met: private to the
    two of them, unless its sender chose to also post it in the program channel (`shared`)."""

    id: int
    group_id: int
    program: Program
    sender_id: str
    receiver_id: str
    note: str
    shared: bool
    sent_at: datetime


@dataclass(frozen=True)
class ThanksForm:
    """What the "Say thanks" modal offers: the group's other members, and the program channel
    the sender may also post it in (None: the admins named none)."""

    group_id: int
    others: tuple[str, ...]
    channel: str | None


class RoundAlreadyRecorded(Exception):
    """Raised inside the transaction so that nothing this run wrote (pauses) is kept."""
