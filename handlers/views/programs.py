"""The new program modal, submitted: checked field by field, created only for someone still
an admin, in a channel Mentor is in and no other program has; then the admin is asked
before anyone already in the channel is enrolled."""

from functools import partial

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.ids import ProgramField
from bot.program import messages as program_messages
from bot.rounds import programs
from bot.rounds.program_form import ProgramFormErrors, program_from_form
from bot.rounds.program_messages import not_in_channel
from deps import Deps
from handlers import admin, channels
from handlers import programs as program_admin
from handlers.listeners import admitted_submission, after_ack, submit
from handlers.permissions import is_admin
from handlers.render import refresh_home


def create_program(ack: Ack, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    first_field = ProgramField.NAME
    if (who := admitted_submission(deps, ack, client, context, first_field)) is None:
        return
    team_id, user_id = who
    if not is_admin(client, deps, user_id):  # an admin a moment ago may be one no more
        ack(response_action="errors", errors={first_field: program_messages.not_admin("Programs")["text"]})
        return
    with deps.store.reading() as work:
        categories = work.rounds.categories(team_id)
    try:
        new = program_from_form(view.get("state", {}).get("values", {}), categories)
    except ProgramFormErrors as invalid:
        ack(response_action="errors", errors=invalid.errors)
        return
    if new.program.channel and not channels.mentor_in(client, new.program.channel):
        ack(response_action="errors", errors={ProgramField.CHANNEL: not_in_channel()})
        return
    # The one refusal left is ChannelTaken (or the database not answering), shown by the channel.
    program = submit(deps, ack, ProgramField.CHANNEL, lambda work: programs.create(work, team_id, new, deps.clock()))
    if program is None:
        return
    with deps.store.reading() as work:
        category = programs.category_name(work, team_id, program)
    tell = partial(admin.dm_admin, client, user_id)
    offer = partial(program_admin.offer_enrollment, client, program, category, context.bot_user_id, tell)
    after_ack(deps, offer, tell)
    refresh_home(client, deps, team_id, user_id)
