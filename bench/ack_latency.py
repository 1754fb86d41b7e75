"""How fast Mentor acknowledges `/mentor` commands, next to a bare Bolt app that only acks.

Both apps run in this process behind the same WSGI server (waitress) and talk to the
same fake Slack, which runs in a process of its own; another process sends signed
slash commands over loopback. The
figures are medians and 99th percentiles of the time from sending a request to
reading its response, and the ratio Mentor / bare app, measured in the same run.

    .venv/bin/python bench/ack_latency.py [--requests 300] [--concurrency 1,8]
"""

import argparse
import logging
import multiprocessing
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from sqlalchemy import Engine, text
from waitress.server import create_server

from handlers.web import EVENTS_PATH
from storage.db import make_engine
from storage.migrations import upgrade
from tests.support.fake_slack import DEFAULT_TOKEN, FakeSlack
from tests.support.running_app import SIGNING_SECRET, RunningApp, app_environ
from tests.support.slack_requests import SlackSender


def bare_bolt_app(fake_slack, threads: int = 8) -> str:
    """A Bolt app that acknowledges /mentor and does nothing else, served with `threads`
    threads; returns its events URL."""
    app = App(signing_secret=SIGNING_SECRET, client=WebClient(token=DEFAULT_TOKEN, base_url=fake_slack.api_url))

    @app.command("/mentor")
    def acknowledge(ack):
        ack("ok")

    @app.action(re.compile(".+"))
    def acknowledge_click(ack):
        ack()

    server = create_server(SlackRequestHandler(app, path=EVENTS_PATH), host="127.0.0.1", port=0, threads=threads)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}{EVENTS_PATH}"


def send_load(events_url: str, api_origin: str, text: str, requests: int, concurrency: int) -> list[float]:
    """Runs in the client process: `requests` signed commands, `concurrency` at a time."""
    sender = SlackSender(events_url, SIGNING_SECRET, RemoteFakeSlack(api_origin))

    def one(n: int) -> float:
        reply = sender.command(text, user_id=f"UBENCH{n % 50:03d}")
        if reply.status != 200:
            raise RuntimeError(f"status {reply.status}")
        return reply.seconds

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(one, range(requests)))


def measure(pool, events_url: str, api_origin: str, text: str, requests: int, concurrency: int) -> dict:
    started = time.monotonic()
    latencies = pool.apply(send_load, (events_url, api_origin, text, requests, concurrency))
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000,
        "per_second": len(ordered) / elapsed,
    }


def fresh_database(url: str) -> Engine:
    """An engine on `url` with the schema migrated; a PostgreSQL database given to a
    benchmark is the benchmark's to wipe first."""
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    return engine


def serve_fake_slack(origins, stop) -> None:
    """Runs in its own process, so answering the app's Web API calls costs the app nothing."""
    fake_slack = FakeSlack().start()
    origins.put(fake_slack.origin)
    stop.wait()
    fake_slack.stop()


@contextmanager
def remote_fake_slack(context) -> Iterator["RemoteFakeSlack"]:
    """A fake Slack in a process of its own (started with multiprocessing `context`), for
    as long as the block lasts."""
    origins, stop = context.Queue(), context.Event()
    process = context.Process(target=serve_fake_slack, args=(origins, stop))
    process.start()
    try:
        yield RemoteFakeSlack(origins.get(timeout=30))
    finally:
        stop.set()
        process.join(timeout=10)


class RemoteFakeSlack:
    """What RunningApp needs of a fake Slack that runs in another process: its URLs."""

    def __init__(self, origin: str):
        self.origin = origin
        self.api_url = origin + "api/"

    def response_url(self, name: str) -> str:
        return f"{self.origin}response/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", default="1,8")
    args = parser.parse_args()

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # queued requests are the point here
    context = multiprocessing.get_context("spawn")
    with remote_fake_slack(context) as fake_slack, tempfile.TemporaryDirectory() as directory:
        mentor = RunningApp(fake_slack, app_environ(fake_slack, f"sqlite:///{directory}/bench.db"))
        bare_url = bare_bolt_app(fake_slack)
        with context.Pool(1) as pool:
            print(
                f"{'command':<22}{'clients':>8}{'mentor p50':>12}{'bare p50':>10}{'ratio':>7}"
                f"{'mentor p99':>12}{'bare p99':>10}{'mentor/s':>10}{'bare/s':>8}"
            )
            for command in ("help", "offer SQL, Go"):
                for concurrency in (int(c) for c in args.concurrency.split(",")):
                    measure(pool, bare_url, fake_slack.origin, command, 20, concurrency)  # warm-up
                    ours = measure(
                        pool, mentor.slack.events_url, fake_slack.origin, command, args.requests, concurrency
                    )
                    bare = measure(pool, bare_url, fake_slack.origin, command, args.requests, concurrency)
                    print(
                        f"/mentor {command:<14}{concurrency:>8}{ours['p50_ms']:>10.1f}ms{bare['p50_ms']:>8.1f}ms"
                        f"{ours['p50_ms'] / bare['p50_ms']:>7.2f}{ours['p99_ms']:>10.1f}ms{bare['p99_ms']:>8.1f}ms"
                        f"{ours['per_second']:>10.0f}{bare['per_second']:>8.0f}"
                    )
        mentor.stop()


if __name__ == "__main__":
    main()
