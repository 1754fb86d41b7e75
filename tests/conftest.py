import os

import pytest
from hypothesis import settings
from sqlalchemy.engine import make_url

from tests.support.databases import copy_sqlite, migrated_sqlite_template, postgres_url, scratch_postgres_database
from tests.support.fake_slack import FakeSlack
from tests.support.running_app import RunningApp, app_environ

# No deadline on any example: speed is measured in bench/, not asserted in tests, and on a
# shared, loaded machine Hypothesis's default 200 ms deadline failed tests that were right.
settings.register_profile("mentor", deadline=None)
settings.load_profile("mentor")


@pytest.fixture
def fake_slack():
    fake = FakeSlack().start()
    yield fake
    fake.stop()
    assert fake.invalid_payloads == [], "the app sent Slack payloads Slack would refuse"
    assert fake.missing_scopes == [], "the app called Slack methods its scopes do not allow"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """Migrated once per run; tests/integration/test_migrations.py runs the migrations themselves."""
    return migrated_sqlite_template(tmp_path_factory.mktemp("template") / "mentor.db")


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template):
    """A migrated SQLite database of the test's own: tmp_path/mentor.db."""
    return copy_sqlite(sqlite_template, tmp_path / "mentor.db")


@pytest.fixture(scope="session")
def postgres_test_url():
    """TEST_DATABASE_URL: a PostgreSQL database the tests may wipe. Each pytest-xdist worker
    gets one of its own on the same server (test_gw0, ...), created and dropped here: one
    worker wiping the schema would pull it from under the other's tests."""
    url = postgres_url()
    if url is None:
        pytest.skip("TEST_DATABASE_URL is not set: no PostgreSQL to test against")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        yield url
        return
    with scratch_postgres_database(url, f"{make_url(url).database}_{worker}") as own:
        yield own


@pytest.fixture
def mentor(fake_slack, sqlite_url):
    """The whole bot over HTTP, on SQLite, talking to the fake Slack."""
    running = RunningApp(fake_slack, app_environ(fake_slack, sqlite_url))
    yield running
    running.stop()
