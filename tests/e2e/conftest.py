"""Fixtures shared by the end-to-end tests."""

import pytest

from tests.support.running_app import RunningApp, app_environ


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
