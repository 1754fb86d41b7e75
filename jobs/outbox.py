"""The outbox sender: every direct message (and program-channel post) a state change queued,
in the same transaction as the change, is sent from here, once. Ask DMs are the exception
for now: jobs/asks.py posts them itself, unless its ASK_DMS_THROUGH_OUTBOX is on.

A sender claims one delivery at a time with a lease, renders it as things stand now (its
kind picks the renderer, in RENDERERS), posts it with the delivery's id in the message's
metadata, and records its ts. Whenever a delivery is tried a second time (its sender died,
or Slack's answer left it unclear whether the message went out), the sender first looks
for that metadata in the conversation and posts only if it is not there.

Some kinds carry work of their own once their message is in Slack, or once it never will be
(HOOKS): an ask records its candidate's DM, or passes over a candidate Slack cannot reach.
That work is done in the transaction that records the delivery's outcome, and only by the
sender that still holds the claim.
"""

import logging
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.asks import messages as ask_messages
from bot.asks import services as ask_services
from bot.asks.model import Ask, AskStatus, CandidateStatus, Notification, introduced
from bot.deliveries import DeliveryKind
from bot.followups import messages as followup_messages
from bot.followups.model import FollowUp, FollowUpPolicy, Purpose, still_wanted
from bot.members import messages as member_messages
from bot.members.model import is_forgotten
from bot.rounds import messages as round_messages
from bot.rounds.model import RoundKind
from deps import Deps
from jobs.slack_errors import PERMANENT, UNREACHABLE
from storage.db import Repositories
from storage.outbox import Claimed

logger = logging.getLogger(__name__)

SENDER = f"{socket.gethostname()}:{os.getpid()}"  # who holds a claim: see gone()

LEASE = timedelta(minutes=10)  # longer than one delivery's calls, rate-limit waits included
MAX_ATTEMPTS = 5
METADATA_EVENT = "mentor_delivery"
HISTORY_LOOKBACK = 200  # messages of the DM searched for one a dead sender may have posted


def kick(deps: Deps, job: Callable[[Deps], object] | None = None) -> None:
    """Send what is queued now (or run `job`, such as a due-follow-ups run), off the
    listener's thread; a failure is logged and the scheduler's next run retries."""

    def run() -> None:
        try:
            (job or drain)(deps)
        except Exception as error:  # broad on purpose: a thread of our own: log it
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


# --- rendering: the message as things stand now, and to whom -------------------------------
Rendered = tuple[dict[str, Any], str]  # the message, and user ids joined by commas or the program channel's id
# None: the message should no longer go out.
Renderer = Callable[[Deps, Claimed], Rendered | None]
T = TypeVar("T")


class MissingReference(Exception):
    """A delivery without the row its kind is about: queued by a version that did not store it."""


def _reference(value: T | None) -> T:
    if value is None:
        raise MissingReference()
    return value


def _welcome(deps: Deps, claim: Claimed) -> Rendered:
    return member_messages.welcome(), claim.recipient


def _followup(purpose: Purpose, message: Callable[[FollowUp, datetime, FollowUpPolicy], dict]) -> Renderer:
    """A follow-up's DM, while the follow-up still wants it."""

    def render(deps: Deps, claim: Claimed) -> Rendered | None:
        with deps.store.transaction() as repositories:
            followup = repositories.followups.get(claim.team_id, _reference(claim.about.followup_id))
        if followup is None or not still_wanted(followup, purpose, claim.key):
            return None
        return message(followup, deps.clock(), FollowUpPolicy()), claim.recipient

    return render


def _round_introduction(deps: Deps, claim: Claimed) -> Rendered | None:
    with deps.store.transaction() as repositories:
        intro = repositories.rounds.introduction(claim.team_id, _reference(claim.about.group_id))
    if intro is None:
        return None  # someone left the workspace: fewer than two to introduce
    return round_messages.introduction(intro), ",".join(intro.group.members)


def _group_answer(deps: Deps, claim: Claimed) -> tuple[int, tuple[str, ...], str | None, str | None] | None:
    """(group, members, outcome, answered by) of the group a check-in asks; None if fewer
    than two remain (someone asked Mentor to forget them): nobody left to ask about."""
    group_id = _reference(claim.about.group_id)
    with deps.store.transaction() as repositories:
        answer = repositories.rounds.checkin_answer(claim.team_id, group_id)
    if answer is None:
        return None
    members = tuple(user_id for user_id in answer[0] if not is_forgotten(user_id))
    return (group_id, members, *answer[1:]) if len(members) >= 2 else None


def _round_checkin(deps: Deps, claim: Claimed) -> Rendered | None:
    answer = _group_answer(deps, claim)
    if answer is None:
        return None
    group_id, members, outcome, answered_by = answer
    return round_messages.checkin(group_id, members, outcome, answered_by), ",".join(members)


def _round_learned(deps: Deps, claim: Claimed) -> Rendered | None:
    answer = _group_answer(deps, claim)
    if answer is None:
        return None
    group_id, members, _, _ = answer
    return round_messages.what_did_you_learn(group_id, claim.recipient, members), claim.recipient


def _the_round(claim: Claimed) -> tuple[RoundKind, date]:
    return _reference(claim.about.round_kind), _reference(claim.about.held_on)


def _round_notice(deps: Deps, claim: Claimed) -> Rendered | None:
    kind, held_on = _the_round(claim)
    with deps.store.transaction() as repositories:
        if repositories.rounds.is_recorded(claim.team_id, kind, held_on):
            return None  # too late to tell them it is coming
    return round_messages.notice(kind, held_on), claim.recipient


def _round_unmatched(deps: Deps, claim: Claimed) -> Rendered:
    kind, _ = _the_round(claim)
    return round_messages.unmatched(kind), claim.recipient


def _round_quiet(deps: Deps, claim: Claimed) -> Rendered:
    return round_messages.quiet_paused(), claim.recipient


def _round_announcement(deps: Deps, claim: Claimed) -> Rendered | None:
    kind, held_on = _the_round(claim)
    with deps.store.transaction() as repositories:
        figures = repositories.rounds.announcement(claim.team_id, kind, held_on)
    return (round_messages.announcement(kind, *figures), claim.recipient) if figures else None


def _ask(message: Callable[[Ask], dict], open_only: bool = False) -> Renderer:
    """An ask's DM; with `open_only`, only while nobody has taken it and it is not closed."""

    def render(deps: Deps, claim: Claimed) -> Rendered | None:
        with deps.store.transaction() as repositories:
            ask = repositories.asks.get(claim.team_id, _reference(claim.about.ask_id))
        if ask is None or (open_only and ask.status is not AskStatus.OPEN):
            return None
        return message(ask), claim.recipient

    return render


def _ask_introduction(deps: Deps, claim: Claimed) -> Rendered | None:
    """To the pair the ask itself names (a group DM), while both are still there."""
    ask_id = _reference(claim.about.ask_id)
    with deps.store.transaction() as repositories:
        ask = repositories.asks.get(claim.team_id, ask_id)
        followup_planned = repositories.followups.of_ask(claim.team_id, ask_id) is not None
    pair = introduced(ask) if ask else None
    return (ask_messages.introduction(ask, followup_planned), pair) if ask and pair else None


# Every kind of delivery, and the one function that renders it.
RENDERERS: dict[DeliveryKind, Renderer] = {
    DeliveryKind.WELCOME: _welcome,
    DeliveryKind.FOLLOWUP_PROMPT: _followup(Purpose.PROMPT, followup_messages.prompt),
    DeliveryKind.FOLLOWUP_REMINDER: _followup(
        Purpose.REMINDER, lambda followup, now, policy: followup_messages.prompt(followup, now, policy, reminder=True)
    ),
    DeliveryKind.FOLLOWUP_REPORT: _followup(Purpose.REPORT, lambda followup, *_: followup_messages.report(followup)),
    DeliveryKind.FOLLOWUP_NOTE: _followup(Purpose.NOTE, lambda followup, *_: followup_messages.note_added(followup)),
    DeliveryKind.FOLLOWUP_REPLY: _followup(
        Purpose.REPLY, lambda followup, *_: followup_messages.reply_from_mentor(followup)
    ),
    DeliveryKind.ROUND_INTRODUCTION: _round_introduction,
    DeliveryKind.ROUND_CHECKIN: _round_checkin,
    DeliveryKind.ROUND_LEARNED: _round_learned,
    DeliveryKind.ROUND_NOTICE: _round_notice,
    DeliveryKind.ROUND_UNMATCHED: _round_unmatched,
    DeliveryKind.ROUND_QUIET: _round_quiet,
    DeliveryKind.ROUND_ANNOUNCEMENT: _round_announcement,
    DeliveryKind.ASK_REQUEST: _ask(ask_messages.candidate_request, open_only=True),
    DeliveryKind.ASK_UNANSWERED: _ask(ask_messages.unanswered),
    DeliveryKind.ASK_INTRODUCTION: _ask_introduction,
}


# --- what follows: work a kind does once its message is in Slack, or never will be -----------
@dataclass(frozen=True)
class Edit:
    """A message already in Slack that should now read differently."""

    channel: str
    ts: str
    message: dict[str, Any]


Edits = tuple[Edit, ...]
# After the message is in Slack (posted now, or found by its metadata after a crash), with
# its channel and ts: in the transaction that records them.
AfterSent = Callable[[Deps, Repositories, Claimed, str, str], Edits]
# After it failed for good (a permanent error, or too many attempts), with Slack's error
# code: in the transaction that marks it failed.
AfterFailed = Callable[[Deps, Repositories, Claimed, str], Edits]


@dataclass(frozen=True)
class Hooks:
    """What a kind does beyond its own message. Each hook runs in the transaction that
    records the delivery's outcome, only if this sender still held the claim (so once), and
    may queue more deliveries there; the messages it returns are edited after the commit."""

    sent: AfterSent | None = None
    failed: AfterFailed | None = None


def _edits(notifications: Iterable[Notification | None], message: dict[str, Any]) -> Edits:
    return tuple(
        Edit(notification.channel, notification.message_ts, message)
        for notification in notifications
        if notification is not None and notification.channel and notification.message_ts
    )


def _ask_request_sent(deps: Deps, repositories: Repositories, claim: Claimed, channel: str, ts: str) -> Edits:
    """The candidate's DM is recorded, so that their click and everyone else's can update it;
    if the ask was taken or closed while it was on its way, it is closed at once."""
    ask_id = _reference(claim.about.ask_id)
    if repositories.asks.candidate_status(ask_id, claim.recipient) is None:
        return ()  # not a candidate of this ask (any more): no DM of theirs to keep
    repositories.asks.record_notification(ask_id, claim.recipient, channel, ts)
    ask = repositories.asks.get(claim.team_id, ask_id)
    if ask is None or ask.status is AskStatus.OPEN:
        return ()
    taken = ask_messages.candidate_taken(ask, ask.mentor_id) if ask.mentor_id else None
    return (Edit(channel, ts, taken or ask_messages.candidate_closed(ask)),)


def _ask_request_failed(deps: Deps, repositories: Repositories, claim: Claimed, error: str) -> Edits:
    """A candidate Slack cannot reach: left out of rankings from now on if they are gone, and
    the ask passes to the next best, whose request is queued here; with nobody left, the
    ask closes and the asker's "nobody could take it" is queued instead."""
    ask_id, now = _reference(claim.about.ask_id), deps.clock()
    if error in UNREACHABLE:
        repositories.profiles.mark_deactivated(claim.team_id, claim.recipient)
    try:
        passed = ask_services.pass_ask(
            repositories,
            claim.team_id,
            ask_id,
            claim.recipient,
            now,
            deps.ask_policy_for(repositories, claim.team_id),
            status=CandidateStatus.CLOSED,
        )
    except ask_services.AskUnavailable:
        return ()  # taken, cancelled or closed meanwhile: nothing to pass on
    repositories.asks.queue_dms(passed.ask, ask_services.direct_messages(passed), now)
    return ()


def _ask_introduction_sent(deps: Deps, repositories: Repositories, claim: Claimed, channel: str, ts: str) -> Edits:
    """The pair's group DM is recorded; then the candidates' DMs say who took the ask."""
    ask_id = _reference(claim.about.ask_id)
    repositories.asks.set_group_channel(ask_id, channel)
    ask = repositories.asks.get(claim.team_id, ask_id)
    if ask is None or ask.mentor_id is None:
        return ()
    mine = repositories.asks.notification(ask_id, ask.mentor_id)
    others = repositories.asks.notifications(ask_id, CandidateStatus.CLOSED)  # closed by the acceptance
    return _edits([mine], ask_messages.candidate_helping(ask)) + _edits(
        others, ask_messages.candidate_taken(ask, ask.mentor_id)
    )


# The kinds that do more than send their message, and what (beside RENDERERS).
HOOKS: dict[DeliveryKind, Hooks] = {
    DeliveryKind.ASK_REQUEST: Hooks(sent=_ask_request_sent, failed=_ask_request_failed),
    DeliveryKind.ASK_INTRODUCTION: Hooks(sent=_ask_introduction_sent),
}
NO_HOOKS = Hooks()


def _record_sent(deps: Deps, repositories: Repositories, claim: Claimed, channel: str, ts: str) -> Edits:
    if not repositories.outbox.sent(claim, channel, ts, deps.clock()):
        return ()  # no longer this sender's claim: whoever holds it sees to what follows
    hook = HOOKS.get(claim.kind, NO_HOOKS).sent
    return hook(deps, repositories, claim, channel, ts) if hook else ()


def _record_failed(deps: Deps, repositories: Repositories, claim: Claimed, error: str) -> Edits:
    if not repositories.outbox.fail(claim, error):
        return ()
    hook = HOOKS.get(claim.kind, NO_HOOKS).failed
    return hook(deps, repositories, claim, error) if hook else ()


def _edit(deps: Deps, client: WebClient, claim: Claimed, edits: Edits) -> None:
    """Cosmetic, as when a listener updates a message: a failure is logged, not retried."""
    for edit in edits:
        try:
            deps.pacer.wait(claim.team_id, "chat.update")
            client.chat_update(channel=edit.channel, ts=edit.ts, **edit.message)
        except SlackApiError as error:
            logger.warning("An edit after a %s DM failed: %s", claim.kind.value, error.response.get("error"))


# --- sending ---------------------------------------------------------------------------------
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
    messages: list[dict[str, Any]] = history.get("messages") or []
    for message in messages:
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
    try:
        rendered = RENDERERS[claim.kind](deps, claim)
    except MissingReference:
        logger.warning("A %s DM (delivery %s) names nothing to render", claim.kind.value, claim.id)
        with deps.store.transaction() as repositories:
            repositories.outbox.fail(claim, "no_reference")
        return 0
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
        logger.warning("A %s DM (delivery %s) failed: %s", claim.kind.value, claim.id, code)
        edits: Edits = ()
        with deps.store.transaction() as repositories:
            if code in PERMANENT or claim.attempts >= MAX_ATTEMPTS:
                edits = _record_failed(deps, repositories, claim, code)
            else:
                backoff = timedelta(minutes=2**claim.attempts)
                repositories.outbox.retry_later(claim, deps.clock() + backoff, code)
        _edit(deps, client, claim, edits)
        return 0
    with deps.store.transaction() as repositories:
        edits = _record_sent(deps, repositories, claim, channel, ts)
    _edit(deps, client, claim, edits)
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
