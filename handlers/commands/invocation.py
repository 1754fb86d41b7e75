"""One `/mentor` subcommand being answered: what each feature's subcommand is handed."""

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import Respond
from slack_sdk import WebClient

from deps import Deps
from jobs.asks import Reply
from storage.db import Repositories


@dataclass(frozen=True)
class Invocation:
    """Who asked, what they typed after the subcommand's name, and how to answer them:
    privately, at the command's response URL."""

    client: WebClient
    deps: Deps
    team_id: str
    user_id: str
    argument: str
    reply: Reply
    trigger_id: str = ""  # for a modal, right after the ack only: it lasts 3 seconds
    # Called in the transaction that does the command's work, so that the work and the mark
    # that it is done commit together, once (handoff.perform); it raises when another worker
    # holds the command now. Work that only reads needs none.
    complete: Callable[[Repositories], None] = lambda repositories: None


def replying(respond: Respond) -> Reply:
    """A reply through the command's response URL, seen by the member alone."""

    def reply(message: dict) -> None:
        respond(**message, response_type="ephemeral")

    return reply
