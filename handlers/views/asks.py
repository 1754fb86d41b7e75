"""The "Find a mentor" modal: a question about the skill it was opened for."""

from functools import partial

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import blocks, ids
from bot.asks import services as ask_services
from deps import Deps
from handlers.listeners import admitted_submission, after_ack, submit
from jobs import asks as ask_jobs


def ask_from_modal(ack: Ack, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """The question typed in the modal (private_metadata: the skill's key), checked before the
    modal closes; the ask itself, slow, runs after the ack and answers by DM."""
    if (who := admitted_submission(deps, ack, client, context, ids.ASK_QUESTION)) is None:
        return
    team_id, user_id = who
    question = blocks.input_state(view.get("state", {}).get("values", {}), ids.ASK_QUESTION).get("value")
    question = question if isinstance(question, str) else ""
    skill = submit(
        deps,
        ack,
        ids.ASK_QUESTION,
        lambda work: ask_services.check_ask(work, team_id, question, view.get("private_metadata") or ""),
    )
    if skill is not None:
        reply = ask_jobs.reply_by_dm(client, user_id)
        after_ack(deps, partial(ask_jobs.start_ask, client, deps, team_id, user_id, question, reply, skill), reply)
