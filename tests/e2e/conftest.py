"""Fixtures shared by the end-to-end tests, and a check of every log line they produce."""

import io
import logging
import os
import re
from pathlib import Path

import pytest

from bot import ids
from bot.rounds.model import RoundKind
from handlers.logs import RedactTokens
from tests.support.databases import scratch_postgres_database
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.members import HISTORY_QUESTION, NOTE, answer_followup, ask, say
from tests.support.rounds import run_rounds_now
from tests.support.running_app import RunningApp, app_environ
from tests.support.slack_requests import PRIVATE_TEXT

LONG_ENOUGH = 12  # shorter texts ("SQL", "yes") would match log lines by chance
APP_SOURCES = ("*.py", "bot/**/*.py", "storage/**/*.py", "handlers/**/*.py", "jobs/**/*.py", "alembic/**/*.py")
HOUR = 3600
ZONES = {"UANA": 0, "UBEN": -5 * HOUR, "UCAT": 9 * HOUR, "UDAN": 0, "UEVE": 11 * HOUR, "UASK": 0}


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
    # Only apps served in this process log here: pytest-xdist may give a worker nothing but
    # tests that run `python app.py` in a subprocess, whose logs this check does not see.
    if RunningApp.started:
        assert logged, "nothing was logged: the check would prove nothing"
    assert re.search(r"xox[a-z]-(?!\[redacted\])", logged) is None, "a Slack token reached the logs"
    # Hypothesis draws some of its text from the string constants of our own code (a table name
    # such as "skill_evidence"); such a text in the logs is the code's own words, not a leak.
    root_dir = Path(__file__).resolve().parents[2]
    source = "\n".join(path.read_text() for pattern in APP_SOURCES for path in root_dir.glob(pattern))
    leaked = sorted(text for text in PRIVATE_TEXT if len(text) >= LONG_ENOUGH and text in logged and text not in source)
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


@pytest.fixture
def history(mentor):
    """UASK: helped by UANA with SQL (and told UANA how it went, with a note), never to be
    paired with UCAL, in a coffee round with UBEN, and with an open ask about Go to UDEV."""
    for user_id in ("UANA", "UASK", "UBEN", "UCAL", "UDEV"):
        mentor.fake_slack.users[user_id] = default_user(user_id, DEFAULT_TEAM)
    answer_followup(mentor, note=NOTE)
    mentor.slack.submit_view(
        ids.PROFILE_VIEW,
        {
            "objectives": {"objectives": {"type": "plain_text_input", "value": "Become a calmer reviewer"}},
            "never_pair": {"never_pair": {"type": "multi_users_select", "selected_users": ["UCAL"]}},
        },
        user_id="UASK",
    )
    for user_id in ("UASK", "UBEN"):
        say(mentor, "join coffee", user_id)
    run_rounds_now(mentor.deps, RoundKind.COFFEE)
    say(mentor, "offer Go", "UDEV")
    ask(mentor, HISTORY_QUESTION + " #go", "UASK")
    mentor.settle()
    return mentor


@pytest.fixture
def workspace(mentor):
    """Four members who offer SQL in different time zones (UDAN takes no questions), and an asker."""
    for user_id, offset in ZONES.items():
        mentor.fake_slack.users[user_id] = {**default_user(user_id, DEFAULT_TEAM), "tz_offset": offset}
    for user_id in ("UANA", "UBEN", "UCAT", "UEVE"):
        say(mentor, "offer SQL, Go", user_id)
    say(mentor, "offer SQL", "UDAN")
    mentor.slack.submit_view(
        ids.PROFILE_VIEW,
        {
            "offers": {"offers": {"type": "plain_text_input", "value": "SQL"}},
            "capacity": {"capacity": {"type": "number_input", "value": "0"}},
        },
        user_id="UDAN",
    )
    mentor.fake_slack.wait_for("views.publish")  # sent once UDAN's profile and time zone are stored
    return mentor


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """The service's database: a SQLite file, or a database of its own on TEST_DATABASE_URL's server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mentor.db'}"
        return
    name = f"mentor_durable_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with scratch_postgres_database(request.getfixturevalue("postgres_test_url"), name) as url:
        yield url
