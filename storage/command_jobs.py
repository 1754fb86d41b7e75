"""Work after the ack, waiting to be done: slash commands', clicks' and events'. Recorded
before the ack, claimed by a worker with a lease (as the outbox's deliveries are), one
member's in the order they were recorded, and marked done in the transaction that does the
work, so that it is done once whichever process dies (jobs/command_jobs.py); deleted once
what follows the change (an answer, a Home tab redrawn) is done."""

import functools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import psycopg
from sqlalchemy import Connection, and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.deliveries import DeliveryKind
from storage import models
from storage.outbox import About, queue_deliveries
from storage.queries import batches, rowcount

# A job's surface: where Slack sent it from (a slash command, a click, a modal submitted, an event).
COMMAND, ACTION, VIEW, EVENT = "command", "action", "view", "event"

# What a worker knows how to do: (surface, name) pairs, such as ("command", "offer").
Known = Collection[tuple[str, str]]


@dataclass(frozen=True)
class NewCommandJob:
    """Work to record: who asked, and what. For a slash command (surface COMMAND): the
    subcommand, what they typed after it, and where to answer them; for a click (ACTION) or
    an event (EVENT): the action id or event type, and the request as Slack sent it (JSON)."""

    team_id: str
    user_id: str
    name: str
    argument: str = field(repr=False)  # out of repr, as in ClaimedJob
    response_url: str = field(repr=False)
    surface: str = COMMAND
    payload: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ClaimedJob:
    """A command's work a worker holds. `attempts` counts the claims so far, this one
    included: it is the fencing token (see CommandJobRepository.finish)."""

    id: int
    team_id: str
    user_id: str
    name: str  # the subcommand
    # Out of repr, so that no log line can hold them: what the member typed, and where to answer.
    argument: str = field(repr=False)
    response_url: str = field(repr=False)
    attempts: int = 1
    created_at: datetime | None = None
    surface: str = COMMAND
    payload: str | None = field(default=None, repr=False)  # a click's or an event's request (JSON)
    sent: bool = False  # an earlier claim handed its message to Slack (see mark_sent)


# What a new job's row takes from the job; the rest is the same for every row of a statement.
_JOB_COLUMNS = ("team_id", "user_id", "name", "argument", "response_url", "surface", "payload")
_ROW_COLUMNS = _JOB_COLUMNS + ("status", "available_at", "attempts", "created_at")
# Jobs at most in one INSERT: 11 parameters each, under SQLite's 32,766 and PostgreSQL's 65,535.
JOBS_PER_STATEMENT = 500


@functools.cache  # per database and count: at most 2 * JOBS_PER_STATEMENT texts
def _insert_text(numbered: bool, count: int) -> str:
    """INSERT of `count` new jobs as one statement, with the database's own placeholders:
    `$1, $2, …` (`numbered`, PostgreSQL's) or `?` (SQLite's)."""
    width = len(_ROW_COLUMNS)
    rows = (
        "(" + ", ".join(f"${row * width + column + 1}" if numbered else "?" for column in range(width)) + ")"
        for row in range(count)
    )
    return f"INSERT INTO {models.CommandJob.__tablename__} ({', '.join(_ROW_COLUMNS)}) VALUES {', '.join(rows)}"


def insert_jobs(connection: Connection, jobs: Sequence[NewCommandJob], now: datetime) -> None:
    """Record commands' work, due at once: one INSERT statement for each JOBS_PER_STATEMENT
    jobs, so that up to that many are all recorded or none even outside a transaction.

    The recorder writes one such statement for each few commands under a burst, in the
    process acknowledging them, so its CPU is taken from the acks. The statement goes to the
    driver as written (exec_driver_sql; only the time is processed, by its column's type):
    SQLAlchemy's compiling and processing of 11 parameters a row cost more than the driver's
    work. On PostgreSQL its placeholders are `$n`, through psycopg's RawCursor: psycopg
    rewrites `%s` ones by parsing the whole text every time once a statement has more than
    50 parameters. CPU per statement of 8 (16) jobs, 400 statements through CommandJobLog on
    a held connection, three runs, a text() with SQLAlchemy's parameters against this:
    PostgreSQL 15 on loopback 803-1,023 (1,055-1,371) µs against 199-338 (281-470); SQLite
    397-564 (954-982) µs against 280-386 (610-683)."""
    numbered = connection.dialect.name == "postgresql"
    stamp = models.CommandJob.__table__.c.created_at.type.bind_processor(connection.dialect)
    moment = stamp(now) if stamp is not None else now
    for batch in batches(jobs, JOBS_PER_STATEMENT):
        parameters: list[object] = []
        for job in batch:
            parameters += [getattr(job, column) for column in _JOB_COLUMNS]
            parameters += ["pending", moment, 0, moment]
        statement = _insert_text(numbered, len(batch))
        if not numbered:
            connection.exec_driver_sql(statement, tuple(parameters))
            continue
        # This connection is this thread's until it is given back, and its cursors are made
        # as the statement runs: the factory is swapped for that statement alone.
        driver = connection.connection.driver_connection
        assert driver is not None  # a connection in use has its driver's
        usual, driver.cursor_factory = driver.cursor_factory, psycopg.RawCursor
        try:
            connection.exec_driver_sql(statement, tuple(parameters))
        finally:
            driver.cursor_factory = usual


class CommandJobRepository:
    def __init__(self, session: Session):
        self.session = session

    def queue(self, jobs: Sequence[NewCommandJob], now: datetime) -> None:
        """Record commands' work, due at once, in this transaction."""
        insert_jobs(self.session.connection(), jobs, now)

    def release_claims(self, now: datetime, gone: Callable[[str | None], bool]) -> int:
        """Make due at once the jobs held by workers that are `gone` (processes of this
        machine that have ended); another machine's wait for their lease. Returns how many.
        Jobs done whose worker ended before deleting them (see mark_done) are deleted: those
        of `gone` workers, and any whose lease ran out."""
        job = models.CommandJob
        held = self.session.execute(
            select(job.id, job.claimed_by, job.status).where(
                job.status.in_(["running", "done"]), job.available_at > now
            )
        ).all()
        dead = [(job_id, status) for job_id, holder, status in held if gone(holder)]
        unclaimed = [job_id for job_id, status in dead if status == "running"]
        for batch in batches(unclaimed):
            self.session.execute(
                update(job)
                .where(job.id.in_(batch))
                .values(available_at=now)
                .execution_options(synchronize_session=False)
            )
        ended = or_(job.id.in_([job_id for job_id, status in dead if status == "done"]), job.available_at <= now)
        self.session.execute(
            delete(job).where(job.status == "done", ended).execution_options(synchronize_session=False)
        )
        return len(unclaimed)

    def claim(self, now: datetime, lease_until: datetime, known: Known, claimer: str) -> ClaimedJob | None:
        """The oldest job that is due, or whose worker's lease ran out, now this worker's
        until `lease_until`; None when there is none. A member's jobs are done in the order
        they were recorded: one waits while an earlier one of the same member is not done
        (their `/mentor learn` then `/mentor offer`, or Join then Leave, keep their order
        across workers). Only jobs `known` as (surface, name) are taken: one this version does
        not know (queued by a newer one, during a rolling deploy) is left for a worker that
        does. The guarded update makes a claim exclusive; on PostgreSQL, workers skip the rows
        another is claiming rather than wait for them."""
        job = models.CommandJob
        earlier = aliased(models.CommandJob)
        by_surface: dict[str, list[str]] = {}
        for surface, name in known:
            by_surface.setdefault(surface, []).append(name)
        query = (
            select(job.id, job.status, job.attempts)
            .where(
                job.status.in_(["pending", "running"]),
                job.available_at <= now,
                or_(*(and_(job.surface == surface, job.name.in_(names)) for surface, names in by_surface.items())),
                ~exists().where(
                    earlier.team_id == job.team_id,
                    earlier.user_id == job.user_id,
                    earlier.id < job.id,
                    # One done waits for its worker to end it (mark_done), unless that worker died.
                    or_(earlier.status != "done", earlier.available_at > now),
                ),
            )
            .order_by(job.available_at, job.id)
            .limit(1)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        found = self.session.execute(query).first()
        if found is None:
            return None
        job_id, status, attempts = found
        taken = rowcount(
            self.session,
            update(job)
            .where(job.id == job_id, job.status == status, job.attempts == attempts, job.available_at <= now)
            .values(status="running", available_at=lease_until, attempts=attempts + 1, claimed_by=claimer)
            .execution_options(synchronize_session=False),
        )
        if taken != 1:
            return None
        row = self.session.get_one(job, job_id, populate_existing=True)
        return ClaimedJob(
            id=row.id,
            team_id=row.team_id,
            user_id=row.user_id,
            name=row.name,
            argument=row.argument,
            response_url=row.response_url,
            attempts=row.attempts,
            created_at=row.created_at,
            surface=row.surface,
            payload=row.payload,
            sent=row.sent_at is not None,
        )

    def mark_done(self, claimed: ClaimedJob) -> bool:
        """Mark the job done, in the transaction that did its work, if it is still this claim:
        False when its lease ran out and another worker claimed it since (the caller must then
        roll back, so the work is not done twice). No worker claims it again; its member's
        later jobs wait until its worker has ended it (finish), after what follows the change
        (a Home tab redrawn from it), so that they never overtake it."""
        job = models.CommandJob
        marked = rowcount(
            self.session,
            update(job)
            .where(job.id == claimed.id, job.status == "running", job.attempts == claimed.attempts)
            .values(status="done")
            .execution_options(synchronize_session=False),
        )
        return marked == 1

    def finish(self, claimed: ClaimedJob) -> bool:
        """Delete the job, done or not, if it is still this claim: False when its lease ran
        out and another worker claimed it since."""
        job = models.CommandJob
        finished = rowcount(
            self.session,
            delete(job)
            .where(job.id == claimed.id, job.status.in_(["running", "done"]), job.attempts == claimed.attempts)
            .execution_options(synchronize_session=False),
        )
        return finished == 1

    def mark_sent(self, claimed: ClaimedJob, now: datetime) -> bool:
        """Mark that the job's message (program figures, an export) is being handed to Slack,
        to commit before it is: a later claim of the job then never sends it again (ClaimedJob.sent),
        whatever fails after. False when the claim is no longer this one (nothing may be sent)."""
        job = models.CommandJob
        marked = rowcount(
            self.session,
            update(job)
            .where(job.id == claimed.id, job.status == "running", job.attempts == claimed.attempts)
            .values(sent_at=now)
            .execution_options(synchronize_session=False),
        )
        return marked == 1

    def give_up(self, claimed: ClaimedJob, now: datetime, told: DeliveryKind | None, key: str | None = None) -> bool:
        """Delete the job, if it is still this claim, and queue in the outbox a DM of kind
        `told` (such as bot.deliveries.DeliveryKind.COMMAND_NOT_DONE) telling its member it was
        not done, keyed by `key` (what its DM names; the job's name by default); None tells
        nobody (an event no member made). Returns whether it was still this claim."""
        if not self.finish(claimed):
            return False
        if told is not None and claimed.user_id:
            dms = [(claimed.user_id, told, (claimed.name if key is None else key)[:64])]
            queue_deliveries(self.session, claimed.team_id, About(f"command:{claimed.id}"), dms, now)
        return True

    def waiting(self) -> int:
        """How many jobs are not done yet, claimed or not."""
        job = models.CommandJob
        return self.session.scalar(select(func.count()).select_from(job).where(job.status != "done")) or 0

    def forget(self, team_id: str, user_id: str) -> int:
        """Delete the member's commands not done yet (what they typed is in them)."""
        job = models.CommandJob
        return rowcount(self.session, delete(job).where(job.team_id == team_id, job.user_id == user_id))
