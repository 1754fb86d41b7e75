"""RoundRepository: running rounds. When a workspace's rounds happen, who is available for
one and whom they met before, recording a round with its introductions queued, and what
its introductions and announcement say. Membership (storage.round_membership), what
follows the introductions (storage.round_checkins) and regrouping those a member Slack can no
longer reach left alone (storage.round_regrouping) are parts of it, in modules of their own."""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, func, or_, select, true, tuple_
from sqlalchemy.orm import Session, aliased

from bot.deliveries import DeliveryKind
from bot.followups.model import member_zone
from bot.members.model import SkillKind
from bot.rounds.model import Introduction, Pairing, PlannedGroup, Thanks, Unmatched
from bot.rounds.schedule import Schedule
from bot.rounds.scoring import Member
from storage import models
from storage.members import taking_part
from storage.outbox import About, queue_deliveries, queue_to_each
from storage.programs import RoundPrograms, in_program, program_named
from storage.queries import IN_BATCH, batches, insert_ignoring_duplicates
from storage.round_checkins import RoundCheckins
from storage.round_membership import RoundMembership, still_here, stored_situations
from storage.round_regrouping import RoundRegrouping


class RoundRepository(RoundMembership, RoundCheckins, RoundRegrouping, RoundPrograms):
    def __init__(self, session: Session):
        self.session = session

    def workspace_schedule(self, team_id: str) -> Schedule:
        """The workspace's round hour and zone (`/mentor settings`), with the default cadence;
        the defaults where it stored none."""
        row = self.session.get(models.Workspace, team_id)
        default = Schedule()
        return Schedule(
            # A value out of range (the settings are admins' to validate) falls back.
            hour=row.round_hour if row is not None and 0 <= row.round_hour <= 23 else default.hour,
            zone=member_zone(row.time_zone, None) if row is not None and row.time_zone else None,
        )

    def schedule(self, team_id: str, program: str) -> Schedule:
        """When the rounds of the program keyed `program` happen: its cadence, at its own hour
        and zone where it has them, else the workspace's (bot.rounds.schedule.Schedule.of)."""
        workspace = self.workspace_schedule(team_id)
        found = self.program(team_id, program)  # the defaults' for a workspace that stored none yet
        return workspace.of(found) if found is not None else workspace

    def members_zones(self, team_id: str, limit: int) -> list[str]:
        """Up to `limit` IANA zones of the workspace's members who take part, as Slack gave
        them (members.tz_name), the zone of the most members first."""
        member = models.Member
        count = func.count()
        rows = self.session.execute(
            select(member.tz_name)
            .where(member.team_id == team_id, member.tz_name.is_not(None), taking_part(team_id))
            .group_by(member.tz_name)
            .order_by(count.desc(), member.tz_name)
            .limit(limit)
        )
        return [zone for (zone,) in rows]

    # --- a round's inputs ---------------------------------------------------------------
    def available(self, team_id: str, program: str, today: date, cycle: date | None = None) -> list[Member]:
        """Everyone in the program keyed `program`, not paused on `today`, still in the workspace, and not
        skipping the round of `today` or of its `cycle` (the date of the cadence it stands for)."""
        member = models.Member
        skipped = select(models.RoundSkip.user_id).where(
            models.RoundSkip.team_id == team_id,
            models.RoundSkip.kind == program,
            models.RoundSkip.held_on.in_({today, cycle or today}),
        )
        return self._as_members(
            team_id,
            in_program(program),
            taking_part(team_id),
            or_(member.paused_until.is_(None), member.paused_until < today),
            member.user_id.not_in(skipped),
        )

    def members_of(self, team_id: str, user_ids: list[str]) -> list[Member]:
        """These members as the matching engine sees them (those Mentor holds a row for)."""
        return [
            found
            for batch in batches(sorted(set(user_ids)))
            for found in self._as_members(team_id, models.Member.user_id.in_(batch))
        ]

    def _as_members(self, team_id: str, *where: ColumnElement[bool]) -> list[Member]:
        member = models.Member
        rows = self.session.execute(
            select(
                member.user_id, member.team, member.utc_offset_seconds, member.career_stage, member.situations
            ).where(member.team_id == team_id, *where)
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
                situations=stored_situations(row.situations),
            )
            for row in rows
        ]

    def labels(self, team_id: str) -> dict[str, str]:
        return dict(
            self.session.execute(select(models.Skill.key, models.Skill.label).where(models.Skill.team_id == team_id))
            .tuples()
            .all()
        )

    def _recent_rounds(self, team_id: str, program: str, rounds: int, before: date | None) -> dict[int, int]:
        """The last `rounds` rounds of this program (held before `before`, if given): round id ->
        how many rounds ago (0: the last)."""
        held_before = models.Round.held_on < before if before is not None else true()
        recent = self.session.scalars(
            select(models.Round.id)
            .where(models.Round.team_id == team_id, models.Round.kind == program, held_before)
            .order_by(models.Round.held_on.desc())
            .limit(rounds)
        ).all()
        return {round_id: position for position, round_id in enumerate(recent)}

    def history(self, team_id: str, program: str, rounds: int, before: date | None = None) -> dict[frozenset[str], int]:
        """Pairs who met in the last `rounds` rounds of this program (held before `before`, if
        given): how many rounds ago (0: the last)."""
        ago = self._recent_rounds(team_id, program, rounds, before)
        met: dict[frozenset[str], int] = {}
        if not ago:
            return met
        for round_id, members in self.session.execute(
            select(models.RoundGroup.round_id, models.RoundGroup.members).where(models.RoundGroup.round_id.in_(ago))
        ):
            people = members.split(",")
            for i, a in enumerate(people):
                for b in people[i + 1 :]:
                    pair = frozenset((a, b))
                    met[pair] = min(met.get(pair, ago[round_id]), ago[round_id])
        return met

    def trio_seats(self, team_id: str, program: str, rounds: int) -> dict[str, list[int]]:
        """For each member who sat in a group of three or more in the last `rounds` rounds of
        this program: how many rounds ago each time (0: the last), in that order. What history
        cannot tell, as it keeps each pair's last meeting only."""
        ago = self._recent_rounds(team_id, program, rounds, None)
        seats: dict[str, list[int]] = {}
        if not ago:
            return seats
        for round_id, members in self.session.execute(
            select(models.RoundGroup.round_id, models.RoundGroup.members).where(models.RoundGroup.round_id.in_(ago))
        ):
            people = members.split(",")
            if len(people) >= 3:
                for user_id in people:
                    seats.setdefault(user_id, []).append(ago[round_id])
        return {user_id: sorted(agos) for user_id, agos in seats.items()}

    def met_before(
        self, team_id: str, pairs: Iterable[frozenset[str]], round_id: int | None = None
    ) -> set[frozenset[str]]:
        """Of `pairs`, those who ever met: in a group of any round of any kind (but round
        `round_id`, the one being made), or introduced by an ask one of them took."""
        wanted = sorted({tuple(sorted(pair)) for pair in pairs if len(pair) == 2})
        first, second = aliased(models.RoundMember), aliased(models.RoundMember)
        met: set[frozenset[str]] = set()
        # Each pair binds 4 parameters (both orders, two ids): IN_BATCH parameters a query.
        for chunk in batches(wanted, IN_BATCH // 4):
            in_rounds = (
                select(first.user_id, second.user_id)
                .join(second, second.group_id == first.group_id)
                .join(models.RoundGroup, models.RoundGroup.id == first.group_id)
                .where(first.team_id == team_id, tuple_(first.user_id, second.user_id).in_(chunk))
            )
            if round_id is not None:
                in_rounds = in_rounds.where(models.RoundGroup.round_id != round_id)
            by_asks = select(models.Ask.asker_id, models.Ask.mentor_id).where(
                models.Ask.team_id == team_id,
                or_(
                    tuple_(models.Ask.asker_id, models.Ask.mentor_id).in_(chunk),
                    tuple_(models.Ask.mentor_id, models.Ask.asker_id).in_(chunk),
                ),
            )
            for statement in (in_rounds, by_asks):
                met.update(frozenset(row) for row in self.session.execute(statement))
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

    # --- the day before -----------------------------------------------------------------
    def queue_notices(self, team_id: str, program: str, held_on: date, now: datetime) -> int:
        """Tell everyone in tomorrow's round, once, with a way to skip it."""
        members = [member.user_id for member in self.available(team_id, program, held_on)]
        notice = DeliveryKind.ROUND_NOTICE
        return queue_to_each(self.session, team_id, About.round_notice(program, held_on), notice, members, now)

    # --- recording a round -----------------------------------------------------------------
    def record(
        self,
        team_id: str,
        program: str,
        held_on: date,
        now: datetime,
        groups: list[PlannedGroup],
        unmatched: dict[str, Unmatched] | None = None,
    ) -> bool:
        """Record the round, its groups, one introduction per group and a word to each member
        nobody could be grouped with (`unmatched`: why, for each), in the outbox; False (and
        nothing written) if this workspace already has this round."""
        unmatched = unmatched or {}
        reasons = json.dumps({user_id: why.value for user_id, why in unmatched.items()})
        new = insert_ignoring_duplicates(
            self.session,
            models.Round,
            [{"team_id": team_id, "kind": program, "held_on": held_on, "created_at": now, "unmatched": reasons}],
        )
        if not new:
            return False  # recorded earlier, by another run or another process
        round_id = self.session.execute(_the_round(team_id, program, held_on)).scalar_one()
        for group in groups:
            row = models.RoundGroup(
                round_id=round_id,
                team_id=team_id,
                members=",".join(group.members),
                proposer=group.proposer,
                details=json.dumps(
                    {
                        "teaching": group.teaching,
                        "reasons": group.reasons,
                        "question": group.question,
                        **({"continuing": True} if group.continuing else {}),
                        **({"mentor": group.mentor} if group.mentor else {}),
                    }
                ),
            )
            self.session.add(row)
            self.session.flush()
            self.session.add_all(
                models.RoundMember(group_id=row.id, user_id=user_id, team_id=team_id) for user_id in group.members
            )
            intro = DeliveryKind.ROUND_INTRODUCTION
            queue_to_each(self.session, team_id, About.round_group(row.id), intro, [row.members], now)
        self.session.flush()
        nobody = DeliveryKind.ROUND_UNMATCHED
        queue_to_each(self.session, team_id, About.round_unmatched(program, held_on), nobody, unmatched, now)
        channel = self.session.scalar(
            select(models.Workspace.program_channel).where(models.Workspace.team_id == team_id)
        )
        if channel and groups:
            about = About.round_announcement(round_id, program, held_on)
            queue_to_each(self.session, team_id, about, DeliveryKind.ROUND_ANNOUNCEMENT, [channel], now)
        return True

    def announcement(self, team_id: str, program: str, held_on: date) -> tuple[int, int] | None:
        """(groups, people) of a round, for the program channel; no names."""
        round_id = self.session.scalar(_the_round(team_id, program, held_on))
        if round_id is None:
            return None
        groups, people = self.session.execute(
            select(func.count(models.RoundMember.group_id.distinct()), func.count())
            .select_from(models.RoundMember)
            .join(models.RoundGroup, models.RoundGroup.id == models.RoundMember.group_id)
            .where(models.RoundGroup.round_id == round_id)
        ).one()
        return groups, people

    def introduction(self, team_id: str, group_id: int, recipients: str | None = None) -> Introduction | None:
        """A group's introduction as it should read now, to the members of the group among
        `recipients` (a delivery's, user ids joined by commas; None: all of them) who are
        still in the workspace; None when fewer than two of them are."""
        return self.introductions(team_id, [(group_id, recipients)])[(group_id, recipients)]

    def introductions(
        self, team_id: str, wanted: Sequence[tuple[int, str | None]]
    ) -> dict[tuple[int, str | None], Introduction | None]:
        """The introductions of `wanted` (group id, recipients), each as `introduction` reads
        it, in two queries for all of them, as a round's sender reads a batch of its
        introductions: the groups with their rounds' programs, then their members still here."""
        program = models.Program
        found = self.session.execute(
            select(models.RoundGroup, models.Round.kind, program)
            .join(models.Round, models.Round.id == models.RoundGroup.round_id)
            .outerjoin(program, (program.team_id == models.RoundGroup.team_id) & (program.key == models.Round.kind))
            .where(models.RoundGroup.id.in_({group_id for group_id, _ in wanted}), models.RoundGroup.team_id == team_id)
        ).all()
        # The programs' rows, if stored, are now in the session, where program_named reads them.
        groups = {row.id: (row, kind) for row, kind, _ in found}
        invited = {
            group_id: [
                user_id
                for user_id in groups[group_id][0].members.split(",")
                if user_id in (recipients or groups[group_id][0].members).split(",")
            ]
            for group_id, recipients in wanted
            if group_id in groups
        }
        user_ids = sorted({user_id for members in invited.values() for user_id in members})
        objectives = {
            user_id: goals
            for batch in batches(user_ids)
            for user_id, goals in self.session.execute(
                select(models.Member.user_id, models.Member.objectives).where(
                    models.Member.team_id == team_id, models.Member.user_id.in_(batch), taking_part(team_id)
                )
            ).tuples()
        }
        introductions: dict[tuple[int, str | None], Introduction | None] = {}
        for group_id, recipients in wanted:
            members = tuple(user_id for user_id in invited.get(group_id, ()) if user_id in objectives)
            if len(members) < 2:
                introductions[(group_id, recipients)] = None  # someone left the workspace before it went out
                continue
            row, kind = groups[group_id]
            details = json.loads(row.details)
            group = PlannedGroup(
                members=members,
                proposer=row.proposer if row.proposer in members else members[0],  # not someone gone
                teaching=tuple(
                    (teacher, learner, tuple(labels))
                    for teacher, learner, labels in details["teaching"]
                    if teacher in members and learner in members
                ),
                reasons=tuple(details["reasons"]),
                question=details["question"],
                continuing=details.get("continuing", False),
                mentor=details.get("mentor") if details.get("mentor") in members else None,  # not someone gone
            )
            joined = tuple(user_id for user_id in details.get("joined", ()) if user_id in members)
            introductions[(group_id, recipients)] = Introduction(
                program_named(self.session, team_id, kind),
                group,
                {user_id: objectives[user_id] for user_id in members},
                joined,
                group_id,
            )
        return introductions

    def give_starter(self, team_id: str, group_id: int, key: str, recipients: tuple[str, ...], now: datetime) -> bool:
        """Record that the group was given the starter `key` and queue it to them (`recipients`,
        its members still here), once: False if the group had it already (two presses at once)."""
        row = {"group_id": group_id, "key": key, "team_id": team_id, "given_at": now}
        if not insert_ignoring_duplicates(self.session, models.RoundStarter, [row]):
            return False
        wanted = [(",".join(recipients), DeliveryKind.ROUND_STARTER, f"{DeliveryKind.ROUND_STARTER.value}:{key}")]
        queue_deliveries(self.session, team_id, About.round_group(group_id), wanted, now)
        return True

    def starters_given(self, team_id: str, group_id: int) -> set[str]:
        """The keys of the starters the group was given."""
        starter = models.RoundStarter
        return set(
            self.session.scalars(select(starter.key).where(starter.team_id == team_id, starter.group_id == group_id))
        )

    def send_thanks(
        self,
        team_id: str,
        group_id: int,
        sender_id: str,
        receivers: Iterable[str],
        note: str,
        channel: str | None,
        now: datetime,
    ) -> list[int]:
        """Record a thank-you from `sender_id` to each of `receivers` they have not thanked for
        this group yet, and queue it to them, and to `channel` when they chose to post it there
        (None: not posted). Returns the ids of those made."""
        thanks, made = models.RoundThanks, []
        for receiver in receivers:
            row = {
                "group_id": group_id,
                "team_id": team_id,
                "sender_id": sender_id,
                "receiver_id": receiver,
                "note": note,
                "shared": channel is not None,
                "sent_at": now,
            }
            if not insert_ignoring_duplicates(self.session, thanks, [row]):
                continue  # thanked already, maybe by a second click at once
            thanks_id = self.session.scalars(
                select(thanks.id).where(
                    thanks.group_id == group_id, thanks.sender_id == sender_id, thanks.receiver_id == receiver
                )
            ).one()
            wanted = [(receiver, DeliveryKind.ROUND_THANKS, f"{DeliveryKind.ROUND_THANKS.value}:{thanks_id}")]
            if channel is not None:
                post = DeliveryKind.ROUND_THANKS_POST
                wanted.append((channel, post, f"{post.value}:{thanks_id}"))
            queue_deliveries(self.session, team_id, About.round_group(group_id), wanted, now)
            made.append(thanks_id)
        return made

    def _thanks(self, where: tuple[ColumnElement[bool], ...], limit: int | None = None) -> list[Thanks]:
        thanks = models.RoundThanks
        rows = self.session.execute(
            select(thanks, models.Round.kind)
            .join(models.RoundGroup, models.RoundGroup.id == thanks.group_id)
            .join(models.Round, models.Round.id == models.RoundGroup.round_id)
            .where(*where)
            .order_by(thanks.sent_at.desc(), thanks.id.desc())
            .limit(limit)
        ).tuples()
        return [
            Thanks(
                row.id,
                row.group_id,
                program_named(self.session, row.team_id, key),
                row.sender_id,
                row.receiver_id,
                row.note,
                row.shared,
                row.sent_at,
            )
            for row, key in rows
        ]

    def thanks(self, team_id: str, thanks_id: int) -> Thanks | None:
        found = self._thanks((models.RoundThanks.team_id == team_id, models.RoundThanks.id == thanks_id))
        return found[0] if found else None

    def thanks_to(self, team_id: str, user_id: str, limit: int) -> list[Thanks]:
        """The latest thank-yous `user_id` received, newest first."""
        thanks = models.RoundThanks
        return self._thanks((thanks.team_id == team_id, thanks.receiver_id == user_id), limit)

    def pairings_of(self, team_id: str, user_id: str) -> list[Pairing]:
        """Every round group the member was in, newest first: the partners still in the
        workspace, and who teaches whom what among those left."""
        rows = list(
            self.session.execute(
                select(models.Round.kind, models.Round.held_on, models.RoundGroup.members, models.RoundGroup.details)
                .join(models.RoundGroup, models.RoundGroup.round_id == models.Round.id)
                .join(models.RoundMember, models.RoundMember.group_id == models.RoundGroup.id)
                .where(models.RoundMember.team_id == team_id, models.RoundMember.user_id == user_id)
                .order_by(models.Round.held_on.desc(), models.RoundGroup.id.desc())
            ).tuples()
        )
        here = still_here(self.session, team_id, [other for *_, members, _ in rows for other in members.split(",")])
        pairings = []
        for key, held_on, members, details in rows:
            partners = tuple(other for other in members.split(",") if other != user_id and other in here)
            with_me = {user_id, *partners}
            teaching = tuple(
                (teacher, learner, tuple(labels))
                for teacher, learner, labels in json.loads(details)["teaching"]
                if teacher in with_me and learner in with_me
            )
            pairings.append(Pairing(program_named(self.session, team_id, key), held_on, partners, teaching))
        return pairings

    def is_recorded(self, team_id: str, program: str, held_on: date) -> bool:
        return self.session.scalar(_the_round(team_id, program, held_on)) is not None

    def held_between(self, team_id: str, program: str, first: date, last: date) -> list[date]:
        """The dates of this workspace's rounds of the program held from `first` to `last`, in order."""
        return list(
            self.session.scalars(
                select(models.Round.held_on)
                .where(
                    models.Round.team_id == team_id,
                    models.Round.kind == program,
                    models.Round.held_on >= first,
                    models.Round.held_on <= last,
                )
                .order_by(models.Round.held_on)
            )
        )

    def unmatched_reason(self, team_id: str, program: str, held_on: date, user_id: str) -> Unmatched:
        """Why nobody was grouped with this member in that round: NO_FIT when it was not kept
        (rounds recorded before reasons were)."""
        stored = self.session.scalar(
            select(models.Round.unmatched).where(
                models.Round.team_id == team_id, models.Round.kind == program, models.Round.held_on == held_on
            )
        )
        reason = json.loads(stored or "{}").get(user_id)
        return Unmatched(reason) if reason in {why.value for why in Unmatched} else Unmatched.NO_FIT


def _the_round(team_id: str, program: str, held_on: date) -> Select[tuple[int]]:
    """The id of a workspace's round of the program keyed `program` held on that day: there is one at most."""
    return select(models.Round.id).where(
        models.Round.team_id == team_id, models.Round.kind == program, models.Round.held_on == held_on
    )
