"""The "Find a mentor" modal: a question about the skill it was opened for."""

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import blocks, ids
from bot.asks import services as ask_services
from deps import Deps
from handlers.interactions import request_of
from handlers.listeners import admitted_submission, complete, member_of, submit
from jobs import asks as ask_jobs
from storage.command_jobs import VIEW, NewCommandJob
from storage.db import Repositories


def ask_from_modal(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """The question typed in the modal (private_metadata: the skill's key), checked before the
    modal closes, and recorded with the check for a worker (start_from_modal): the ask itself,
    slow, runs after the ack and answers by DM."""
    if (who := admitted_submission(deps, ack, client, context, ids.ASK_QUESTION)) is None:
        return
    team_id, user_id = who
    job = NewCommandJob(team_id, user_id, ids.ASK_VIEW, "", "", VIEW, request_of(body, context))

    def check_and_record(work: Repositories) -> bool:
        ask_services.check_ask(work, team_id, question_in(view), view.get("private_metadata") or "")
        work.command_jobs.queue([job], deps.clock())
        return True

    if submit(deps, ack, ids.ASK_QUESTION, check_and_record):
        deps.command_queued.set()  # wakes a worker of this process


def start_from_modal(view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """On a worker: the ask of a "Find a mentor" modal submitted, its job done with the ask's
    transaction. Checked again (the skill may have gone since): a refusal is told by DM."""
    team_id, user_id = member_of(context)
    question = question_in(view)
    with deps.store.reading() as work:
        skill = ask_services.check_ask(work, team_id, question, view.get("private_metadata") or "")
    reply = ask_jobs.reply_by_dm(client, user_id)
    ask_jobs.start_ask(client, deps, team_id, user_id, question, reply, skill, also=complete)


def question_in(view: dict) -> str:
    question = blocks.input_state(view.get("state", {}).get("values", {}), ids.ASK_QUESTION).get("value")
    return question if isinstance(question, str) else ""
