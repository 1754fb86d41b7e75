"""The outbox sender: every direct message (and program-channel post) a state change queued,
in the same transaction as the change, is sent from here, once; and so is every edit of one
already in Slack (chat.update: a follow-up's prompt, an ask's candidates' requests).

A sender claims one delivery at a time with a lease, renders it as things stand now (its
kind picks the renderer, in jobs/deliveries.py), posts it with the delivery's id in the message's
metadata, and records its ts. Whenever a delivery is tried a second time (its sender died,
or Slack's answer left it unclear whether the message went out), the sender first looks
for that metadata in the conversation and posts only if it is not there.

Some kinds carry work of their own once their message is in Slack, or once it never will be
(jobs/deliveries.py, HOOKS): an ask records its candidate's DM, or passes over a candidate Slack cannot reach.
That work is done in the transaction that records the delivery's outcome, and only by the
sender that still holds the claim; what it queues there (an edit among them) this drain sends.

A DM of any kind that Slack refuses because a recipient cannot be messaged at all marks that
member gone (jobs/departures.py), in the same transaction; a round's introduction or
check-in then goes again at once to the rest of its group.
"""

import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from deps import Deps
from jobs import departures
from jobs.deliveries import HOOKS, NO_HOOKS, RENDERERS, MissingReference, Replace
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


def _record_sent(deps: Deps, repositories: Repositories, claim: Claimed, channel: str, ts: str) -> None:
    if not repositories.outbox.sent(claim, channel, ts, deps.clock()):
        return  # no longer this sender's claim: whoever holds it sees to what follows
    hook = HOOKS.get(claim.kind, NO_HOOKS).sent
    if hook:
        hook(deps, repositories, claim, channel, ts)


def _record_failed(
    deps: Deps, repositories: Repositories, claim: Claimed, error: str, gone: tuple[str, ...] = ()
) -> None:
    if not repositories.outbox.fail(claim, error):
        return
    departures.mark_gone(deps, repositories, claim.team_id, gone)
    hook = HOOKS.get(claim.kind, NO_HOOKS).failed
    if hook:
        hook(deps, repositories, claim, error)


# --- sending ---------------------------------------------------------------------------------
def _already_posted(client: WebClient, channel: str, claim: Claimed, thread_ts: str | None = None) -> str | None:
    """The ts of a message in `channel` (in the thread of `thread_ts`, if given) that an
    earlier try of this delivery posted, if any. A thread's replies are not in the
    conversation's history: Slack lists them with conversations.replies only."""
    try:
        if thread_ts:
            history = client.conversations_replies(
                channel=channel, ts=thread_ts, limit=HISTORY_LOOKBACK, include_all_metadata=True
            )
        else:
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
        logger.warning(
            "No installation holds a bot token for %s: %s DM %s not sent", claim.team_id, claim.kind.value, claim.id
        )
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
        if claim.in_flight and HOOKS.get(claim.kind, NO_HOOKS).stale_copy_redrawn:
            _record_stale_copy(deps, client, claim)
        else:
            with deps.store.transaction() as repositories:
                repositories.outbox.cancel(claim, "no_longer_needed")
        return 0
    if isinstance(rendered, Replace):
        _replace(deps, client, claim, rendered)
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
            pace(claim.team_id, "conversations.replies" if message.get("thread_ts") else "conversations.history")
            ts = _already_posted(client, channel, claim, message.get("thread_ts"))
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
        gone: tuple[str, ...] = ()
        if code in UNREACHABLE and not is_channel(recipient):
            gone = departures.unreachable_among(deps, client, claim.team_id, recipient)
        with deps.store.transaction() as repositories:
            if gone and HOOKS.get(claim.kind, NO_HOOKS).resent_without_the_gone and claim.attempts < MAX_ATTEMPTS:
                if repositories.outbox.retry_later(claim, deps.clock(), code):
                    departures.mark_gone(deps, repositories, claim.team_id, gone)
            elif code in PERMANENT or claim.attempts >= MAX_ATTEMPTS:
                _record_failed(deps, repositories, claim, code, gone)
            else:
                backoff = timedelta(minutes=2**claim.attempts)
                repositories.outbox.retry_later(claim, deps.clock() + backoff, code)
        return 0
    with deps.store.transaction() as repositories:
        _record_sent(deps, repositories, claim, channel, ts)
    return posted


def _record_stale_copy(deps: Deps, client: WebClient, claim: Claimed) -> None:
    """A DM no longer needed (its ask was taken or closed) that a sender which died may have
    posted: if Slack has it, record it as sent, so its hook redraws its buttons away; if
    not, or Slack cannot tell us, cancel it (a copy left live answers a click with "already
    taken": handlers/actions/asks.py)."""
    channel = ts = None
    try:
        deps.pacer.wait(claim.team_id, "conversations.open")
        channel = client.conversations_open(users=claim.recipient)["channel"]["id"]
        deps.pacer.wait(claim.team_id, "conversations.history")
        ts = _already_posted(client, channel, claim)
    except SlackApiError as error:
        code = error.response.get("error")
        logger.warning("A stale %s DM (delivery %s) could not be looked for: %s", claim.kind.value, claim.id, code)
    with deps.store.transaction() as repositories:
        if channel and ts:
            _record_sent(deps, repositories, claim, channel, ts)
        else:
            repositories.outbox.cancel(claim, "no_longer_needed")


def _replace(deps: Deps, client: WebClient, claim: Claimed, replace: Replace) -> None:
    """Redraw a message in place. chat.update of the same message with the same content is
    harmless, so a retry after a crash or an unclear answer simply updates again: it never
    posts. Retried with backoff like a DM; failed for good on an error that will not pass
    (the message was deleted: message_not_found)."""
    try:
        deps.pacer.wait(claim.team_id, "chat.update")
        client.chat_update(channel=replace.channel, ts=replace.ts, **replace.message)
    except SlackApiError as error:
        code = str(error.response.get("error"))
        logger.warning("A %s update (delivery %s) failed: %s", claim.kind.value, claim.id, code)
        with deps.store.transaction() as repositories:
            if code in PERMANENT or code in UNUPDATABLE or claim.attempts >= MAX_ATTEMPTS:
                repositories.outbox.fail(claim, code)
            else:
                repositories.outbox.retry_later(claim, deps.clock() + timedelta(minutes=2**claim.attempts), code)
        return
    with deps.store.transaction() as repositories:
        repositories.outbox.sent(claim, replace.channel, replace.ts, deps.clock())


# chat.update's errors that trying again will not cure.
UNUPDATABLE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed", "msg_too_long"})


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
