"""Program admins' subcommands: `/mentor settings`, `/mentor stats [period]`, `/mentor stats
chart [period]` and `/mentor export [period]`; refused politely for anyone else."""

from functools import partial

from bot.program import messages as program_messages
from bot.program.model import parse_period
from handlers import admin
from handlers.commands.invocation import Invocation
from handlers.permissions import is_admin


def refused(run: Invocation, what: str) -> bool:
    """True, and the member told so, when they are not a program admin."""
    if is_admin(run.client, run.deps, run.user_id):
        return False
    run.reply(program_messages.not_admin(what))
    return True


def settings(run: Invocation) -> None:
    if not refused(run, "Program settings"):
        admin.open_settings(run.client, run.deps, run.team_id, run.trigger_id)


def stats(run: Invocation) -> None:
    if refused(run, "Program figures"):
        return
    chart = run.argument.strip().casefold().startswith("chart")
    period = parse_period(run.argument.strip()[len("chart") :] if chart else run.argument, run.deps.clock())
    if chart:
        run.reply(program_messages.working_on("the charts"))
        send = partial(admin.send_chart, run.client, run.deps, run.team_id, run.user_id, period, run.reply)
    else:
        send = partial(admin.send_stats, run.deps, run.team_id, period, run.reply)
    send()  # on the worker: the command's job ends once they are sent (see about_to_send)


def export(run: Invocation) -> None:
    if refused(run, "Program exports"):
        return
    period = parse_period(run.argument, run.deps.clock())
    run.reply(program_messages.working_on("the CSV export"))
    admin.send_export(run.client, run.deps, run.team_id, run.user_id, period, run.reply)
