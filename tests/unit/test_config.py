"""Configuration (config.py): every bad setting is named in the one line the operator sees,
and `python app.py` shows that line alone and exits 2 before creating anything.

tests/e2e/test_startup.py keeps one such case end to end, in a process of its own."""

import os
from pathlib import Path

import pytest

import app
from config import ConfigError, load_config

GOOD = {"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1"}
SEE = ". See README.md, section Configuration."

BAD_SETTINGS = [
    ({}, "SLACK_SIGNING_SECRET is not set"),
    (
        {"SLACK_SIGNING_SECRET": "s"},
        "SLACK_BOT_TOKEN is not set (or, for many workspaces, set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET; "
        "missing: SLACK_CLIENT_ID, SLACK_CLIENT_SECRET)",
    ),
    ({**GOOD, "SLACK_BOT_TOKEN": "abc"}, "SLACK_BOT_TOKEN must be a bot token starting with xoxb-"),
    (
        {"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1.2"},
        "SLACK_BOT_TOKEN is not set (or, for many workspaces, set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET; "
        "missing: SLACK_CLIENT_SECRET)",
    ),
    ({**GOOD, "SLACK_APP_TOKEN": "x"}, "SLACK_APP_TOKEN must be an app-level token starting with xapp-"),
    ({**GOOD, "PORT": "http"}, "PORT must be a port number from 1 to 65535"),
    ({**GOOD, "SLACK_API_URL": "slack"}, "SLACK_API_URL must be an http(s) URL such as https://slack.com/api/"),
    (
        {**GOOD, "MENTOR_ADMINS": "U1X,ana"},
        "MENTOR_ADMINS must be comma-separated Slack user ids like U012ABC; not 'ana'",
    ),
    ({**GOOD, "DATABASE_URL": "mysql://x"}, "DATABASE_URL must be sqlite:///… or postgresql+psycopg://…"),
    ({**GOOD, "DATABASE_URL": "::nonsense"}, "DATABASE_URL is not a database URL (e.g. sqlite:///mentor.db)"),
]


@pytest.mark.parametrize(("environ", "problem"), BAD_SETTINGS)
def test_a_missing_or_malformed_setting_is_named_in_one_line(environ, problem):
    with pytest.raises(ConfigError) as raised:
        load_config(environ)

    assert raised.value.line == "mentor: " + problem + SEE


@pytest.fixture
def bare_environment(tmp_path, monkeypatch) -> Path:
    """No Mentor setting in the environment, and an empty working directory with an empty
    .env above it (python-dotenv looks up from the working directory)."""
    for name in list(os.environ):
        if name.startswith(("SLACK_", "MENTOR_")) or name in ("DATABASE_URL", "PORT"):
            monkeypatch.delenv(name)
    (tmp_path / ".env").touch()
    workdir = tmp_path / "workdir"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    return workdir


@pytest.mark.parametrize(("environ", "problem"), BAD_SETTINGS)
def test_python_app_py_shows_only_that_line_exits_2_and_creates_nothing(
    environ, problem, bare_environment, monkeypatch, capsys
):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(app, "serve", lambda *args, **kwargs: pytest.fail("the setting was accepted"))

    status = app.main([])

    assert status == 2
    assert capsys.readouterr().err == "mentor: " + problem + SEE + "\n"
    assert list(bare_environment.iterdir()) == []  # no database, nothing


def test_a_good_configuration_takes_the_defaults():
    config = load_config(GOOD)

    assert (config.database_url, config.port, config.ask_policy.fanout) == ("sqlite:///mentor.db", 3000, 3)
    assert (config.app_token, config.api_url, config.ask_timeout_hours, config.followup_days) == (None,) * 4
    assert config.admin_ids == frozenset() and not config.uses_oauth
