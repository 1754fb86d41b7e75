"""Buttons in messages and on the Home tab."""

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import ids, views
from bot.errors import TemporarilyUnavailable
from handlers.deps import Deps, workspace_of
from handlers.render import open_profile_modal


def register(app: App, deps: Deps) -> None:
    @app.action(ids.OPEN_PROFILE)
    def handle_open_profile(ack: Ack, body: dict, client: WebClient, context) -> None:
        ack()
        try:
            open_profile_modal(client, deps, workspace_of(context), context.user_id, body["trigger_id"])
        except TemporarilyUnavailable as error:
            client.views_open(trigger_id=body["trigger_id"], view=views.notice_modal("Mentor", error.message))
