"""`python app.py` in processes of its own, for the tests that run the real command line.

Each runs in a session of its own, so that it and any process it starts can be signalled
together, as a service manager does; on the way out, whatever the test did, every one of
them still running is killed.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.fake_slack import DEFAULT_TOKEN
from tests.support.running_app import SIGNING_SECRET
from tests.support.slack_requests import http_request

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serving_environ(fake_slack, port: int, database_url: str | None = None) -> dict:
    """What `python app.py` needs to serve HTTP on `port` against the fake Slack, on
    `database_url` (default: mentor.db in its working directory)."""
    return {
        "PATH": os.environ["PATH"],
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": DEFAULT_TOKEN,
        "SLACK_API_URL": fake_slack.api_url,
        "PORT": str(port),
        **({"DATABASE_URL": database_url} if database_url else {}),
    }


@contextmanager
def serving(
    fake_slack, tmp_path: Path, args: list[str] | None = None, database_url: str | None = None
) -> Iterator[tuple]:
    """`python app.py ARGS` serving HTTP against the fake Slack, once /healthz answers; and its
    URL. It and every process it started are killed on the way out if still running."""
    port = free_port()
    environ = serving_environ(fake_slack, port, database_url)
    with app_process(args or [], environ, tmp_path, stderr=subprocess.PIPE, text=True) as server:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:  # wait for the server to listen, at most 30 s
            try:
                health = http_request(base + "/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"app.py did not start: {server.communicate()[1]}")
                time.sleep(0.1)
        assert health.status == 200
        yield server, base
