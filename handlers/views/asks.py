"""The "Find a mentor" modal: a question about the skill it was opened for."""

from functools import partial

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import ids
from bot.asks import services as ask_services
from bot.asks.model import clean_question
from bot.errors import InvalidInput, TemporarilyUnavailable
from handlers.deps import Deps, after_ack
from handlers.listeners import member_of
from jobs import asks as ask_jobs


def ask_from_modal(ack: Ack, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """The question typed in the modal (private_metadata: the skill's key)."""
    team_id, user_id = member_of(context)
    state = view.get("state", {}).get("values", {}).get(ids.ASK_QUESTION, {}).get(ids.ASK_QUESTION, {})
    question = state.get("value") if isinstance(state, dict) else None
    try:
        clean_question(question or "")
        with deps.store.transaction() as repositories:
            skill = ask_services.known_skill(repositories.asks, team_id, view.get("private_metadata") or "")
    except (InvalidInput, TemporarilyUnavailable) as error:
        ack(response_action="errors", errors={ids.ASK_QUESTION: error.message})
        return
    ack()
    reply = ask_jobs.reply_by_dm(client, user_id)
    after_ack(deps, partial(ask_jobs.start_ask, client, deps, team_id, user_id, question, reply, skill), reply)
