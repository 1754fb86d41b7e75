"""Workers: the work after the ack of slash commands, clicks and events, taken from the
database (command_jobs).

The listener records a command's work in the same database before it acknowledges it
(storage/command_jobs.py), so the work outlives any process. Workers claim one job at a time
with a lease, as the outbox's senders claim deliveries; the transaction that does a job's
work also marks it done, fenced by its claim (`attempts`), so it is done once: a worker that
dies leaves its job to another (at once on this machine, see jobs.outbox.gone; from another
machine once its lease runs out), and a worker whose lease ran out commits nothing.

Workers run as threads: in the serving process by default (woken at once by the listener,
through Deps.command_queued), and in `python app.py worker` processes beside it, which look
for work every POLL_SECONDS.
"""

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from bot.errors import TemporarilyUnavailable
from deps import Deps, utc_now
from jobs.outbox import SENDER, gone
from storage.command_jobs import ClaimedJob, Known

logger = logging.getLogger(__name__)

THREADS = 4
# Longer than a command's work takes, Slack's calls and their retries included; a worker of
# this machine that dies gives its job back at once, so this only counts across machines.
LEASE = timedelta(minutes=2)
# Claims of one job, the last telling its member it could not be done: a command whose work
# stops its worker every time (a bug, a worker out of memory) is not tried for ever.
MAX_ATTEMPTS = 3
POLL_SECONDS = 1.0  # how often an idle worker looks for jobs queued by other processes
# Under a burst of commands, a worker in the serving process waits for a lull this long
# before its next job (at most GIVE_WAY_SECONDS): in one process, the work would otherwise
# compete with the acks for the interpreter lock (bench/load.py).
LULL_SECONDS = 0.02
GIVE_WAY_SECONDS = 5.0

Perform = Callable[[Deps, ClaimedJob], None]


class Workers:
    """`threads` workers in this process, each doing one command's work at a time."""

    def __init__(self, deps: Deps, perform: Perform, known: Known, threads: int = THREADS, lease: timedelta = LEASE):
        """`perform(deps, job)` does a job's work, marks the job done in the transaction that
        does it and deletes it once the work ends (ClaimedJob, CommandJobRepository.mark_done
        and finish); `known` are the jobs it can do, as (surface, name)."""
        self._deps, self._perform, self._known = deps, perform, known
        self._count, self._lease = threads, lease
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._changed = threading.Condition()
        self._busy = 0

    def start(self) -> "Workers":
        """Start the threads. Claims under this process's own name are a former process's
        that had the same id (a container's first process restarted is 1 again): released."""
        self._release_claims(lambda holder: holder == SENDER)
        for number in range(self._count):
            thread = threading.Thread(target=self._work, name=f"command-worker-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Claim nothing more, and let the jobs being done finish. The jobs not claimed stay
        in the database for the next worker to start, here or elsewhere."""
        self._stopping.set()
        self._deps.command_queued.set()  # each waiting worker wakes, and ends
        for thread in self._threads:
            thread.join(timeout)

    def settle(self, timeout: float = 60.0) -> None:
        """Wait until no job is left in the database and none is being done here (tests and
        benchmarks: the work after their acks ended). Raises TimeoutError after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                try:
                    with self._deps.store.reading() as repositories:
                        waiting = repositories.command_jobs.waiting()
                except TemporarilyUnavailable:
                    waiting = 0  # no database: nothing more can be claimed from it
                if not waiting and not self._busy:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{waiting} commands' work still waiting")
                self._changed.wait(timeout=0.05)  # woken when a job here ends; else looks again

    def _work(self) -> None:
        while not self._stopping.is_set():
            self._give_way()
            # Before looking: work queued from now on sets it again, so the wait below ends
            # at once for work this look may miss.
            self._deps.command_queued.clear()
            try:
                job = self._claim()
            except Exception as error:  # broad on purpose: the database may be down a while
                logger.error("Claiming a command's work failed: %s", type(error).__name__)
                job = None
            if job is None:
                if not self._deps.command_queued.wait(timeout=POLL_SECONDS):
                    self._release_claims(gone)
                continue
            with self._changed:
                self._busy += 1
            try:
                self._perform(self._deps, job)
            except Exception as error:  # broad on purpose: the last line of defence for a thread of our own
                logger.error("A command's work failed: %s", type(error).__name__, exc_info=error)
            finally:
                with self._changed:
                    self._busy -= 1
                    self._changed.notify_all()

    def _give_way(self) -> None:
        """While this process is acknowledging a burst of commands, wait for a lull (no
        command recorded for LULL_SECONDS), GIVE_WAY_SECONDS at most: the acks keep the
        interpreter, and the work catches up behind them. (A `python app.py worker` records
        nothing, so it never waits.)"""
        deadline = time.monotonic() + GIVE_WAY_SECONDS
        while time.monotonic() - self._deps.recorder.last_recorded < LULL_SECONDS and time.monotonic() < deadline:
            time.sleep(LULL_SECONDS)

    def _claim(self) -> ClaimedJob | None:
        # The wall clock, not deps.clock: a lease is about processes being alive.
        now = utc_now()
        with self._deps.store.transaction() as repositories:
            return repositories.command_jobs.claim(now, now + self._lease, self._known, SENDER)

    def _release_claims(self, ended: Callable[[str | None], bool]) -> None:
        try:
            with self._deps.store.transaction() as repositories:
                released = repositories.command_jobs.release_claims(utc_now(), ended)
        except Exception as error:  # broad on purpose: looked at again at the next poll
            logger.error("Taking over ended workers' commands failed: %s", type(error).__name__)
            return
        if released:
            logger.info("Took over %d commands that an ended worker was doing", released)
