"""Events Slack sends the bot, one module per feature."""

from slack_bolt import App

from bot import ids
from handlers.deps import Deps
from handlers.events import home, members, messages, workspace
from handlers.listeners import bind


def register(app: App, deps: Deps) -> None:
    app.event(ids.APP_HOME_OPENED)(bind(home.draw_home, deps))
    app.event(ids.USER_CHANGE)(bind(members.member_changed, deps))
    app.event(ids.TEAM_JOIN)(bind(members.member_joined, deps))
    app.event(ids.MESSAGE_IM.split(".")[0])(bind(messages.direct_message, deps))
    # Forgetting a workspace deletes its installation too, from the app's installation store.
    for event, listener in ((ids.APP_UNINSTALLED, workspace.uninstalled), (ids.TOKENS_REVOKED, workspace.revoked)):
        app.event(event)(bind(listener, deps, installations=app.installation_store))
