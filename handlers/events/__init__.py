"""Events Slack sends the bot, one module per feature (home: the Home tab; members: people
joining and leaving the workspace; channels: a program's channel joined or left; followups:
a mentee's note in a DM; workspace: uninstalls)."""

from collections.abc import Callable

from slack_bolt import App

from bot import ids
from deps import Deps
from handlers.events import channels, followups, home, members, workspace
from handlers.listeners import bind_all


def register(app: App, deps: Deps) -> None:
    app.middleware(workspace.rate_limited)
    listeners: dict[str, Callable[..., None]] = {
        ids.APP_HOME_OPENED: home.draw_home,
        ids.USER_CHANGE: members.member_changed,
        ids.TEAM_JOIN: members.member_joined,
        ids.MEMBER_JOINED_CHANNEL: channels.member_joined_channel,
        ids.MEMBER_LEFT_CHANNEL: channels.member_left_channel,
        ids.MESSAGE_IM.split(".")[0]: followups.direct_message,
    }
    bind_all(app.event, listeners, deps)
    # Forgetting a workspace deletes its installation too, from the app's installation store.
    removed: dict[str, Callable[..., None]] = {
        ids.APP_UNINSTALLED: workspace.uninstalled,
        ids.TOKENS_REVOKED: workspace.revoked,
    }
    bind_all(app.event, removed, deps, installations=app.installation_store)
