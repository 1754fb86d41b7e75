"""Fixtures shared by the end-to-end tests, and a check of every log line they produce."""

import io
import logging
import re

import pytest

from handlers.logs import RedactTokens
from tests.support.running_app import RunningApp, app_environ
from tests.support.slack_requests import PRIVATE_TEXT

LONG_ENOUGH = 12  # shorter texts ("SQL", "yes") would match log lines by chance


@pytest.fixture(scope="session", autouse=True)
def logs_hold_no_tokens_and_no_private_text():
    """Everything the app logs during the whole end-to-end run, at the level and through the
    filter production uses (handlers/logs.py), must hold no token and nothing members wrote
    privately: their questions, notes and replies."""
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield
    root.removeHandler(handler)
    root.setLevel(level)
    logged = captured.getvalue()
    assert logged, "nothing was logged: the check would prove nothing"
    assert re.search(r"xox[a-z]-(?!\[redacted\])", logged) is None, "a Slack token reached the logs"
    leaked = sorted(text for text in PRIVATE_TEXT if len(text) >= LONG_ENOUGH and text in logged)
    assert leaked == [], f"private text reached the logs: {leaked[:3]}"


@pytest.fixture
def multi_workspace(fake_slack, sqlite_url):
    """The bot in OAuth mode: many workspaces, each installed through Slack's install flow."""
    environ = app_environ(
        fake_slack,
        sqlite_url,
        SLACK_BOT_TOKEN="",
        SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET="client-secret",
    )
    running = RunningApp(fake_slack, environ)
    yield running
    running.stop()
