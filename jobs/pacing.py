"""Pacing Slack calls under their rate-limit tiers, instead of hammering until a 429.

Per (workspace, method), at most `rate` calls in any minute: a call waits until the
`rate`-th most recent one is a minute old (and a hair more, for the network). A burst up
to the minute's budget goes at once; beyond it, calls go at the tier's rate. One pacer
per process; several replicas each keep their own, and Slack's 429s (waited out by the
client's retry handler) catch what they add up to.
"""

import threading
import time
from collections import deque
from collections.abc import Callable

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
        clock: Callable[[], float] = time.monotonic,
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
            calls = self._calls.setdefault((team_id, method), deque(maxlen=rate))
            start = max(now, calls[0] + self.seconds_per_minute * MARGIN) if len(calls) == rate else now
            calls.append(start)
        if start > now:
            self.sleep(start - now)
        return start - now
