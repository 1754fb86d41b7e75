"""The migrations build exactly the schema the code expects, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, inspect

from storage.migrations import is_current, upgrade
from storage.models import Base

# Tables with no workspace: Alembic's bookkeeping, and OAuth states issued before any install.
UNSCOPED_TABLES = {"alembic_version", "slack_oauth_states"}


def expected_metadata() -> MetaData:
    """Our models plus the tables slack-sdk's installation and state stores use."""
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")
    return metadata


def test_migrated_schema_matches_the_models_and_slack_sdk_stores(migrated_engine):
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, expected_metadata())

    assert differences == []


def test_every_table_is_scoped_by_workspace(migrated_engine):
    inspector = inspect(migrated_engine)
    for table in set(inspector.get_table_names()) - UNSCOPED_TABLES:
        assert "team_id" in {column["name"] for column in inspector.get_columns(table)}, table


def test_migrating_twice_is_harmless(migrated_engine):
    upgrade(migrated_engine)

    assert is_current(migrated_engine)
