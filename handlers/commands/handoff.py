"""A `/mentor` subcommand's work after the ack: recorded in the database before the ack
(hand_off), and done by a worker (jobs/command_jobs.py), once (perform)."""

import logging

from slack_bolt import Respond

from bot.deliveries import DeliveryKind
from bot.slash_command import MentorCommand
from deps import Deps
from handlers.commands import asks, followups, members, program, rounds
from handlers.commands.invocation import Invocation, replying
from handlers.interactions import finish_alone, record_before_ack
from handlers.listeners import LeaseLost, Performing, complete, performing, reporting
from handlers.membership import check
from jobs import outbox
from jobs.command_jobs import MAX_ATTEMPTS
from storage.command_jobs import COMMAND, ClaimedJob, NewCommandJob

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
KNOWN = frozenset((COMMAND, name) for name in AFTER_ACK)


def hand_off(deps: Deps, team_id: str, user_id: str, command: MentorCommand, response_url: str) -> None:
    """Record the command's work for a worker before the ack (see record_before_ack: raises
    TemporarilyUnavailable when the database refuses it, and nothing will be done)."""
    job = NewCommandJob(team_id, user_id, command.name, command.argument, response_url)
    record_before_ack(deps, job, replying(Respond(response_url=response_url)))


def perform(deps: Deps, job: ClaimedJob) -> None:
    """A command's work, done once: the job is marked done in the transaction that does the
    work (Invocation.complete), and deleted once the work ends (its answer sent).
    Refusals and failures are told to the member (see reporting) and end the job too; after
    MAX_ATTEMPTS claims that never ended, the member is told by DM that it was not done (the
    DM queued with the job's end, so told once, however late: a response URL lasts 30 minutes)."""
    if job.attempts > MAX_ATTEMPTS:
        logger.error("A /mentor %s was given up after %d tries", job.name, MAX_ATTEMPTS)
        with deps.store.transaction() as repositories:
            told = repositories.command_jobs.give_up(job, deps.clock(), DeliveryKind.COMMAND_NOT_DONE)
        if told:
            outbox.kick(deps)
        return
    reply = replying(Respond(response_url=job.response_url))
    client = deps.client_for(job.team_id)
    if client is None:  # uninstalled since: nobody to answer with
        logger.warning("No installation holds a bot token for %s: a /mentor %s dropped", job.team_id, job.name)
        finish_alone(deps, job)
        return
    lost = False
    run = Invocation(client, deps, job.team_id, job.user_id, job.argument, reply, complete=complete)

    def work() -> None:
        nonlocal lost
        try:
            check(run.client, deps, job.team_id, job.user_id)
            AFTER_ACK[job.name](run)
        except LeaseLost:
            lost = True

    doing = Performing(job)
    token = performing.set(doing)  # for complete, and about_to_send
    try:
        reporting(work, reply)
    finally:
        performing.reset(token)
    if lost:
        logger.warning("A /mentor %s was taken over by another worker", job.name)
    else:  # done (complete), or the work only read, was refused or failed, or its transaction rolled back
        finish_alone(deps, job)
