"""Mentor under load: signed `/mentor` commands and clicks at rising concurrency, on SQLite
and on PostgreSQL, next to a bare Bolt app that only acknowledges, measured in the same run.

Mentor and the bare app run in this process behind waitress with production's thread
count (server.HTTP_THREADS), Mentor with its workers of commands' and clicks' work in the
same process as app.py runs them (each one's work recorded in the database before its ack), both
talking to a fake Slack in a process of its own; a third process sends the commands over
loopback, each client sending its next as soon as the last is answered. For each database,
command and number of clients it prints the acknowledgement time's median and 99th
percentile, requests per second, errors (any answer but 200, or none), Mentor's p99 as a
multiple of the bare app's, how long Mentor's work after the acks went on once the
last was acknowledged ("drained"; the bare app is measured after), and the CPU time this
process spent in the second after that ("rest": Mentor should be idle by then, or it slows
the bare app measured next and flatters the ratio). Mentor and the bare
app are measured in turn for several rounds, each from the same start (warmed up, its work
drained, garbage collected, a second idle); each figure is its median over the rounds
(errors their sum). The bare app keeps Bolt's defaults, its listener handed to another
thread; Mentor runs its listeners before answering (app.py, process_before_response). The
target (issue 22): p99 within 1.5 times the bare app's at 20 and at 50 clients, and no
errors. The machine's load average is printed before and after.

    .venv/bin/python bench/load.py [--requests 400] [--clients 1,5,10,20,50] [--rounds 5]
        [--commands "help|offer SQL, Go|click round_join coffee"]
    BENCH_DATABASE_URL=postgresql+psycopg://… adds PostgreSQL (that database is wiped)
"""

import argparse
import gc
import logging
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ack_latency import RemoteFakeSlack, bare_bolt_app, fresh_database, remote_fake_slack
from server import HTTP_THREADS
from tests.support.running_app import SIGNING_SECRET, RunningApp, app_environ
from tests.support.slack_requests import SlackSender

# One answered in the ack alone, one that writes to the database, and a click on the Home tab
# ("click ACTION_ID VALUE": "Join coffee chats", which writes and redraws the Home tab).
COMMANDS = ("help", "offer SQL, Go", "click round_join coffee")
TARGET_CLIENTS, TARGET_RATIO = (20, 50), 1.5


def send_load(events_url: str, api_origin: str, command: str, requests: int, clients: int) -> tuple[list[float], int]:
    """Runs in the client process: `requests` signed commands from `clients` clients at once.
    Returns the latencies of the answered ones and how many failed."""
    sender = SlackSender(events_url, SIGNING_SECRET, RemoteFakeSlack(api_origin))

    kind, action_id, value = (command.split(" ") + ["", ""])[:3]

    def one(n: int) -> float | None:
        user_id = f"ULOAD{n % 500:04d}"
        try:
            reply = sender.click(action_id, user_id, value) if kind == "click" else sender.command(command, user_id)
        except OSError:
            return None
        return reply.seconds if reply.status == 200 else None

    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(one, range(requests)))
    answered = [seconds for seconds in results if seconds is not None]
    return answered, len(results) - len(answered)


def measure(pool, events_url: str, api_origin: str, command: str, requests: int, clients: int) -> dict:
    started = time.monotonic()
    latencies, errors = pool.apply(send_load, (events_url, api_origin, command, requests, clients))
    elapsed = time.monotonic() - started
    ordered = sorted(latencies) or [float("nan")]
    return {
        "p50": statistics.median(ordered) * 1000,
        "p99": ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000,
        "per_second": len(latencies) / elapsed,
        "errors": errors,
    }


def medians(runs: list[dict]) -> dict:
    """Each figure's median over the rounds; errors are summed, since any is one too many."""
    figures = {key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "errors"}
    return figures | {"errors": sum(run["errors"] for run in runs)}


def cpu_while_resting(seconds: float = 1.0) -> float:
    """CPU seconds this process spends in the next `seconds`, the load sent and its work done."""
    started = time.process_time()
    time.sleep(seconds)
    return time.process_time() - started


def settle_down() -> None:
    """Before a measurement: the garbage the last one left collected here, not during this one
    (Mentor and the bare app share this process), and a second of rest, alike for both."""
    gc.collect()
    cpu_while_resting()


def load_average() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", default="1,5,10,20,50")
    # Five, not three: a p99 of 400 answers is their fourth slowest, and on a shared machine
    # one round's could be half again another's.
    parser.add_argument("--rounds", type=int, default=5, help="measurements per line; medians are printed")
    parser.add_argument("--commands", default="|".join(COMMANDS), help="commands to send, separated by |")
    args = parser.parse_args()
    levels = [int(level) for level in args.clients.split(",")]
    print(f"Load average before: {load_average()}")

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # queued requests are the point here
    context = multiprocessing.get_context("spawn")
    verdicts = []
    with remote_fake_slack(context) as fake_slack, tempfile.TemporaryDirectory() as directory, context.Pool(1) as pool:
        bare_url = bare_bolt_app(fake_slack, threads=HTTP_THREADS)
        databases = [("SQLite", f"sqlite:///{directory}/load.db")]
        postgres = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
        if postgres:
            fresh_database(postgres).dispose()  # RunningApp opens its own engine on it
            databases.append(("PostgreSQL", postgres))
        print(
            f"{'database':<11}{'command':<16}{'clients':>8}{'p50':>9}{'bare p50':>10}{'p99':>9}{'bare p99':>10}"
            f"{'p99 ratio':>10}{'req/s':>8}{'bare/s':>8}{'errors':>8}{'drained':>10}{'rest':>8}"
        )
        # The sending process's first full-size run is slower whatever it sends to (its p99
        # near 100 ms against an app doing nothing): warm it up once on the bare app.
        measure(pool, bare_url, fake_slack.origin, COMMANDS[0], args.requests, max(levels))
        for name, url in databases:
            # Served as app.py serves: commands' work done by workers in the same process, and
            # what was built at start kept out of the garbage collector's way.
            mentor = RunningApp(fake_slack, app_environ(fake_slack, url), http_threads=HTTP_THREADS)
            gc.freeze()
            for command in args.commands.split("|"):
                for clients in levels:
                    ours, bare, drained, rest = [], [], [], []
                    for _ in range(args.rounds):  # Mentor and the bare app in turn, so noise hits both
                        # Each app from the same start: warmed up, its warm-up's work ended, the
                        # garbage left by either collected, and the process idle for a second.
                        measure(pool, mentor.slack.events_url, fake_slack.origin, command, 20, clients)
                        mentor.settle()
                        settle_down()
                        ours.append(
                            measure(pool, mentor.slack.events_url, fake_slack.origin, command, args.requests, clients)
                        )
                        started = time.monotonic()
                        mentor.settle()  # the work after the acks ends before the bare app is measured
                        drained.append(time.monotonic() - started)
                        rest.append(cpu_while_resting())
                        measure(pool, bare_url, fake_slack.origin, command, 20, clients)
                        settle_down()
                        bare.append(measure(pool, bare_url, fake_slack.origin, command, args.requests, clients))
                    ours, bare = medians(ours), medians(bare)
                    ratio = ours["p99"] / bare["p99"]
                    print(
                        f"{name:<11}{command:<16}{clients:>8}{ours['p50']:>7.1f}ms{bare['p50']:>8.1f}ms"
                        f"{ours['p99']:>7.1f}ms{bare['p99']:>8.1f}ms{ratio:>10.2f}{ours['per_second']:>8.0f}"
                        f"{bare['per_second']:>8.0f}{ours['errors'] + bare['errors']:>8}"
                        f"{statistics.median(drained):>9.1f}s{statistics.median(rest):>7.2f}s"
                    )
                    if clients in TARGET_CLIENTS:
                        met = ratio <= TARGET_RATIO and ours["errors"] + bare["errors"] == 0
                        verdicts.append(
                            f"{name} {command!r} at {clients} clients: p99 {ours['p99']:.1f} ms, "
                            f"{ratio:.2f} x bare, {ours['errors']} errors: {'met' if met else 'NOT met'}"
                        )
            mentor.stop()
    print(
        f"\nTarget: p99 within {TARGET_RATIO} x the bare app's at "
        f"{' and '.join(map(str, TARGET_CLIENTS))} clients, no errors"
    )
    for verdict in verdicts:
        print("  " + verdict)
    print(f"Load average after: {load_average()}")


if __name__ == "__main__":
    main()
