"""Events Slack sends the bot."""

import logging
from collections.abc import Callable
from datetime import timedelta

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids, replies
from bot.errors import TemporarilyUnavailable
from bot.followups import messages as followup_messages
from bot.followups import services as followup_services
from bot.followups.model import FollowUp, FollowUpRefused, FollowUpStatus
from handlers.deps import Deps, workspace_of
from handlers.render import refresh_home
from jobs import followups as followup_jobs
from jobs import outbox

logger = logging.getLogger(__name__)

# A first delivery still being handled after this long died with its process: a retry takes over.
EVENT_STALE_AFTER = timedelta(minutes=2)


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

    @app.event(ids.TEAM_JOIN)
    def handle_team_join(event: dict, context) -> None:
        """Someone joined the workspace: one welcome DM saying how to opt in, nothing more."""
        user = event.get("user") or {}
        if not isinstance(user.get("id"), str) or user.get("is_bot") or user.get("deleted"):
            return
        with deps.store.transaction() as repositories:
            queued = repositories.profiles.queue_welcome(workspace_of(context), user["id"], deps.clock())
        if queued:
            outbox.kick(deps)

    @app.event(ids.APP_UNINSTALLED)
    def handle_app_uninstalled(context) -> None:
        forget_workspace(app, deps, context, "uninstalled")

    @app.event(ids.TOKENS_REVOKED)
    def handle_tokens_revoked(event: dict, context) -> None:
        if (event.get("tokens") or {}).get("bot"):  # Mentor holds no user tokens: only the bot's matter
            forget_workspace(app, deps, context, "revoked its token")

    @app.event(ids.MESSAGE_IM.split(".")[0])
    def handle_direct_message(event: dict, body: dict, client: WebClient, context) -> None:
        """A member wrote to the bot. A reply in the thread of a follow-up is the note for
        their mentor; anything else gets a short hint. Edits, deletions and bots' messages
        (the bot's own included) are left alone; an event Slack sends again is handled once."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return
        once(deps, workspace_of(context), body.get("event_id"), lambda: answer_direct_message(event, client, context))

    def answer_direct_message(event: dict, client: WebClient, context) -> None:
        channel, ts, thread_ts = event.get("channel"), event.get("ts"), event.get("thread_ts")
        followup = None
        if not thread_ts or thread_ts == ts:
            reply = followup_messages.thread_hint()
        else:
            reply, followup = _take_note(
                deps, workspace_of(context), channel, thread_ts, event["user"], event.get("text") or ""
            )
        try:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts or ts, **reply)
        except SlackApiError as error:
            logger.warning("Could not answer a direct message: %s", error.response.get("error"))
        if followup is not None:
            followup_jobs.refresh_prompts(client, deps, followup)  # the note shows on the prompt
            outbox.kick(deps)


def once(deps: Deps, team_id: str, event_id: str | None, work: Callable[[], None]) -> None:
    """Do `work` for an event unless it is being, or was, done for an earlier delivery of it
    (Slack retries, with the same event id, an event it thinks went unanswered). If `work`
    fails, a retry does it afresh."""
    if not event_id:
        work()
        return
    with deps.store.transaction() as repositories:
        if not repositories.events.start(team_id, event_id, deps.clock(), stale_after=EVENT_STALE_AFTER):
            logger.info("Event %s was already handled", event_id)
            return
    try:
        work()
    except BaseException:
        with deps.store.transaction() as repositories:
            repositories.events.abandon(team_id, event_id)
        raise
    with deps.store.transaction() as repositories:
        repositories.events.finish(team_id, event_id)


def forget_workspace(app: App, deps: Deps, context, why: str) -> None:
    """The workspace removed Mentor: its tokens and everything Mentor held about it go now."""
    team_id = workspace_of(context)
    if app.installation_store is not None:
        app.installation_store.delete_all(enterprise_id=context.enterprise_id, team_id=context.team_id)
    with deps.store.transaction() as repositories:
        deleted = repositories.forgetting.forget_workspace(team_id)
    logger.info("Workspace %s %s: its installation and %d rows deleted", team_id, why, deleted)


def _take_note(
    deps: Deps, team_id: str, channel: str, thread_ts: str, user_id: str, text: str
) -> tuple[dict, FollowUp | None]:
    """Take a thread reply as the note; what to answer in the thread, and the follow-up it changed."""
    try:
        with deps.store.transaction() as repositories:
            followup = followup_services.note_in_thread(
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
