"""Events Slack sends the bot."""

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import closing, followup_messages, ids, replies
from bot.errors import TemporarilyUnavailable
from bot.followups import FollowUp, FollowUpRefused, FollowUpStatus
from handlers import followup_flow, outbox
from handlers.deps import Deps, workspace_of
from handlers.render import refresh_home

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    @app.event(ids.APP_HOME_OPENED)
    def handle_app_home_opened(event: dict, client: WebClient, context) -> None:
        if event.get("tab") != "home":
            return  # the Messages tab also sends this event
        refresh_home(client, deps, workspace_of(context), context.user_id)

    @app.event(ids.USER_CHANGE)
    def handle_user_change(event: dict, context) -> None:
        """A member deactivated in Slack is out of every round from now on; one reactivated
        can be reached again (they rejoin rounds themselves)."""
        user = event.get("user") or {}
        if not isinstance(user.get("id"), str) or not isinstance(user.get("deleted"), bool):
            return
        with deps.store.transaction() as repositories:
            if user["deleted"]:
                repositories.rounds.leave_everything(workspace_of(context), user["id"])
            else:
                repositories.rounds.reactivate(workspace_of(context), user["id"])

    @app.event(ids.MESSAGE_IM.split(".")[0])
    def handle_direct_message(event: dict, client: WebClient, context) -> None:
        """A member wrote to the bot. A reply in the thread of a follow-up is the note for
        their mentor; anything else gets a short hint. Edits, deletions and bots' messages
        (the bot's own included) are left alone."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return
        channel, ts, thread_ts = event.get("channel"), event.get("ts"), event.get("thread_ts")
        followup = None
        if not thread_ts or thread_ts == ts:
            reply = followup_messages.thread_hint()
        else:
            reply, followup = _take_note(deps, workspace_of(context), channel, thread_ts, event["user"], event.get("text") or "")
        try:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts or ts, **reply)
        except SlackApiError as error:
            logger.warning("Could not answer a direct message: %s", error.response.get("error"))
        if followup is not None:
            followup_flow.refresh_prompts(client, deps, followup)  # the note shows on the prompt
            outbox.kick(deps)


def _take_note(
    deps: Deps, team_id: str, channel: str, thread_ts: str, user_id: str, text: str
) -> tuple[dict, FollowUp | None]:
    """Take a thread reply as the note; what to answer in the thread, and the follow-up it changed."""
    try:
        with deps.store.transaction() as repositories:
            followup = closing.note_in_thread(
                repositories.followups, team_id, channel, thread_ts, user_id, text, deps.clock()
            )
    except FollowUpRefused as refused:
        return followup_messages.refused(refused.reason), None
    except TemporarilyUnavailable as error:
        return replies.unavailable(error.message + " Your note wasn't saved: send it again in a minute."), None
    if followup is None:
        return followup_messages.thread_hint(), None
    if followup.status is FollowUpStatus.ANSWERED:
        return followup_messages.note_passed_on(followup), followup
    return followup_messages.note_kept_for_later(followup), followup
