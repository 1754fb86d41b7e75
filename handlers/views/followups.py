"""The note modal (the mentee's note for their mentor) and the reply modal (the mentor's
replies, relayed to the mentee's thread); private_metadata holds the follow-up's id, checked
against who submits."""

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import blocks, ids
from bot.followups import messages as followup_messages
from bot.followups import services as followup_services
from deps import Deps
from handlers.listeners import admitted_submission, followup_id_from, submit
from jobs import outbox


def save_note(ack: Ack, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    if (who := admitted_submission(deps, ack, client, context, ids.NOTE_INPUT)) is None:
        return
    team_id, user_id = who
    values = view.get("state", {}).get("values", {})
    checked = blocks.input_state(values, ids.SHARE_INPUT).get("selected_options")
    shared = (
        None if checked is None else followup_messages.SHARE_OPTION in (blocks.ticked(values, ids.SHARE_INPUT) or ())
    )
    followup = submit(
        deps,
        ack,
        ids.NOTE_INPUT,
        lambda work: followup_services.add_note(
            work,
            team_id,
            followup_id_from(view.get("private_metadata")),
            user_id,
            typed(values),
            shared,
            deps.clock(),
        ),
    )
    if followup is not None:
        outbox.kick(deps)  # the note shows on the prompt, and goes to the mentor if it is time


def save_reply(ack: Ack, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    if (who := admitted_submission(deps, ack, client, context, ids.NOTE_INPUT)) is None:
        return
    team_id, user_id = who
    values = view.get("state", {}).get("values", {})
    followup = submit(
        deps,
        ack,
        ids.NOTE_INPUT,
        lambda work: followup_services.relay(
            work,
            team_id,
            followup_id_from(view.get("private_metadata")),
            user_id,
            typed(values),
            f"view:{view.get('id')}",  # a submission Slack sends again is relayed once
            deps.clock(),
        ),
    )
    if followup is not None:
        outbox.kick(deps)


def typed(values: dict) -> str | None:
    text = blocks.input_state(values, ids.NOTE_INPUT).get("value")
    return text if isinstance(text, str) else None
