"""The workspace removed Mentor: its tokens and everything Mentor held about it go now. And
Slack's notice that it dropped the workspace's events, told to the operator."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from slack_bolt import BoltContext, BoltResponse
from slack_sdk.oauth.installation_store import InstallationStore

from bot.members import services as member_services
from deps import Deps
from handlers.listeners import workspace_of

logger = logging.getLogger(__name__)


def uninstalled(context: BoltContext, *, deps: Deps, installations: InstallationStore | None) -> None:
    forget_workspace(deps, installations, context, "uninstalled")


def revoked(event: dict, context: BoltContext, *, deps: Deps, installations: InstallationStore | None) -> None:
    if (event.get("tokens") or {}).get("bot"):  # Mentor holds no user tokens: only the bot's matter
        forget_workspace(deps, installations, context, "revoked its token")


def forget_workspace(deps: Deps, installations: InstallationStore | None, context: BoltContext, why: str) -> None:
    team_id = workspace_of(context)
    if installations is not None:  # an org-wide install is kept without a workspace
        workspace = None if context.is_enterprise_install else context.team_id
        installations.delete_all(enterprise_id=context.enterprise_id, team_id=workspace)
    with deps.store.transaction() as work:
        deleted = member_services.forget_workspace(work, team_id)
    logger.info("Workspace %s %s: its installation and %d rows deleted", team_id, why, deleted)


def rate_limited(body: dict, response: BoltResponse, next: Callable[[], None]) -> BoltResponse:
    """A global middleware: Slack's `app_rate_limited` notice (it is dropping this workspace's
    events, past 30,000 an hour: docs.slack.dev, Events API, "Rate limiting") is acknowledged
    and logged as a warning naming the minute, so an operator sees which events were lost;
    every other request goes on to the listeners. It is not an event_callback, so no
    app.event listener can take it, and unanswered Bolt would answer it 404."""
    if body.get("type") != "app_rate_limited":
        next()
        return response
    minute = body.get("minute_rate_limited")
    when = datetime.fromtimestamp(minute, UTC).strftime("%Y-%m-%d %H:%M UTC") if isinstance(minute, int) else "?"
    logger.warning(
        "Slack dropped events for workspace %s in the minute from %s (app_rate_limited): "
        "members' messages, joins and departures then may not have reached Mentor",
        body.get("team_id"),
        when,
    )
    return BoltResponse(status=200, body="")
