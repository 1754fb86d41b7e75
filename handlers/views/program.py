"""The program settings modal: saved only for someone who is still an admin."""

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import blocks, ids
from bot.errors import TemporarilyUnavailable
from bot.program import messages as program_messages
from bot.program.forms import settings_from_form
from bot.program.messages import settings_saved
from bot.program.model import SettingsFormErrors
from handlers import admin
from handlers.deps import Deps
from handlers.listeners import member_of
from handlers.permissions import is_admin
from handlers.render import refresh_home


def save_settings(ack: Ack, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    team_id, user_id = member_of(context)
    first_field = ids.SettingsField.CADENCE
    if not is_admin(client, deps, user_id):  # an admin a moment ago may be one no more
        ack(response_action="errors", errors={first_field: program_messages.not_admin("Program settings")["text"]})
        return
    try:
        settings = settings_from_form(view.get("state", {}).get("values", {}))
        with deps.store.transaction() as repositories:
            repositories.program.save_settings(team_id, settings)
    except SettingsFormErrors as invalid:
        ack(response_action="errors", errors=invalid.errors)
        return
    except TemporarilyUnavailable as error:
        ack(response_action="errors", errors={first_field: error.message})
        return
    ack()
    admin.dm_admin(client, user_id, blocks.message(settings_saved(settings)))
    refresh_home(client, deps, team_id, user_id)
