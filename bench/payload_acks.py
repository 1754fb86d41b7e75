"""How fast Mentor acknowledges every payload in tests/fixtures/slack (each shaped as Slack
sends it: commands, clicks, submissions, events, Grid and Slack Connect variants), next to a
bare Bolt app that acknowledges every request and does nothing else.

Both apps run in this process behind waitress and talk to the same fake Slack, which runs in
a process of its own; this process sends the signed requests over loopback, one at a time.
Each payload is replayed `--times` times with what tests/e2e/test_slack_payloads.py fills in
(fresh event ids each time, so no retry is mistaken for a new event). Figures: the median and
the slowest time from sending a request to reading its answer, the ratio Mentor / bare app
of the medians, and the target, Slack's 3 s for every answer (docs.slack.dev, "Acknowledging
requests"), met or not met on the slowest.

    .venv/bin/python bench/payload_acks.py [--times 30]
"""

import argparse
import logging
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from waitress.server import create_server

from bench.ack_latency import remote_fake_slack
from handlers.web import EVENTS_PATH
from tests.e2e.test_slack_payloads import ACK_SECONDS, meaning
from tests.support.fake_slack import DEFAULT_TOKEN
from tests.support.running_app import SIGNING_SECRET, RunningApp, app_environ
from tests.support.slack_fixtures import names, replay
from tests.support.slack_requests import SlackSender


def bare_bolt_app(fake_slack, threads: int = 8) -> str:
    """A Bolt app whose one middleware acknowledges whatever comes; returns its events URL."""
    app = App(signing_secret=SIGNING_SECRET, client=WebClient(token=DEFAULT_TOKEN, base_url=fake_slack.api_url))

    @app.middleware
    def acknowledge(next):
        return BoltResponse(status=200, body="")

    server = create_server(app_wsgi(app), host="127.0.0.1", port=0, threads=threads)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}{EVENTS_PATH}"


def app_wsgi(app: App):
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    return SlackRequestHandler(app, path=EVENTS_PATH)


def timings(sender: SlackSender, name: str, times: int) -> list[float]:
    seconds = []
    for _ in range(times):
        reply = replay(sender, name, **meaning(name))
        if reply.status != 200:
            raise RuntimeError(f"{name}: status {reply.status} {reply.body[:200]}")
        seconds.append(reply.seconds)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--times", type=int, default=30)
    args = parser.parse_args()

    logging.disable(logging.WARNING)  # the payloads' own warnings (a rate-limit notice) are not the point
    context = multiprocessing.get_context("spawn")
    with remote_fake_slack(context) as fake_slack, tempfile.TemporaryDirectory() as directory:
        mentor = RunningApp(fake_slack, app_environ(fake_slack, f"sqlite:///{directory}/bench.db"))
        bare = SlackSender(bare_bolt_app(fake_slack), SIGNING_SECRET, fake_slack)
        print(f"load average (1, 5, 15 min): {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
        print(f"{'payload':<44}{'mentor p50':>11}{'max':>9}{'bare p50':>10}{'ratio':>7}  max < {ACK_SECONDS} s")
        slowest = 0.0
        for name in names():
            ours = timings(mentor.slack, name, args.times)
            theirs = timings(bare, name, args.times)
            mentor.settle()
            median, peer = statistics.median(ours), statistics.median(theirs)
            slowest = max(slowest, max(ours))
            met = "met" if max(ours) < ACK_SECONDS else "NOT MET"
            print(
                f"{name:<44}{median * 1000:>9.1f}ms{max(ours) * 1000:>7.0f}ms{peer * 1000:>8.1f}ms"
                f"{median / peer:>7.2f}  {met}"
            )
        print(f"slowest answer of {len(names()) * args.times}: {slowest * 1000:.0f} ms")
        mentor.stop()


if __name__ == "__main__":
    main()
