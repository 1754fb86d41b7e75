"""`/mentor` and its subcommands: the one listener (mentor.py), the work after its ack,
recorded for a worker and done once (handoff.py), and each feature's subcommands (asks,
members, rounds, followups, program)."""

from slack_bolt import App

from bot import ids
from deps import Deps
from handlers.commands.mentor import handle_mentor_command
from handlers.listeners import bind_all


def register(app: App, deps: Deps) -> None:
    bind_all(app.command, {ids.SLASH_COMMAND: handle_mentor_command}, deps)
