"""The command worker's loop (handlers/command_worker.py), over real pipes in this process."""

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

from handlers.command_worker import serve_jobs


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
