"""The jobs that run outside requests: on a clock (APScheduler, at start and then every
JOB_INTERVAL_MINUTES), or once from the command line. Each is safe to run any number of
times, from several processes at once: the database keeps every step, round and DM to one.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple

from bot.rounds.model import RoundKind
from deps import Deps
from jobs.asks import expire_due_asks
from jobs.followups import run_due_followups
from jobs.rounds import run_due_rounds, run_rounds_now

logger = logging.getLogger(__name__)

JOB_INTERVAL_MINUTES = 5


class Job(NamedTuple):
    run: Callable[[Deps], int]  # returns how many things it did
    done: str  # what a run did, for the log; %d is the count


EXPIRE_ASKS = Job(expire_due_asks, "Handled %d expired asks")
SEND_FOLLOWUPS = Job(run_due_followups, "Sent %d follow-up DMs")
START_ROUNDS = Job(run_due_rounds, "Started %d rounds")


def run_once(job: Job, deps: Deps) -> None:
    """Run `job` now, log what it did, and wait for the work it handed to the background pool."""
    logger.info(job.done, job.run(deps))
    deps.background.shutdown(wait=True)


def run_rounds_once(deps: Deps, kind: RoundKind, team_id: str | None = None) -> None:
    """Today's `kind` round now, for every workspace or one (a team id), whatever their
    schedules; log what each did, and wait for the work handed to the background pool."""
    for run in run_rounds_now(deps, kind, team_id):
        said = f"{run.groups} groups of {run.members} members" if run.created else "already run: nothing new"
        logger.info("Round %s on %s: %s", run.kind.value, run.held_on, said)
    deps.background.shutdown(wait=True)


def start_scheduler(deps: Deps, blocking: bool = False):
    """Every job at start, then every JOB_INTERVAL_MINUTES: in a background thread beside the
    server (returns the APScheduler scheduler, for `shutdown`), or (`blocking`) as this
    process's only work, until it is stopped."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    for name in ("apscheduler.scheduler", "apscheduler.executors.default"):
        logging.getLogger(name).addFilter(_info_as_debug)
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone="UTC")
    for job in (EXPIRE_ASKS, SEND_FOLLOWUPS, START_ROUNDS):
        scheduler.add_job(
            _Reporting(job),
            "interval",
            minutes=JOB_INTERVAL_MINUTES,
            args=[deps],
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
            name=job.run.__name__,
        )
    if blocking:
        logger.info("Running the scheduler's jobs only")
    scheduler.start()
    return scheduler


class _Reporting:
    """A scheduled job that says what it did: at INFO on its first run (the operator sees it
    work) and whenever it did something; otherwise at DEBUG."""

    def __init__(self, job: Job):
        self._job, self._first = job, True

    def __call__(self, deps: Deps) -> None:
        done = self._job.run(deps)
        logger.log(logging.INFO if done or self._first else logging.DEBUG, self._job.done, done)
        self._first = False


def _info_as_debug(record: logging.LogRecord) -> bool:
    # APScheduler logs every job added, started and done at INFO: every few minutes, news
    # of nothing. They are debug lines, shown only where its loggers log DEBUG.
    if record.levelno != logging.INFO:
        return True
    record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
    return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
