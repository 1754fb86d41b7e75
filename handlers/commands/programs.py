"""`/mentor programs`, for admins: the workspace's programs with Pause, Resume and Archive, and
a button for a new one; `/mentor programs new` opens the new program modal at once (so it
runs right after the ack, in the web process, within its trigger's 3 seconds)."""

from bot.rounds import program_messages
from bot.rounds import programs as program_services
from handlers import programs as program_admin
from handlers.commands.invocation import Invocation
from handlers.commands.program import refused


def programs(run: Invocation) -> None:
    if refused(run, "Programs"):
        return
    if run.argument.strip().casefold() == "new":
        program_admin.open_new_program(run.client, run.deps, run.team_id, run.trigger_id)
        return
    with run.deps.store.reading() as work:
        listed = program_services.listed(work, run.team_id)
    run.reply(program_messages.programs_list(listed))
