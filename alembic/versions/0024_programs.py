"""Programs (issue 21): a workspace's rounds become programs of their own, each with a kind,
a cadence and a group size, and members join programs rather than set a flag per kind.

A program may be tied to a channel (joining it joins the program) and introduce members
across or within the groups of a category: the team on their profile, or one its admins
define, whose options members pick (categories, member_categories).

Every workspace gets the two programs it had, keyed "coffee" and "reverse" as its rounds,
skips and DMs already name them (their `kind` columns, unchanged): coffee chats with the
workspace's coffee cadence, weekday and group size; reverse mentoring monthly, paused where
the admins had switched it off. Members' in_coffee/in_reverse become rows of
program_members. The downgrade puts both back from the two programs.

Revision ID: 0024_programs
Revises: 0023_durable_jobs
Create Date: 2026-12-01
"""

from datetime import UTC, datetime

import sqlalchemy as sa

from alembic import op

revision = "0024_programs"
down_revision = "0023_durable_jobs"
branch_labels = None
depends_on = None

SLACK_ID = sa.String(32)
MONTHLY = 0  # every_weeks of a program held on the first weekday of each month

workspaces = sa.table(
    "workspaces",
    sa.column("team_id"),
    sa.column("coffee_every_weeks"),
    sa.column("coffee_weekday"),
    sa.column("coffee_group_size"),
    sa.column("reverse_enabled"),
)
members = sa.table("members", sa.column("team_id"), sa.column("user_id"), sa.column("in_coffee"), sa.column("in_reverse"))
rounds = sa.table("rounds", sa.column("team_id"))
programs = sa.table(
    "programs",
    *(sa.column(name) for name in ("team_id", "key", "name", "kind", "every_weeks", "weekday", "group_size", "status")),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
program_members = sa.table("program_members", sa.column("team_id"), sa.column("program"), sa.column("user_id"))


def upgrade() -> None:
    op.create_table(
        "programs",
        sa.Column("team_id", SLACK_ID, primary_key=True),
        sa.Column("key", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("every_weeks", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=False),
        sa.Column("intro", sa.String(16), nullable=False, server_default="anyone"),
        sa.Column("category", sa.String(16), nullable=True),
        sa.Column("channel", SLACK_ID, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('coffee', 'reverse')", name="ck_programs_kind"),
        sa.CheckConstraint("status IN ('active', 'paused', 'archived')", name="ck_programs_status"),
        sa.CheckConstraint("intro IN ('anyone', 'across', 'within')", name="ck_programs_intro"),
    )
    # At most one program per channel: joining the channel says which program one joins.
    op.create_index("uq_programs_channel", "programs", ["team_id", "channel"], unique=True)
    op.create_table(
        "categories",
        sa.Column("team_id", SLACK_ID, primary_key=True),
        sa.Column("key", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
    )
    op.create_table(
        "member_categories",
        sa.Column("team_id", SLACK_ID, primary_key=True),
        sa.Column("category", sa.String(16), primary_key=True),
        sa.Column("user_id", SLACK_ID, primary_key=True),
        sa.Column("value", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id", "category"],
            ["categories.team_id", "categories.key"],
            ondelete="CASCADE",
            name="fk_member_categories_category",
        ),
    )
    op.create_table(
        "program_members",
        sa.Column("team_id", SLACK_ID, primary_key=True),
        sa.Column("program", sa.String(16), primary_key=True),
        sa.Column("user_id", SLACK_ID, primary_key=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id", "program"],
            ["programs.team_id", "programs.key"],
            ondelete="CASCADE",
            name="fk_program_members_program",
        ),
    )
    op.create_index("ix_program_members_member", "program_members", ["team_id", "user_id"])

    connection = op.get_bind()
    settings = {row.team_id: row for row in connection.execute(sa.select(workspaces))}
    teams = set(settings)
    teams |= set(connection.scalars(sa.select(members.c.team_id).distinct()))
    teams |= set(connection.scalars(sa.select(rounds.c.team_id).distinct()))
    now = datetime.now(UTC)
    rows = []
    for team_id in sorted(teams):
        saved = settings.get(team_id)
        rows.append(
            {
                "team_id": team_id,
                "key": "coffee",
                "name": "Coffee chats",
                "kind": "coffee",
                "every_weeks": saved.coffee_every_weeks if saved is not None else 2,
                "weekday": saved.coffee_weekday if saved is not None else 0,
                "group_size": saved.coffee_group_size if saved is not None else 2,
                "status": "active",
                "created_at": now,
            }
        )
        rows.append(
            {
                "team_id": team_id,
                "key": "reverse",
                "name": "Reverse mentoring",
                "kind": "reverse",
                "every_weeks": MONTHLY,
                "weekday": 0,
                "group_size": 2,
                "status": "paused" if saved is not None and not saved.reverse_enabled else "active",
                "created_at": now,
            }
        )
    if rows:
        op.bulk_insert(programs, rows)
    for key, column in (("coffee", members.c.in_coffee), ("reverse", members.c.in_reverse)):
        connection.execute(
            sa.insert(program_members).from_select(
                ["team_id", "program", "user_id"],
                sa.select(members.c.team_id, sa.literal(key), members.c.user_id).where(column.is_(True)),
            )
        )
    with op.batch_alter_table("members") as batch:
        batch.drop_column("in_coffee")
        batch.drop_column("in_reverse")
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("coffee_every_weeks")
        batch.drop_column("coffee_weekday")
        batch.drop_column("coffee_group_size")
        batch.drop_column("reverse_enabled")


def downgrade() -> None:
    # As 0004, 0005 and 0021 made them, then filled from the two programs.
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("in_coffee", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("in_reverse", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("coffee_every_weeks", sa.Integer(), nullable=False, server_default="2"))
        batch.add_column(sa.Column("coffee_weekday", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("coffee_group_size", sa.Integer(), nullable=False, server_default="2"))
        batch.add_column(sa.Column("reverse_enabled", sa.Boolean(), nullable=False, server_default=sa.true()))
    connection = op.get_bind()
    for key, column in (("coffee", "in_coffee"), ("reverse", "in_reverse")):
        joined = sa.select(program_members.c.user_id).where(
            program_members.c.team_id == members.c.team_id, program_members.c.program == key
        )
        connection.execute(sa.update(members).values({column: members.c.user_id.in_(joined)}))
    coffee = {row.team_id: row for row in connection.execute(sa.select(programs).where(programs.c.key == "coffee"))}
    reverse = {row.team_id: row for row in connection.execute(sa.select(programs).where(programs.c.key == "reverse"))}
    for team_id in connection.scalars(sa.select(workspaces.c.team_id)):
        values = {}
        if team_id in coffee:
            row = coffee[team_id]
            values |= {
                "coffee_every_weeks": row.every_weeks,
                "coffee_weekday": row.weekday,
                "coffee_group_size": row.group_size,
            }
        if team_id in reverse:
            values["reverse_enabled"] = reverse[team_id].status == "active"
        if values:
            connection.execute(sa.update(workspaces).where(workspaces.c.team_id == team_id).values(values))
    op.drop_table("member_categories")
    op.drop_table("categories")
    op.drop_table("program_members")
    op.drop_table("programs")
