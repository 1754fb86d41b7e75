"""Recording commands' work for the workers before their acks, many in one statement.

Under a burst, each listener recording its own command in a transaction of its own would
queue for the database's write lock (SQLite has one writer at a time, and sleeps while it
waits) and spend the CPU of a transaction per command. One thread records instead: whatever
commands arrived while it wrote the last ones go in the next statement together (a group
commit, storage.db.CommandJobLog), and each listener waits for the one that holds its command.
"""

import logging
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

from storage.command_jobs import NewCommandJob
from storage.db import CommandJobLog, Store

logger = logging.getLogger(__name__)

BATCH = 200  # commands at most in one statement (CommandJobLog takes up to JOBS_PER_STATEMENT)
# While commands arrive faster than they are committed (the last batch held more than one),
# the thread waits this long before the next, so that more join it: fewer writes per command
# under a burst, whose CPU the acknowledgements share. 3,000 `/mentor offer`
# from 50 clients (bench/load.py's setup, SQLite): 8 commands a transaction instead of 3,
# the acks' p99 64 to 74 ms instead of 84 to 88. A lone command never waits.
LINGER_SECONDS = 0.002
# A burst's connection is held until no command came for this long, then given back: an
# idle process holds none, and the next burst's is pinged as the pool hands it out.
HOLD_SECONDS = 1.0


class Recorder:
    """Records NewCommandJobs; its thread starts with the first."""

    def __init__(self, store: Store, clock: Callable, recorded: Callable[[], None]):
        """`clock()` gives the time the jobs are due from (aware UTC); `recorded()` is called
        after each batch of jobs committed, to wake workers."""
        self._store, self._clock, self._recorded = store, clock, recorded
        self._log: CommandJobLog | None = None  # made with the thread
        self._changed = threading.Condition()
        self._waiting: list[tuple[NewCommandJob, Future]] = []
        self._thread: threading.Thread | None = None
        self._writing = 0  # commands being committed now
        self.last_recorded = -math.inf  # time.monotonic() of the last record() call

    def record(self, job: NewCommandJob) -> Future:
        """A future that ends once `job` is committed, or with the database's error
        (TemporarilyUnavailable when it does not answer)."""
        future: Future = Future()
        self.last_recorded = time.monotonic()
        with self._changed:
            self._waiting.append((job, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="command-recorder", daemon=True)
                self._thread.start()
            self._changed.notify_all()  # the recording thread, and not only someone flushing
        return future

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every command handed to `record` is committed or refused: on stopping,
        so that one acknowledged before its record (the ack waits at most a second) is not
        lost with the process. Returns False if `timeout` (seconds) came first."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._waiting and not self._writing, timeout)

    def close(self, timeout: float = 10.0) -> bool:
        """flush(), then give back the database connection held for recording (on stopping;
        a command recorded later connects again). Returns flush()'s answer."""
        flushed = self.flush(timeout)
        if self._log is not None:
            self._log.close()
        return flushed

    def _run(self) -> None:
        self._log = log = self._store.command_job_log()
        burst = False
        while True:
            with self._changed:
                idle = not self._changed.wait_for(lambda: bool(self._waiting), HOLD_SECONDS)
            if idle:
                log.close()
                burst = False
                with self._changed:
                    self._changed.wait_for(lambda: bool(self._waiting))
            if burst:
                time.sleep(LINGER_SECONDS)
            with self._changed:
                batch, self._waiting = self._waiting[:BATCH], self._waiting[BATCH:]
                self._writing = len(batch)
            burst = len(batch) > 1
            try:
                log.append([job for job, _ in batch], self._clock())
            except Exception as error:  # broad on purpose: each listener waiting hears of it
                for _, future in batch:
                    future.set_exception(error)
            else:
                self._recorded()
                for _, future in batch:
                    future.set_result(None)
            finally:
                with self._changed:
                    self._writing = 0
                    self._changed.notify_all()
