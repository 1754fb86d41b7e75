"""The outbox sender: every direct message a state change queued (storage.followups and
storage.rounds write them in the same transaction as the change) is sent from here, once.

A sender claims one delivery at a time with a lease, renders it as things stand now,
posts it with the delivery's id in the message's metadata, and records its ts. Whenever
a delivery is tried a second time (its sender died, or Slack's answer left it unclear
whether the message went out), the sender first looks for that metadata in the
conversation and posts only if it is not there.
"""

import logging
import os
import socket
from datetime import date, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.followups import messages as followup_messages
from bot.followups.model import FollowUpPolicy, Purpose, still_wanted
from bot.members import messages as member_messages
from bot.members.model import is_forgotten
from bot.rounds import messages as round_messages
from bot.rounds.model import RoundKind
from handlers.deps import Deps
from storage.members import WELCOME_SUBJECT
from storage.outbox import Claimed
from storage.rounds import ANNOUNCE_SUBJECT, GROUP_SUBJECT, NOTICE_SUBJECT, UNMATCHED_SUBJECT

logger = logging.getLogger(__name__)

SENDER = f"{socket.gethostname()}:{os.getpid()}"  # who holds a claim: see gone()

LEASE = timedelta(minutes=10)  # longer than one delivery's calls, rate-limit waits included
MAX_ATTEMPTS = 5
METADATA_EVENT = "mentor_delivery"
HISTORY_LOOKBACK = 200  # messages of the DM searched for one a dead sender may have posted
# Errors that no retry can fix: the member cannot get DMs, or the app lost its access.
PERMANENT = {
    "user_disabled",
    "account_inactive",
    "user_not_found",
    "cannot_dm_bot",
    "user_not_visible",
    "not_authed",
    "invalid_auth",
    "token_revoked",
    "missing_scope",
    "channel_not_found",
    "is_archived",
    "not_in_channel",  # a private program channel Mentor was not invited to
}


def kick(deps: Deps, job=None) -> None:
    """Send what is queued now (or run `job`, such as a due-follow-ups run), off the
    listener's thread; a failure is logged and the scheduler's next run retries."""

    def run() -> None:
        try:
            (job or drain)(deps)
        except Exception as error:  # noqa: BLE001 - a thread of our own: log it
            logger.error("Sending queued DMs failed: %s", type(error).__name__, exc_info=error)

    deps.background.submit(run)


def drain(deps: Deps) -> int:
    """Send every delivery that is due; returns how many messages were posted."""
    posted = 0
    while True:
        now = deps.clock()
        # One at a time: a claim held while other deliveries are sent could outlive its lease.
        with deps.store.transaction() as repositories:
            claimed = repositories.outbox.claim(now, now + LEASE, 1, claimer=SENDER)
        if not claimed:
            return posted
        posted += _deliver(deps, claimed[0])


def _render_round(deps: Deps, claim: Claimed) -> tuple[dict, str] | None:
    """A round's DM: a group's introduction or check-in, a member's notice, pause or no match."""
    with deps.store.transaction() as repositories:
        rounds = repositories.rounds
        if claim.subject.startswith(GROUP_SUBJECT):
            group_id = int(claim.subject.removeprefix(GROUP_SUBJECT))
            if claim.purpose in ("checkin", "learned"):
                answer = rounds.checkin_answer(claim.team_id, group_id)
                members = tuple(user_id for user_id in answer[0] if not is_forgotten(user_id)) if answer else ()
                if len(members) < 2:
                    return None  # someone asked Mentor to forget them: nobody left to ask about
                if claim.purpose == "learned":
                    return round_messages.what_did_you_learn(group_id, claim.recipient, members), claim.recipient
                return round_messages.checkin(group_id, members, *answer[1:]), ",".join(members)
            intro = rounds.introduction(claim.team_id, group_id)  # without anyone who left meanwhile
            return (round_messages.introduction(intro), ",".join(intro.group.members)) if intro is not None else None
        if claim.subject.startswith(ANNOUNCE_SUBJECT):
            figures = rounds.announcement(claim.team_id, int(claim.subject.removeprefix(ANNOUNCE_SUBJECT)))
            return (round_messages.announcement(*figures), claim.recipient) if figures else None
        if claim.subject.startswith(UNMATCHED_SUBJECT):
            kind = RoundKind(claim.subject.removeprefix(UNMATCHED_SUBJECT).partition(":")[0])
            return round_messages.unmatched(kind), claim.recipient
        if claim.subject.startswith(NOTICE_SUBJECT):
            kind_text, _, day = claim.subject.removeprefix(NOTICE_SUBJECT).partition(":")
            kind, held_on = RoundKind(kind_text), date.fromisoformat(day)
            if rounds.is_recorded(claim.team_id, kind, held_on):
                return None  # too late to tell them it is coming
            return round_messages.notice(kind, held_on), claim.recipient
    return round_messages.quiet_paused(), claim.recipient  # QUIET_SUBJECT


def _render(deps: Deps, claim: Claimed) -> tuple[dict, str] | None:
    """The message as things stand now, and to whom (user ids joined by commas, or the
    program channel's id); None if it should no longer go out."""
    if claim.subject.startswith(WELCOME_SUBJECT):
        return member_messages.welcome(), claim.recipient
    if claim.followup_id is None:
        return _render_round(deps, claim)
    with deps.store.transaction() as repositories:
        followup = repositories.followups.get(claim.team_id, claim.followup_id)
    purpose = Purpose(claim.purpose)
    if followup is None or not still_wanted(followup, purpose, claim.key):
        return None
    now, policy = deps.clock(), FollowUpPolicy()
    message = {
        Purpose.PROMPT: lambda: followup_messages.prompt(followup, now, policy),
        Purpose.REMINDER: lambda: followup_messages.prompt(followup, now, policy, reminder=True),
        Purpose.REPORT: lambda: followup_messages.report(followup),
        Purpose.NOTE: lambda: followup_messages.note_added(followup),
        Purpose.REPLY: lambda: followup_messages.reply_from_mentor(followup),
    }[purpose]
    return message(), claim.recipient


def _already_posted(client: WebClient, channel: str, claim: Claimed) -> str | None:
    """The ts of a message in `channel` that an earlier try of this delivery posted, if any."""
    try:
        history = client.conversations_history(channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True)
    except SlackApiError as error:
        if error.response.get("error") != "missing_scope":
            raise
        # Installed before im:history was asked for: better a rare double than a lost DM.
        logger.warning("Cannot check for a DM already sent: reinstall Mentor to grant im:history")
        return None
    for message in history.get("messages", []):
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == METADATA_EVENT and payload.get("delivery") == claim.id:
            return message.get("ts")
    return None


def _deliver(deps: Deps, claim: Claimed) -> int:
    client = deps.client_for(claim.team_id)
    if client is None:
        with deps.store.transaction() as repositories:
            repositories.outbox.fail(claim, "not_installed")
        return 0
    rendered = _render(deps, claim)
    if rendered is None:
        with deps.store.transaction() as repositories:
            repositories.outbox.cancel(claim, "no_longer_needed")
        return 0
    message, recipient = rendered
    if claim.in_flight and is_channel(recipient):
        # A channel's history is not ours to read (no channels:history): after a crash that
        # may have posted it, an announcement is better missed than posted twice.
        with deps.store.transaction() as repositories:
            repositories.outbox.cancel(claim, "unknown_after_crash")
        return 0
    try:
        pace = deps.pacer.wait
        if is_channel(recipient):
            channel = recipient
        else:
            pace(claim.team_id, "conversations.open")
            channel = client.conversations_open(users=recipient)["channel"]["id"]
        ts = None
        if claim.attempts > 1 and not is_channel(recipient):
            pace(claim.team_id, "conversations.history")
            ts = _already_posted(client, channel, claim)
        if ts is None:
            metadata = {"event_type": METADATA_EVENT, "event_payload": {"delivery": claim.id}}
            pace(claim.team_id, "chat.postMessage")
            ts = _without_resends(client).chat_postMessage(channel=channel, metadata=metadata, **message)["ts"]
            posted = 1
        else:
            posted = 0
    except SlackApiError as error:
        code = str(error.response.get("error"))
        logger.warning("A %s DM (delivery %s) failed: %s", claim.purpose, claim.id, code)
        with deps.store.transaction() as repositories:
            if code in PERMANENT or claim.attempts >= MAX_ATTEMPTS:
                repositories.outbox.fail(claim, code)
            else:
                backoff = timedelta(minutes=2**claim.attempts)
                repositories.outbox.retry_later(claim, deps.clock() + backoff, code)
        return 0
    with deps.store.transaction() as repositories:
        repositories.outbox.sent(claim, channel, ts, deps.clock())
    return posted


def is_channel(recipient: str) -> bool:
    """A channel id (the program channel) rather than user ids to open a DM with."""
    return recipient[:1] in ("C", "G") and "," not in recipient


def _without_resends(client: WebClient) -> WebClient:
    """The client for posting: it waits out a 429 (nothing was posted) but does not resend
    after a broken connection, when Slack may have posted it; that case is left to the
    lease and the metadata check."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=[
            handler for handler in client.retry_handlers if isinstance(handler, RateLimitErrorRetryHandler)
        ],
    )


def gone(claimer: str | None) -> bool:
    """Whether the sender that holds a claim is a process of this machine that has ended."""
    host, _, pid = (claimer or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's, or unknown: its lease will tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's
    return False
