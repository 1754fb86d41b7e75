"""Program admins' buttons on their Home tab: the settings modal, the chart and the CSV
export (value: the period in days), each checking who is an admin first."""

from functools import partial

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import replies
from bot.errors import InvalidInput, TemporarilyUnavailable
from bot.program import messages as program_messages
from bot.program.model import parse_period
from deps import Deps
from handlers import admin
from handlers.listeners import REFUSALS, admit, member_of, refusal
from handlers.permissions import is_admin


def open_settings(ack: Ack, body: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    ack()
    team_id, user_id = member_of(context)
    tell = partial(admin.dm_admin, client, user_id)
    if not admitted_admin(deps, client, context, tell, "Program settings"):
        return
    try:
        admin.open_settings(client, deps, team_id, body["trigger_id"])
    except TemporarilyUnavailable as error:
        tell(replies.unavailable(error.message))


def send_chart(ack: Ack, action: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    ack()
    send_from_home(deps, client, context, action, "Program charts", admin.send_chart)


def send_export(ack: Ack, action: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    ack()
    send_from_home(deps, client, context, action, "Program exports", admin.send_export)


def send_from_home(deps: Deps, client: WebClient, context: BoltContext, action: dict, what: str, send) -> None:
    """The chart or the export, to the admin's DM, after the ack; the period comes in days."""
    team_id, user_id = member_of(context)
    tell = partial(admin.dm_admin, client, user_id)
    if not admitted_admin(deps, client, context, tell, what):
        return
    try:
        period = parse_period(f"{action.get('value') or ''}d" if action.get("value") else "", deps.clock())
    except InvalidInput as error:
        tell(replies.invalid_input(error))
        return
    send(client, deps, team_id, user_id, period, tell)  # on a worker, the click's job (see about_to_send)


def admitted_admin(deps: Deps, client: WebClient, context: BoltContext, tell: admin.Tell, what: str) -> bool:
    """Whether whoever clicked is a member Mentor is for and a program admin; if not, they are told."""
    try:
        _, user_id = admit(deps, client, context)
    except REFUSALS as error:
        tell(refusal(error))
        return False
    if not is_admin(client, deps, user_id):
        tell(program_messages.not_admin(what))
        return False
    return True
