"""The new program modal, submitted: checked field by field, created only for someone still
an admin, in a channel Mentor is in and no other program has; then the admin is asked
before anyone already in the channel is enrolled, on a worker (offer_enrollment): reading
the channel's members takes Slack calls that the 3-second ack has no room for."""

from functools import partial

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import ids
from bot.ids import ProgramField
from bot.program import messages as program_messages
from bot.rounds import programs
from bot.rounds.model import Program
from bot.rounds.program_form import ProgramFormErrors, program_from_form
from bot.rounds.program_messages import not_in_channel
from deps import Deps
from handlers import admin, channels
from handlers import programs as program_admin
from handlers.interactions import request_of
from handlers.listeners import admitted_submission, member_of, submit
from handlers.permissions import is_admin
from handlers.render import refresh_home
from storage.command_jobs import VIEW, NewCommandJob
from storage.db import Repositories


def create_program(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
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

    def create_and_record(work: Repositories) -> Program:
        program = programs.create(work, team_id, new, deps.clock())
        # The worker reads the program's key where a modal keeps its own data.
        created = {**body, "view": {**view, "private_metadata": program.key}}
        work.command_jobs.queue(
            [NewCommandJob(team_id, user_id, ids.NEW_PROGRAM_VIEW, "", "", VIEW, request_of(created, context))],
            deps.clock(),
        )
        return program

    # The one refusal left is ChannelTaken (or the database not answering), shown by the channel.
    if submit(deps, ack, ProgramField.CHANNEL, create_and_record) is None:
        return
    deps.command_queued.set()  # wakes a worker of this process


def offer_enrollment(view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """On a worker: the admin's Home tab redrawn with the new program; then they hear it is
    ready, or are asked before the members already in its channel are enrolled
    (handlers.programs.offer_enrollment)."""
    team_id, user_id = member_of(context)
    refresh_home(client, deps, team_id, user_id)
    with deps.store.reading() as work:
        program = work.rounds.program(team_id, view.get("private_metadata") or "")
        if program is None:
            return
        schedule = work.rounds.schedule(team_id, program.key)
        category, options = programs.grouping(work, team_id, program)
    tell = partial(admin.dm_admin, client, user_id)
    program_admin.offer_enrollment(client, program, schedule, category, context.bot_user_id, tell, options)
