"""The outbox: one row per direct message or channel post, queued in the same transaction
as the state change that needs it, then claimed, sent and finished by jobs/outbox.py."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage import models
from storage.queries import batches, insert_ignoring_duplicates


def queue_deliveries(
    session: Session,
    team_id: str,
    subject: str,
    wanted: list[tuple[str, str, str]],
    now: datetime,
    followup_id: int | None = None,
) -> int:
    """Queue in the outbox one DM per (recipient, purpose, key) about `subject`, in the caller's
    transaction; one already queued under the same key stays as it is. Returns how many are new."""
    rows = [
        {
            "team_id": team_id,
            "subject": subject,
            "followup_id": followup_id,
            "recipient": recipient,
            "purpose": purpose,
            "key": key,
            "status": "pending",
            "available_at": now,
            "attempts": 0,
            "created_at": now,
        }
        for recipient, purpose, key in wanted
    ]
    # In slices: a round can queue thousands, beyond what one statement may bind.
    return sum(insert_ignoring_duplicates(session, models.Delivery, batch) for batch in batches(rows))


@dataclass(frozen=True)
class Claimed:
    """A delivery a sender has claimed; `in_flight` if an earlier claim ended without a word
    (a crash): it may or may not have reached Slack."""

    id: int
    team_id: str
    subject: str
    followup_id: int | None
    recipient: str
    purpose: str  # a follow-up's Purpose, or "intro" for a round's group
    key: str
    attempts: int
    in_flight: bool


class OutboxRepository:
    def __init__(self, session: Session):
        self.session = session

    def release_claims(self, now: datetime, gone: Callable[[str | None], bool]) -> int:
        """End the leases of senders that are `gone` (a process of this machine that no
        longer exists: SQLite's senders all live on one machine). Released deliveries stay
        "sending", so the next claim looks in the conversation before posting. Returns how many."""
        held = self.session.execute(
            select(models.Delivery.id, models.Delivery.claimed_by).where(
                models.Delivery.status == "sending", models.Delivery.available_at > now
            )
        ).all()
        dead = [delivery_id for delivery_id, holder in held if gone(holder)]
        for batch in batches(dead):
            self.session.execute(
                update(models.Delivery)
                .where(models.Delivery.id.in_(batch))
                .values(available_at=now)
                .execution_options(synchronize_session=False)
            )
        return len(dead)

    def claim(self, now: datetime, lease_until: datetime, limit: int, claimer: str | None = None) -> list[Claimed]:
        """Take up to `limit` deliveries that are due, or whose sender's lease ran out.
        The conditional update makes a claim exclusive: two senders never hold one row.
        (SQLite runs one transaction at a time; PostgreSQL locks the rows it picks.)"""
        delivery = models.Delivery
        ready = delivery.status.in_(["pending", "sending"]) & (delivery.available_at <= now)
        query = (
            select(delivery.id, delivery.status).where(ready).order_by(delivery.available_at, delivery.id).limit(limit)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            # Senders in other processes skip the rows this one holds instead of queueing
            # behind them (or claiming nothing and stopping early).
            query = query.with_for_update(skip_locked=True)
        rows = self.session.execute(query).all()
        claimed = []
        for delivery_id, status in rows:
            result = self.session.execute(
                update(delivery)
                .where(delivery.id == delivery_id, delivery.status == status, delivery.available_at <= now)
                .values(status="sending", available_at=lease_until, attempts=delivery.attempts + 1, claimed_by=claimer)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                row = self.session.get(delivery, delivery_id, populate_existing=True)
                claimed.append(
                    Claimed(
                        id=row.id,
                        team_id=row.team_id,
                        subject=row.subject,
                        followup_id=row.followup_id,
                        recipient=row.recipient,
                        purpose=row.purpose,
                        key=row.key,
                        attempts=row.attempts,
                        in_flight=status == "sending",
                    )
                )
        return claimed

    # Each outcome is written only while the row is still this sender's claim: `attempts`
    # is the fencing token, so a sender whose lease ran out cannot overwrite a newer one.
    def sent(self, claim: Claimed, channel: str, ts: str, now: datetime) -> None:
        self._finish(claim, status="sent", channel=channel, ts=ts, sent_at=now, error=None)

    def retry_later(self, claim: Claimed, at: datetime, error: str) -> None:
        self._finish(claim, status="pending", available_at=at, error=error[:64])

    def fail(self, claim: Claimed, error: str) -> None:
        self._finish(claim, status="failed", error=error[:64])

    def cancel(self, claim: Claimed, reason: str) -> None:
        self._finish(claim, status="cancelled", error=reason[:64])

    def _finish(self, claim: Claimed, **values) -> None:
        self.session.execute(
            update(models.Delivery)
            .where(
                models.Delivery.id == claim.id,
                models.Delivery.status == "sending",
                models.Delivery.attempts == claim.attempts,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    def counts(self, team_id: str) -> dict[str, int]:
        """How many deliveries are in each status."""
        rows = self.session.execute(
            select(models.Delivery.status, func.count())
            .where(models.Delivery.team_id == team_id)
            .group_by(models.Delivery.status)
        )
        return {status: count for status, count in rows}
