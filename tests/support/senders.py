"""Outbox senders in processes of their own, as replicas run them: each with its own engine,
pacer and Web API clients, sending what the database holds to the fake Slack."""

import multiprocessing
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from multiprocessing.process import BaseProcess

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from deps import Deps
from jobs import outbox
from jobs.pacing import Pacer
from storage.db import Store, make_engine


def sender(database_url: str, api_url: str, tokens: Mapping[str, str], rates: Mapping[str, int], minute: float) -> Deps:
    """What a sender is handed: its own engine, a pacer of `rates` whose minute lasts
    `minute` seconds, and a client with each workspace's bot token (`tokens`: team -> token)."""

    def client_for(team_id: str) -> WebClient | None:
        token = tokens.get(team_id)
        if token is None:
            return None
        return WebClient(token=token, base_url=api_url, retry_handlers=[RateLimitErrorRetryHandler(3)])

    return Deps(store=Store(make_engine(database_url)), client_for=client_for, pacer=Pacer(dict(rates), minute))


def _drain_in_process(args: tuple, ready, posted) -> None:
    deps = sender(*args)
    ready.wait()  # every sender starts at once
    posted.put(outbox.drain(deps))
    deps.store.engine.dispose()


def run_senders(
    count: int,
    database_url: str,
    api_url: str,
    tokens: Mapping[str, str],
    rates: Mapping[str, int],
    minute: float,
    timeout: float = 120,
) -> tuple[float, list[int]]:
    """Run `count` sender processes until each has drained the outbox: the seconds from their
    common start to the last one's end, and the messages each posted. Raises AssertionError
    when one fails or outlasts `timeout`; every one still running is killed on the way out."""
    context = multiprocessing.get_context("spawn")  # fresh interpreters, as separate replicas are
    ready, posted = context.Barrier(count + 1), context.Queue()
    args = (database_url, api_url, dict(tokens), dict(rates), minute)
    processes = [context.Process(target=_drain_in_process, args=(args, ready, posted)) for _ in range(count)]
    try:
        for process in processes:
            process.start()
        ready.wait(timeout=60)
        started = time.monotonic()
        for process in processes:
            process.join(timeout=max(0.0, started + timeout - time.monotonic()))
        elapsed = time.monotonic() - started
        assert [process.exitcode for process in processes] == [0] * count, "a sender failed or outlasted its time"
        return elapsed, [posted.get(timeout=5) for _ in processes]
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join()


@contextmanager
def sender_process(
    database_url: str, api_url: str, tokens: Mapping[str, str], rates: Mapping[str, int], minute: float
) -> Iterator[BaseProcess]:
    """One sender process draining the outbox, for a test to kill midway; killed on the way out."""
    context = multiprocessing.get_context("spawn")
    ready, posted = context.Barrier(2), context.Queue()
    args = (database_url, api_url, dict(tokens), dict(rates), minute)
    process = context.Process(target=_drain_in_process, args=(args, ready, posted))
    process.start()
    try:
        ready.wait(timeout=60)
        yield process
    finally:
        if process.is_alive():
            process.kill()
        process.join()
