"""The "Say thanks" modal (private_metadata: the group's id, checked against who submits)."""

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import blocks, ids
from bot.errors import InvalidInput
from bot.rounds import messages as round_messages
from bot.rounds import services as round_services
from deps import Deps
from handlers.listeners import admitted_submission, row_id, submit
from jobs import outbox


def save_thanks(ack: Ack, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """A thank-you to the ticked members of the group, checked before the modal closes (a
    refusal shows under the note, with what was typed still there), then sent by the outbox."""
    if (who := admitted_submission(deps, ack, client, context, ids.THANKS_NOTE)) is None:
        return
    team_id, user_id = who
    values = view.get("state", {}).get("values", {})
    note = blocks.input_state(values, ids.THANKS_NOTE).get("value")
    sent = submit(
        deps,
        ack,
        ids.THANKS_NOTE,
        lambda work: round_services.send_thanks(
            work,
            team_id,
            row_id(view.get("private_metadata"), InvalidInput(round_services.NOT_IN_GROUP)),
            user_id,
            blocks.ticked(values, ids.THANKS_TO) or (),
            note if isinstance(note, str) else "",
            round_messages.SHARE_THANKS in (blocks.ticked(values, ids.THANKS_SHARE) or ()),
            deps.clock(),
        ),
    )
    if sent:
        outbox.kick(deps)
