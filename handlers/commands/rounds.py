"""`/mentor join|leave coffee|reverse`, `/mentor pause [2w|10d|YYYY-MM-DD]` and `/mentor resume`:
each answers with where the member now stands in rounds."""

from bot.rounds import messages as round_messages
from bot.rounds import services as round_services
from bot.rounds.model import round_kind
from handlers.commands.invocation import Invocation
from jobs import asks as ask_jobs


def join(run: Invocation) -> None:
    today, kind = run.deps.clock().date(), round_kind(run.argument)
    with run.deps.store.transaction() as work:
        joined = round_services.join(work, run.team_id, run.user_id, kind)
        schedule = work.rounds.schedule(run.team_id)
        run.complete(work)
    run.reply(round_messages.joined(kind, joined, today, schedule))


def leave(run: Invocation) -> None:
    today, kind = run.deps.clock().date(), round_kind(run.argument)
    with run.deps.store.transaction() as work:
        left = round_services.leave(work, run.team_id, run.user_id, kind)
        schedule = work.rounds.schedule(run.team_id)
        run.complete(work)
    run.reply(round_messages.left(kind, left, today, schedule))


def pause(run: Invocation) -> None:
    with run.deps.store.transaction() as work:
        state = round_services.pause(work, run.team_id, run.user_id, run.argument, run.deps.clock().date())
        schedule = work.rounds.schedule(run.team_id)
        run.complete(work)
    run.reply(round_messages.paused(state, schedule))


def resume(run: Invocation) -> None:
    with run.deps.store.transaction() as work:
        state = round_services.resume(work, run.team_id, run.user_id)
        schedule = work.rounds.schedule(run.team_id)
        run.complete(work)
    ask_jobs.send_queued_asks(run.deps, run.team_id)  # back from a pause: they may take a queued ask
    run.reply(round_messages.resumed(state, schedule))
