"""Carrying follow-ups through Slack: the job that moves due follow-ups on, and the
sender that drains the outbox of direct messages their steps queued.

Exactly once: a step and its deliveries are written in one transaction (bot.closing);
a sender claims a delivery with a lease before sending and records the message's ts
after. If a sender dies between the two, the next claim finds the delivery still
"sending" with its lease run out, and looks in the recipient's DM for a message that
carries the delivery's id in its metadata before sending anything again.
"""

import logging
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import closing, followup_messages
from bot.followups import FollowUp, FollowUpPolicy, FollowUpStatus, Purpose, still_wanted
from handlers.deps import Deps
from storage.followups import Claimed

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)  # longer than any send, rate-limit waits included
MAX_ATTEMPTS = 5
BATCH = 50
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
        with deps.store.transaction() as repositories:
            batch = repositories.outbox.claim(now, now + LEASE, BATCH)
        if not batch:
            return posted
        posted += sum(_deliver(deps, claim) for claim in batch)


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
    """The ts of a message in `channel` that an earlier claim of this delivery posted, if any."""
    history = client.conversations_history(channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True)
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
        ts = _already_posted(client, channel, claim) if claim.in_flight else None
        if ts is None:
            metadata = {"event_type": METADATA_EVENT, "event_payload": {"delivery": claim.id}}
            ts = client.chat_postMessage(channel=channel, metadata=metadata, **message)["ts"]
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


def refresh_prompts(client: WebClient, deps: Deps, followup: FollowUp) -> None:
    """Once answered (or closed), every prompt and reminder shows where things stand, without buttons."""
    with deps.store.transaction() as repositories:
        messages = repositories.followups.prompts_of(followup.id)
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
            due = [(team, followup_id) for team, followup_id in repositories.followups.due(now, BATCH) if followup_id not in seen]
        if not due:
            break
        for team_id, followup_id in due:
            seen.add(followup_id)
            with deps.store.transaction() as repositories:
                policy = closing.policy_for(repositories.followups, team_id, deps.followup_days)
                followup = closing.advance_due(repositories.followups, team_id, followup_id, now, policy)
            if followup is not None and followup.status is FollowUpStatus.UNANSWERED:
                client = deps.client_for(team_id)
                if client is not None:
                    refresh_prompts(client, deps, followup)
    return drain(deps)
