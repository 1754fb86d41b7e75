"""Members coming and going in the workspace, and changing standing: Slack sends the whole
user object with both events."""

from slack_bolt import BoltContext

from bot.members import services as member_services
from bot.members.model import slack_person, standing_of
from deps import Deps
from handlers.listeners import complete, workspace_of
from jobs import outbox


def member_changed(event: dict, context: BoltContext, *, deps: Deps) -> None:
    """A member deactivated or reactivated in Slack (`user.deleted`), or made a guest or a full
    member again (`is_restricted`, `is_ultra_restricted`): kept on their row, if they have one;
    whoever a deactivation left alone in a round is told."""
    user = event.get("user") or {}
    if not isinstance(user.get("id"), str) or not isinstance(user.get("deleted"), bool):
        return
    team_id = workspace_of(context)
    deps.standings.forget(team_id, user["id"])
    with deps.store.transaction() as work:
        told = member_services.set_deactivated(work, team_id, user["id"], user["deleted"], deps.clock())
        member_services.note_standing(work, team_id, user["id"], standing_of(slack_person(user), team_id), deps.clock())
        complete(work)
    if told:
        outbox.kick(deps)


def member_joined(event: dict, context: BoltContext, *, deps: Deps) -> None:
    """Someone joined the workspace: one welcome DM saying how to opt in, nothing more; none
    for a guest unless the program includes guests."""
    user = event.get("user") or {}
    if not isinstance(user.get("id"), str) or user.get("is_bot") or user.get("deleted"):
        return
    team_id = workspace_of(context)
    standing = standing_of(slack_person(user), team_id)
    with deps.store.transaction() as work:
        queued = member_services.welcome(work, team_id, user["id"], standing, deps.clock())
        complete(work)
    if queued:
        outbox.kick(deps)
