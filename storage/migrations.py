"""Applying Alembic migrations from code: `python app.py migrate` and every start."""

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from alembic import command

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "alembic"
# Any constant works; it names the lock that keeps two replicas from migrating at once.
_MIGRATION_LOCK_ID = 4_240_001


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration. Safe to run from several processes at
    once: PostgreSQL takes an advisory lock, SQLite's BEGIN IMMEDIATE serializes them."""
    config = _config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def is_current(engine: Engine) -> bool:
    """True when the database is at the newest migration."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head
