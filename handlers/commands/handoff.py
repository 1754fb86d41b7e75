"""A `/mentor` subcommand's work after the ack: what it carries to the command worker (a
process of its own, jobs/command_worker.py) and how it is done there."""

import logging
from dataclasses import dataclass, field

from slack_bolt import Respond

from bot import replies
from bot.slash_command import MentorCommand
from deps import Deps
from handlers.commands import asks, followups, members, program, rounds
from handlers.commands.invocation import Invocation, replying
from handlers.listeners import reporting
from handlers.membership import check

logger = logging.getLogger(__name__)

AFTER_ACK = {
    "ask": asks.ask,
    "asks": asks.list_asks,
    "network": asks.network,
    "offer": members.offer,
    "learn": members.learn,
    "join": rounds.join,
    "leave": rounds.leave,
    "pause": rounds.pause,
    "resume": rounds.resume,
    "followups": followups.switch,
    "stats": program.stats,
    "export": program.export,
}


@dataclass(frozen=True)
class CommandJob:
    """A command's work after the ack: what it needs, in a form another process can take."""

    team_id: str
    user_id: str
    # Out of repr, so that no log line can hold them: what the member typed, and secrets.
    command: MentorCommand = field(repr=False)
    response_url: str = field(repr=False)
    token: str = field(repr=False)  # the bot token the request was authorized with


def hand_off(deps: Deps, job: CommandJob) -> None:
    """To the command worker process when there is one, else to this process's background pool."""
    if deps.command_worker is not None:
        deps.command_worker.submit(job)
    else:
        deps.background.submit(perform, deps, job)


def perform(deps: Deps, job: CommandJob) -> None:
    """A command's work after the ack, for someone Mentor is for; whatever goes wrong, the
    member is told (see reporting)."""
    reply = replying(Respond(response_url=job.response_url))
    run = Invocation(deps.bot_client(job.token), deps, job.team_id, job.user_id, job.command.argument, reply)

    def work() -> None:
        check(run.client, deps, job.team_id, job.user_id)
        AFTER_ACK[job.command.name](run)

    reporting(work, reply)


def tell_interrupted(job: CommandJob) -> None:
    """For a job the command worker held when it died: the member hears so, and what to check."""
    try:
        Respond(response_url=job.response_url)(**replies.interrupted(job.command.name))
    except Exception as error:  # broad on purpose: a thread of our own: log it
        logger.error("Telling a member their command was interrupted failed: %s", type(error).__name__)
