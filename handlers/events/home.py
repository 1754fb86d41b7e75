"""The Home tab, drawn whenever a member opens it; someone Mentor is not for sees why."""

import logging

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import home
from deps import Deps
from handlers.listeners import REFUSALS, admit, field_error
from handlers.render import refresh_home

logger = logging.getLogger(__name__)


def draw_home(event: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    if event.get("tab") != "home" or not context.user_id:
        return  # the Messages tab also sends this event; Slack names the member in every one
    try:
        team_id, user_id = admit(deps, client, context)
    except REFUSALS as error:
        try:
            client.views_publish(user_id=context.user_id, view=home.home_notice(field_error(error)))
        except SlackApiError as failed:
            logger.warning("views.publish failed: %s", failed.response.get("error"))
        return
    refresh_home(client, deps, team_id, user_id)
