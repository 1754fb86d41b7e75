"""After the introductions: "Did you meet?" to each coffee group halfway to the next round,
"What did you learn?" to each side of a reverse pair at month end, their answers, and
pausing members who leave introduction after introduction unanswered."""

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import not_, select, update
from sqlalchemy.orm import Session

from bot.deliveries import DeliveryKind
from bot.rounds.model import PAUSED_UNTIL_RESUMED, CheckinOutcome, Learned, RoundKind
from storage import models
from storage.members import taking_part
from storage.outbox import About, queue_to_each
from storage.programs import in_program, program_named

RECENT_ROUNDS_FOR_QUIET = 12


class RoundCheckins:
    """Part of storage.rounds.RoundRepository: what follows a round's introductions."""

    session: Session

    def _groups_recorded(self, team_id: str, program: str, after: datetime, up_to: datetime) -> list[tuple[int, str]]:
        """(id, members joined by commas) of the groups of the rounds of the program keyed
        `program` recorded in (after, up_to]:
        their introductions went out then, whatever date the round was held on."""
        rows = self.session.execute(
            select(models.RoundGroup.id, models.RoundGroup.members)
            .join(models.Round, models.Round.id == models.RoundGroup.round_id)
            .where(
                models.Round.team_id == team_id,
                models.Round.kind == program,
                models.Round.created_at > after,
                models.Round.created_at <= up_to,
            )
        )
        return list(rows.tuples())

    def queue_checkins(self, team_id: str, program: str, after: datetime, up_to: datetime, now: datetime) -> int:
        """ "Did you meet?" in each group DM of the program's rounds recorded in (after, up_to], once."""
        groups = self._groups_recorded(team_id, program, after, up_to)
        checkin = DeliveryKind.ROUND_CHECKIN
        return sum(
            queue_to_each(self.session, team_id, About.round_group(group_id), checkin, [members], now)
            for group_id, members in groups
        )

    def queue_month_end(self, team_id: str, program: str, after: datetime, up_to: datetime, now: datetime) -> int:
        """ "What did you learn?" to each member of the pairs of the program's (reverse
        mentoring) rounds recorded in (after, up_to], once."""
        groups = self._groups_recorded(team_id, program, after, up_to)
        learned = DeliveryKind.ROUND_LEARNED
        return sum(
            queue_to_each(self.session, team_id, About.round_group(group_id), learned, members.split(","), now)
            for group_id, members in groups
        )

    def _group_with(self, team_id: str, group_id: int, user_id: str) -> models.RoundGroup | None:
        """The group, if this member is in it: ids from Slack are untrusted."""
        row = self.session.get(models.RoundGroup, group_id)
        if row is None or row.team_id != team_id or user_id not in row.members.split(","):
            return None
        return row

    def answer_learned(self, team_id: str, group_id: int, user_id: str, learned: Learned, now: datetime) -> bool:
        """Record (or change) what this member learned, keeping any choice to keep their
        partner; False if they are not in the pair."""
        if self._group_with(team_id, group_id, user_id) is None:
            return False
        row = self.session.get(models.ReverseLearning, (group_id, user_id))
        if row is None:
            row = models.ReverseLearning(group_id=group_id, user_id=user_id, team_id=team_id, keep_partner=False)
            self.session.add(row)
        row.learned, row.answered_at = learned.value, now
        self.session.flush()
        return True

    def learned(self, team_id: str, group_id: int, user_id: str) -> Learned | None:
        """What this member said they learned in that pair; None before they answered."""
        row = self.session.get(models.ReverseLearning, (group_id, user_id))
        return Learned(row.learned) if row is not None and row.team_id == team_id else None

    def partner_to_keep(self, team_id: str, group_id: int, user_id: str) -> str | None:
        """The other side of this member's reverse pair, while keeping them is still ahead: the
        pair is of its program's latest round. None otherwise, or if not their pair."""
        row = self._group_with(team_id, group_id, user_id)
        if row is None or program_named(self.session, team_id, row.round.kind).kind is not RoundKind.REVERSE:
            return None
        later = self.session.scalar(
            select(models.Round.id).where(
                models.Round.team_id == team_id,
                models.Round.kind == row.round.kind,
                models.Round.held_on > row.round.held_on,
            )
        )
        others = [member for member in row.members.split(",") if member != user_id]
        return others[0] if later is None and len(others) == 1 else None

    def set_keep(self, team_id: str, group_id: int, user_id: str, keep: bool) -> bool:
        """Whether this member would keep their partner for the next round; False if they have
        not answered the month-end question for that pair."""
        row = self.session.get(models.ReverseLearning, (group_id, user_id))
        if row is None or row.team_id != team_id:
            return False
        row.keep_partner = keep
        self.session.flush()
        return True

    def kept_pairs(self, team_id: str, program: str, before: date) -> list[tuple[str, ...]]:
        """The pairs of the program's latest round held before `before` whose two sides both
        chose to keep each other: the next round alone keeps them, and they may choose again."""
        latest = self.session.scalar(
            select(models.Round.id)
            .where(
                models.Round.team_id == team_id,
                models.Round.kind == program,
                models.Round.held_on < before,
            )
            .order_by(models.Round.held_on.desc())
            .limit(1)
        )
        if latest is None:
            return []
        keeping: dict[int, set[str]] = defaultdict(set)
        for group_id, user_id in self.session.execute(
            select(models.ReverseLearning.group_id, models.ReverseLearning.user_id)
            .join(models.RoundGroup, models.RoundGroup.id == models.ReverseLearning.group_id)
            .where(models.RoundGroup.round_id == latest, models.ReverseLearning.keep_partner.is_(True))
        ):
            keeping[group_id].add(user_id)
        pairs = self.session.execute(
            select(models.RoundGroup.id, models.RoundGroup.members).where(models.RoundGroup.id.in_(keeping))
        )
        return sorted(
            tuple(members.split(","))
            for group_id, members in pairs
            if len(members.split(",")) == 2 and set(members.split(",")) == keeping[group_id]
        )

    def answer_checkin(self, team_id: str, group_id: int, user_id: str, outcome: CheckinOutcome, now: datetime) -> bool:
        """Record the group's answer; False if this member is not in the group."""
        row = self._group_with(team_id, group_id, user_id)
        if row is None:
            return False
        row.outcome, row.answered_by, row.answered_at = outcome.value, user_id, now
        self.session.flush()
        return True

    def quiet_members(self, team_id: str, program: str, before: date, count: int) -> list[str]:
        """Members of the program whose last `count` groups of it before `before` (since Mentor
        last paused them for this) were all asked "Did you meet?" and nobody in them answered."""
        held = dict(
            self.session.execute(
                select(models.Round.id, models.Round.held_on)
                .where(
                    models.Round.team_id == team_id,
                    models.Round.kind == program,
                    models.Round.held_on < before,
                )
                .order_by(models.Round.held_on.desc())
                .limit(RECENT_ROUNDS_FOR_QUIET)
            )
            .tuples()
            .all()
        )
        if not held:
            return []
        asked = set(
            self.session.scalars(
                select(models.Delivery.group_id).where(
                    models.Delivery.team_id == team_id,
                    models.Delivery.kind == DeliveryKind.ROUND_CHECKIN.value,
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
                    models.Member.team_id == team_id, in_program(program)
                )
            )
            .tuples()
            .all()
        )
        silent: dict[str, list[tuple[date, bool]]] = defaultdict(list)
        for group_id, round_id, members, outcome in groups:
            if group_id not in asked:
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

    def pause_quiet(self, team_id: str, program: str, user_ids: list[str], held_on: date, now: datetime) -> None:
        """Pause them until they resume, and tell each one, kindly, once."""
        if not user_ids:
            return
        self.session.execute(
            update(models.Member)
            .where(models.Member.team_id == team_id, models.Member.user_id.in_(user_ids))
            .values(paused_until=PAUSED_UNTIL_RESUMED, quiet_paused_on=held_on)
            .execution_options(synchronize_session=False)
        )
        about = About.round_quiet(program, held_on)
        queue_to_each(self.session, team_id, about, DeliveryKind.ROUND_QUIET, user_ids, now)

    def checkin_answer(self, team_id: str, group_id: int) -> tuple[tuple[str, ...], str | None, str | None] | None:
        """(members, outcome, answered by) of a group, for its check-in message: its members
        but those who no longer take part (Slack cannot reach them, or they became guests while
        guests are out: taking_part), as its introduction leaves them out."""
        row = self.session.get(models.RoundGroup, group_id)
        if row is None or row.team_id != team_id:
            return None
        members = row.members.split(",")
        out = set(
            self.session.scalars(
                select(models.Member.user_id).where(
                    models.Member.team_id == team_id,
                    models.Member.user_id.in_(members),
                    not_(taking_part(team_id)),
                )
            )
        )
        return tuple(user_id for user_id in members if user_id not in out), row.outcome, row.answered_by
