"""Events Slack sends the bot, one module per feature (home: the Home tab; members: people
joining and leaving the workspace; channels: a program's channel joined or left; followups:
a mentee's note in a DM; workspace: uninstalls).

The events of AFTER_ACK are recorded before their ack and their listeners run on a worker
(handlers/interactions.py), or right after the ack when the database refuses the record; an
uninstall's is done before the ack, its token going with it."""

from collections.abc import Callable

from slack_bolt import App

from bot import ids
from deps import Deps
from handlers.events import channels, followups, home, members, workspace
from handlers.interactions import acknowledge_first, defer_events
from handlers.listeners import bind, bind_all

AFTER_ACK: dict[str, Callable[..., None]] = {
    ids.APP_HOME_OPENED: home.draw_home,
    ids.USER_CHANGE: members.member_changed,
    ids.TEAM_JOIN: members.member_joined,
    ids.MEMBER_JOINED_CHANNEL: channels.member_joined_channel,
    ids.MEMBER_LEFT_CHANNEL: channels.member_left_channel,
    ids.MESSAGE_IM.split(".")[0]: followups.direct_message,
}


def register(app: App, deps: Deps) -> None:
    app.middleware(workspace.rate_limited)
    app.middleware(bind(defer_events, deps, events=AFTER_ACK))
    for event_type, listener in AFTER_ACK.items():  # for an event the database could not record
        app.event(event_type)(acknowledge_first(listener, deps))
    # Forgetting a workspace deletes its installation too, from the app's installation store.
    removed: dict[str, Callable[..., None]] = {
        ids.APP_UNINSTALLED: workspace.uninstalled,
        ids.TOKENS_REVOKED: workspace.revoked,
    }
    bind_all(app.event, removed, deps, installations=app.installation_store)
