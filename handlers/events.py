"""Events Slack sends the bot."""

from slack_bolt import App
from slack_sdk import WebClient

from bot import ids
from handlers.deps import Deps, workspace_of
from handlers.render import refresh_home


def register(app: App, deps: Deps) -> None:
    @app.event(ids.APP_HOME_OPENED)
    def handle_app_home_opened(event: dict, client: WebClient, context) -> None:
        if event.get("tab") != "home":
            return  # the Messages tab also sends this event
        refresh_home(client, deps, workspace_of(context), context.user_id)
