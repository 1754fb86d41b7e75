"""`/mentor join|leave coffee|reverse`, `/mentor pause [2w|10d|YYYY-MM-DD]` and `/mentor resume`."""

from bot.rounds import messages as round_messages
from bot.rounds import services as round_services
from bot.rounds.model import RoundKind, round_kind
from handlers.commands.invocation import Invocation


def join(run: Invocation) -> None:
    today = run.deps.clock().date()
    with run.deps.store.transaction() as repositories:
        kind = round_kind(run.argument)
        state = round_services.join(repositories.rounds, run.team_id, run.user_id, kind)
        said = f"Joined {kind.label}."
        if kind is RoundKind.REVERSE and not repositories.program.settings(run.team_id).reverse_enabled:
            said += " Your program's admins have paused reverse mentoring for now: you'll be paired once it is back."
    run.reply(round_messages.membership(state, today, said))


def leave(run: Invocation) -> None:
    today = run.deps.clock().date()
    with run.deps.store.transaction() as repositories:
        kind = round_kind(run.argument)
        state = round_services.leave(repositories.rounds, run.team_id, run.user_id, kind)
    run.reply(round_messages.membership(state, today, f"Left {kind.label}."))


def pause(run: Invocation) -> None:
    today = run.deps.clock().date()
    with run.deps.store.transaction() as repositories:
        state = round_services.pause(repositories.rounds, run.team_id, run.user_id, run.argument, today)
    run.reply(round_messages.membership(state, today, "Paused: no rounds and no asks reach you meanwhile."))


def resume(run: Invocation) -> None:
    today = run.deps.clock().date()
    with run.deps.store.transaction() as repositories:
        state = round_services.resume(repositories.rounds, run.team_id, run.user_id)
    run.reply(round_messages.membership(state, today, "Welcome back."))
