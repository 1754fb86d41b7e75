"""Who may act as a program admin: the workspace's admins and owners, as Slack says now
(users.info, asked at every request, so someone who stops being one loses access at
once), and the people MENTOR_ADMINS names."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from deps import Deps

logger = logging.getLogger(__name__)


def is_admin(client: WebClient, deps: Deps, user_id: str) -> bool:
    if user_id in deps.admin_ids:
        return True
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        logger.warning("users.info failed while checking an admin: %s", error.response.get("error"))
        return False
    return not user.get("deleted") and any(user.get(flag) for flag in ("is_admin", "is_owner", "is_primary_owner"))
