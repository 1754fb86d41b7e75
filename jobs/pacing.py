"""Pacing Slack calls under their rate-limit tiers, instead of hammering until a 429.

Per (workspace, method), at most `rate` calls in any minute: a call waits until the
`rate`-th most recent one is a minute old (and a hair more, for the network). A burst up
to the minute's budget goes at once; beyond it, calls go at the tier's rate. One pacer
per process; the outbox makes it a workspace's only one while it holds the workspace's lane,
and hands the calls of the last minute on to the lane's next holder, in this process or
another (jobs/outbox.py). Slack's 429s (waited out by the client's retry handler) stay the
backstop. Times are the Unix epoch's seconds (scaled in benchmarks), the same in every process.
"""

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

# Calls per minute per workspace. conversations.open is Tier 3; chat.postMessage allows
# about one a second per channel, and each DM here goes to its own channel, so the
# workspace-wide budget is the binding one; chat.update, conversations.history and .replies are Tier 3.
RATES_PER_MINUTE = {
    "conversations.open": 50,
    "chat.postMessage": 60,
    "chat.update": 50,
    "conversations.history": 50,
    "conversations.replies": 50,
    "users.info": 100,  # Tier 4: members' status checked before a round
}
MARGIN = 1.01  # a minute and 1%: calls reach Slack a little after we send them


class Pacer:
    def __init__(
        self,
        rates: dict[str, int] = RATES_PER_MINUTE,
        seconds_per_minute: float = 60.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.rates = rates
        self.seconds_per_minute = seconds_per_minute  # smaller in benchmarks: time scaled down
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._calls: dict[tuple[str, str], deque] = {}  # key -> start times of its last `rate` calls

    def wait(self, team_id: str, method: str) -> float:
        """Block until a call of `method` for this workspace keeps within its rate; returns
        how long it waited (0 for methods without a rate here)."""
        rate = self.rates.get(method)
        if not rate:
            return 0.0
        with self._lock:  # reserve a start time, then wait outside the lock
            now = self.clock()
            start = self._start(team_id, method, now)
            self._calls.setdefault((team_id, method), deque(maxlen=rate)).append(start)
        if start > now:
            self.sleep(start - now)
        return start - now

    def delay(self, team_id: str, methods: Iterable[str]) -> float:
        """How long a call of each of `methods` for this workspace would wait now (0: none)."""
        with self._lock:
            now = self.clock()
            return max((self._start(team_id, method, now) - now for method in methods), default=0.0)

    def room(self, team_id: str, methods: Iterable[str]) -> int | None:
        """How many calls of each of `methods` this workspace may start now without waiting
        (the fewest over `methods`); None when none of them has a rate here."""
        with self._lock:
            since = self.clock() - self.seconds_per_minute * MARGIN
            rooms = [
                rate - sum(1 for start in self._calls.get((team_id, method), ()) if start > since)
                for method in methods
                if (rate := self.rates.get(method))
            ]
        return max(0, min(rooms)) if rooms else None

    def recent(self, team_id: str) -> dict[str, list[float]]:
        """The start times of this workspace's calls that still count against its tiers, by method."""
        with self._lock:
            since = self.clock() - self.seconds_per_minute * MARGIN
            return {
                method: [start for start in calls if start > since]
                for (team, method), calls in self._calls.items()
                if team == team_id and calls and calls[-1] > since
            }

    def restore(self, team_id: str, recent: dict[str, list[float]]) -> None:
        """Count calls another pacer made for this workspace (its `recent`), as if made here."""
        with self._lock:
            for method, starts in recent.items():
                rate = self.rates.get(method)
                if not rate:
                    continue
                calls = self._calls.setdefault((team_id, method), deque(maxlen=rate))
                merged = sorted(set(calls) | {float(start) for start in starts})
                calls.clear()
                calls.extend(merged[-rate:])

    def _start(self, team_id: str, method: str, now: float) -> float:
        """When a call of `method` may start: once the `rate`-th most recent is a minute old."""
        rate = self.rates.get(method)
        calls = self._calls.get((team_id, method))
        if not rate or calls is None or len(calls) < rate:
            return now
        return max(now, calls[0] + self.seconds_per_minute * MARGIN)
