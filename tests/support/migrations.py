"""Migrations run backwards, for the tests of a migration's downgrade (storage.migrations
only ever upgrades)."""

from alembic.config import Config
from sqlalchemy import Engine

from alembic import command
from storage.migrations import MIGRATIONS_DIR


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema of `engine` back to `revision`, in one transaction."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
