"""The Home tab, drawn whenever a member opens it."""

from slack_bolt import BoltContext
from slack_sdk import WebClient

from deps import Deps
from handlers.listeners import member_of
from handlers.render import refresh_home


def draw_home(event: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    if event.get("tab") != "home" or not context.user_id:
        return  # the Messages tab also sends this event; Slack names the member in every one
    refresh_home(client, deps, *member_of(context))
