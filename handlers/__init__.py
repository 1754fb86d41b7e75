"""The Slack edge: one package per surface (commands, actions, views, events), each with
`register(app, deps)` binding module-level listeners, and Bolt's error handler."""

from slack_bolt import App

from deps import Deps
from handlers import actions, commands, errors, events, views


def register(app: App, deps: Deps) -> None:
    for surface in (commands, actions, views, events, errors):
        surface.register(app, deps)
