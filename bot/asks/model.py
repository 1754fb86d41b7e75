"""Asks: a member's specific question, routed to the few people best placed to answer."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.errors import InvalidInput
from bot.members.model import Skill, is_forgotten
from bot.text import clean_paragraphs

MAX_QUESTION_LENGTH = 2000


GIVE_FIRST_AFTER_ASKS = 3


# A question a mentor can act on says what the asker is trying to do: at least this many
# words and characters, #tags left out (see too_short).
MIN_QUESTION_WORDS = 3
MIN_QUESTION_CHARACTERS = 15


_TAG_OR_SPACE = re.compile(r"(?<![\w&<])#\S+|\s+")


class AskStatus(str, Enum):
    NEEDS_SKILL = "needs_skill"  # no skill recognized yet: the asker picks one
    OPEN = "open"  # candidates notified, nobody accepted yet
    QUEUED = "queued"  # everyone who offers the skill is busy: it waits, until its deadline, for one to free up
    MATCHED = "matched"  # a mentor said "I can help"
    UNANSWERED = "unanswered"  # nobody could take it
    CANCELLED = "cancelled"  # the asker withdrew it


class CandidateStatus(str, Enum):
    NOTIFIED = "notified"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CLOSED = "closed"  # someone else accepted, the ask was cancelled or expired, or the DM failed


@dataclass(frozen=True)
class AskPolicy:
    """How asks travel: the fan-out is the deployment's (MENTOR_ASK_FANOUT); the timeout each
    workspace's admins set (bot.program.model), unless MENTOR_ASK_TIMEOUT_HOURS fixes it for all."""

    fanout: int = 3
    timeout: timedelta = timedelta(hours=48)
    # Asks sent to a mentor within this window count as "recent" when spreading the load.
    recent_window: timedelta = timedelta(days=30)
    # An accepted ask keeps one of the mentor's capacity slots for this long. A matched ask
    # never closes (the pair go on in their group DM, and the follow-up may be turned off),
    # so help is taken to last two weeks; the slot frees itself after that.
    busy_after_accepting: timedelta = timedelta(days=14)

    def __post_init__(self):
        # Ranking skips counting for members not asked within the recent window; that is
        # exact only if every ask they could still hold open was sent within it.
        if self.recent_window < self.busy_after_accepting + 2 * self.timeout:
            raise ValueError("recent_window must cover busy_after_accepting plus an ask's whole life")


@dataclass(frozen=True)
class ChannelPost:
    """An ask posted in the program channel for anyone to pick up (issue 20): where, whether
    without the asker's name, and the message's ts once it is in Slack."""

    channel: str
    anonymous: bool
    ts: str | None = None


@dataclass(frozen=True)
class Ask:
    id: int
    team_id: str
    asker_id: str
    question: str
    skill: Skill | None
    status: AskStatus
    created_at: datetime
    deadline_at: datetime | None = None
    widened: bool = False
    mentor_id: str | None = None
    matched_at: datetime | None = None
    post: ChannelPost | None = None  # posted in the program channel, when the asker chose to
    retry_of: int | None = None  # the ask that closed unanswered and this one tries again


@dataclass(frozen=True)
class Notification:
    """One candidate's DM about an ask, so that it can be updated later."""

    user_id: str
    channel: str | None
    message_ts: str | None


def introduced(ask: Ask) -> str | None:
    """Whom an accepted ask's introduction brings together, as conversations.open takes them
    (and the outbox stores them): the asker and the mentor who took it. None when nobody took
    it, or either of them has asked Mentor to forget them."""
    mentor_id = ask.mentor_id
    if mentor_id is None or is_forgotten(ask.asker_id) or is_forgotten(mentor_id):
        return None
    return f"{ask.asker_id},{mentor_id}"


def too_short(question: str) -> bool:
    """Whether a question is too short for a mentor to act on: under MIN_QUESTION_WORDS words
    or under MIN_QUESTION_CHARACTERS characters once its #tags are left out and its spaces
    collapsed. Both rules apply: "x #sql" (one word) and "SQL help pls" (12 characters) fail."""
    words = _TAG_OR_SPACE.sub(" ", question).split()
    return len(words) < MIN_QUESTION_WORDS or len(" ".join(words)) < MIN_QUESTION_CHARACTERS


def clean_question(text: str) -> str:
    """The question as stored, or InvalidInput when it is empty, too short to act on, or too long."""
    question = clean_paragraphs(text or "")
    if not question:
        raise InvalidInput(
            "Add your question after `/mentor ask`, like `/mentor ask How do I review a big pull request?`"
        )
    if len(question) > MAX_QUESTION_LENGTH:
        raise InvalidInput(
            f"Your question is {len(question):,} characters; keep it under {MAX_QUESTION_LENGTH:,} "
            "so a busy colleague can read it at a glance."
        )
    if too_short(question):
        raise InvalidInput(
            "Your question is too short for a colleague to help with. Say what you're trying "
            "to do and where you're stuck, in a sentence, like “How do I find duplicate rows in a big "
            "SQL table?”."
        )
    return question
