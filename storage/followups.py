"""FollowUpRepository and OutboxRepository: follow-ups, and the direct messages their steps send."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.asks.model import AskStatus
from bot.followups.messages import AdviceGiven
from bot.followups.model import DEFAULT_FOLLOWUP_DAYS, FollowUp, FollowUpStatus, Outcome, Purpose, Step, member_zone
from bot.members.model import Skill
from storage import models
from storage.members import update_member
from storage.outbox import queue_deliveries
from storage.queries import insert_ignoring_duplicates

FOLLOWUP_SUBJECT = "followup:"


def _to_followup(row: models.FollowUp) -> FollowUp:
    skill = row.ask.skill
    return FollowUp(
        id=row.id,
        team_id=row.team_id,
        ask_id=row.ask_id,
        mentee_id=row.mentee_id,
        mentor_id=row.mentor_id,
        skill=Skill(key=skill.key, label=skill.label) if skill is not None else None,
        status=FollowUpStatus(row.status),
        due_at=row.due_at,
        helped_at=row.helped_at,
        version=row.version,
        cycle=row.cycle,
        reminders=row.reminders,
        snoozes=row.snoozes,
        outcome=Outcome(row.outcome) if row.outcome else None,
        note=row.note,
        shared=row.shared,
        reported=row.reported,
        note_in_report=row.note_in_report,
        mentor_reply=row.mentor_reply,
        answered_at=row.answered_at,
        question=row.ask.question,
    )


# The columns a step may change; everything else about a follow-up is fixed at creation.
_STEP_COLUMNS = (
    "status",
    "due_at",
    "cycle",
    "reminders",
    "snoozes",
    "note",
    "shared",
    "reported",
    "note_in_report",
    "mentor_reply",
    "answered_at",
)


class FollowUpRepository:
    def __init__(self, session: Session):
        self.session = session

    # --- settings and members -------------------------------------------------------
    def followup_days(self, team_id: str) -> int:
        days = self.session.scalar(select(models.Workspace.followup_days).where(models.Workspace.team_id == team_id))
        return DEFAULT_FOLLOWUP_DAYS if days is None else days

    def zone_of(self, team_id: str, user_id: str) -> tzinfo:
        row = self.session.execute(
            select(models.Member.tz_name, models.Member.utc_offset_seconds).where(
                models.Member.team_id == team_id, models.Member.user_id == user_id
            )
        ).first()
        return member_zone(*row) if row else member_zone(None, None)

    def enabled_for(self, team_id: str, user_id: str) -> bool:
        """Follow-ups are on unless the member turned them off (or left)."""
        row = self.session.execute(
            select(models.Member.followups_enabled, models.Member.deactivated).where(
                models.Member.team_id == team_id, models.Member.user_id == user_id
            )
        ).first()
        return row is None or (row.followups_enabled and not row.deactivated)

    def set_enabled(self, team_id: str, user_id: str, enabled: bool) -> None:
        update_member(self.session, team_id, user_id, followups_enabled=enabled)

    # --- follow-ups -------------------------------------------------------------------
    def create(
        self, team_id: str, ask_id: int, mentee_id: str, mentor_id: str, helped_at: datetime, due_at: datetime
    ) -> FollowUp | None:
        """A follow-up for an accepted ask; None if the ask already has one."""
        insert_ignoring_duplicates(
            self.session,
            models.FollowUp,
            [
                {
                    "team_id": team_id,
                    "ask_id": ask_id,
                    "mentee_id": mentee_id,
                    "mentor_id": mentor_id,
                    "status": FollowUpStatus.SCHEDULED.value,
                    "due_at": due_at,
                    "helped_at": helped_at,
                    "version": 0,
                    "cycle": 0,
                    "reminders": 0,
                    "snoozes": 0,
                    "note": "",
                    "shared": False,
                    "reported": False,
                    "note_in_report": False,
                    "mentor_reply": "",
                }
            ],
        )
        return self.of_ask(team_id, ask_id)

    def get(self, team_id: str, followup_id: int) -> FollowUp | None:
        row = self.session.get(models.FollowUp, followup_id, populate_existing=True)
        return _to_followup(row) if row is not None and row.team_id == team_id else None

    def of_ask(self, team_id: str, ask_id: int) -> FollowUp | None:
        row = self.session.scalar(
            select(models.FollowUp)
            .where(models.FollowUp.team_id == team_id, models.FollowUp.ask_id == ask_id)
            .execution_options(populate_existing=True)
        )
        return _to_followup(row) if row is not None else None

    def apply(self, step: Step, now: datetime) -> bool:
        """Save the step's new state if the follow-up is still where the step started,
        and queue its direct messages in the same transaction. False if another request
        or job moved it first: then nothing is written."""
        before, after = step.before, step.after
        values = {column: getattr(after, column) for column in _STEP_COLUMNS}
        values["outcome"] = after.outcome.value if after.outcome else None
        values["status"] = after.status.value
        result = self.session.execute(
            update(models.FollowUp)
            .where(models.FollowUp.id == before.id, models.FollowUp.version == before.version)
            .values(**values, version=before.version + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return False
        if step.deliveries:
            queue_deliveries(
                self.session,
                before.team_id,
                f"{FOLLOWUP_SUBJECT}{before.id}",
                [(delivery.recipient, delivery.purpose.value, delivery.key) for delivery in step.deliveries],
                now,
                followup_id=before.id,
            )
        if not after.status.open:
            # Prompts and reminders not yet sent are pointless now.
            self.session.execute(
                update(models.Delivery)
                .where(
                    models.Delivery.followup_id == before.id,
                    models.Delivery.status == "pending",
                    models.Delivery.purpose.in_([Purpose.PROMPT.value, Purpose.REMINDER.value]),
                )
                .values(status="cancelled")
                .execution_options(synchronize_session=False)
            )
        return True

    def due(self, now: datetime, limit: int, skip: frozenset[int] = frozenset()) -> list[tuple[str, int]]:
        """(team, id) of follow-ups whose due time has come, oldest first, but those in `skip`."""
        rows = self.session.execute(
            select(models.FollowUp.team_id, models.FollowUp.id)
            .where(models.FollowUp.due_at <= now, models.FollowUp.id.not_in(skip))
            .order_by(models.FollowUp.due_at)
            .limit(limit)
        )
        return [(team_id, followup_id) for team_id, followup_id in rows]

    def open_of_mentee(self, team_id: str, mentee_id: str) -> list[FollowUp]:
        rows = self.session.scalars(
            select(models.FollowUp).where(
                models.FollowUp.team_id == team_id,
                models.FollowUp.mentee_id == mentee_id,
                models.FollowUp.status.in_([s.value for s in FollowUpStatus if s.open]),
            )
        )
        return [_to_followup(row) for row in rows]

    def waiting_for(self, team_id: str, mentee_id: str) -> list[FollowUp]:
        """Follow-ups the mentee has been asked about and not answered yet, newest first."""
        rows = self.session.scalars(
            select(models.FollowUp)
            .where(
                models.FollowUp.team_id == team_id,
                models.FollowUp.mentee_id == mentee_id,
                models.FollowUp.status == FollowUpStatus.SENT.value,
            )
            .order_by(models.FollowUp.helped_at.desc())
        )
        return [_to_followup(row) for row in rows]

    def advice_given(self, team_id: str, mentor_id: str, limit: int) -> list[AdviceGiven]:
        """The asks this mentor took, newest first, with their follow-ups."""
        rows = self.session.execute(
            select(models.Ask, models.FollowUp)
            .outerjoin(models.FollowUp, models.FollowUp.ask_id == models.Ask.id)
            .where(
                models.Ask.team_id == team_id,
                models.Ask.mentor_id == mentor_id,
                models.Ask.status == AskStatus.MATCHED.value,
            )
            .order_by(models.Ask.matched_at.desc())
            .limit(limit)
        )
        return [
            AdviceGiven(
                ask_id=ask.id,
                followup=_to_followup(followup) if followup is not None else None,
                mentee_id=ask.asker_id,
                skill_label=ask.skill.label if ask.skill is not None else None,
            )
            for ask, followup in rows
        ]

    def by_message(self, team_id: str, channel: str, ts: str) -> FollowUp | None:
        """The follow-up whose prompt or reminder is the message (channel, ts): for thread replies."""
        followup_id = self.session.scalar(
            select(models.Delivery.followup_id).where(
                models.Delivery.team_id == team_id,
                models.Delivery.channel == channel,
                models.Delivery.ts == ts,
                models.Delivery.purpose.in_([Purpose.PROMPT.value, Purpose.REMINDER.value]),
            )
        )
        return self.get(team_id, followup_id) if followup_id is not None else None

    def prompts_of(self, followup_id: int) -> list[tuple[str, str]]:
        """(channel, ts) of every prompt and reminder sent for this follow-up: they get updated after an answer."""
        rows = self.session.execute(
            select(models.Delivery.channel, models.Delivery.ts).where(
                models.Delivery.followup_id == followup_id,
                models.Delivery.status == "sent",
                models.Delivery.purpose.in_([Purpose.PROMPT.value, Purpose.REMINDER.value]),
            )
        )
        return [(channel, ts) for channel, ts in rows]


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
        for start in range(0, len(dead), 500):
            self.session.execute(
                update(models.Delivery)
                .where(models.Delivery.id.in_(dead[start : start + 500]))
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
