"""Programs through Slack, for admins (issue 21): the new program modal, the offer to enroll
those already in a program's channel, and enrolling them. The command
(handlers.commands.programs), the buttons (handlers.actions.programs) and the modal's
submission (handlers.views.programs) use these once they have checked who is an admin."""

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.rounds import program_messages, programs
from bot.rounds.model import Program
from bot.rounds.schedule import Schedule
from deps import Deps
from handlers import channels
from handlers.listeners import complete
from jobs import outbox

logger = logging.getLogger(__name__)

Tell = Callable[[dict], None]
CHANNEL_UNREADABLE = (
    ":warning: I couldn't read who is in <#{channel}> ({error}), so nobody was enrolled. "
    "Make sure Mentor is in the channel (/invite @Mentor), then press the button again."
)


def open_new_program(client: WebClient, deps: Deps, team_id: str, trigger_id: str) -> None:
    with deps.store.reading() as work:
        categories = work.rounds.categories(team_id)
        workspace = work.rounds.workspace_schedule(team_id)
        zones = work.rounds.members_zones(team_id, program_messages.MAX_SELECT_OPTIONS)
    client.views_open(trigger_id=trigger_id, view=program_messages.program_modal(categories, workspace, zones))


def _others_in(client: WebClient, channel: str, bot_user_id: str | None) -> list[str]:
    return [user_id for user_id in channels.members_of(client, channel) if user_id != bot_user_id]


def offer_enrollment(
    client: WebClient,
    program: Program,
    schedule: Schedule,
    category: str | None,
    bot_user_id: str | None,
    tell: Tell,
    options: tuple[str, ...] = (),
) -> None:
    """Once a program is created (its rounds on `schedule`, introducing by `category`,
    bot.rounds.programs.grouping, of `options`): for a channel with people in it, ask
    the admin before enrolling them; otherwise say it is ready."""
    others: list[str] = []
    if program.channel:
        try:
            others = _others_in(client, program.channel, bot_user_id)
        except SlackApiError as error:
            logger.warning("conversations.members of a new program's channel: %s", error.response.get("error"))
    if others:
        tell(program_messages.confirm_enroll(program, schedule, len(others), category, options))
    else:
        tell(program_messages.created(program, schedule, category, options))


def enroll_channel(client: WebClient, deps: Deps, team_id: str, key: str, bot_user_id: str | None, tell: Tell) -> None:
    """The admin confirmed: everyone in the program's channel whom Mentor is for is enrolled
    and gets the program's welcome DM (through the outbox); the admin hears how many."""
    with deps.store.reading() as work:
        program = programs.channel_program(work, team_id, key)
    channel = program.channel or ""
    try:
        others = _others_in(client, channel, bot_user_id)
    except SlackApiError as error:
        reason = str(error.response.get("error"))
        logger.warning("conversations.members while enrolling a channel: %s", reason)
        tell({"text": CHANNEL_UNREADABLE.format(channel=channel, error=reason)})
        return
    eligible = [user_id for user_id in others if channels.takes_part(client, deps, team_id, user_id, bot_user_id)]
    with deps.store.transaction() as work:
        program, count = programs.enroll(work, team_id, key, eligible, deps.clock())
        complete(work)
    outbox.kick(deps)
    tell(program_messages.enrolled(program, count, len(others) - len(eligible)))
