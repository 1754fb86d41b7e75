"""The Slack edge: Bolt listeners, one module per surface, each with `register(app, deps)`."""

from slack_bolt import App

from handlers import actions, admin, commands, errors, events, views
from handlers.deps import Deps


def register(app: App, deps: Deps) -> None:
    for surface in (commands, actions, views, events, admin, errors):
        surface.register(app, deps)
