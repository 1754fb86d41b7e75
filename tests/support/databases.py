"""Databases for the tests: SQLite files migrated once per run, PostgreSQL when
TEST_DATABASE_URL names a database the tests may wipe, and SQLite files broken on purpose."""

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import make_engine
from storage.migrations import upgrade


def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def migrated_sqlite_template(path: Path) -> Path:
    """A SQLite file at `path` with every migration applied, for tests to copy: running the
    migrations takes 0.1 to 0.2 s, copying the file well under a millisecond. Its journal
    mode is put back to SQLite's default, so that the file holds everything by itself and
    each copy starts as a new database does: make_engine turns WAL on."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    return path


def copy_sqlite(template: Path, path: Path) -> str:
    """A database at `path`, as `template` is; its URL."""
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@contextmanager
def scratch_postgres_database(server_url: str, name: str) -> Iterator[str]:
    """An empty database called `name` on `server_url`'s server, dropped afterwards; its URL."""
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {name}"))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        server.dispose()


def break_database(mentor, tmp_path: Path) -> None:
    """Put a directory where the SQLite file was: every new connection fails to open it.
    The app's workers are stopped first: their looking for work would create the file again;
    and the connection held to record commands is let go, as after a burst."""
    if mentor.workers is not None:
        mentor.workers.stop()
        mentor.workers = None
    mentor.deps.recorder.close()
    mentor.engine.dispose()
    for leftover in tmp_path.glob("mentor.db*"):
        leftover.unlink()
    (tmp_path / "mentor.db").mkdir()
