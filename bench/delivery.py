"""How close the outbox sender comes to Slack's rate limits, and whether it loses or doubles DMs.

A coffee round of 2,000 members (1,000 introductions) is recorded, then sent through the
real outbox sender to a fake Slack that enforces the tiers: conversations.open 50 a
minute, chat.postMessage 60 a minute per workspace, answered with 429 and Retry-After
beyond them. Time is scaled down (a "minute" lasts --minute seconds) so a run takes
seconds. Printed for the paced sender (jobs/pacing.py) and, as the peer, the same
sender without pacing, which keeps calling until Slack says 429 and then waits:
introductions sent per minute as a share of the allowed rate (over the whole run, so a
first minute's burst counts), the busiest minute Slack saw, 429s, lost and duplicated.

    .venv/bin/python bench/delivery.py [--members 2000] [--minute 0.5]
"""

import argparse
import collections
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import app as mentor_app
from bot.members.model import SkillKind, normalize_skill
from bot.rounds import services as round_services
from bot.rounds.model import RoundKind
from config import load_config
from installations import make_client
from jobs import outbox
from jobs.pacing import RATES_PER_MINUTE, Pacer
from storage.db import Store, make_engine
from storage.migrations import upgrade
from tests.support.fake_slack import DEFAULT_TEAM, FakeSlack
from tests.support.running_app import app_environ

SKILLS = [normalize_skill(f"skill {n}") for n in range(40)]


class TieredSlack(FakeSlack):
    """A fake Slack that refuses calls beyond each method's rate per (scaled) minute."""

    def __init__(self, minute: float):
        super().__init__()
        self.minute = minute
        self.retry_after = 1  # whole seconds, as Slack sends it
        self._recent: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self._window = threading.Lock()
        self.refused = collections.Counter()
        self.busiest = collections.Counter()  # method -> most calls taken within one minute

    def rate_limit(self, method: str) -> bool:
        limit = RATES_PER_MINUTE.get(method)
        if limit is None:
            return False
        with self._window:
            now, recent = time.monotonic(), self._recent[method]
            while recent and recent[0] <= now - self.minute:
                recent.popleft()
            if len(recent) >= limit:
                self.refused[method] += 1
                return True
            recent.append(now)
            self.busiest[method] = max(self.busiest[method], len(recent))
            return False


def load(store: Store, members: int) -> None:
    with store.transaction() as repositories:
        for n in range(members):
            user_id = f"U{n:06d}"
            repositories.profiles.add_skills(DEFAULT_TEAM, user_id, SkillKind.OFFER, [SKILLS[n % 40]])
            repositories.profiles.add_skills(DEFAULT_TEAM, user_id, SkillKind.WANT, [SKILLS[(n * 7 + 3) % 40]])
            repositories.rounds.set_opt_in(DEFAULT_TEAM, user_id, RoundKind.COFFEE, True)


def run(members: int, minute: float, paced: bool) -> dict:
    fake = TieredSlack(minute).start()
    try:
        with tempfile.TemporaryDirectory() as directory:
            environ = app_environ(fake, f"sqlite:///{directory}/delivery.db")
            config = load_config(environ)
            engine = make_engine(config.database_url)
            upgrade(engine)
            store = Store(engine)
            load(store, members)
            pacer = Pacer(seconds_per_minute=minute) if paced else Pacer(rates={})
            _, deps = mentor_app.create_app(config, store, make_client(config), pacer=pacer)
            now = datetime.now(UTC)
            with store.transaction() as repositories:
                result = round_services.run_round(repositories, DEFAULT_TEAM, RoundKind.COFFEE, date.today(), now)
            started = time.monotonic()
            outbox.drain(deps)
            elapsed = time.monotonic() - started
            engine.dispose()
    finally:
        fake.stop()
    sent = [channel for channel, messages in fake.history.items() for _ in messages]
    return {
        "groups": result.groups,
        "sent": len(sent),
        "lost": result.groups - len(set(sent)),
        "duplicated": len(sent) - len(set(sent)),
        "minutes": elapsed / minute,
        "refused": sum(fake.refused.values()),
        "busiest": fake.busiest["conversations.open"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--minute", type=float, default=1.5, help="seconds a simulated minute lasts")
    args = parser.parse_args()

    # Each introduction needs one conversations.open, the tighter tier: that is the ceiling.
    allowed = min(RATES_PER_MINUTE["conversations.open"], RATES_PER_MINUTE["chat.postMessage"])
    for name, paced in (("paced sender", True), ("unpaced (peer)", False)):
        figures = run(args.members, args.minute, paced)
        per_minute = figures["sent"] / figures["minutes"]
        print(
            f"{name:<16} {figures['sent']:,} of {figures['groups']:,} introductions "
            f"in {figures['minutes']:.1f} minutes: "
            f"{per_minute:.1f} a minute, {per_minute / allowed:.1%} of the allowed {allowed} a minute "
            f"(busiest minute {figures['busiest']}); 429s {figures['refused']}, lost {figures['lost']}, "
            f"duplicated {figures['duplicated']}"
        )


if __name__ == "__main__":
    main()
