"""`/mentor ask`, `/mentor asks` and `/mentor network`."""

from bot.asks import messages as ask_messages
from bot.asks import services as ask_services
from handlers.commands.invocation import Invocation
from jobs import asks as ask_jobs


def ask(run: Invocation) -> None:
    """`/mentor ask <question>`: route it, DM the candidates, tell the asker."""
    ask_jobs.start_ask(run.client, run.deps, run.team_id, run.user_id, run.argument, run.reply, also=run.complete)


def list_asks(run: Invocation) -> None:
    """`/mentor asks`: the member's open asks, each with a Cancel button."""
    with run.deps.store.transaction() as repositories:
        pending = repositories.asks.pending_of(run.team_id, run.user_id)
    run.reply(ask_messages.my_asks(pending))


def network(run: Invocation) -> None:
    """`/mentor network`: for each skill the member wants, who has helped them with it."""
    with run.deps.store.transaction() as work:
        found = ask_services.mentor_network(work, run.team_id, run.user_id)
    run.reply(ask_messages.network_reply(found))
