"""RoundRepository: who is in which round, never-pairs, rounds and their groups."""

import json
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.matching import Member
from bot.profile import DEFAULT_CAPACITY
from bot.rounds import Introduction, Membership, PlannedGroup, RoundKind
from bot.skills import SkillKind
from storage import models
from storage.repositories import insert_ignoring_duplicates

GROUP_SUBJECT = "round-group:"  # the outbox subject of a group's introduction
SENIOR_STAGES = ("senior", "executive")


class RoundRepository:
    def __init__(self, session: Session):
        self.session = session

    # --- membership ------------------------------------------------------------------
    def _ensure_member(self, team_id: str, user_id: str) -> None:
        insert_ignoring_duplicates(
            self.session, models.Member, [{"team_id": team_id, "user_id": user_id, "capacity": DEFAULT_CAPACITY}]
        )

    def _set(self, team_id: str, user_id: str, **values) -> None:
        self._ensure_member(team_id, user_id)
        self.session.execute(
            update(models.Member)
            .where(models.Member.team_id == team_id, models.Member.user_id == user_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    def membership(self, team_id: str, user_id: str) -> Membership:
        row = self.session.execute(
            select(models.Member.in_coffee, models.Member.in_reverse, models.Member.paused_until).where(
                models.Member.team_id == team_id, models.Member.user_id == user_id
            )
        ).first()
        return Membership(*row) if row else Membership()

    def set_opt_in(self, team_id: str, user_id: str, kind: RoundKind, joined: bool) -> None:
        self._set(team_id, user_id, **{"in_coffee" if kind is RoundKind.COFFEE else "in_reverse": joined})

    def set_paused(self, team_id: str, user_id: str, until: date | None) -> None:
        self._set(team_id, user_id, paused_until=until)

    def leave_everything(self, team_id: str, user_id: str) -> None:
        """The member left the workspace: out of every round, and no DM waiting for them."""
        self.session.execute(
            update(models.Member)
            .where(models.Member.team_id == team_id, models.Member.user_id == user_id)
            .values(in_coffee=False, in_reverse=False, deactivated=True)
            .execution_options(synchronize_session=False)
        )
        self.session.execute(
            update(models.Delivery)
            .where(
                models.Delivery.team_id == team_id,
                models.Delivery.recipient == user_id,
                models.Delivery.status == "pending",
            )
            .values(status="cancelled", error="member_left")
            .execution_options(synchronize_session=False)
        )

    def never_of(self, team_id: str, user_id: str) -> list[str]:
        return list(
            self.session.scalars(
                select(models.NeverPair.other_id)
                .where(models.NeverPair.team_id == team_id, models.NeverPair.user_id == user_id)
                .order_by(models.NeverPair.other_id)
            )
        )

    def set_never(self, team_id: str, user_id: str, other_ids: list[str]) -> None:
        self.session.execute(
            delete(models.NeverPair).where(models.NeverPair.team_id == team_id, models.NeverPair.user_id == user_id)
        )
        rows = [{"team_id": team_id, "user_id": user_id, "other_id": other} for other in sorted(set(other_ids)) if other != user_id]
        if rows:
            insert_ignoring_duplicates(self.session, models.NeverPair, rows)

    # --- a round's inputs ---------------------------------------------------------------
    def available(self, team_id: str, kind: RoundKind, today: date) -> list[Member]:
        """Everyone opted into `kind`, not paused on `today`, still in the workspace."""
        member = models.Member
        opted = member.in_coffee if kind is RoundKind.COFFEE else member.in_reverse
        rows = self.session.execute(
            select(member.user_id, member.team, member.utc_offset_seconds, member.career_stage).where(
                member.team_id == team_id,
                opted.is_(True),
                member.deactivated.is_(False),
                or_(member.paused_until.is_(None), member.paused_until < today),
            )
        ).all()
        ids = [row.user_id for row in rows]
        skills: dict[tuple[str, str], set[str]] = defaultdict(set)
        never: dict[str, set[str]] = defaultdict(set)
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            for user_id, kind_of, key in self.session.execute(
                select(models.MemberSkill.user_id, models.MemberSkill.kind, models.Skill.key)
                .join(models.Skill, models.Skill.id == models.MemberSkill.skill_id)
                .where(models.MemberSkill.team_id == team_id, models.MemberSkill.user_id.in_(batch))
            ):
                skills[(user_id, kind_of)].add(key)
            for user_id, other_id in self.session.execute(
                select(models.NeverPair.user_id, models.NeverPair.other_id).where(
                    models.NeverPair.team_id == team_id, models.NeverPair.user_id.in_(batch)
                )
            ):
                never[user_id].add(other_id)
        return [
            Member(
                user_id=row.user_id,
                offers=frozenset(skills[(row.user_id, SkillKind.OFFER.value)]),
                wants=frozenset(skills[(row.user_id, SkillKind.WANT.value)]),
                team=row.team.casefold(),
                utc_offset_hours=row.utc_offset_seconds / 3600 if row.utc_offset_seconds is not None else None,
                career_stage=row.career_stage,
                never=frozenset(never[row.user_id]),
            )
            for row in rows
        ]

    def labels(self, team_id: str) -> dict[str, str]:
        return dict(self.session.execute(select(models.Skill.key, models.Skill.label).where(models.Skill.team_id == team_id)).all())

    def history(self, team_id: str, kind: RoundKind, rounds: int) -> dict[frozenset[str], int]:
        """Pairs who met in the last `rounds` rounds of this kind: how many rounds ago (0: the last)."""
        recent = self.session.execute(
            select(models.Round.id)
            .where(models.Round.team_id == team_id, models.Round.kind == kind.value)
            .order_by(models.Round.held_on.desc())
            .limit(rounds)
        ).scalars().all()
        ago = {round_id: position for position, round_id in enumerate(recent)}
        met: dict[frozenset[str], int] = {}
        if not recent:
            return met
        for round_id, members in self.session.execute(
            select(models.RoundGroup.round_id, models.RoundGroup.members).where(models.RoundGroup.round_id.in_(recent))
        ):
            people = members.split(",")
            for i, a in enumerate(people):
                for b in people[i + 1 :]:
                    pair = frozenset((a, b))
                    met[pair] = min(met.get(pair, ago[round_id]), ago[round_id])
        return met

    def proposals(self, team_id: str, user_ids: list[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for start in range(0, len(user_ids), 500):
            rows = self.session.execute(
                select(models.RoundGroup.proposer, func.count())
                .where(models.RoundGroup.team_id == team_id, models.RoundGroup.proposer.in_(user_ids[start : start + 500]))
                .group_by(models.RoundGroup.proposer)
            )
            counts.update({user_id: count for user_id, count in rows})
        return counts

    # --- recording a round -----------------------------------------------------------------
    def record(self, team_id: str, kind: RoundKind, held_on: date, now: datetime, groups: list[PlannedGroup]) -> bool:
        """Record the round, its groups and one introduction per group in the outbox; False
        (and nothing written) if this workspace already has this round."""
        new = insert_ignoring_duplicates(
            self.session,
            models.Round,
            [{"team_id": team_id, "kind": kind.value, "held_on": held_on, "created_at": now}],
        )
        if not new:
            return False  # recorded earlier, by another run or another process
        round_row = self.session.scalars(
            select(models.Round).where(
                models.Round.team_id == team_id, models.Round.kind == kind.value, models.Round.held_on == held_on
            )
        ).one()
        for group in groups:
            row = models.RoundGroup(
                round_id=round_row.id,
                team_id=team_id,
                members=",".join(group.members),
                proposer=group.proposer,
                details=json.dumps(
                    {"teaching": group.teaching, "reasons": group.reasons, "question": group.question}
                ),
            )
            self.session.add(row)
            self.session.flush()
            self.session.add(
                models.Delivery(
                    team_id=team_id,
                    subject=f"{GROUP_SUBJECT}{row.id}",
                    recipient=row.members,
                    purpose="intro",
                    key="intro",
                    status="pending",
                    available_at=now,
                    attempts=0,
                    created_at=now,
                )
            )
        self.session.flush()
        return True

    def introduction(self, team_id: str, group_id: int) -> Introduction | None:
        """A group's introduction as it should read now."""
        row = self.session.get(models.RoundGroup, group_id)
        if row is None or row.team_id != team_id:
            return None
        details = json.loads(row.details)
        members = tuple(row.members.split(","))
        objectives = dict(
            self.session.execute(
                select(models.Member.user_id, models.Member.objectives).where(
                    models.Member.team_id == team_id, models.Member.user_id.in_(members)
                )
            ).all()
        )
        group = PlannedGroup(
            members=members,
            proposer=row.proposer,
            teaching=tuple((t, l, tuple(labels)) for t, l, labels in details["teaching"]),
            reasons=tuple(details["reasons"]),
            question=details["question"],
        )
        return Introduction(RoundKind(row.round.kind), group, objectives)

    def teams_in(self, kind: RoundKind) -> list[str]:
        """Workspaces with at least one member opted into `kind`."""
        opted = models.Member.in_coffee if kind is RoundKind.COFFEE else models.Member.in_reverse
        return list(self.session.scalars(select(models.Member.team_id).where(opted.is_(True)).distinct()))
