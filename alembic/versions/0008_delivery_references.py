"""The outbox's deliveries name the row their renderer reads, instead of a subject to parse.

A delivery's kind was already stored, one value per kind, in `purpose`. What the message is
about was encoded in `subject` ("round-group:42", "round-notice:coffee:2026-11-09", ...),
which the sender took apart. Now it is in typed columns: the round's group, the ask, or the
round (recorded or to come) by its kind and day. Existing rows get theirs from their subject
here, the only place that still reads one; `subject` stays, with the recipient and key, as
what keeps a message from being queued twice.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import sqlalchemy as sa

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as deliveries:
        deliveries.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        deliveries.add_column(sa.Column("ask_id", sa.Integer(), nullable=True))
        deliveries.add_column(sa.Column("round_kind", sa.String(16), nullable=True))
        deliveries.add_column(sa.Column("held_on", sa.Date(), nullable=True))
        deliveries.create_foreign_key(
            "fk_deliveries_group", "round_groups", ["group_id"], ["id"], ondelete="CASCADE"
        )
        deliveries.create_foreign_key("fk_deliveries_ask", "asks", ["ask_id"], ["id"], ondelete="CASCADE")
        # Deleting a group or an ask (forgetting a workspace deletes thousands) looks its
        # deliveries up by these: without an index, PostgreSQL scans the outbox for each.
        deliveries.create_index("ix_deliveries_group", ["group_id"])
        deliveries.create_index("ix_deliveries_ask", ["ask_id"])

    postgresql = op.get_bind().dialect.name == "postgresql"
    # SQLite keeps a date as its ISO text; PostgreSQL wants the text cast.
    day = "CAST({} AS DATE)" if postgresql else "{}"
    # An id read from a subject, NULL unless it is all digits: PostgreSQL may evaluate a WHERE's
    # terms in any order, and a CAST of anything else there would abort the migration; CASE
    # is evaluated in order.
    digits = "{0} ~ '^[0-9]+$'" if postgresql else "({0} != '' AND {0} NOT GLOB '*[^0-9]*')"

    def id_from(start: int) -> str:
        text = f"substr(subject, {start})"
        return f"CASE WHEN {digits.format(text)} THEN CAST({text} AS INTEGER) END"

    last_ten = "substr(subject, length(subject) - 9)"  # "...:2026-11-09" -> "2026-11-09"
    # "round-group:<group id>": a group's introduction, check-in and month-end question.
    group = id_from(13)
    op.execute(
        f"UPDATE deliveries SET group_id = {group}"
        " WHERE purpose IN ('intro', 'checkin', 'learned') AND subject LIKE 'round-group:%'"
        f" AND {group} IN (SELECT id FROM round_groups)"
    )
    # "round-notice:<kind>:<day>" and "round-unmatched:<kind>:<day>".
    for purpose, prefix in (("notice", "round-notice:"), ("unmatched", "round-unmatched:")):
        kind = f"substr(subject, {len(prefix) + 1}, length(subject) - {len(prefix) + 11})"
        op.execute(
            f"UPDATE deliveries SET round_kind = {kind}, held_on = {day.format(last_ten)}"
            f" WHERE purpose = '{purpose}' AND subject LIKE '{prefix}%'"
        )
    # "round-quiet:<day>": paused at that coffee round.
    op.execute(
        f"UPDATE deliveries SET round_kind = 'coffee', held_on = {day.format(last_ten)}"
        " WHERE purpose = 'quiet' AND subject LIKE 'round-quiet:%'"
    )
    # "round-announce:<round id>": that round's kind and day.
    the_round = f"FROM rounds WHERE rounds.id = {id_from(16)}"
    op.execute(
        f"UPDATE deliveries SET round_kind = (SELECT rounds.kind {the_round}),"
        f" held_on = (SELECT rounds.held_on {the_round})"
        " WHERE purpose = 'announce' AND subject LIKE 'round-announce:%'"
    )


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as deliveries:
        deliveries.drop_index("ix_deliveries_ask")
        deliveries.drop_index("ix_deliveries_group")
        deliveries.drop_constraint("fk_deliveries_ask", type_="foreignkey")
        deliveries.drop_constraint("fk_deliveries_group", type_="foreignkey")
        deliveries.drop_column("held_on")
        deliveries.drop_column("round_kind")
        deliveries.drop_column("ask_id")
        deliveries.drop_column("group_id")
