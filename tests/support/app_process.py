"""`python app.py` in processes of its own, for the tests that run the real command line.

Each runs in a session of its own, so that it and the processes it starts (the command
worker) can be signalled together, as a service manager does; on the way out, whatever
the test did, every one of them still running is killed.
"""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"


@contextmanager
def app_process(args: list[str], env: dict, cwd: Path, **popen) -> Iterator[subprocess.Popen]:
    """`python app.py ARGS` started with exactly `env`, killed with its session on the way out."""
    process = subprocess.Popen([sys.executable, str(APP), *args], env=env, cwd=cwd, start_new_session=True, **popen)
    try:
        yield process
    finally:
        kill_session(process)


def kill_session(process: subprocess.Popen) -> None:
    """SIGKILL to every process of `process`'s session still running, then reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # every one of them has ended
    process.wait()


def run_app(args: list[str], env: dict, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python app.py ARGS` run to its end, its output captured as text. After `timeout`
    seconds it is killed and subprocess.TimeoutExpired raised."""
    with app_process(args, env, cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        stdout, stderr = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
