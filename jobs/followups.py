"""Carrying follow-ups through Slack: the job that moves due follow-ups on (their DMs, and
the redraws of the mentee's prompt, go through jobs.outbox, once each)."""

import logging
from datetime import datetime

from bot.followups import services as followup_services
from deps import Deps
from jobs import outbox

logger = logging.getLogger(__name__)

BATCH = 50  # follow-ups read per query by the job


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
    # What the step changed on the mentee's prompt is queued with it, and drawn by the outbox.
    with deps.store.transaction() as repositories:
        policy = deps.followup_policy_for(repositories, team_id)
        followup_services.advance_due(repositories, team_id, followup_id, now, policy)
