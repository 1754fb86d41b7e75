"""Reading a member's profile and showing it in Slack: the modal and the Home tab."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import views
from bot.profile import Profile
from handlers.deps import Deps

logger = logging.getLogger(__name__)


def load_profile(deps: Deps, team_id: str, user_id: str) -> Profile | None:
    with deps.store.transaction() as repositories:
        return repositories.profiles.get(team_id, user_id)


def open_profile_modal(client: WebClient, deps: Deps, team_id: str, user_id: str, trigger_id: str) -> None:
    client.views_open(trigger_id=trigger_id, view=views.profile_modal(load_profile(deps, team_id, user_id)))


def publish_home(client: WebClient, user_id: str, profile: Profile | None) -> None:
    try:
        client.views_publish(user_id=user_id, view=views.home(profile))
    except SlackApiError as error:
        # The Home tab is refreshed again whenever the member opens it.
        logger.warning("views.publish failed: %s", error.response.get("error"))
