"""The outbox: one row per direct message or channel post, queued in the same transaction
as the state change that needs it, then claimed, sent and finished by jobs/outbox.py."""

from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from bot.deliveries import DeliveryKind, Urgency, urgency
from bot.rounds.model import RoundKind
from storage import models
from storage.queries import batches, insert_ignoring_duplicates, rowcount


@dataclass(frozen=True)
class About:
    """What a delivery is about: `subject`, which with the recipient and key makes it unique
    (queued twice, it is kept once), and the row its renderer reads, if it needs one."""

    subject: str
    followup_id: int | None = None
    group_id: int | None = None
    ask_id: int | None = None
    program: str | None = None  # a program's key (column round_kind, named when only two kinds were)
    held_on: date | None = None  # with program: a round of it, recorded or to come

    @classmethod
    def welcome(cls, user_id: str) -> "About":
        return cls(f"welcome:{user_id}")

    @classmethod
    def followup(cls, followup_id: int) -> "About":
        return cls(f"followup:{followup_id}", followup_id=followup_id)

    @classmethod
    def ask(cls, ask_id: int) -> "About":
        return cls(f"ask:{ask_id}", ask_id=ask_id)

    @classmethod
    def program_welcome(cls, program: str) -> "About":
        """To a member who joined that program by its channel (the key is the day they joined)."""
        return cls(f"program-welcome:{program}", program=program)

    @classmethod
    def program_pick(cls, program: str) -> "About":
        """To a member of that program who has not picked their group in its category."""
        return cls(f"program-pick:{program}", program=program)

    @classmethod
    def round_group(cls, group_id: int) -> "About":
        return cls(f"round-group:{group_id}", group_id=group_id)

    @classmethod
    def round_partner_gone(cls, group_id: int) -> "About":
        """To a member left alone in that group: someone in it can no longer be reached."""
        return cls(f"round-partner-gone:{group_id}", group_id=group_id)

    @classmethod
    def round_notice(cls, program: str, held_on: date) -> "About":
        return cls(f"round-notice:{program}:{held_on.isoformat()}", program=program, held_on=held_on)

    @classmethod
    def round_unmatched(cls, program: str, held_on: date) -> "About":
        return cls(f"round-unmatched:{program}:{held_on.isoformat()}", program=program, held_on=held_on)

    @classmethod
    def round_quiet(cls, program: str, held_on: date) -> "About":
        """Members paused at that round for leaving its introductions unanswered. (The
        subject of the coffee program's is as it was before there were other programs.)"""
        subject = f"round-quiet:{held_on.isoformat()}"
        if program != RoundKind.COFFEE.value:
            subject = f"round-quiet:{program}:{held_on.isoformat()}"
        return cls(subject, program=program, held_on=held_on)

    @classmethod
    def round_announcement(cls, round_id: int, program: str, held_on: date) -> "About":
        return cls(f"round-announce:{round_id}", program=program, held_on=held_on)


def queue_deliveries(
    session: Session,
    team_id: str,
    about: About,
    wanted: Iterable[tuple[str, DeliveryKind, str]],
    now: datetime,
    on_screen: Container[tuple[str, DeliveryKind]] = (),
) -> int:
    """Queue in the outbox one message per (recipient, kind, key) about `about`, in the
    caller's transaction; one already queued under the same key stays as it is. Returns how
    many are new. Those whose (recipient, kind) is in `on_screen` someone is waiting for
    now, and go ahead of the rest (bot.deliveries.Urgency); the others by their kind."""
    rows = [
        {
            "team_id": team_id,
            "subject": about.subject,
            "kind": kind.value,
            "followup_id": about.followup_id,
            "group_id": about.group_id,
            "ask_id": about.ask_id,
            "round_kind": about.program,
            "held_on": about.held_on,
            "recipient": recipient,
            "key": key,
            "status": "pending",
            "urgency": Urgency.ON_SCREEN if (recipient, kind) in on_screen else urgency(kind),
            "available_at": now,
            "attempts": 0,
            "created_at": now,
        }
        for recipient, kind, key in wanted
    ]
    # In slices: a round can queue thousands, beyond what one statement may bind.
    return sum(insert_ignoring_duplicates(session, models.Delivery, batch) for batch in batches(rows))


def queue_to_each(
    session: Session, team_id: str, about: About, kind: DeliveryKind, recipients: Iterable[str], now: datetime
) -> int:
    """Queue a message of `kind` about `about` to each recipient, once whatever happens."""
    return queue_deliveries(session, team_id, about, [(recipient, kind, kind.value) for recipient in recipients], now)


def _about(row: Any) -> About:
    """What a delivery is about, from its row (or a row of its columns of the same names)."""
    references = (row.followup_id, row.group_id, row.ask_id, row.round_kind, row.held_on)
    if all(reference is None for reference in references):
        return About(row.subject, **_from_legacy_subject(row.subject))
    return About(
        subject=row.subject,
        followup_id=row.followup_id,
        group_id=row.group_id,
        ask_id=row.ask_id,
        program=row.round_kind,
        held_on=row.held_on,
    )


def _from_legacy_subject(subject: str) -> dict[str, Any]:
    """The reference of a round DM queued by a replica still on code from before migration
    0008, during a rolling deploy: only its subject holds it, as every row's did before, and
    it is read as that migration reads it. (The program channel's post is not: its subject
    names the round by id alone; such a post is failed as naming nothing.)"""
    prefix, _, rest = subject.partition(":")
    try:
        if prefix == "round-group":
            return {"group_id": int(rest)}
        if prefix in ("round-notice", "round-unmatched"):
            kind, _, day = rest.partition(":")
            return {"program": RoundKind(kind).value, "held_on": date.fromisoformat(day)}
        if prefix == "round-quiet":
            return {"program": RoundKind.COFFEE.value, "held_on": date.fromisoformat(rest)}
    except ValueError:
        pass  # not in a format that code ever wrote: it names nothing
    return {}


@dataclass(frozen=True)
class Claimed:
    """A delivery a sender has claimed; `in_flight` if an earlier claim ended without a word
    (a crash): it may or may not have reached Slack."""

    id: int
    team_id: str
    kind: DeliveryKind
    about: About
    recipient: str
    key: str
    attempts: int
    in_flight: bool


@dataclass(frozen=True)
class TakenLane:
    """A workspace's lane, now held: `paced_calls` is the pace its last holder left (JSON), if any."""

    paced_calls: str | None


# Kinds this version can render. A row of another kind (queued by a newer version, during a
# rolling deploy) is left for a sender that knows it.
_KNOWN_KINDS = [kind.value for kind in DeliveryKind]


_CLAIMED_COLUMNS = (
    models.Delivery.id,
    models.Delivery.team_id,
    models.Delivery.kind,
    models.Delivery.recipient,
    models.Delivery.key,
    models.Delivery.attempts,
    models.Delivery.subject,
    models.Delivery.followup_id,
    models.Delivery.group_id,
    models.Delivery.ask_id,
    models.Delivery.round_kind,
    models.Delivery.held_on,
)


def _claimed(row: Any, in_flight: bool) -> Claimed:
    """A claim from a row of _CLAIMED_COLUMNS, as the claim left it."""
    return Claimed(
        id=row.id,
        team_id=row.team_id,
        kind=DeliveryKind(row.kind),
        about=_about(row),
        recipient=row.recipient,
        key=row.key,
        attempts=row.attempts,
        in_flight=in_flight,
    )


def _ready(now: datetime):
    """Deliveries a sender may claim now: due, or their sender's lease ran out; of kinds it knows."""
    delivery = models.Delivery
    return (
        delivery.status.in_(["pending", "sending"]) & (delivery.available_at <= now) & delivery.kind.in_(_KNOWN_KINDS)
    )


class OutboxRepository:
    def __init__(self, session: Session):
        self.session = session

    def senders(self, now: datetime) -> set[str]:
        """The processes ("host:pid") holding a workspace's lane, or a delivery's lease at `now`."""
        delivery, lane = models.Delivery, models.DeliveryLane
        claimers = self.session.scalars(
            select(delivery.claimed_by)
            .where(delivery.status == "sending", delivery.available_at > now, delivery.claimed_by.is_not(None))
            .distinct()
        ).all()
        holders = self.session.scalars(select(lane.holder).where(lane.holder.is_not(None)).distinct()).all()
        return {claimer for claimer in claimers if claimer} | {holder.partition("/")[0] for holder in holders if holder}

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
        lane = models.DeliveryLane
        holders = self.session.scalars(select(lane.holder).where(lane.holder.is_not(None)).distinct()).all()
        ended = [holder for holder in holders if holder and gone(holder.partition("/")[0])]
        for batch in batches(ended):
            self.session.execute(
                update(lane)
                .where(lane.holder.in_(batch))
                .values(holder=None, lease_until=None)
                .execution_options(synchronize_session=False)
            )
        return len(dead)

    def claim(
        self, now: datetime, lease_until: datetime, limit: int, claimer: str | None = None, team_id: str | None = None
    ) -> list[Claimed]:
        """Take up to `limit` deliveries that are due, or whose sender's lease ran out, of
        one workspace or of all: the most urgent first, then the oldest (bot.deliveries.Urgency).
        The conditional update makes a claim exclusive: two senders never hold one row.
        (SQLite runs one transaction at a time; PostgreSQL locks the rows it picks.) Two
        statements whatever `limit`, three when some were in flight: a lane claims its next
        few deliveries at once (jobs/outbox.py)."""
        delivery = models.Delivery
        ready = _ready(now)
        if team_id is not None:
            ready &= delivery.team_id == team_id
        order = (delivery.urgency, delivery.available_at, delivery.id)
        query = select(delivery.id, delivery.status).where(ready).order_by(*order).limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":
            # Senders in other processes skip the rows this one holds instead of queueing
            # behind them (or claiming nothing and stopping early).
            query = query.with_for_update(skip_locked=True)
        picked = self.session.execute(query).all()
        by_status: dict[str, list[int]] = {}
        for delivery_id, status in picked:
            by_status.setdefault(status, []).append(delivery_id)
        claimed: dict[int, Claimed] = {}
        for status, ids in by_status.items():
            rows = self.session.execute(
                update(delivery)
                .where(delivery.id.in_(ids), delivery.status == status, delivery.available_at <= now)
                .values(status="sending", available_at=lease_until, attempts=delivery.attempts + 1, claimed_by=claimer)
                .returning(*_CLAIMED_COLUMNS)
                .execution_options(synchronize_session=False)
            )
            for row in rows:
                claimed[row.id] = _claimed(row, in_flight=status == "sending")
        return [claimed[delivery_id] for delivery_id, _ in picked if delivery_id in claimed]

    def give_back(self, claims: Iterable[Claimed], now: datetime) -> int:
        """Let claims this sender will not try after all be claimed again at once, by any
        sender: as they were before, but due now. One never tried here is pending again and
        counts no attempt (so its next claim posts without looking in the conversation
        first); one that was in flight stays so. Only claims still held are given back (the
        fencing below); returns how many."""
        held: dict[tuple[bool, int], list[int]] = {}
        for claim in claims:
            held.setdefault((claim.in_flight, claim.attempts), []).append(claim.id)
        given = 0
        for (in_flight, attempts), ids in held.items():
            before = {} if in_flight else {"status": "pending", "attempts": attempts - 1}
            given += rowcount(
                self.session,
                update(models.Delivery)
                .where(
                    models.Delivery.id.in_(ids),
                    models.Delivery.status == "sending",
                    models.Delivery.attempts == attempts,
                )
                .values(available_at=now, claimed_by=None, **before)
                .execution_options(synchronize_session=False),
            )
        return given

    # --- lanes: one sender at a time per workspace (jobs/outbox.py) ---------------------------
    def workspaces_due(self, now: datetime) -> list[tuple[str, float | None]]:
        """The workspaces with deliveries due whose lane nobody holds (or whose holder's
        lease ran out), the one with the most urgent, then the oldest, delivery first; each
        with the time its pace lets its next call go (the pacer's clock), if its last holder left one."""
        delivery, lane = models.Delivery, models.DeliveryLane
        due = (
            select(
                delivery.team_id,
                func.min(delivery.urgency).label("urgency"),
                func.min(delivery.available_at).label("oldest"),
            )
            .where(_ready(now))
            .group_by(delivery.team_id)
            .subquery()
        )
        free = or_(lane.holder.is_(None), lane.lease_until <= now)
        rows = self.session.execute(
            select(due.c.team_id, lane.next_call_at)
            .select_from(due.outerjoin(lane, lane.team_id == due.c.team_id))
            .where(or_(lane.team_id.is_(None), free))
            .order_by(due.c.urgency, due.c.oldest, due.c.team_id)
        ).all()
        return [(team_id, next_call_at) for team_id, next_call_at in rows]

    def take_lane(self, team_id: str, holder: str, now: datetime, lease_until: datetime) -> "TakenLane | None":
        """Hold the workspace's lane until `lease_until`, if nobody else holds it (or their
        lease ran out): the guarded update makes it exclusive, as a claim is. None when
        someone else holds it."""
        lane = models.DeliveryLane
        insert_ignoring_duplicates(self.session, lane, [{"team_id": team_id}])
        taken = rowcount(
            self.session,
            update(lane)
            .where(lane.team_id == team_id, or_(lane.holder.is_(None), lane.lease_until <= now, lane.holder == holder))
            .values(holder=holder, lease_until=lease_until)
            .execution_options(synchronize_session=False),
        )
        if taken != 1:
            return None
        return TakenLane(self.session.scalar(select(lane.paced_calls).where(lane.team_id == team_id)))

    def renew_lane(self, team_id: str, holder: str, lease_until: datetime) -> bool:
        """Hold the lane longer; False if it is no longer `holder`'s (its lease ran out and
        another sender took it over)."""
        return self._update_held_lane(team_id, holder, {"lease_until": lease_until})

    def release_lane(self, team_id: str, holder: str, next_call_at: float, paced_calls: str) -> bool:
        """Let the lane go, leaving its pace for the next holder; False if it was no longer `holder`'s."""
        let_go: dict[str, object] = {
            "holder": None,
            "lease_until": None,
            "next_call_at": next_call_at,
            "paced_calls": paced_calls,
        }
        return self._update_held_lane(team_id, holder, let_go)

    def _update_held_lane(self, team_id: str, holder: str, values: dict[str, object]) -> bool:
        lane = models.DeliveryLane
        updated = rowcount(
            self.session,
            update(lane)
            .where(lane.team_id == team_id, lane.holder == holder)
            .values(values)
            .execution_options(synchronize_session=False),
        )
        return updated == 1

    # Each outcome is written only while the row is still this sender's claim: `attempts`
    # is the fencing token, so a sender whose lease ran out cannot overwrite a newer one.
    # Each returns whether it was written (sent_together: which were): only then may the
    # sender act on the outcome.
    def sent_together(self, in_slack: Sequence[tuple[Claimed, str, str]], now: datetime) -> set[int]:
        """Each (claim, channel, ts) in Slack, in one statement, for a batch: the ids of those
        recorded."""
        if not in_slack:
            return set()
        delivery = models.Delivery
        channels = {claim.id: channel for claim, channel, _ in in_slack}
        stamps = {claim.id: ts for claim, _, ts in in_slack}
        held = [(claim.id, claim.attempts) for claim, _, _ in in_slack]
        return set(
            self.session.scalars(
                update(delivery)
                .where(delivery.status == "sending", tuple_(delivery.id, delivery.attempts).in_(held))
                .values(
                    status="sent",
                    channel=case(channels, value=delivery.id),
                    ts=case(stamps, value=delivery.id),
                    sent_at=now,
                    error=None,
                )
                .returning(delivery.id)
                .execution_options(synchronize_session=False)
            )
        )

    def retry_later(self, claim: Claimed, at: datetime, error: str) -> bool:
        return self._finish(claim, status="pending", available_at=at, error=error[:64])

    def fail(self, claim: Claimed, error: str) -> bool:
        return self._finish(claim, status="failed", error=error[:64])

    def cancel(self, claim: Claimed, reason: str) -> bool:
        return self._finish(claim, status="cancelled", error=reason[:64])

    def _finish(self, claim: Claimed, **values: object) -> bool:
        finished = rowcount(
            self.session,
            update(models.Delivery)
            .where(
                models.Delivery.id == claim.id,
                models.Delivery.status == "sending",
                models.Delivery.attempts == claim.attempts,
            )
            .values(**values)
            .execution_options(synchronize_session=False),
        )
        return finished == 1

    def counts(self, team_id: str) -> dict[str, int]:
        """How many deliveries are in each status."""
        rows = self.session.execute(
            select(models.Delivery.status, func.count())
            .where(models.Delivery.team_id == team_id)
            .group_by(models.Delivery.status)
        )
        return {status: count for status, count in rows}
