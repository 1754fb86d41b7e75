"""Members coming and going in the workspace."""

from slack_bolt import BoltContext

from handlers.deps import Deps, workspace_of
from jobs import outbox


def member_changed(event: dict, context: BoltContext, *, deps: Deps) -> None:
    """A member deactivated in Slack is out of every round from now on; one reactivated
    can be reached again (they rejoin rounds themselves)."""
    user = event.get("user") or {}
    if not isinstance(user.get("id"), str) or not isinstance(user.get("deleted"), bool):
        return
    with deps.store.transaction() as repositories:
        if user["deleted"]:
            repositories.rounds.leave_everything(workspace_of(context), user["id"])
        else:
            repositories.rounds.reactivate(workspace_of(context), user["id"])


def member_joined(event: dict, context: BoltContext, *, deps: Deps) -> None:
    """Someone joined the workspace: one welcome DM saying how to opt in, nothing more."""
    user = event.get("user") or {}
    if not isinstance(user.get("id"), str) or user.get("is_bot") or user.get("deleted"):
        return
    with deps.store.transaction() as repositories:
        queued = repositories.profiles.queue_welcome(workspace_of(context), user["id"], deps.clock())
    if queued:
        outbox.kick(deps)
