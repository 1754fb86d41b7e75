"""The buttons of programs (issue 21). Admins': "New program", Pause, Resume and Archive (value:
the program's key) in `/mentor programs` and on their Home tab, and the confirmation before a
new program's channel members are enrolled. Members': their group in the category a program
introduces by (value: "<program key>:<option>"), in the welcome DM, the join reply and Home."""

import logging
from functools import partial

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.rounds import program_messages, programs
from bot.rounds.model import ProgramStatus
from deps import Deps
from handlers import programs as program_admin
from handlers.actions.program import admitted_admin
from handlers.listeners import Click, member_click, member_of, run_use_case
from handlers.render import refresh_home

logger = logging.getLogger(__name__)

STATUSES = {
    ids.PAUSE_PROGRAM: ProgramStatus.PAUSED,
    ids.RESUME_PROGRAM: ProgramStatus.ACTIVE,
    ids.ARCHIVE_PROGRAM: ProgramStatus.ARCHIVED,
}


def _admin_click(deps: Deps, click: Click, context: BoltContext) -> tuple[str, str] | None:
    """(workspace, admin) of a click by a program admin; None, and they are told, for anyone else."""
    if not admitted_admin(deps, click.client, context, click.refuse, "Programs"):
        return None
    return member_of(context)


def new_program(ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    ack()
    click = Click(body, respond, client)
    if (who := _admin_click(deps, click, context)) is None:
        return
    try:
        program_admin.open_new_program(client, deps, who[0], body["trigger_id"])
    except SlackApiError as error:  # e.g. the trigger expired: the button can be pressed again
        logger.warning("Could not open the new program modal: %s", error.response.get("error"))


def change_status(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """Pause, resume or archive; the list redrawn where it was clicked (the message, or Home)."""
    ack()
    click, status, key = Click(body, respond, client), STATUSES[action["action_id"]], action.get("value") or ""
    if (who := _admin_click(deps, click, context)) is None:
        return
    team_id, user_id = who
    if run_use_case(deps, click, lambda work: programs.set_status(work, team_id, key, status)) is None:
        return
    if click.on_home:
        refresh_home(client, deps, team_id, user_id)
        return
    with deps.store.reading() as work:
        listed = programs.listed(work, team_id)
    click.answer(program_messages.programs_list(listed), replace=True)


def enroll_channel(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Enroll N": the channel's members are enrolled on a worker, after the ack (paging
    through a big channel and asking Slack who each is takes longer than 3 seconds)."""
    ack()
    click = Click(body, respond, client)
    if (who := _admin_click(deps, click, context)) is None:
        return
    tell = partial(click.answer, replace=True)
    program_admin.enroll_channel(client, deps, who[0], action.get("value") or "", context.bot_user_id, tell)


def skip_enroll(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Only newcomers": nobody already in the channel is enrolled."""
    ack()
    click = Click(body, respond, client)
    if (who := _admin_click(deps, click, context)) is None:
        return
    program = run_use_case(deps, click, lambda work: programs.channel_program(work, who[0], action.get("value") or ""))
    if program is not None:
        click.answer(program_messages.enroll_skipped(program), replace=True)


def pick_category(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """A member's group in a program's category: stored, said under the message, shown on Home."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    key, _, option = (action.get("value") or "").partition(":")
    pick = run_use_case(deps, click, lambda work: programs.pick(work, team_id, user_id, key, option))
    if pick is None:
        return
    click.answer(program_messages.picked(pick))
    refresh_home(client, deps, team_id, user_id)
