"""Slash commands' work after the ack, in a process of its own.

The serving process parses and acknowledges each command, then hands the rest (database
writes, ranking, Slack calls) to a child process that runs at a lower CPU priority. Under a
burst the acks keep the machine first, and the work catches up behind them: in one process,
it would compete with the acks for the same interpreter lock.

Messages go over two one-way pipes. To the child: ("job", id, job), ("settle", n) and
("stop",). Back: ("done", id) once a job's work returned, and ("settled", n). A child that
dies is started again (after a pause when it keeps dying young); the members whose commands
it held, or that could not reach it, are told by `lost`. A child whose serving process died
finishes what it received, then ends.
"""

import atexit
import itertools
import logging
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from queue import SimpleQueue
from typing import Any

logger = logging.getLogger(__name__)

THREADS = 8
# Lower than the serving process's 0: under load the kernel gives the acks the CPU first.
NICENESS = 10
STOP_TIMEOUT = 60.0  # seconds the child may take to finish what it holds when the service stops
# A dead child is replaced at once, unless the one before it also died younger than this:
# then after a pause, longer each time, so that one dying while it imports does not spin.
YOUNG = 10.0
RESTART_PAUSES = (1.0, 5.0, 30.0, 60.0)  # the last repeats


class CommandWorker:
    """The serving process's side: `submit` never blocks, whatever the child is doing."""

    def __init__(
        self,
        target: Callable[..., None],
        args: tuple,
        lost: Callable[[Any], None],
        restart_pauses: Sequence[float] = RESTART_PAUSES,
        young: float = YOUNG,
    ):
        """`target(*args, jobs, done)` is the child's main (see serve_jobs); `lost(job)` is
        called for each job a dead child held, or that no child could take."""
        self._target, self._args, self._lost = target, args, lost
        self._restart_pauses, self._young = restart_pauses, young
        self._context = multiprocessing.get_context("spawn")  # forking a threaded process is unsafe
        self._changed = threading.Condition()
        self._outgoing: SimpleQueue = SimpleQueue()
        self._ids = itertools.count(1)
        self._in_flight: dict[int, Any] = {}
        self._settles_sent = self._settles_done = 0  # settles are numbered from `_ids` too
        self._young_deaths = 0  # children in a row that died young or could not be started
        self._stopping = False

    def start(self) -> "CommandWorker":
        """Start the child; jobs submitted before wait for it. At exit, it finishes what it holds."""
        with self._changed:
            self._start_child()
        threading.Thread(target=self._feed, name="command-feeder", daemon=True).start()
        # Before multiprocessing's own exit handler, which would wait for the child without end.
        atexit.register(self.stop)
        return self

    def submit(self, job: Any) -> None:
        if self._stopping:  # nothing will take it (finish() stops the listeners first)
            self._lost(job)
            return
        self._outgoing.put(("job", next(self._ids), job))

    def settle(self, timeout: float = 60.0) -> None:
        """Wait until the child has finished every job submitted so far, and the work they
        started in its background pool."""
        asked = next(self._ids)
        self._outgoing.put(("settle", asked))
        with self._changed:
            if not self._changed.wait_for(lambda: self._settles_done >= asked, timeout=timeout):
                raise TimeoutError("the command worker did not settle")

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Let the child finish what it holds, then end it; a child still busy after
        `timeout` is killed, and the members whose commands it held are told."""
        with self._changed:
            if self._stopping:
                return
            self._stopping = True
            process, listener = self._process, self._listener
            self._changed.notify_all()  # a restart waiting out its pause gives up
        atexit.unregister(self.stop)
        self._outgoing.put(("stop",))
        # The listener sees the child end, reaps it and tells whoever it held: waiting for
        # the process here too could reap it first and leave the listener none to wait for.
        listener.join(timeout)
        if listener.is_alive():
            logger.error("The command worker did not finish within %.0f s; ending it", timeout)
            process.kill()
            listener.join()

    @property
    def pid(self) -> int | None:
        """The running child's process id (None only before it first starts)."""
        return self._process.pid

    def _start_child(self) -> None:
        """Under `_changed`."""
        jobs_out, jobs_in = self._context.Pipe(duplex=False)
        done_out, done_in = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=self._target, args=(*self._args, jobs_out, done_in), name="mentor-commands", daemon=True
        )
        try:
            process.start()
        finally:
            jobs_out.close()  # the child's ends: once it dies, our reads end and our writes fail
            done_in.close()
        self._process, self._jobs = process, jobs_in
        self._listener = threading.Thread(
            target=self._listen, args=(process, done_out), name="command-listener", daemon=True
        )
        self._listener.start()

    def _feed(self) -> None:
        while True:
            message = self._outgoing.get()
            with self._changed:
                if message[0] == "job":
                    self._in_flight[message[1]] = message[2]
                elif message[0] == "settle":
                    self._settles_sent = max(self._settles_sent, message[1])
                jobs = self._jobs  # a job sent to a child that then dies is in `_in_flight`, so told
            try:
                jobs.send(message)  # outside the lock: a busy child may keep the pipe full a while
            except Exception as error:  # broad on purpose: this thread must outlive one bad job
                if not isinstance(error, OSError):  # an OSError: the child is dead, and being replaced
                    logger.error("A command could not be handed to the worker: %s", type(error).__name__)
                self._undeliverable(message)
            if message[0] == "stop":
                return

    def _undeliverable(self, message: tuple) -> None:
        """A message no child received: its job's member is told; its settle has nothing to wait for."""
        with self._changed:
            job = self._in_flight.pop(message[1], None) if message[0] == "job" else None
            if message[0] == "settle":
                self._settles_done = max(self._settles_done, message[1])
                self._changed.notify_all()
        if job is not None:
            self._lost(job)

    def _listen(self, process, done) -> None:
        born = time.monotonic()
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
            lost = list(self._in_flight.values())
            self._in_flight.clear()
            self._settles_done = max(self._settles_done, self._settles_sent)  # nothing of it is left to wait for
            self._changed.notify_all()
            stopping = self._stopping
            self._young_deaths = self._young_deaths + 1 if time.monotonic() - born < self._young else 0
            # Before telling anyone: new commands go to the new child, not to the lost.
            started = not stopping and self._young_deaths <= 1 and self._start_child_or_count()
        if lost or not stopping:
            logger.error("The command worker ended (exit code %s) holding %d commands", process.exitcode, len(lost))
        for job in lost:
            self._lost(job)
        if not stopping and not started:
            self._restart_after_pauses()

    def _start_child_or_count(self) -> bool:
        """Under `_changed`: start a child; a failure is logged and counted."""
        try:
            self._start_child()
            return True
        except Exception as error:  # broad on purpose: retried after a pause
            logger.error("The command worker could not be started: %s", type(error).__name__)
            self._young_deaths += 1
            return False

    def _restart_after_pauses(self) -> None:
        """Until a child runs or the service stops: pause, longer each time, then start one.
        Meanwhile the commands sent find no child, and their members are told."""
        with self._changed:
            while True:
                # The first pause follows the second failure in a row, or a failed start after a
                # child that lived long (one failure): clamp, as a negative index means the last.
                pause = self._restart_pauses[min(max(self._young_deaths - 2, 0), len(self._restart_pauses) - 1)]
                if self._changed.wait_for(lambda: self._stopping, timeout=pause) or self._start_child_or_count():
                    return


def ignore_stop_signals() -> None:
    """In the child, first thing: Ctrl-C in a terminal, or a service manager stopping every
    process of the service, reaches it too; it ends when the serving process says so or is
    gone, having finished what it holds. (While its interpreter starts, before this runs, they
    still end it; it is then started again as any child that dies.)"""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)


def serve_jobs(jobs, done, perform: Callable[[Any], None], settle_background: Callable[[], None]) -> None:
    """The child's loop: run each job on a pool of threads and report it done. `perform`
    should tell its member of any failure; `settle_background` waits for work the jobs left
    in a pool of their own."""
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
        except Exception as error:  # broad on purpose: the last line of defence for a thread of our own
            logger.error("A command's work failed: %s", type(error).__name__)
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
