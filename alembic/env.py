"""Alembic's entry point. Migrations run on the connection that storage.migrations
hands over; this project has no alembic.ini and no URL of its own here."""

from alembic import context
from storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
