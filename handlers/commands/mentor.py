"""The `/mentor` listener: acknowledged at once, and answered in the ack when that is all it
takes; a modal is opened right after the ack, in this process, and everything else is
recorded for a worker before the ack (handoff.py)."""

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import replies
from bot.asks import messages as ask_messages
from bot.asks.model import clean_question
from bot.errors import InvalidInput, TemporarilyUnavailable
from bot.members import messages as member_messages
from bot.slash_command import MentorCommand, parse_command
from bot.text import plain_text_of
from deps import Deps
from handlers.commands import members, program, programs
from handlers.commands.handoff import hand_off
from handlers.commands.invocation import Invocation, replying
from handlers.listeners import admit, after_ack, member_of, refusal

# Subcommands that open a modal: its trigger id lasts 3 seconds, so they run now, in this process.
MODALS = {"profile": members.profile, "settings": program.settings, "programs": programs.programs}


def handle_mentor_command(
    ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    parsed = parse_command(plain_text_of(command.get("text") or ""))
    message, answered = acknowledgement(parsed)
    if answered:
        ack(**message)
        return
    team_id, user_id = member_of(context)
    if parsed.name not in MODALS:
        # Its work is recorded before the ack and done by a worker (see hand_off): it survives
        # any process ending, and the threads serving requests stay free to acknowledge the next.
        try:
            hand_off(deps, team_id, user_id, parsed, command["response_url"])
        except TemporarilyUnavailable as error:
            ack(**refusal(error))
            return
        ack(**message)
        return
    ack(**message)
    run = Invocation(client, deps, team_id, user_id, parsed.argument, replying(respond), command["trigger_id"])

    def open_modal() -> None:
        admit(deps, client, context)
        MODALS[parsed.name](run)

    after_ack(deps, open_modal, run.reply)


def acknowledgement(parsed: MentorCommand) -> tuple[dict, bool]:
    """What the ack says, and whether that is the whole answer."""
    if parsed.name == "help":
        return replies.usage(), True
    if parsed.name == "unknown":
        return replies.usage(parsed.typed), True
    if parsed.name == "forget":
        return member_messages.confirm(), True  # nothing happens before the member confirms
    if parsed.name == "ask":
        try:
            clean_question(parsed.argument)  # pure and quick: a bad question is refused in the ack itself
        except InvalidInput as error:
            return replies.invalid_input(error), True
        return ask_messages.looking(), False
    return {}, False
