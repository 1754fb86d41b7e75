"""RoundRepository: who is in which round, never-pairs, rounds and their groups."""

import json
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.followups.model import member_zone
from bot.members.model import SkillKind, known_situations
from bot.rounds.model import (
    PAUSED_UNTIL_RESUMED,
    CheckinOutcome,
    Introduction,
    Learned,
    Membership,
    PlannedGroup,
    RoundKind,
)
from bot.rounds.schedule import Schedule
from bot.rounds.scoring import Member
from storage import models
from storage.members import update_member
from storage.outbox import queue_deliveries
from storage.queries import batches, insert_ignoring_duplicates

GROUP_SUBJECT = "round-group:"  # the outbox subject of a group's introduction and check-in
NOTICE_SUBJECT = "round-notice:"  # "<kind>:<date>": the day-before notice to each member
QUIET_SUBJECT = "round-quiet:"  # "<date>": telling a member they were paused
RECENT_ROUNDS_FOR_QUIET = 12
UNMATCHED_SUBJECT = "round-unmatched:"  # "<kind>:<date>": telling a member nobody fit them this time
ANNOUNCE_SUBJECT = "round-announce:"  # "<round id>": the round's figures, in the program channel


def _situations(stored: str | None) -> frozenset[str]:
    return known_situations(stored.split(",")) if stored else frozenset()


class RoundRepository:
    def __init__(self, session: Session):
        self.session = session

    # --- membership ------------------------------------------------------------------
    def _set(self, team_id: str, user_id: str, **values) -> None:
        update_member(self.session, team_id, user_id, **values)

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

    def reactivate(self, team_id: str, user_id: str) -> None:
        self.session.execute(
            update(models.Member)
            .where(models.Member.team_id == team_id, models.Member.user_id == user_id)
            .values(deactivated=False)
            .execution_options(synchronize_session=False)
        )

    def situations_of(self, team_id: str, user_id: str) -> frozenset[str]:
        stored = self.session.scalar(
            select(models.Member.situations).where(models.Member.team_id == team_id, models.Member.user_id == user_id)
        )
        return _situations(stored)

    def set_situations(self, team_id: str, user_id: str, situations: frozenset[str]) -> None:
        """`situations` as bot.members.forms read them: listed ones only."""
        self._set(team_id, user_id, situations=",".join(sorted(situations)))

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
        rows = [
            {"team_id": team_id, "user_id": user_id, "other_id": other}
            for other in sorted(set(other_ids))
            if other != user_id
        ]
        if rows:
            insert_ignoring_duplicates(self.session, models.NeverPair, rows)

    # --- a round's inputs ---------------------------------------------------------------
    def available(self, team_id: str, kind: RoundKind, today: date) -> list[Member]:
        """Everyone opted into `kind`, not paused on `today`, still in the workspace."""
        member = models.Member
        opted = member.in_coffee if kind is RoundKind.COFFEE else member.in_reverse
        skipped = select(models.RoundSkip.user_id).where(
            models.RoundSkip.team_id == team_id, models.RoundSkip.kind == kind.value, models.RoundSkip.held_on == today
        )
        rows = self.session.execute(
            select(
                member.user_id, member.team, member.utc_offset_seconds, member.career_stage, member.situations
            ).where(
                member.team_id == team_id,
                opted.is_(True),
                member.deactivated.is_(False),
                or_(member.paused_until.is_(None), member.paused_until < today),
                member.user_id.not_in(skipped),
            )
        ).all()
        ids = [row.user_id for row in rows]
        skills: dict[tuple[str, str], set[str]] = defaultdict(set)
        never: dict[str, set[str]] = defaultdict(set)
        for batch in batches(ids):
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
                situations=_situations(row.situations),
            )
            for row in rows
        ]

    def labels(self, team_id: str) -> dict[str, str]:
        return dict(
            self.session.execute(
                select(models.Skill.key, models.Skill.label).where(models.Skill.team_id == team_id)
            ).all()
        )

    def history(self, team_id: str, kind: RoundKind, rounds: int) -> dict[frozenset[str], int]:
        """Pairs who met in the last `rounds` rounds of this kind: how many rounds ago (0: the last)."""
        recent = (
            self.session.execute(
                select(models.Round.id)
                .where(models.Round.team_id == team_id, models.Round.kind == kind.value)
                .order_by(models.Round.held_on.desc())
                .limit(rounds)
            )
            .scalars()
            .all()
        )
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
        for batch in batches(user_ids):
            rows = self.session.execute(
                select(models.RoundGroup.proposer, func.count())
                .where(models.RoundGroup.team_id == team_id, models.RoundGroup.proposer.in_(batch))
                .group_by(models.RoundGroup.proposer)
            )
            counts.update({user_id: count for user_id, count in rows})
        return counts

    # --- recording a round -----------------------------------------------------------------
    def record(
        self,
        team_id: str,
        kind: RoundKind,
        held_on: date,
        now: datetime,
        groups: list[PlannedGroup],
        unmatched: tuple[str, ...] = (),
    ) -> bool:
        """Record the round, its groups, one introduction per group and a word to each member
        nobody could be grouped with, in the outbox; False (and nothing written) if this
        workspace already has this round."""
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
                details=json.dumps({"teaching": group.teaching, "reasons": group.reasons, "question": group.question}),
            )
            self.session.add(row)
            self.session.flush()
            self.session.add_all(
                models.RoundMember(group_id=row.id, user_id=user_id, team_id=team_id) for user_id in group.members
            )
            queue_deliveries(self.session, team_id, f"{GROUP_SUBJECT}{row.id}", [(row.members, "intro", "intro")], now)
        self.session.flush()
        self._queue(
            team_id, f"{UNMATCHED_SUBJECT}{kind.value}:{held_on.isoformat()}", list(unmatched), "unmatched", now
        )
        channel = self.session.scalar(
            select(models.Workspace.program_channel).where(models.Workspace.team_id == team_id)
        )
        if channel and groups:
            self._queue(team_id, f"{ANNOUNCE_SUBJECT}{round_row.id}", [channel], "announce", now)
        return True

    def announcement(self, team_id: str, round_id: int) -> tuple[RoundKind, int, int] | None:
        """(kind, groups, people) of a round, for the program channel; no names."""
        row = self.session.get(models.Round, round_id)
        if row is None or row.team_id != team_id:
            return None
        groups, people = self.session.execute(
            select(func.count(models.RoundMember.group_id.distinct()), func.count())
            .select_from(models.RoundMember)
            .join(models.RoundGroup, models.RoundGroup.id == models.RoundMember.group_id)
            .where(models.RoundGroup.round_id == round_id)
        ).one()
        return RoundKind(row.kind), groups, people

    def introduction(self, team_id: str, group_id: int) -> Introduction | None:
        """A group's introduction as it should read now."""
        row = self.session.get(models.RoundGroup, group_id)
        if row is None or row.team_id != team_id:
            return None
        details = json.loads(row.details)
        active = set(
            self.session.scalars(
                select(models.Member.user_id).where(
                    models.Member.team_id == team_id,
                    models.Member.user_id.in_(row.members.split(",")),
                    models.Member.deactivated.is_(False),
                )
            )
        )
        members = tuple(user_id for user_id in row.members.split(",") if user_id in active)
        if len(members) < 2:
            return None  # someone left the workspace before the introduction went out
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
            teaching=tuple((teacher, learner, tuple(labels)) for teacher, learner, labels in details["teaching"]),
            reasons=tuple(details["reasons"]),
            question=details["question"],
        )
        return Introduction(RoundKind(row.round.kind), group, objectives)

    def is_recorded(self, team_id: str, kind: RoundKind, held_on: date) -> bool:
        return (
            self.session.scalar(
                select(models.Round.id).where(
                    models.Round.team_id == team_id, models.Round.kind == kind.value, models.Round.held_on == held_on
                )
            )
            is not None
        )

    def _queue(self, team_id: str, subject: str, recipients: list[str], purpose: str, now: datetime) -> int:
        """Queue a DM to each recipient, once per (subject, recipient, purpose) whatever happens."""
        return queue_deliveries(
            self.session, team_id, subject, [(recipient, purpose, purpose) for recipient in recipients], now
        )

    # --- the day before: notices and skips ----------------------------------------------
    def queue_notices(self, team_id: str, kind: RoundKind, held_on: date, now: datetime) -> int:
        """Tell everyone in tomorrow's round, once, with a way to skip it."""
        members = [member.user_id for member in self.available(team_id, kind, held_on)]
        return self._queue(team_id, f"{NOTICE_SUBJECT}{kind.value}:{held_on.isoformat()}", members, "notice", now)

    def set_skip(self, team_id: str, kind: RoundKind, held_on: date, user_id: str, skipped: bool) -> None:
        key = {"team_id": team_id, "kind": kind.value, "held_on": held_on, "user_id": user_id}
        if skipped:
            insert_ignoring_duplicates(self.session, models.RoundSkip, [key])
        else:
            self.session.execute(delete(models.RoundSkip).filter_by(**key))

    # --- halfway: check-ins, and members who never answer ---------------------------------
    def _groups_held(self, team_id: str, kind: RoundKind, first: date, last: date) -> list[tuple[int, str]]:
        """(id, members joined by commas) of the groups of `kind` rounds held from `first` to `last`."""
        return self.session.execute(
            select(models.RoundGroup.id, models.RoundGroup.members)
            .join(models.Round, models.Round.id == models.RoundGroup.round_id)
            .where(
                models.Round.team_id == team_id,
                models.Round.kind == kind.value,
                models.Round.held_on >= first,
                models.Round.held_on <= last,
            )
        ).all()

    def queue_checkins(self, team_id: str, held_on: date, now: datetime) -> int:
        """ "Did you meet?" in each group DM of that coffee round, once."""
        groups = self._groups_held(team_id, RoundKind.COFFEE, held_on, held_on)
        return sum(
            self._queue(team_id, f"{GROUP_SUBJECT}{group_id}", [members], "checkin", now)
            for group_id, members in groups
        )

    def queue_month_end(self, team_id: str, month: date, now: datetime) -> int:
        """ "What did you learn?" to each member of the reverse pairs of rounds held in `month`
        (its first day) up to now, once."""
        groups = self._groups_held(team_id, RoundKind.REVERSE, month, now.date())
        return sum(
            self._queue(team_id, f"{GROUP_SUBJECT}{group_id}", members.split(","), "learned", now)
            for group_id, members in groups
        )

    def _group_with(self, team_id: str, group_id: int, user_id: str) -> models.RoundGroup | None:
        """The group, if this member is in it: ids from Slack are untrusted."""
        row = self.session.get(models.RoundGroup, group_id)
        if row is None or row.team_id != team_id or user_id not in row.members.split(","):
            return None
        return row

    def answer_learned(self, team_id: str, group_id: int, user_id: str, learned: Learned, now: datetime) -> bool:
        """Record (or change) what this member learned; False if they are not in the pair."""
        if self._group_with(team_id, group_id, user_id) is None:
            return False
        self.session.execute(
            delete(models.ReverseLearning).where(
                models.ReverseLearning.group_id == group_id, models.ReverseLearning.user_id == user_id
            )
        )
        self.session.add(
            models.ReverseLearning(
                group_id=group_id, user_id=user_id, team_id=team_id, learned=learned.value, answered_at=now
            )
        )
        self.session.flush()
        return True

    def answer_checkin(self, team_id: str, group_id: int, user_id: str, outcome: CheckinOutcome, now: datetime) -> bool:
        """Record the group's answer; False if this member is not in the group."""
        row = self._group_with(team_id, group_id, user_id)
        if row is None:
            return False
        row.outcome, row.answered_by, row.answered_at = outcome.value, user_id, now
        self.session.flush()
        return True

    def quiet_members(self, team_id: str, before: date, count: int) -> list[str]:
        """Coffee members whose last `count` groups before `before` (since Mentor last paused
        them for this) were all asked "Did you meet?" and nobody in them answered."""
        rounds = self.session.execute(
            select(models.Round.id, models.Round.held_on)
            .where(
                models.Round.team_id == team_id,
                models.Round.kind == RoundKind.COFFEE.value,
                models.Round.held_on < before,
            )
            .order_by(models.Round.held_on.desc())
            .limit(RECENT_ROUNDS_FOR_QUIET)
        ).all()
        if not rounds:
            return []
        held = dict(rounds)
        asked = set(
            self.session.scalars(
                select(models.Delivery.subject).where(
                    models.Delivery.team_id == team_id,
                    models.Delivery.purpose == "checkin",
                    models.Delivery.status == "sent",
                )
            )
        )
        groups = self.session.execute(
            select(
                models.RoundGroup.id, models.RoundGroup.round_id, models.RoundGroup.members, models.RoundGroup.outcome
            ).where(models.RoundGroup.round_id.in_(held))
        ).all()
        paused_on = dict(
            self.session.execute(
                select(models.Member.user_id, models.Member.quiet_paused_on).where(
                    models.Member.team_id == team_id, models.Member.in_coffee.is_(True)
                )
            ).all()
        )
        silent: dict[str, list[tuple[date, bool]]] = defaultdict(list)
        for group_id, round_id, members, outcome in groups:
            if f"{GROUP_SUBJECT}{group_id}" not in asked:
                continue  # never asked: no answer expected
            for user_id in members.split(","):
                since = paused_on.get(user_id)
                if user_id in paused_on and (since is None or held[round_id] > since):
                    silent[user_id].append((held[round_id], outcome is None))
        return sorted(
            user_id
            for user_id, answers in silent.items()
            if len(answers) >= count and all(unanswered for _, unanswered in sorted(answers, reverse=True)[:count])
        )

    def pause_quiet(self, team_id: str, user_ids: list[str], held_on: date, now: datetime) -> None:
        """Pause them until they resume, and tell each one, kindly, once."""
        if not user_ids:
            return
        self.session.execute(
            update(models.Member)
            .where(models.Member.team_id == team_id, models.Member.user_id.in_(user_ids))
            .values(paused_until=PAUSED_UNTIL_RESUMED, quiet_paused_on=held_on)
            .execution_options(synchronize_session=False)
        )
        self._queue(team_id, f"{QUIET_SUBJECT}{held_on.isoformat()}", user_ids, "quiet", now)

    def checkin_answer(self, team_id: str, group_id: int) -> tuple[tuple[str, ...], str | None, str | None] | None:
        """(members, outcome, answered by) of a group, for its check-in message."""
        row = self.session.get(models.RoundGroup, group_id)
        if row is None or row.team_id != team_id:
            return None
        return tuple(row.members.split(",")), row.outcome, row.answered_by

    def schedule(self, team_id: str) -> Schedule:
        """When this workspace's rounds happen: its settings, or the defaults."""
        row = self.session.get(models.Workspace, team_id)
        if row is None:
            return Schedule()
        default = Schedule()
        return Schedule(  # a value out of range (the settings are admins' to validate) falls back
            every_weeks=row.coffee_every_weeks if row.coffee_every_weeks in (1, 2, 4) else default.every_weeks,
            weekday=row.coffee_weekday if 0 <= row.coffee_weekday <= 4 else default.weekday,
            hour=row.round_hour if 0 <= row.round_hour <= 23 else default.hour,
            zone=member_zone(row.time_zone, None) if row.time_zone else None,
        )

    def teams_in(self, kind: RoundKind) -> list[str]:
        """Workspaces with at least one member opted into `kind`."""
        opted = models.Member.in_coffee if kind is RoundKind.COFFEE else models.Member.in_reverse
        return list(self.session.scalars(select(models.Member.team_id).where(opted.is_(True)).distinct()))
