"""`/mentor join|leave <program>` (coffee, reverse, or a program's key), `/mentor pause
[2w|10d|YYYY-MM-DD]` and `/mentor resume`: each answers with where the member now stands in rounds."""

from bot.rounds import messages as round_messages
from bot.rounds import services as round_services
from handlers.commands.invocation import Invocation
from jobs import asks as ask_jobs


def join(run: Invocation) -> None:
    today = run.deps.clock().date()
    with run.deps.store.transaction() as work:
        joined = round_services.join(work, run.team_id, run.user_id, run.argument)
        offered = round_services.offered(work, run.team_id, joined.membership)
        pick = round_services.pick_of(work, run.team_id, run.user_id, joined.program)
        run.complete(work)
    run.reply(round_messages.joined(joined, today, offered, pick))


def leave(run: Invocation) -> None:
    today = run.deps.clock().date()
    with run.deps.store.transaction() as work:
        left = round_services.leave(work, run.team_id, run.user_id, run.argument)
        offered = round_services.offered(work, run.team_id, left.membership)
        run.complete(work)
    run.reply(round_messages.left(left, today, offered))


def pause(run: Invocation) -> None:
    with run.deps.store.transaction() as work:
        state = round_services.pause(work, run.team_id, run.user_id, run.argument, run.deps.clock().date())
        programs = round_services.programs_of(work, run.team_id, state)
        offered = round_services.offered(work, run.team_id, state)
        run.complete(work)
    run.reply(round_messages.paused(state, programs, offered))


def resume(run: Invocation) -> None:
    with run.deps.store.transaction() as work:
        state = round_services.resume(work, run.team_id, run.user_id)
        programs = round_services.programs_of(work, run.team_id, state)
        offered = round_services.offered(work, run.team_id, state)
        run.complete(work)
    ask_jobs.send_queued_asks(run.deps, run.team_id)  # back from a pause: they may take a queued ask
    run.reply(round_messages.resumed(programs, offered))
