"""The real app, built exactly as app.py builds it, served by waitress on a loopback port."""

import threading
from datetime import UTC, datetime, timedelta

from waitress import wasyncore
from waitress.server import create_server

import app as mentor_app
from config import load_config
from handlers.web import EVENTS_PATH, make_wsgi_app
from installations import make_client
from jobs.pacing import Pacer
from server import finish
from storage.db import Store, make_engine
from storage.migrations import upgrade
from tests.support.fake_slack import DEFAULT_TOKEN, FakeSlack
from tests.support.slack_requests import SlackSender

SIGNING_SECRET = "test-signing-secret"


class FakeClock:
    """A clock the test moves: it starts at a fixed Monday morning and stands still."""

    def __init__(self, now: datetime = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


def app_environ(fake_slack: FakeSlack, database_url: str, **overrides: str) -> dict:
    return {
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": DEFAULT_TOKEN,
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
        **overrides,
    }


class RunningApp:
    started = 0  # apps served in this process: the end-to-end log check needs at least one

    def __init__(self, fake_slack: FakeSlack, environ: dict, clock=None, http_threads: int = 8, workers: bool = True):
        """Commands' work is done by workers in this process, as when app.py serves (without
        `workers`, by none: a test starts its own)."""
        RunningApp.started += 1
        self.fake_slack = fake_slack
        self.config = load_config(environ)
        self.engine = make_engine(self.config.database_url)
        upgrade(self.engine)
        self.store = Store(self.engine)
        self.clock = clock or FakeClock()
        # No pacing in the tests' own process: tests/unit/test_pacing.py and bench/delivery.py cover it.
        self.bolt, self.deps = mentor_app.create_app(
            self.config,
            self.store,
            make_client(self.config),
            clock=self.clock,
            pacer=Pacer(rates={}),
        )
        self.workers = mentor_app.command_workers(self.deps).start() if workers else None
        self._server = create_server(
            make_wsgi_app(self.bolt, self.store), host="127.0.0.1", port=0, threads=http_threads
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.effective_port}"
        self.slack = SlackSender(self.url + EVENTS_PATH, SIGNING_SECRET, fake_slack)

    def settle(self) -> None:
        """Wait, without sleeping, for the work acknowledged requests handed on (commands'
        work, what listeners do after their ack, a drain of the outbox): new work goes to
        fresh pools while the old ones finish. Commands' work is waited for until none is
        left in the database. (Listeners themselves end before Slack is answered.)"""
        if self.workers is not None:
            self.workers.settle()
        self.deps.settle_background()

    def stop(self) -> None:
        # As app.py stops: what was acknowledged ends against the fakes.
        finish(self.deps, workers=self.workers)
        # Close every channel from the server's own loop; with nothing left to watch, run() returns.
        channels = list(self._server._map.values())
        try:
            self._server.trigger.pull_trigger(lambda: [channel.close() for channel in channels])
        except OSError:
            # About one full run in ten (here since before issue 17), the trigger's pipe is found
            # closed by the time a test ends: something else in this process closed its
            # descriptor number, and no hook on os.close or on waitress's own closing caught it.
            # Without a trigger, the loop is emptied instead: it sees so within its select
            # timeout (1 s) and returns, and the channels are closed here once it has, but the
            # trigger, whose descriptor numbers may be someone else's by now.
            trigger = self._server.trigger
            trigger._closed = True  # not to be closed again: see above
            self._server._map.clear()
            self._thread.join(timeout=10)
            for channel in channels:
                if channel is self._server:
                    wasyncore.dispatcher.close(channel)  # its own close() would close the trigger
                elif channel is not trigger:
                    channel.close()
        self._thread.join(timeout=10)
        self._server.task_dispatcher.shutdown()
        self.engine.dispose()
