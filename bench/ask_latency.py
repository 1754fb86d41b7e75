"""How soon an ask reaches its first candidate: from the ack of `/mentor ask` to the first
candidate's request DM at the fake Slack, for 20 asks sent at once.

A workspace of 60 SQL mentors; 20 members send `/mentor ask ... #sql` together, over loopback,
to the real app (signed requests, waitress, Bolt, SQLite). For each ask: the moment its ack
came back, and the moment the fake Slack took the first chat.postMessage carrying its question.
Printed, p50 and p99 in milliseconds:

- before: the code of `--before` (default 3758359, the last before the outbox; exported with
  `git archive` into a temporary directory and run there in a process of its own), where ask
  DMs were posted straight from the ask flow, unpaced;
- first in, first out: the code of `--fifo` (default bb5a83b, the outbox before urgency, run
  the same way), paced at Slack's tiers (jobs/pacing.py, a real minute: 20 asks of 3 candidates
  need 60 conversations.open against a budget of 50 a minute);
- this code, unpaced (as `before`), and paced as `--fifo`: every ask DM queued with the ask
  and sent by the outbox, each ask's best-ranked request ahead of the rest (Urgency);
- both outboxes again, paced, with `--batch` welcome DMs queued just before the asks (a batch
  that needs the same budget, as a round's notices do).

Each line also counts the asks whose first request took over 5 s.

The machine's load average is printed before and after: the figures mean little on a busy machine.

    .venv/bin/python bench/ask_latency.py [--asks 20] [--before REV] [--fifo REV] [--batch 100]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MENTORS = 60
LATE_MS = 5_000  # "within seconds of the ack" (issue 20), counted per ask


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(asks: int, paced: bool, waiting: int = 0) -> list[float]:
    """Milliseconds from each ask's ack to its first candidate's DM, with the code on sys.path;
    with `waiting` welcome DMs queued before the asks (as when a team joins the workspace: a
    batch that waits for the same budget, like a round's notices)."""
    from bot.deliveries import DeliveryKind
    from bot.members.model import SkillKind, normalize_skill
    from jobs.pacing import Pacer
    from storage.outbox import About, queue_to_each
    from tests.support.fake_slack import DEFAULT_TEAM, FakeSlack
    from tests.support.running_app import RunningApp, app_environ

    class TimedSlack(FakeSlack):
        """Notes when each ask's first request DM arrives."""

        def __post_init__(self) -> None:
            super().__post_init__()
            self.first_dm: dict[int, float] = {}
            self.all_reached = threading.Event()

        def answer(self, method: str, args: dict, token: str | None) -> dict:
            if method == "chat.postMessage":
                arrived = time.monotonic()
                shown = str(args)
                for n in range(asks):
                    if f"question number {n:03d}" in shown and "has a question" in shown:
                        self.first_dm.setdefault(n, arrived)
                if len(self.first_dm) == asks:
                    self.all_reached.set()
            return super().answer(method, args, token)

    fake = TimedSlack().start()
    with tempfile.TemporaryDirectory() as directory:
        app = RunningApp(fake, app_environ(fake, f"sqlite:///{directory}/latency.db"), http_threads=asks)
        if paced:
            object.__setattr__(app.deps, "pacer", Pacer())  # Slack's tiers, a real minute
        with app.store.transaction() as repositories:
            for m in range(MENTORS):
                repositories.profiles.add_skills(DEFAULT_TEAM, f"UM{m:04d}", SkillKind.OFFER, [normalize_skill("SQL")])
            for n in range(asks):
                repositories.profiles.add_skills(DEFAULT_TEAM, f"UA{n:04d}", SkillKind.WANT, [normalize_skill("SQL")])
            for n in range(waiting):
                joiner = f"UW{n:04d}"
                welcome = About.welcome(joiner)
                queue_to_each(repositories.session, DEFAULT_TEAM, welcome, DeliveryKind.WELCOME, [joiner], app.clock())
        acked: dict[int, float] = {}
        start = threading.Barrier(asks)

        def send(n: int) -> None:
            start.wait()
            question = f"ask What is a good first step for question number {n:03d} on #sql?"
            reply = app.slack.command(question, f"UA{n:04d}")
            acked[n] = time.monotonic()
            assert reply.status == 200, reply.status

        with ThreadPoolExecutor(asks) as pool:
            list(pool.map(send, range(asks)))
        reached = fake.all_reached.wait(timeout=300)
        app.settle()
        app.stop()
    fake.stop()
    if not reached:
        raise RuntimeError(f"only {len(fake.first_dm)} of {asks} asks reached a candidate")
    return [(fake.first_dm[n] - acked[n]) * 1000 for n in range(asks)]


def before(rev: str, asks: int, paced: bool = False, waiting: int = 0) -> list[float]:
    """The figures of `rev`'s code, measured in a process of its own on an export of it."""
    with tempfile.TemporaryDirectory() as directory:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", directory], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": directory}
        run = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--measure", "--asks", str(asks)]
            + (["--paced"] if paced else [])
            + ["--waiting", str(waiting)],
            cwd=directory,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(run.stdout.strip().splitlines()[-1])


def report(name: str, latencies: list[float]) -> None:
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    late = sum(latency > LATE_MS for latency in latencies)
    over = f"{late:>2} of {len(latencies)} asks over {LATE_MS / 1000:.0f} s"
    print(f"{name:<58} p50 {p50:9.1f} ms   p99 {p99:9.1f} ms   {over}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--asks", type=int, default=20)
    parser.add_argument("--before", default="3758359", help="the revision before the outbox")
    parser.add_argument("--fifo", default="bb5a83b", help="the revision whose outbox sent the oldest first")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # one run, as JSON
    parser.add_argument("--paced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--waiting", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, default=100, help="welcome DMs queued before the asks, last two lines")
    args = parser.parse_args()
    if args.measure:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(measure(args.asks, args.paced, args.waiting)))
        return

    sys.path.insert(0, str(ROOT))
    print(f"load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    report(f"before ({args.before}: posted from the ask flow)", before(args.before, args.asks))
    report(f"first in, first out ({args.fifo}), paced", before(args.fifo, args.asks, paced=True))
    report("this code, unpaced", measure(args.asks, paced=False))
    report("this code, paced at Slack's tiers", measure(args.asks, paced=True))
    batch = f"{args.batch} welcomes queued first"
    report(f"{batch}: oldest first ({args.fifo}), paced", before(args.fifo, args.asks, True, args.batch))
    report(f"{batch}: this code, paced", measure(args.asks, paced=True, waiting=args.batch))
    print(f"load average after:  {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
