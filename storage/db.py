"""Engines and transactions for SQLite (the default) and PostgreSQL."""

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import TemporarilyUnavailable
from storage.asks import AskRepository
from storage.command_jobs import JOBS_PER_STATEMENT, CommandJobRepository, NewCommandJob, insert_jobs
from storage.events import EventRepository
from storage.followups import FollowUpRepository
from storage.forgetting import ForgetRepository
from storage.members import ProfileRepository
from storage.outbox import OutboxRepository
from storage.program import ProgramRepository
from storage.rounds import RoundRepository

SQLITE_BUSY_TIMEOUT_MS = 10_000
READ_ONLY = "mentor_read_only"  # an execution option: this transaction only reads


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and foreign keys on every connection.

    Statements' parameters stay out of error messages: they hold what members typed."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide where transactions begin (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # BEGIN IMMEDIATE takes the write lock up front. A deferred transaction that
        # reads and then writes cannot wait for the lock (SQLite would deadlock), so
        # it fails with "database is locked" whatever the busy timeout. Only reads
        # (Store.reading) begin deferred: with WAL they never wait for, or block, a writer.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@dataclass
class Repositories:
    """What one transaction can touch."""

    session: Session
    # Called, in order, once the transaction committed (Store.transaction): what must hold
    # only if its changes were kept, such as a job known to be done.
    on_commit: list[Callable[[], None]] = field(default_factory=list)

    @property
    def profiles(self) -> ProfileRepository:
        return ProfileRepository(self.session)

    @property
    def asks(self) -> AskRepository:
        return AskRepository(self.session)

    @property
    def followups(self) -> FollowUpRepository:
        return FollowUpRepository(self.session)

    @property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self.session)

    @property
    def command_jobs(self) -> CommandJobRepository:
        return CommandJobRepository(self.session)

    @property
    def rounds(self) -> RoundRepository:
        return RoundRepository(self.session)

    @property
    def events(self) -> EventRepository:
        return EventRepository(self.session)

    @property
    def forgetting(self) -> ForgetRepository:
        return ForgetRepository(self.session)

    @property
    def program(self) -> ProgramRepository:
        return ProgramRepository(self.session)


@contextmanager
def _available() -> Iterator[None]:
    """A database that does not answer becomes TemporarilyUnavailable."""
    try:
        yield
    except DBAPIError as error:
        # Connection failures and lock time-outs, as opposed to bugs in our SQL.
        if error.connection_invalidated or isinstance(error, OperationalError):
            raise TemporarilyUnavailable() from error
        raise


class CommandJobLog:
    """Where the thread that records commands' work before their acks (jobs/recording.py)
    writes them: each batch one INSERT statement, on a connection held from the first
    batch until close(). Under a burst, a transaction through a session cost PostgreSQL
    four round trips (the pool's ping, BEGIN, INSERT, COMMIT), each taking the interpreter
    lock back from the threads acknowledging; one statement commits by itself, all its rows
    or none, in one. SQLite has no round trips, and its writes begin IMMEDIATE (make_engine):
    there each batch is a transaction of its own on the held connection."""

    def __init__(self, engine: Engine, one_writer: Callable[[], AbstractContextManager]):
        self._engine, self._one_writer = engine, one_writer
        self._autocommit = engine.dialect.name != "sqlite"
        self._connection: Connection | None = None
        self._using = threading.Lock()  # close() may come from another thread

    def append(self, jobs: Sequence[NewCommandJob], now: datetime) -> None:
        """Record `jobs` (at most JOBS_PER_STATEMENT), due at once: all of them, or none and an
        error. A database that does not answer becomes TemporarilyUnavailable. After any
        error the connection is let go, and the next append checks one out anew (pinged)."""
        if len(jobs) > JOBS_PER_STATEMENT:
            raise ValueError(f"at most {JOBS_PER_STATEMENT} jobs at once, not {len(jobs)}")
        with self._using, self._one_writer(), _available():
            try:
                if self._connection is None:
                    self._connection = self._engine.connect()
                    if self._autocommit:
                        self._connection.execution_options(isolation_level="AUTOCOMMIT")
                if self._autocommit:
                    insert_jobs(self._connection, jobs, now)
                else:
                    with self._connection.begin():
                        insert_jobs(self._connection, jobs, now)
            except BaseException:
                self._let_go()
                raise

    def close(self) -> None:
        """Give the connection back to the pool, if one is held: after a burst, so that an
        idle process holds none and the next batch's is pinged first, and on stopping."""
        with self._using:
            self._let_go()

    def _let_go(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()


class Store:
    """The database: transactions for the handlers, and a health check."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._readers = sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)
        # SQLite has one writer at a time, and a connection that waits for the lock sleeps in
        # steps of up to 100 ms (its busy handler), long after the lock is free. This
        # process's writers queue here instead, and the next starts as the last commits.
        self._writing = threading.RLock() if engine.dialect.name == "sqlite" else None

    @contextmanager
    def _one_writer(self) -> Iterator[None]:
        # Waited for at most as long as SQLite's own busy timeout; then SQLite decides.
        held = self._writing is not None and self._writing.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            yield
        finally:
            if held:
                self._writing.release()  # type: ignore[union-attr] # held only when there is one

    @contextmanager
    def transaction(self) -> Iterator[Repositories]:
        """Commit when the block ends, roll back on any error; a database that does
        not answer becomes TemporarilyUnavailable."""
        with self._one_writer(), _available(), self._sessions.begin() as session:
            repositories = Repositories(session)
            yield repositories
        for committed in repositories.on_commit:
            committed()

    @contextmanager
    def rehearsal(self) -> Iterator[Repositories]:
        """A transaction that may write but is always rolled back: a dry run sees what it
        would do, and nothing of it stays."""
        with self._one_writer(), _available(), self._sessions() as session:  # closing the session rolls back
            yield Repositories(session)

    @contextmanager
    def reading(self) -> Iterator[Repositories]:
        """A transaction that only reads (long ones, such as program figures): on SQLite it
        holds no write lock, so members' clicks are not kept waiting meanwhile. Rolled back."""
        with _available(), self._readers() as session:  # begins at the first query, rolls back on close
            yield Repositories(session)

    def command_job_log(self) -> CommandJobLog:
        """A log for one thread to record commands' work in, batch after batch (see CommandJobLog)."""
        return CommandJobLog(self.engine, self._one_writer)

    def is_healthy(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except DBAPIError:
            return False
