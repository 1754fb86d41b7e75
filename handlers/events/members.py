"""Members coming and going in the workspace."""

from slack_bolt import BoltContext

from bot.members import services as member_services
from deps import Deps
from handlers.listeners import workspace_of
from jobs import outbox


def member_changed(event: dict, context: BoltContext, *, deps: Deps) -> None:
    """A member deactivated or reactivated in Slack (`user.deleted`); whoever a deactivation
    left alone in a round is told."""
    user = event.get("user") or {}
    if not isinstance(user.get("id"), str) or not isinstance(user.get("deleted"), bool):
        return
    with deps.store.transaction() as work:
        told = member_services.set_deactivated(work, workspace_of(context), user["id"], user["deleted"], deps.clock())
    if told:
        outbox.kick(deps)


def member_joined(event: dict, context: BoltContext, *, deps: Deps) -> None:
    """Someone joined the workspace: one welcome DM saying how to opt in, nothing more."""
    user = event.get("user") or {}
    if not isinstance(user.get("id"), str) or user.get("is_bot") or user.get("deleted"):
        return
    with deps.store.transaction() as work:
        queued = member_services.welcome(work, workspace_of(context), user["id"], deps.clock())
    if queued:
        outbox.kick(deps)
