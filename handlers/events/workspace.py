"""The workspace removed Mentor: its tokens and everything Mentor held about it go now."""

import logging

from slack_bolt import BoltContext
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
    if installations is not None:
        installations.delete_all(enterprise_id=context.enterprise_id, team_id=context.team_id)
    with deps.store.transaction() as work:
        deleted = member_services.forget_workspace(work, team_id)
    logger.info("Workspace %s %s: its installation and %d rows deleted", team_id, why, deleted)
