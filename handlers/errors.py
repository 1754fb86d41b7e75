"""What happens when a listener fails in a way nobody planned for."""

import logging

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.webhook import WebhookClient

from bot import replies
from deps import Deps

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    @app.error
    def handle_unexpected_error(error: Exception, body: dict, request: BoltRequest) -> BoltResponse | None:
        # The type and where, never the payload: it may hold what a member typed.
        kind = body.get("command") or body.get("type") or (body.get("event") or {}).get("type")
        logger.error("Unhandled %s in a %s listener", type(error).__name__, kind, exc_info=error)
        response_url = body.get("response_url")
        if isinstance(response_url, str) and response_url.startswith(("https://", "http://")):
            WebhookClient(response_url).send(**replies.something_went_wrong(), response_type="ephemeral")
        # Slack is answered once the listener returns (process_before_response, app.py): with
        # its ack when it gave one before failing, not Bolt's 500, which Slack would show too.
        return request.context.ack.response
