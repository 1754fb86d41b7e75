"""The command worker (jobs/command_worker.py): its loop over real pipes in this process,
and the serving process's side with real child processes that misbehave."""

import multiprocessing
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from jobs.command_worker import CommandWorker, serve_jobs

SPAWN = multiprocessing.get_context("spawn")
STARTING = 60.0  # seconds a child process may take to start, on a busy machine


def start_loop(perform, settle_background=lambda: None):
    jobs_out, jobs_in = multiprocessing.Pipe(duplex=False)
    done_out, done_in = multiprocessing.Pipe(duplex=False)
    loop = threading.Thread(target=serve_jobs, args=(jobs_out, done_in, perform, settle_background))
    loop.start()
    return loop, jobs_in, done_out


def test_when_the_serving_process_is_gone_the_worker_finishes_what_it_received_then_ends():
    performed = []
    loop, jobs, done = start_loop(performed.append)
    for number in range(3):
        jobs.send(("job", number, f"command {number}"))
    jobs.close()  # as when the serving process dies

    loop.join(timeout=10)

    assert not loop.is_alive()
    assert sorted(performed) == ["command 0", "command 1", "command 2"]
    assert sorted(done.recv() for _ in range(3)) == [("done", 0), ("done", 1), ("done", 2)]


def test_settled_is_reported_only_once_work_the_jobs_left_behind_is_finished():
    background = ThreadPoolExecutor(max_workers=1)
    go, finished = threading.Event(), []

    def leave_work(job):
        background.submit(lambda: (go.wait(timeout=10), finished.append(job)))

    loop, jobs, done = start_loop(leave_work, settle_background=lambda: background.shutdown(wait=True))
    jobs.send(("job", 7, "ask"))
    jobs.send(("settle", 1))

    assert done.recv() == ("done", 7)
    assert not done.poll(0.5)  # the ask's work still waits
    go.set()
    assert done.recv() == ("settled", 1)
    assert finished == ["ask"]
    jobs.send(("stop",))
    loop.join(timeout=10)
    assert not loop.is_alive()


def test_a_job_whose_work_raises_is_reported_done_and_logged_without_its_text(caplog):
    def fail(job):
        raise ValueError(f"could not handle {job}")

    loop, jobs, done = start_loop(fail)
    jobs.send(("job", 1, "ask how do I get promoted"))

    assert done.recv() == ("done", 1)
    jobs.send(("stop",))
    loop.join(timeout=10)
    assert "ValueError" in caplog.text and "promoted" not in caplog.text


class Told:
    """The members a CommandWorker tells their command was lost, as they are told."""

    def __init__(self):
        self.jobs: list = []
        self._changed = threading.Condition()

    def __call__(self, job) -> None:
        with self._changed:
            self.jobs.append(job)
            self._changed.notify_all()

    def wait_for(self, count: int) -> list:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.jobs) >= count, timeout=STARTING), self.jobs
        return self.jobs


def idle_child(_, jobs, done):
    """A child that does each job at once."""
    serve_jobs(jobs, done, lambda job: None, lambda: None)


def holding_child(received, jobs, done):
    """A child that takes jobs, says so, and never finishes one, even when told to stop."""
    while True:
        message = jobs.recv()
        if message[0] == "job":
            received.send(message[2])


def dying_child(_, jobs, done):
    """A child that dies as soon as it is given a job."""
    jobs.recv()
    os._exit(1)


class StartsOnce:
    """An argument only one child can be given: starting another fails, as when the machine
    has no memory left for a process."""

    def __init__(self):
        self.starts = 0
        self._changed = threading.Condition()

    def __reduce__(self):
        with self._changed:
            self.starts += 1
            self._changed.notify_all()
            if self.starts > 1:
                raise OSError("no memory for another process")
        return (StartsOnce, ())

    def wait_for(self, starts: int) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: self.starts >= starts, timeout=STARTING), self.starts


def test_a_child_that_finishes_in_time_ends_by_itself_and_nobody_is_told(caplog):
    told = Told()
    worker = CommandWorker(idle_child, (None,), lost=told).start()
    for number in range(20):
        worker.submit(f"offer skill {number}")
    worker.settle()

    worker.stop(timeout=STARTING)

    assert told.jobs == [] and not SPAWN.active_children()
    assert "did not finish" not in caplog.text and "ended" not in caplog.text


def test_a_child_still_busy_when_the_service_stops_is_ended_and_its_members_told():
    told = Told()
    received, reports = SPAWN.Pipe(duplex=False)
    worker = CommandWorker(holding_child, (reports,), lost=told).start()
    worker.submit("offer Go")
    assert received.poll(STARTING) and received.recv() == "offer Go"

    worker.stop(timeout=0.5)

    assert told.jobs == ["offer Go"]  # told before stop() returns, so before the process exits
    assert not SPAWN.active_children()


def test_a_child_that_cannot_be_replaced_is_retried_and_every_member_told(caplog):
    told, argument = Told(), StartsOnce()
    worker = CommandWorker(dying_child, (argument,), lost=told, restart_pauses=(0.05,)).start()

    worker.submit("offer Go")  # the child dies with it, and no other can be started
    assert told.wait_for(1) == ["offer Go"]
    worker.submit("learn Rust")  # no child to take it
    assert told.wait_for(2) == ["offer Go", "learn Rust"]
    argument.wait_for(starts=3)  # tried at once, then again after a pause
    assert "could not be started: OSError" in caplog.text

    worker.stop(timeout=5)  # the retries end with it
    worker.submit("ask")
    assert told.jobs == ["offer Go", "learn Rust", "ask"]


def test_after_a_child_that_lived_long_a_failed_restart_is_retried_after_the_first_pause():
    told, argument = Told(), StartsOnce()
    worker = CommandWorker(
        dying_child,
        (argument,),
        lost=told,
        restart_pauses=(0.05, 600.0),
        young=0.0,  # every child "lived long"
    ).start()

    worker.submit("offer Go")  # the child dies with it; starting the next one fails

    assert told.wait_for(1) == ["offer Go"]
    argument.wait_for(starts=3)  # retried after 0.05 s, not after the last pause
    worker.stop(timeout=5)
