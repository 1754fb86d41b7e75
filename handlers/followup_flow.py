"""Carrying follow-ups through Slack: the job that moves due follow-ups on, and the
sender that drains the outbox of direct messages their steps queued.

Exactly once: a step and its deliveries are written in one transaction
(storage.followups.FollowUpRepository.apply); a sender claims one delivery at a time
with a lease, posts it, and records the message's ts. Whenever a delivery is tried a
second time (its sender died, or Slack's answer left it unclear whether the message
went out), the sender first looks in the recipient's DM for a message carrying the
delivery's id in its metadata, and posts only if there is none.
"""

import logging
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot import closing, followup_messages
from bot.errors import TemporarilyUnavailable
from bot.followups import FollowUp, FollowUpPolicy, FollowUpStatus, Purpose, still_wanted
from handlers.deps import Deps
from storage.followups import Claimed

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)  # longer than one delivery's calls, rate-limit waits included
MAX_ATTEMPTS = 5
BATCH = 50  # follow-ups read per query by the job
METADATA_EVENT = "mentor_delivery"
HISTORY_LOOKBACK = 200  # messages of the DM searched for one a dead sender may have posted
# Errors that no retry can fix: the member cannot get DMs, or the app lost its access.
PERMANENT = {
    "user_disabled", "account_inactive", "user_not_found", "cannot_dm_bot", "user_not_visible",
    "not_authed", "invalid_auth", "token_revoked", "missing_scope", "channel_not_found", "is_archived",
}


def kick(deps: Deps, job=None) -> None:
    """Send what is queued now (or run `job`, such as run_due_followups), off the
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
            claimed = repositories.outbox.claim(now, now + LEASE, 1)
        if not claimed:
            return posted
        posted += _deliver(deps, claimed[0])


def _render(deps: Deps, claim: Claimed) -> dict | None:
    """The message as things stand now; None if it should no longer go out."""
    with deps.store.transaction() as repositories:
        followup = repositories.followups.get(claim.team_id, claim.followup_id) if claim.followup_id else None
    if followup is None or not still_wanted(followup, claim.purpose, claim.key):
        return None
    policy = FollowUpPolicy()
    now = deps.clock()
    message = {
        Purpose.PROMPT: lambda: followup_messages.prompt(followup, now, policy),
        Purpose.REMINDER: lambda: followup_messages.prompt(followup, now, policy, reminder=True),
        Purpose.REPORT: lambda: followup_messages.report(followup),
        Purpose.NOTE: lambda: followup_messages.note_added(followup),
        Purpose.REPLY: lambda: followup_messages.reply_from_mentor(followup),
    }[claim.purpose]
    return message()


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
    message = _render(deps, claim)
    if message is None:
        with deps.store.transaction() as repositories:
            repositories.outbox.cancel(claim, "no_longer_needed")
        return 0
    try:
        channel = client.conversations_open(users=claim.recipient)["channel"]["id"]
        ts = _already_posted(client, channel, claim) if claim.attempts > 1 else None
        if ts is None:
            metadata = {"event_type": METADATA_EVENT, "event_payload": {"delivery": claim.id}}
            ts = _without_resends(client).chat_postMessage(channel=channel, metadata=metadata, **message)["ts"]
            posted = 1
        else:
            posted = 0
    except SlackApiError as error:
        code = str(error.response.get("error"))
        logger.warning("A %s DM (delivery %s) failed: %s", claim.purpose.value, claim.id, code)
        with deps.store.transaction() as repositories:
            if code in PERMANENT or claim.attempts >= MAX_ATTEMPTS:
                repositories.outbox.fail(claim, code)
            else:
                backoff = timedelta(minutes=2 ** claim.attempts)
                repositories.outbox.retry_later(claim, deps.clock() + backoff, code)
        return 0
    with deps.store.transaction() as repositories:
        repositories.outbox.sent(claim, channel, ts, deps.clock())
    return posted


def _without_resends(client: WebClient) -> WebClient:
    """The client for posting: it waits out a 429 (nothing was posted) but does not resend
    after a broken connection, when Slack may have posted it; that case is left to the
    lease and the metadata check."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=[handler for handler in client.retry_handlers if isinstance(handler, RateLimitErrorRetryHandler)],
    )


def refresh_prompts(client: WebClient, deps: Deps, followup: FollowUp) -> None:
    """After a step the mentee should see, every prompt and reminder shows where things stand."""
    try:
        with deps.store.transaction() as repositories:
            messages = repositories.followups.prompts_of(followup.id)
    except TemporarilyUnavailable:
        return  # cosmetic: the buttons left there answer with where things stand
    for channel, ts in messages:
        try:
            client.chat_update(channel=channel, ts=ts, **followup_messages.answered(followup))
        except SlackApiError as error:
            logger.warning("chat.update of a follow-up prompt failed: %s", error.response.get("error"))


def run_due_followups(deps: Deps) -> int:
    """The scheduler's job (and `python app.py send-followups`): move every due follow-up on
    one step, then send what that queued. Safe to run as often as you like, from several
    processes: a step applies once, a delivery is claimed by one sender. Returns DMs posted."""
    seen: set[int] = set()
    while True:
        now = deps.clock()
        with deps.store.transaction() as repositories:
            due = repositories.followups.due(now, BATCH, skip=frozenset(seen))
        if not due:
            break
        for team_id, followup_id in due:
            seen.add(followup_id)
            try:
                _advance(deps, team_id, followup_id, now)
            except Exception as error:  # noqa: BLE001 - one broken follow-up must not stop the others
                logger.error("Follow-up %s could not move on: %s", followup_id, type(error).__name__, exc_info=error)
    return drain(deps)


def _advance(deps: Deps, team_id: str, followup_id: int, now: datetime) -> None:
    with deps.store.transaction() as repositories:
        policy = closing.policy_for(repositories.followups, team_id, deps.followup_days)
        followup = closing.advance_due(repositories.followups, team_id, followup_id, now, policy)
    if followup is not None and followup.status in (FollowUpStatus.ANSWERED, FollowUpStatus.UNANSWERED):
        client = deps.client_for(team_id)
        if client is not None:
            refresh_prompts(client, deps, followup)  # "I've passed it on", or "closed"
