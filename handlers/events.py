"""Events Slack sends the bot."""

from slack_bolt import App
from slack_sdk import WebClient

from bot import ids, views
from bot.errors import TemporarilyUnavailable
from handlers.deps import Deps, workspace_of
from handlers.render import load_profile, publish_home


def register(app: App, deps: Deps) -> None:
    @app.event(ids.APP_HOME_OPENED)
    def handle_app_home_opened(event: dict, client: WebClient, context) -> None:
        if event.get("tab") != "home":
            return  # the Messages tab also sends this event
        user_id = context.user_id
        try:
            profile = load_profile(deps, workspace_of(context), user_id)
        except TemporarilyUnavailable as error:
            client.views_publish(user_id=user_id, view=views.home_notice(error.message))
            return
        publish_home(client, user_id, profile)
