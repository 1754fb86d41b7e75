"""The program settings modal: saved only for someone who is still an admin."""

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import blocks, ids
from bot.program import messages as program_messages
from bot.program import services as program_services
from bot.program.forms import settings_from_form
from bot.program.model import SettingsFormErrors
from deps import Deps
from handlers import admin
from handlers.interactions import request_of
from handlers.listeners import about_to_send, admitted_submission, member_of, submit
from handlers.permissions import is_admin
from handlers.render import refresh_home
from storage.command_jobs import VIEW, NewCommandJob
from storage.db import Repositories


def save_settings(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """The settings saved before the modal closes, for someone still an admin, and what
    follows (settings_saved) recorded for a worker in the same transaction."""
    first_field = ids.SettingsField.CADENCE
    if (who := admitted_submission(deps, ack, client, context, first_field)) is None:
        return
    team_id, user_id = who
    if not is_admin(client, deps, user_id):  # an admin a moment ago may be one no more
        ack(response_action="errors", errors={first_field: program_messages.not_admin("Program settings")["text"]})
        return
    try:
        settings = settings_from_form(view.get("state", {}).get("values", {}), deps.fixed_settings)
    except SettingsFormErrors as invalid:
        ack(response_action="errors", errors=invalid.errors)
        return
    follow_up = NewCommandJob(team_id, user_id, ids.SETTINGS_VIEW, "", "", VIEW, request_of(body, context))

    def save_and_record(work: Repositories) -> None:
        program_services.save_settings(work, team_id, settings, deps.fixed_settings)
        work.command_jobs.queue([follow_up], deps.clock())

    if submit(deps, ack, first_field, save_and_record) is not None:
        deps.command_queued.set()  # wakes a worker of this process


def settings_saved(client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """On a worker, after the settings were saved: the admin's DM saying what they are now
    (once, however often the job is tried: about_to_send), and their Home tab redrawn."""
    team_id, user_id = member_of(context)
    with deps.store.reading() as work:
        settings = program_services.applied_settings(work, team_id, deps.fixed_settings)
    if about_to_send(deps):
        admin.dm_admin(client, user_id, blocks.message(program_messages.settings_saved(settings, deps.fixed_settings)))
    refresh_home(client, deps, team_id, user_id)
