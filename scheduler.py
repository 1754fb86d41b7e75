"""The jobs that run outside requests: on a clock (APScheduler, at start and then every
JOB_INTERVAL_MINUTES), or once from the command line. Each is safe to run any number of
times, from several processes at once: the database keeps every step, round and DM to one.
"""

import logging
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple, TextIO

from bot.rounds.model import PlannedGroup, RoundRun, Unmatched
from deps import Deps
from jobs.asks import expire_due_asks
from jobs.followups import run_due_followups
from jobs.rounds import run_due_rounds, run_rounds_by_team

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


# The furthest ahead of UTC a workspace's day can be (UTC+14): a later --date is in the future everywhere.
_AHEAD_OF_UTC = timedelta(hours=14)

# What an operator is told of someone left without a group. A never-list is nobody's business
# but its owner's: here it is "nobody fit", as for any other reason the engine had.
_UNMATCHED_FOR_OPERATORS = {
    Unmatched.TOO_FEW: "too few people",
    Unmatched.CAREER_STAGE: "career stage neither early nor senior",
    Unmatched.OWN_NEVER_LIST: "nobody fit",
    Unmatched.NO_FIT: "nobody fit",
    Unmatched.NO_CATEGORY: "no group picked in the program's category",
}


def run_rounds_once(
    deps: Deps,
    key: str,
    team_id: str | None = None,
    held_on: date | None = None,
    force: bool = False,
    dry_run: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """`python app.py run-round <program>`: the round of the program keyed `key` held on
    `held_on` (default: today in each workspace's time zone) now, for every workspace or one (a team id), whatever their
    schedules (jobs.rounds.run_rounds_by_team); with `dry_run`, who would be grouped and why on
    `out`, and nothing sent or recorded. Waits for the work handed to the background pool.
    Returns the exit status: 0; 1 when a workspace's cycle already had a round (one line on
    `err` for each, and nothing run there); 2 for a `held_on` in the future (one line).
    `out` and `err` default to sys.stdout and sys.stderr as they are when called."""
    out, err = out or sys.stdout, err or sys.stderr
    if held_on is not None and held_on > (deps.clock() + _AHEAD_OF_UTC).date():
        print(f"run-round: {held_on} is in the future: --date catches up a missed round", file=err)
        return 2
    with deps.store.reading() as repositories:
        known = repositories.rounds.program_known(key)
    if not known:
        print(f"run-round: no workspace has a program called {key!r}: coffee, reverse, or one of theirs", file=err)
        return 2
    refused = 0
    for team, run in run_rounds_by_team(deps, key, team_id, held_on, force, dry_run):
        if run.cycle_round is not None:
            refused += 1
            print(_refusal(run, team), file=err)
        elif dry_run:
            out.writelines(line + "\n" for line in _dry_run(run, team))
        else:
            logger.info(
                "Round %s on %s: %d groups of %d members", run.program.key, run.held_on, run.groups, run.members
            )
    deps.background.shutdown(wait=True)
    return 1 if refused else 0


def _refusal(run: RoundRun, team_id: str) -> str:
    had = f"run-round: {team_id} already had {run.program.label} on {run.cycle_round:%A %-d %B %Y}"
    if run.cycle_round == run.held_on:
        return f"{had}: nothing run (one round a day)"
    return f"{had}, in the same cycle: nothing run (--force runs another)"


def _dry_run(run: RoundRun, team_id: str) -> list[str]:
    lines = [
        f"Dry run, nothing sent or recorded: {run.program.label} in {team_id} on {run.held_on:%A %-d %B %Y}, "
        f"{run.groups} groups of {run.members} members"
    ]
    lines += [f"  {' + '.join(group.members)}: {_why(group)}" for group in run.planned]
    lines += [
        f"  Nobody for {user_id}: {_UNMATCHED_FOR_OPERATORS[why]}"
        for user_id, why in zip(run.unmatched, run.why_unmatched, strict=True)
    ]
    if run.paused:
        lines.append(f"  Would be paused, their last introductions unanswered: {', '.join(run.paused)}")
    return lines


def _why(group: PlannedGroup) -> str:
    teaching = [f"{teacher} can help {learner} with {', '.join(skills)}" for teacher, learner, skills in group.teaching]
    why = "; ".join(teaching) if teaching else "no skills in common yet"
    if group.continuing:
        why += "; both chose to continue"
    return why + (f". Also: {', '.join(group.reasons)}" if group.reasons else "")


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
