"""Slash commands' work after the ack, in a process of its own.

The serving process parses and acknowledges each command, then hands the rest (database
writes, ranking, Slack calls) to a child process that runs at a lower CPU priority. Under a
burst the acks keep the machine first, and the work catches up behind them: in one process,
it would compete with the acks for the same interpreter lock.

Messages go over two one-way pipes. To the child: ("job", id, job), ("settle", n) and
("stop",). Back: ("done", id) once a job's work returned, and ("settled", n). A child that
dies is started again; the members whose commands it held are told by `lost`. A child whose
serving process died finishes what it received, then ends.
"""

import atexit
import itertools
import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from queue import SimpleQueue
from typing import Any

logger = logging.getLogger(__name__)

THREADS = 8
# Lower than the serving process's 0: under load the kernel gives the acks the CPU first.
NICENESS = 10


class CommandWorker:
    """The serving process's side: `submit` never blocks, whatever the child is doing."""

    def __init__(self, target: Callable[..., None], args: tuple, lost: Callable[[Any], None]):
        """`target(*args, jobs, done)` is the child's main (see serve_jobs); `lost(job)` is
        called for each job a dead child held."""
        self._target, self._args, self._lost = target, args, lost
        self._context = multiprocessing.get_context("spawn")  # forking a threaded process is unsafe
        self._changed = threading.Condition()
        self._outgoing: SimpleQueue = SimpleQueue()
        self._ids = itertools.count()
        self._in_flight: dict[int, Any] = {}
        self._settles_asked = self._settles_done = 0
        self._stopping = False

    def start(self) -> "CommandWorker":
        """Start the child; jobs submitted before wait for it. At exit, it finishes what it holds."""
        with self._changed:
            self._start_child()
        threading.Thread(target=self._feed, name="command-feeder", daemon=True).start()
        atexit.register(self.stop)  # before multiprocessing's own, which would kill the child at once
        return self

    def submit(self, job: Any) -> None:
        self._outgoing.put(("job", next(self._ids), job))

    def settle(self, timeout: float = 60.0) -> None:
        """Wait until the child has finished every job submitted so far, and the work they
        started in its background pool."""
        with self._changed:
            self._settles_asked += 1
            asked = self._settles_asked
        self._outgoing.put(("settle", asked))
        with self._changed:
            if not self._changed.wait_for(lambda: self._settles_done >= asked, timeout=timeout):
                raise TimeoutError("the command worker did not settle")

    def stop(self, timeout: float = 60.0) -> None:
        """Let the child finish what it holds, then end it."""
        with self._changed:
            if self._stopping:
                return
            self._stopping = True
            process = self._process
        atexit.unregister(self.stop)
        self._outgoing.put(("stop",))
        process.join(timeout)

    @property
    def pid(self) -> int:
        return self._process.pid

    def _start_child(self) -> None:
        jobs_out, jobs_in = self._context.Pipe(duplex=False)
        done_out, done_in = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=self._target, args=(*self._args, jobs_out, done_in), name="mentor-commands", daemon=True
        )
        process.start()
        jobs_out.close()  # the child's ends: once it dies, our reads end and its reads of ours fail
        done_in.close()
        self._process, self._jobs = process, jobs_in
        threading.Thread(target=self._listen, args=(process, done_out), name="command-listener", daemon=True).start()

    def _feed(self) -> None:
        while True:
            message = self._outgoing.get()
            with self._changed:
                if message[0] == "job":
                    self._in_flight[message[1]] = message[2]
                jobs = self._jobs  # a job sent to a child that then dies is in `_in_flight`, so told
            try:
                jobs.send(message)  # outside the lock: a busy child may keep the pipe full a while
            except OSError:
                pass  # the child is dead: _listen tells the members whose jobs it held
            except Exception as error:  # noqa: BLE001 - this thread must outlive one bad job
                logger.error("A command could not be handed to the worker: %s", type(error).__name__)
                with self._changed:
                    job = self._in_flight.pop(message[1], None) if message[0] == "job" else None
                if job is not None:
                    self._lost(job)
            if message[0] == "stop":
                return

    def _listen(self, process, done) -> None:
        while True:
            try:
                kind, number = done.recv()
            except (EOFError, OSError):
                break
            with self._changed:
                if kind == "done":
                    self._in_flight.pop(number, None)
                else:
                    self._settles_done = max(self._settles_done, number)
                self._changed.notify_all()
        done.close()
        process.join()
        with self._changed:
            if self._stopping:
                return
            lost = list(self._in_flight.values())
            self._in_flight.clear()
            logger.error("The command worker ended (exit code %s); %d commands it held are told", process.exitcode, len(lost))
            self._start_child()
            self._settles_done = self._settles_asked  # nothing of the dead child is left to wait for
            self._changed.notify_all()
        for job in lost:
            self._lost(job)


def serve_jobs(jobs, done, perform: Callable[[Any], None], settle_background: Callable[[], None]) -> None:
    """The child's loop: run each job on a pool of threads and report it done. `perform`
    must not raise; `settle_background` waits for work the jobs left in a pool of their own."""
    reporting = threading.Lock()

    def report(message: tuple) -> None:
        with reporting:
            try:
                done.send(message)
            except OSError:
                pass  # the serving process is gone: nobody waits for this report

    def run(number: int, job: Any) -> None:
        try:
            perform(job)
        finally:
            report(("done", number))

    pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="command")
    while True:
        try:
            message = jobs.recv()
        except (EOFError, OSError):
            break  # the serving process is gone: finish what was received
        if message[0] == "job":
            pool.submit(run, message[1], message[2])
        elif message[0] == "settle":
            pool.shutdown(wait=True)
            settle_background()
            pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="command")
            report(("settled", message[1]))
        else:
            break
    pool.shutdown(wait=True)
    settle_background()
