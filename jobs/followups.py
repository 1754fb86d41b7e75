"""Carrying follow-ups through Slack: the job that moves due follow-ups on (their DMs go
through jobs.outbox, once each), and keeping the mentee's prompts up to date."""

import logging
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import TemporarilyUnavailable
from bot.followups import messages as followup_messages
from bot.followups import services as followup_services
from bot.followups.model import FollowUp, FollowUpStatus
from deps import Deps
from jobs import outbox

logger = logging.getLogger(__name__)

BATCH = 50  # follow-ups read per query by the job


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
            except Exception as error:  # broad on purpose: one broken follow-up must not stop the others
                logger.error("Follow-up %s could not move on: %s", followup_id, type(error).__name__, exc_info=error)
    return outbox.drain(deps)


def _advance(deps: Deps, team_id: str, followup_id: int, now: datetime) -> None:
    with deps.store.transaction() as repositories:
        policy = followup_services.policy_for(repositories, team_id, deps.followup_days)
        followup = followup_services.advance_due(repositories, team_id, followup_id, now, policy)
    if followup is not None and followup.status in (FollowUpStatus.ANSWERED, FollowUpStatus.UNANSWERED):
        client = deps.client_for(team_id)
        if client is not None:
            refresh_prompts(client, deps, followup)  # "I've passed it on", or "closed"
