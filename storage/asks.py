"""AskRepository: asks, the candidates asked, and what ranking needs to know."""

from collections.abc import Container, Iterable
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, true, update
from sqlalchemy.orm import Session

from bot.asks.evidence import Evidence
from bot.asks.model import Ask, AskPolicy, AskStatus, CandidateStatus, ChannelPost, Notification
from bot.asks.ranking import History, Offerer
from bot.deliveries import AskEdit, DeliveryKind
from bot.members.model import Skill, SkillKind
from storage import evidence, models
from storage.members import taking_part, vocabulary_rows
from storage.outbox import About, queue_deliveries
from storage.queries import batches, rowcount


def _to_ask(row: models.Ask) -> Ask:
    return Ask(
        id=row.id,
        team_id=row.team_id,
        asker_id=row.asker_id,
        question=row.question,
        skill=Skill(key=row.skill.key, label=row.skill.label) if row.skill is not None else None,
        status=AskStatus(row.status),
        created_at=row.created_at,
        deadline_at=row.deadline_at,
        widened=row.widened,
        mentor_id=row.mentor_id,
        matched_at=row.matched_at,
        post=ChannelPost(row.post_channel, row.post_anonymous, row.post_ts) if row.post_channel else None,
        retry_of=row.retry_of,
    )


class AskRepository:
    def __init__(self, session: Session):
        self.session = session

    # --- the vocabulary ----------------------------------------------------------
    def vocabulary(self, team_id: str) -> list[Skill]:
        rows = self.session.execute(select(models.Skill.key, models.Skill.label).where(models.Skill.team_id == team_id))
        return [Skill(key=key, label=label) for key, label in rows]

    def _skill_id(self, team_id: str, skill: Skill) -> int:
        """The vocabulary row of a skill, created when a tag names a new one."""
        return vocabulary_rows(self.session, team_id, [skill])[skill.key].id

    def most_offered(self, team_id: str, limit: int) -> list[Skill]:
        """The skills most members offer: suggestions when a question names none."""
        offered = func.count(models.MemberSkill.user_id)
        rows = self.session.execute(
            select(models.Skill.key, models.Skill.label)
            .join(models.MemberSkill, models.MemberSkill.skill_id == models.Skill.id)
            .where(models.Skill.team_id == team_id, models.MemberSkill.kind == SkillKind.OFFER.value)
            .group_by(models.Skill.key, models.Skill.label)
            .order_by(offered.desc(), models.Skill.key)
            .limit(limit)
        )
        return [Skill(key=key, label=label) for key, label in rows]

    # --- what the workspace learned from confirmed asks -------------------------------
    def evidence(self, team_id: str, words: tuple[str, ...]) -> Evidence:
        return evidence.read(self.session, team_id, words)

    def learn(self, ask: Ask, skill: Skill, words: tuple[str, ...]) -> bool:
        """Count the words of `ask`'s question as evidence for `skill`, its asker having
        confirmed it; once per ask. A try of an earlier ask (`retry_of`) takes the earlier
        tries' evidence back out: a question counts once, for the skill confirmed last.
        Returns whether they were counted."""
        if not evidence.learn(self.session, ask.id, ask.team_id, ask.asker_id, skill.key, words):
            return False
        earlier: list[int] = []
        previous = ask.retry_of
        while previous is not None:  # a chain of tries, one per click: short
            earlier.append(previous)
            previous = self.session.scalar(select(models.Ask.retry_of).where(models.Ask.id == previous))
        if earlier:
            evidence.take_back(self.session, ask.team_id, earlier)
        return True

    # --- asks ----------------------------------------------------------------------
    def create(
        self,
        team_id: str,
        asker_id: str,
        question: str,
        skill: Skill | None,
        now: datetime,
        status: AskStatus,
        retry_of: int | None = None,
    ) -> Ask:
        row = models.Ask(
            team_id=team_id,
            asker_id=asker_id,
            question=question,
            skill_id=self._skill_id(team_id, skill) if skill else None,
            status=status.value,
            created_at=now,
            widened=False,
            retry_of=retry_of,
        )
        self.session.add(row)
        self.session.flush()
        self.session.refresh(row)
        return _to_ask(row)

    def get(self, team_id: str, ask_id: int) -> Ask | None:
        row = self.session.get(models.Ask, ask_id)
        return _to_ask(row) if row is not None and row.team_id == team_id else None

    def set_skill(self, ask_id: int, skill: Skill) -> None:
        row = self.session.get_one(models.Ask, ask_id)
        row.skill_id = self._skill_id(row.team_id, skill)
        self.session.flush()
        self.session.expire(row, ["skill"])

    def transition(self, ask_id: int, expected: set[AskStatus], status: AskStatus, now: datetime, **changes) -> bool:
        """Move an ask to `status` only if it is still in one of `expected`: two clicks
        racing for the same ask cannot both win."""
        values = {"status": status.value, **changes}
        if status in (AskStatus.UNANSWERED, AskStatus.CANCELLED):
            values["closed_at"] = now
        moved = rowcount(
            self.session,
            update(models.Ask)
            .where(models.Ask.id == ask_id, models.Ask.status.in_([s.value for s in expected]))
            .values(**values)
            .execution_options(synchronize_session=False),
        )
        self.session.expire_all()
        return moved == 1

    # --- in the program channel, and tried again (issue 20) ------------------------------
    def set_post(self, ask_id: int, channel: str, anonymous: bool) -> None:
        """Mark an ask as posted in `channel` (a new ask: each try is one, bot.asks.services._try_again)."""
        row = self.session.get_one(models.Ask, ask_id)
        row.post_channel, row.post_anonymous = channel, anonymous
        self.session.flush()

    def record_post(self, ask_id: int, ts: str) -> None:
        """The ts of the ask's message in the program channel, once it is there."""
        self.session.get_one(models.Ask, ask_id).post_ts = ts
        self.session.flush()

    def retried(self, ask_id: int) -> bool:
        """Whether an ask has been tried again already (a new ask names it as `retry_of`).
        Locks the ask's row until the transaction ends (PostgreSQL; SQLite runs one writer at
        a time): of two clicks at once, the second waits and then finds the first's try,
        rather than failing on ix_asks_retry_of."""
        self.session.execute(select(models.Ask.id).where(models.Ask.id == ask_id).with_for_update())
        return self.session.scalar(select(models.Ask.id).where(models.Ask.retry_of == ask_id)) is not None

    def add_claimer(self, ask: Ask, user_id: str, now: datetime) -> None:
        """Someone took an ask from the program channel: a candidate who accepted, as if asked,
        so that the mentor's counts, network and follow-up read it as any accepted ask."""
        row = self.session.get(models.AskCandidate, (ask.id, user_id))
        if row is None:
            position = self.session.execute(
                select(func.count()).select_from(models.AskCandidate).where(models.AskCandidate.ask_id == ask.id)
            ).scalar_one()
            row = models.AskCandidate(
                ask_id=ask.id, user_id=user_id, team_id=ask.team_id, position=position, notified_at=now
            )
            self.session.add(row)
        row.status, row.responded_at = CandidateStatus.ACCEPTED.value, now
        # As add_candidates does: ranking counts the asks only of members asked lately.
        self.session.execute(
            update(models.Member)
            .where(models.Member.team_id == ask.team_id, models.Member.user_id == user_id)
            .values(last_asked_at=now)
            .execution_options(synchronize_session=False)
        )
        self.session.flush()

    def queue_post(self, ask: Ask, now: datetime) -> int:
        """Queue in the outbox, in this transaction, the ask's post in its channel: once per ask."""
        if ask.post is None:
            return 0
        wanted = [(ask.post.channel, DeliveryKind.ASK_POST, DeliveryKind.ASK_POST.value)]
        return queue_deliveries(self.session, ask.team_id, About.ask(ask.id), wanted, now)

    def queue_post_update(self, ask: Ask, now: datetime) -> int:
        """Queue the redraw of the ask's post once it is no longer open (taken, withdrawn or
        closed): once per ask, drawn as the ask stands when it is sent."""
        if ask.post is None:
            return 0
        wanted = [(ask.post.channel, DeliveryKind.ASK_POST_UPDATE, DeliveryKind.ASK_POST_UPDATE.value)]
        return queue_deliveries(self.session, ask.team_id, About.ask(ask.id), wanted, now)

    def set_group_channel(self, ask_id: int, channel: str) -> None:
        self.session.get_one(models.Ask, ask_id).group_channel = channel
        self.session.flush()

    def due(self, now: datetime, limit: int = 100) -> list[Ask]:
        """Open and queued asks whose deadline has passed, oldest first."""
        rows = self.session.scalars(
            select(models.Ask)
            .where(models.Ask.status.in_([AskStatus.OPEN.value, AskStatus.QUEUED.value]), models.Ask.deadline_at <= now)
            .order_by(models.Ask.deadline_at)
            .limit(limit)
        )
        return [_to_ask(row) for row in rows]

    def queued(self, team_id: str, limit: int, after: tuple[datetime, int] | None = None) -> list[Ask]:
        """The workspace's queued asks, oldest first, from just after `after` (created_at, id)
        if given: a page of the line, read along ix_asks_queue (migration 0014)."""
        ask = models.Ask
        where = [ask.team_id == team_id, ask.status == AskStatus.QUEUED.value]
        if after is not None:
            created, ask_id = after
            where.append(or_(ask.created_at > created, and_(ask.created_at == created, ask.id > ask_id)))
        rows = self.session.scalars(select(ask).where(*where).order_by(ask.created_at, ask.id).limit(limit))
        return [_to_ask(row) for row in rows]

    def teams_with_queued(self) -> list[str]:
        """Every workspace with an ask in the queue."""
        return list(
            self.session.scalars(
                select(models.Ask.team_id).where(models.Ask.status == AskStatus.QUEUED.value).distinct()
            )
        )

    def pending_of(self, team_id: str, asker_id: str) -> list[Ask]:
        rows = self.session.scalars(
            select(models.Ask)
            .where(
                models.Ask.team_id == team_id,
                models.Ask.asker_id == asker_id,
                models.Ask.status.in_([AskStatus.OPEN.value, AskStatus.NEEDS_SKILL.value, AskStatus.QUEUED.value]),
            )
            .order_by(models.Ask.created_at)
        )
        return [_to_ask(row) for row in rows]

    def count_by(self, team_id: str, asker_id: str) -> int:
        return self.session.execute(
            select(func.count()).where(
                models.Ask.team_id == team_id,
                models.Ask.asker_id == asker_id,
                models.Ask.status != AskStatus.NEEDS_SKILL.value,
            )
        ).scalar_one()

    def mentors_of(self, team_id: str, asker_id: str) -> list[tuple[Skill, str]]:
        """(skill, mentor) for every ask of this member that a mentor took, oldest first."""
        rows = self.session.execute(
            select(models.Skill.key, models.Skill.label, models.Ask.mentor_id)
            .join(models.Skill, models.Skill.id == models.Ask.skill_id)
            .where(
                models.Ask.team_id == team_id,
                models.Ask.asker_id == asker_id,
                models.Ask.status == AskStatus.MATCHED.value,
            )
            .order_by(models.Ask.matched_at)
        )
        return [(Skill(key=key, label=label), mentor) for key, label, mentor in rows]

    def waiting_on(self, team_id: str, user_id: str) -> list[Ask]:
        """Open asks whose request reached this member and still waits for their answer,
        oldest first."""
        rows = self.session.scalars(
            select(models.Ask)
            .join(models.AskCandidate, models.AskCandidate.ask_id == models.Ask.id)
            .where(
                models.AskCandidate.team_id == team_id,
                models.AskCandidate.user_id == user_id,
                models.AskCandidate.status == CandidateStatus.NOTIFIED.value,
                models.Ask.status == AskStatus.OPEN.value,
            )
            .order_by(models.AskCandidate.notified_at, models.Ask.id)
        )
        return [_to_ask(row) for row in rows]

    # --- candidates ----------------------------------------------------------------
    def add_candidates(self, ask: Ask, user_ids: list[str], now: datetime) -> None:
        start = self.session.execute(
            select(func.count()).select_from(models.AskCandidate).where(models.AskCandidate.ask_id == ask.id)
        ).scalar_one()
        for offset, user_id in enumerate(user_ids):
            self.session.add(
                models.AskCandidate(
                    ask_id=ask.id,
                    user_id=user_id,
                    team_id=ask.team_id,
                    position=start + offset,
                    status=CandidateStatus.NOTIFIED.value,
                    notified_at=now,
                )
            )
        self.session.execute(
            update(models.Member)
            .where(models.Member.team_id == ask.team_id, models.Member.user_id.in_(user_ids))
            .values(last_asked_at=now)
            .execution_options(synchronize_session=False)
        )
        self.session.flush()

    def record_notification(self, ask_id: int, user_id: str, channel: str, message_ts: str) -> None:
        row = self.session.get_one(models.AskCandidate, (ask_id, user_id))
        row.channel, row.message_ts = channel, message_ts
        self.session.flush()

    def candidate_status(self, ask_id: int, user_id: str) -> CandidateStatus | None:
        row = self.session.get(models.AskCandidate, (ask_id, user_id))
        return CandidateStatus(row.status) if row is not None else None

    def respond(self, ask_id: int, user_id: str, status: CandidateStatus, now: datetime) -> bool:
        """Record a candidate's answer, once: only a candidate still waiting can answer."""
        answered = rowcount(
            self.session,
            update(models.AskCandidate)
            .where(
                models.AskCandidate.ask_id == ask_id,
                models.AskCandidate.user_id == user_id,
                models.AskCandidate.status == CandidateStatus.NOTIFIED.value,
            )
            .values(status=status.value, responded_at=now)
            .execution_options(synchronize_session=False),
        )
        self.session.expire_all()
        return answered == 1

    def close_waiting(self, ask_id: int, now: datetime) -> list[Notification]:
        """Close every candidate still waiting on this ask; return their DMs to update."""
        rows = self.session.scalars(
            select(models.AskCandidate).where(
                models.AskCandidate.ask_id == ask_id, models.AskCandidate.status == CandidateStatus.NOTIFIED.value
            )
        ).all()
        for row in rows:
            row.status, row.responded_at = CandidateStatus.CLOSED.value, now
        self.session.flush()
        return [Notification(row.user_id, row.channel, row.message_ts) for row in rows]

    def notifications(self, ask_id: int, status: CandidateStatus) -> list[Notification]:
        """The DMs of the candidates of this ask in `status`."""
        rows = self.session.scalars(
            select(models.AskCandidate).where(
                models.AskCandidate.ask_id == ask_id, models.AskCandidate.status == status.value
            )
        )
        return [Notification(row.user_id, row.channel, row.message_ts) for row in rows]

    def queue_dms(
        self,
        ask: Ask,
        dms: Iterable[tuple[str, DeliveryKind]],
        now: datetime,
        on_screen: Container[tuple[str, DeliveryKind]] = (),
    ) -> int:
        """Queue in the outbox, in this transaction, each DM (recipients, kind) about `ask`:
        each kind goes to the same recipients once per ask, however often it is queued. Those
        in `on_screen` the asker is waiting for, and go ahead of other queued DMs."""
        wanted = [(recipients, kind, kind.value) for recipients, kind in dms]
        return queue_deliveries(self.session, ask.team_id, About.ask(ask.id), wanted, now, on_screen)

    def queue_edits(self, ask: Ask, edits: Iterable[tuple[str, AskEdit]], now: datetime) -> int:
        """Queue in the outbox, in this transaction, each edit (candidate, edit) of a candidate's
        request DM about `ask`: each edit is queued once per candidate and ask."""
        wanted = [(user_id, DeliveryKind.ASK_UPDATE, edit.value) for user_id, edit in edits]
        return queue_deliveries(self.session, ask.team_id, About.ask(ask.id), wanted, now)

    def notification(self, ask_id: int, user_id: str) -> Notification | None:
        row = self.session.get(models.AskCandidate, (ask_id, user_id))
        return Notification(row.user_id, row.channel, row.message_ts) if row is not None else None

    def asked(self, ask_id: int) -> set[str]:
        return set(
            self.session.scalars(select(models.AskCandidate.user_id).where(models.AskCandidate.ask_id == ask_id))
        )

    def waiting_count(self, ask_id: int) -> int:
        return self.session.execute(
            select(func.count()).where(
                models.AskCandidate.ask_id == ask_id, models.AskCandidate.status == CandidateStatus.NOTIFIED.value
            )
        ).scalar_one()

    # --- ranking's inputs --------------------------------------------------------------
    def offerers(self, team_id: str, skill: Skill, asked_since: datetime) -> list[Offerer]:
        """Everyone who offers `skill`, and whether an ask reached them since `asked_since`:
        one indexed join, whatever the workspace's size."""
        member, offer = models.Member, models.MemberSkill
        skill_id = self.session.scalar(
            select(models.Skill.id).where(models.Skill.team_id == team_id, models.Skill.key == skill.key)
        )
        if skill_id is None:
            return []
        columns = (
            member.capacity,
            member.utc_offset_seconds,
            member.paused_until,
            case((taking_part(team_id), 0), else_=1).label("out"),
            case((member.last_asked_at >= asked_since, 1), else_=0).label("recently_asked"),
        )
        same_member = and_(member.team_id == offer.team_id, member.user_id == offer.user_id)
        if self.session.get_bind().dialect.name == "postgresql":
            # One index-only probe of ix_members_ranking per offerer. For a popular skill
            # PostgreSQL's planner would rather hash all members, twice as slow; LIMIT 1
            # keeps this LATERAL subquery from being turned back into that join.
            facts = select(*columns).where(same_member).limit(1).lateral("facts")
            query = select(offer.user_id, *facts.c).select_from(offer).join(facts, true())
        else:
            query = select(offer.user_id, *columns).select_from(offer).join(member, same_member)
        # Core rows, not ORM results: thousands of plain tuples, read once.
        rows = (
            self.session.connection()
            .execute(
                query.where(offer.team_id == team_id, offer.kind == SkillKind.OFFER.value, offer.skill_id == skill_id)
            )
            .all()
        )
        return [
            Offerer(
                user_id, capacity, offset / 3600 if offset is not None else None, paused, bool(deactivated), bool(asked)
            )
            for user_id, capacity, offset, paused, deactivated, asked in rows
        ]

    def count_asks(
        self, team_id: str, user_ids: list[str], now: datetime, policy: AskPolicy
    ) -> dict[str, tuple[int, int, int]]:
        """For each member who has any: (asks sent to them within the recent window, asks they
        accepted within `policy.busy_after_accepting`, which hold a capacity slot, requests
        waiting for their answer on an ask still open). One indexed range read per batch."""
        candidate, ask = models.AskCandidate, models.Ask
        counts: dict[str, tuple[int, int, int]] = {}
        for batch in batches(user_ids):
            recent = func.sum(case((candidate.notified_at >= now - policy.recent_window, 1), else_=0))
            helping = func.sum(
                case(
                    (
                        and_(
                            candidate.status == CandidateStatus.ACCEPTED.value,
                            ask.matched_at >= now - policy.busy_after_accepting,
                        ),
                        1,
                    ),
                    else_=0,
                )
            )
            pending = func.sum(
                case(
                    (and_(candidate.status == CandidateStatus.NOTIFIED.value, ask.status == AskStatus.OPEN.value), 1),
                    else_=0,
                )
            )
            rows = self.session.execute(
                select(candidate.user_id, recent, helping, pending)
                .join(ask, ask.id == candidate.ask_id)
                .where(
                    candidate.team_id == team_id,
                    candidate.user_id.in_(batch),
                    candidate.notified_at >= now - policy.recent_window,
                )
                .group_by(candidate.user_id)
            )
            counts.update({user_id: (int(r), int(h), int(p)) for user_id, r, h, p in rows})
        return counts

    def history_with(self, team_id: str, asker_id: str, user_ids: set[str]) -> dict[str, History]:
        """For those of `user_ids` with a history with the asker: who helped whom, on what."""
        matched = models.Ask.status == AskStatus.MATCHED.value
        helped = set(
            self.session.scalars(
                select(models.Ask.asker_id).where(
                    models.Ask.team_id == team_id, models.Ask.mentor_id == asker_id, matched
                )
            )
        )
        mentored: dict[str, dict[str, str]] = {}
        rows = self.session.execute(
            select(models.Ask.mentor_id, models.Skill.key, models.Skill.label)
            .join(models.Skill, models.Skill.id == models.Ask.skill_id)
            .where(models.Ask.team_id == team_id, models.Ask.asker_id == asker_id, matched)
        )
        for mentor_id, key, label in rows:
            mentored.setdefault(mentor_id, {})[key] = label
        return {
            user_id: History(
                helped_by_asker=user_id in helped, mentored_asker_on=tuple(sorted(mentored.get(user_id, {}).items()))
            )
            for user_id in (helped | set(mentored)) & user_ids
        }
