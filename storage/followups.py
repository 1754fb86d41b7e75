"""FollowUpRepository: follow-ups, and the steps that queue their direct messages in the outbox."""

from datetime import datetime, tzinfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.asks.model import AskStatus
from bot.deliveries import DeliveryKind
from bot.followups.messages import AdviceGiven
from bot.followups.model import DEFAULT_FOLLOWUP_DAYS, FollowUp, FollowUpStatus, Outcome, Step, member_zone
from bot.members.model import Skill
from storage import models
from storage.members import taking_part, update_member
from storage.outbox import About, queue_deliveries
from storage.queries import insert_ignoring_duplicates, rowcount

# The DMs that ask the mentee: pointless once the follow-up has closed.
_PROMPTS = [DeliveryKind.FOLLOWUP_PROMPT.value, DeliveryKind.FOLLOWUP_REMINDER.value]

# The message that opens each side's thread: the mentee's first prompt, the mentor's report.
_OPENERS = {
    "mentee": DeliveryKind.FOLLOWUP_PROMPT.value,
    "mentor": DeliveryKind.FOLLOWUP_REPORT.value,
}


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
        """Follow-ups are on unless the member turned them off, or no longer takes part (left
        Slack, or became a guest while guests are out: taking_part)."""
        row = self.session.execute(
            select(models.Member.followups_enabled, taking_part(team_id).label("taking_part")).where(
                models.Member.team_id == team_id, models.Member.user_id == user_id
            )
        ).first()
        return row is None or bool(row.followups_enabled and row.taking_part)

    def set_enabled(self, team_id: str, user_id: str, enabled: bool) -> None:
        update_member(self.session, team_id, user_id, followups_enabled=enabled)

    # --- follow-ups -------------------------------------------------------------------
    def create(
        self, team_id: str, ask_id: int, mentee_id: str, mentor_id: str, helped_at: datetime, due_at: datetime
    ) -> FollowUp | None:
        """The accepted ask's follow-up: created now, or the one it already had (two accepts
        racing create one)."""
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
        moved = rowcount(
            self.session,
            update(models.FollowUp)
            .where(models.FollowUp.id == before.id, models.FollowUp.version == before.version)
            .values(**values, version=before.version + 1)
            .execution_options(synchronize_session=False),
        )
        if moved != 1:
            return False
        if step.deliveries:
            queue_deliveries(
                self.session,
                before.team_id,
                About.followup(before.id),
                [(delivery.recipient, delivery.purpose.kind, delivery.key) for delivery in step.deliveries],
                now,
            )
        if not after.status.open:
            # Prompts and reminders not yet sent are pointless now.
            self.session.execute(
                update(models.Delivery)
                .where(
                    models.Delivery.followup_id == before.id,
                    models.Delivery.status == "pending",
                    models.Delivery.kind.in_(_PROMPTS),
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
        """The follow-up one of whose DMs is the message (channel, ts): for thread replies."""
        followup_id = self.session.scalar(
            select(models.Delivery.followup_id)
            .where(
                models.Delivery.team_id == team_id,
                models.Delivery.channel == channel,
                models.Delivery.ts == ts,
                models.Delivery.followup_id.is_not(None),
                models.Delivery.kind != DeliveryKind.FOLLOWUP_UPDATE.value,
            )
            .limit(1)
        )
        return self.get(team_id, followup_id) if followup_id is not None else None

    def thread_of(self, followup_id: int, side: str) -> tuple[str, str] | None:
        """(channel, ts) of the message that opens the follow-up's thread on `side` ("mentee":
        the first prompt; "mentor": the report), once it is in Slack; None before."""
        row = self.session.execute(
            select(models.Delivery.channel, models.Delivery.ts)
            .where(
                models.Delivery.followup_id == followup_id,
                models.Delivery.kind == _OPENERS[side],
                models.Delivery.status == "sent",
                models.Delivery.ts.is_not(None),
            )
            .order_by(models.Delivery.id)
            .limit(1)
        ).first()
        return (row.channel, row.ts) if row is not None and row.channel else None

    def record_message(
        self, team_id: str, followup_id: int, author_id: str, source: str, text: str, now: datetime
    ) -> tuple[int, bool]:
        """Keep what one of the pair wrote, to relay; (its id, whether it is new): the same
        `source` (a Slack message, a modal) is kept once."""
        new = insert_ignoring_duplicates(
            self.session,
            models.FollowUpMessage,
            [
                {
                    "team_id": team_id,
                    "followup_id": followup_id,
                    "author_id": author_id,
                    "source": source,
                    "text": text,
                    "created_at": now,
                }
            ],
        )
        message_id = self.session.scalar(
            select(models.FollowUpMessage.id).where(
                models.FollowUpMessage.followup_id == followup_id, models.FollowUpMessage.source == source
            )
        )
        assert message_id is not None  # inserted now, or by the delivery it repeats
        return message_id, new == 1

    def message(self, followup_id: int, message_id: int) -> tuple[str, str] | None:
        """(author, text) of a message kept to relay; None if it is gone (its author was forgotten)."""
        row = self.session.execute(
            select(models.FollowUpMessage.author_id, models.FollowUpMessage.text).where(
                models.FollowUpMessage.id == message_id, models.FollowUpMessage.followup_id == followup_id
            )
        ).first()
        return (row.author_id, row.text) if row is not None else None

    def drop_text(self, followup_id: int, message_id: int) -> None:
        """A message relayed (or that never will be): its text is not kept; the row stays, so
        a retried event with the same source is still recognised and not relayed twice."""
        self.session.execute(
            update(models.FollowUpMessage)
            .where(models.FollowUpMessage.id == message_id, models.FollowUpMessage.followup_id == followup_id)
            .values(text="")
        )

    def queue_relay(self, followup: FollowUp, recipient: str, message_id: int, now: datetime) -> None:
        """Queue the DM that carries message `message_id` to `recipient`, once."""
        queue_deliveries(
            self.session,
            followup.team_id,
            About.followup(followup.id),
            [(recipient, DeliveryKind.FOLLOWUP_RELAY, f"relay:{message_id}")],
            now,
        )
