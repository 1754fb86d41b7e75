"""The program settings modal: saved only for someone who is still an admin."""

from functools import partial

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import blocks, ids
from bot.program import messages as program_messages
from bot.program import services as program_services
from bot.program.forms import settings_from_form
from bot.program.model import SettingsFormErrors
from deps import Deps
from handlers import admin
from handlers.listeners import admitted_submission, after_ack, submit, tell_by_dm
from handlers.permissions import is_admin
from handlers.render import refresh_home


def save_settings(ack: Ack, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
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
    saved = submit(
        deps,
        ack,
        first_field,
        lambda work: program_services.save_settings(work, team_id, settings, deps.fixed_settings),
    )
    if saved is None:
        return

    def follow_up() -> None:
        admin.dm_admin(client, user_id, blocks.message(program_messages.settings_saved(saved, deps.fixed_settings)))
        refresh_home(client, deps, team_id, user_id)

    after_ack(deps, follow_up, partial(tell_by_dm, client, user_id))
