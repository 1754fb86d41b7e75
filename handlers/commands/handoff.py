"""A `/mentor` subcommand's work after the ack: recorded in the database before the ack
(hand_off), and done by a worker (jobs/command_jobs.py), once (perform)."""

import logging
from concurrent.futures import Future
from functools import partial

from slack_bolt import Respond

from bot import replies
from bot.errors import TemporarilyUnavailable
from bot.slash_command import MentorCommand
from deps import Deps
from handlers.commands import asks, followups, members, program, rounds
from handlers.commands.invocation import Invocation, replying
from handlers.listeners import reporting
from handlers.membership import check
from jobs import outbox
from jobs.command_jobs import MAX_ATTEMPTS
from storage.command_jobs import ClaimedJob, NewCommandJob
from storage.db import Repositories

logger = logging.getLogger(__name__)

# How long an ack waits at most for its command's work to be recorded (Slack allows 3 s).
RECORD_WAIT_SECONDS = 1.0

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
KNOWN = frozenset(AFTER_ACK)


class LeaseLost(Exception):
    """This worker's claim on a job ran out and another worker holds it now: nothing of this
    try may be kept (its transaction rolls back), and the other worker answers the member."""


def hand_off(deps: Deps, team_id: str, user_id: str, command: MentorCommand, response_url: str) -> None:
    """Record the command's work for a worker (waking one of this process's) before the ack.
    Raises TemporarilyUnavailable when the database refuses it: nothing will be done.

    A database busy with a long write (SQLite has one writer at a time) is waited for
    RECORD_WAIT_SECONDS at most: then the ack goes, the work is recorded once the database
    answers, and the member is told if it never does. Until then it is not durable."""
    job = NewCommandJob(team_id, user_id, command.name, command.argument, response_url)
    recording = deps.recorder.record(job)
    try:
        recording.result(timeout=RECORD_WAIT_SECONDS)
    except TimeoutError:
        logger.warning("The database kept a /mentor %s waiting: acknowledged before it was recorded", command.name)
        recording.add_done_callback(partial(_told_if_unrecorded, response_url))


def _told_if_unrecorded(response_url: str, recording: Future) -> None:
    error = recording.exception()
    if error is None:
        return
    logger.error("A /mentor command acknowledged could not be recorded: %s", type(error).__name__)
    message = error.message if isinstance(error, TemporarilyUnavailable) else TemporarilyUnavailable.message
    _tell(replying(Respond(response_url=response_url)), replies.unavailable(message))


def perform(deps: Deps, job: ClaimedJob) -> None:
    """A command's work, done once: the job is deleted in the transaction that does the work
    (Invocation.complete), or, for work that only reads or only calls Slack, once it ends.
    Refusals and failures are told to the member (see reporting) and end the job too; after
    MAX_ATTEMPTS claims that never ended, the member is told by DM that it was not done (the
    DM queued with the job's end, so told once, however late: a response URL lasts 30 minutes)."""
    if job.attempts > MAX_ATTEMPTS:
        logger.error("A /mentor %s was given up after %d tries", job.name, MAX_ATTEMPTS)
        with deps.store.transaction() as repositories:
            told = repositories.command_jobs.give_up(job, deps.clock())
        if told:
            outbox.kick(deps)
        return
    reply = replying(Respond(response_url=job.response_url))
    client = deps.client_for(job.team_id)
    if client is None:  # uninstalled since: nobody to answer with
        logger.warning("No installation holds a bot token for %s: a /mentor %s dropped", job.team_id, job.name)
        _finish_alone(deps, job)
        return
    lost = False

    def complete(repositories: Repositories) -> None:
        if not repositories.command_jobs.finish(job):
            raise LeaseLost()

    run = Invocation(client, deps, job.team_id, job.user_id, job.argument, reply, complete=complete)

    def work() -> None:
        nonlocal lost
        try:
            check(run.client, deps, job.team_id, job.user_id)
            AFTER_ACK[job.name](run)
        except LeaseLost:
            lost = True

    reporting(work, reply)
    if lost:
        logger.warning("A /mentor %s was taken over by another worker", job.name)
    else:  # the work only read, or was refused or failed, or its transaction rolled back
        _finish_alone(deps, job)  # (already deleted in the work's transaction: nothing to do)


def _finish_alone(deps: Deps, job: ClaimedJob) -> bool:
    with deps.store.transaction() as repositories:
        return repositories.command_jobs.finish(job)


def _tell(reply, message: dict) -> None:
    try:
        reply(message)
    except Exception as error:  # broad on purpose: a thread of our own: log it
        logger.error("Telling a member their command was not done failed: %s", type(error).__name__)
