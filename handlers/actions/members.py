"""The member's own buttons: "Edit profile", and the confirmation of `/mentor forget`."""

import logging
import secrets

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import home, replies
from bot.errors import TemporarilyUnavailable
from bot.members import messages as member_messages
from bot.members import services as member_services
from bot.members.model import NotAMember, tombstone
from deps import Deps
from handlers.listeners import Click, admit, complete, field_error, member_of
from handlers.render import open_profile_modal, refresh_home
from jobs import asks as ask_jobs
from jobs import outbox

logger = logging.getLogger(__name__)


def open_profile(ack: Ack, body: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    ack()
    try:
        team_id, user_id = admit(deps, client, context)
        open_profile_modal(client, deps, team_id, user_id, body["trigger_id"])
    except (NotAMember, TemporarilyUnavailable) as error:
        client.views_open(trigger_id=body["trigger_id"], view=home.notice_modal("Mentor", field_error(error)))


def forget_me(ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """The confirmed `/mentor forget`: whose data goes is who clicked, whatever the value says.
    Open to anyone, Mentor's members or not: it only deletes."""
    ack()
    team_id, user_id = member_of(context)
    click = Click(body, respond, client)
    try:
        with deps.store.transaction() as work:
            complete(work)  # first: forgetting deletes the member's jobs, this click's among them
            forgotten, withdrawn = member_services.forget_member(
                work, team_id, user_id, tombstone(secrets.token_hex(6)), deps.clock()
            )
            for cancelled in withdrawn:
                ask_jobs.queue_dms(work, deps, cancelled)
    except TemporarilyUnavailable as error:
        click.answer(replies.unavailable(error.message + " Nothing was deleted."))
        return
    logger.info("A member of %s was forgotten", team_id)
    if withdrawn:
        outbox.kick(deps)  # the candidates of their asks see them closed
    click.answer(member_messages.forgotten(forgotten), replace=True)
    refresh_home(client, deps, team_id, user_id)


def keep_me(ack: Ack, body: dict, respond: Respond, client: WebClient, *, deps: Deps) -> None:
    """`/mentor forget` cancelled: nothing changes."""
    ack()
    Click(body, respond, client).answer(member_messages.kept(), replace=True)
