"""The Slack edge: one package per surface (commands, actions, views, events), each with
`register(app, deps)` binding module-level listeners, and Bolt's error handler; and what a
worker does with each surface's work after the ack (perform, KNOWN)."""

from slack_bolt import App

from deps import Deps
from handlers import actions, commands, errors, events, interactions, views
from handlers.commands import handoff
from storage.command_jobs import ACTION, EVENT, VIEW, ClaimedJob

# The listeners a worker runs, by surface and name (handlers/interactions.py).
AFTER_ACK = {ACTION: actions.AFTER_ACK, VIEW: views.AFTER_ACK, EVENT: events.AFTER_ACK}
# Every job a worker of this version can do, as (surface, name).
KNOWN = handoff.KNOWN | {(surface, name) for surface, listeners in AFTER_ACK.items() for name in listeners}


def register(app: App, deps: Deps) -> None:
    for surface in (commands, actions, views, events, errors):
        surface.register(app, deps)


def perform(deps: Deps, job: ClaimedJob) -> None:
    """Do one job's work after its ack, once: a slash command's (handoff.perform), a click's
    or an event's (interactions.perform)."""
    if job.surface in AFTER_ACK:
        interactions.perform(deps, job, AFTER_ACK[job.surface])
    else:
        handoff.perform(deps, job)
