"""People joining and leaving a program's channel (member_joined_channel, member_left_channel):
joining is opting in to the program, leaving is opting out. Slack sends both for the
channels Mentor is in, Mentor's own arrival included."""

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.rounds import programs
from bot.rounds.model import ProgramStatus
from deps import Deps
from handlers import channels
from handlers.listeners import complete, workspace_of
from jobs import outbox


def _who_where(event: dict) -> tuple[str, str] | None:
    user, channel = event.get("user"), event.get("channel")
    return (user, channel) if isinstance(user, str) and isinstance(channel, str) else None


def member_joined_channel(event: dict, context: BoltContext, client: WebClient, *, deps: Deps) -> None:
    """In the channel's program, and welcomed by DM, if Mentor is for them (see handlers.channels)."""
    if (who := _who_where(event)) is None:
        return
    user_id, channel = who
    team_id = workspace_of(context)
    with deps.store.reading() as work:
        program = work.rounds.program_of_channel(team_id, channel)
    if program is None or program.status is ProgramStatus.ARCHIVED:
        return  # a channel of no program: nobody is asked about
    if not channels.takes_part(client, deps, team_id, user_id, context.bot_user_id):
        return
    with deps.store.transaction() as work:
        joined = programs.joined_channel(work, team_id, user_id, channel, deps.clock())
        complete(work)
    if joined is not None:
        outbox.kick(deps)


def member_left_channel(event: dict, context: BoltContext, *, deps: Deps) -> None:
    """Out of the channel's program, quietly: leaving the channel said it."""
    if (who := _who_where(event)) is None:
        return
    with deps.store.transaction() as work:
        programs.left_channel(work, workspace_of(context), *who)
        complete(work)
