"""Round membership: who is in which kind of round, paused, skipping one, never to be paired
with whom, and what life situations they declared for matching."""

from datetime import UTC, date, datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot.members.model import known_situations
from bot.rounds.model import Membership
from storage import models
from storage.members import ensure_member, taking_part, update_member
from storage.programs import ensure_programs, in_program
from storage.queries import batches, insert_ignoring_duplicates


def still_here(session: Session, team_id: str, user_ids: list[str]) -> set[str]:
    """Those of `user_ids` who still take part: members Slack can still reach (not
    deactivated), and not from another organisation nor a guest left out (see taking_part)."""
    return {
        user_id
        for batch in batches(user_ids)
        for user_id in session.scalars(
            select(models.Member.user_id).where(
                models.Member.team_id == team_id,
                models.Member.user_id.in_(batch),
                taking_part(team_id),
            )
        )
    }


def stored_situations(stored: str | None) -> frozenset[str]:
    """A member's declared situations, as stored: comma-separated, known ones only."""
    return known_situations(stored.split(",")) if stored else frozenset()


class RoundMembership:
    """Part of storage.rounds.RoundRepository: a member's side of rounds."""

    session: Session

    def _set(self, team_id: str, user_id: str, **values: object) -> None:
        update_member(self.session, team_id, user_id, **values)

    def membership(self, team_id: str, user_id: str) -> Membership:
        joined = models.ProgramMember
        programs = self.session.scalars(
            select(joined.program).where(joined.team_id == team_id, joined.user_id == user_id)
        )
        paused_until = self.session.scalar(
            select(models.Member.paused_until).where(models.Member.team_id == team_id, models.Member.user_id == user_id)
        )
        return Membership(frozenset(programs), paused_until)

    def set_opt_in(self, team_id: str, user_id: str, program: str, joined: bool) -> None:
        ensure_member(self.session, team_id, user_id)
        key = {"team_id": team_id, "program": program, "user_id": user_id}
        if joined:
            ensure_programs(self.session, team_id)
            insert_ignoring_duplicates(self.session, models.ProgramMember, [{**key, "joined_at": datetime.now(UTC)}])
        else:
            self.session.execute(delete(models.ProgramMember).filter_by(**key))

    def set_paused(self, team_id: str, user_id: str, until: date | None) -> None:
        self._set(team_id, user_id, paused_until=until)

    def leave_everything(self, team_id: str, user_id: str) -> None:
        """The member left the workspace: out of every round, and no DM waiting for them."""
        self.leave_rounds(team_id, user_id, why="member_left")
        self.session.execute(
            update(models.Member)
            .where(models.Member.team_id == team_id, models.Member.user_id == user_id)
            .values(deactivated=True)
            .execution_options(synchronize_session=False)
        )

    def leave_rounds(self, team_id: str, user_id: str, why: str = "not_taking_part") -> None:
        """Out of every round, and no DM waiting for them (cancelled, `why`); still reachable."""
        joined = models.ProgramMember
        self.session.execute(delete(joined).where(joined.team_id == team_id, joined.user_id == user_id))
        self.session.execute(
            update(models.Delivery)
            .where(
                models.Delivery.team_id == team_id,
                models.Delivery.recipient == user_id,
                models.Delivery.status == "pending",
            )
            .values(status="cancelled", error=why)
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
        return stored_situations(stored)

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

    def set_skip(self, team_id: str, program: str, held_on: date, user_id: str, skipped: bool) -> None:
        key = {"team_id": team_id, "kind": program, "held_on": held_on, "user_id": user_id}
        if skipped:
            insert_ignoring_duplicates(self.session, models.RoundSkip, [key])
        else:
            self.session.execute(delete(models.RoundSkip).filter_by(**key))

    def skips_of(self, team_id: str, user_id: str, since: date) -> set[tuple[str, date]]:
        """The rounds (program key, date), on `since` or later, the member said they will skip."""
        rows = self.session.execute(
            select(models.RoundSkip.kind, models.RoundSkip.held_on).where(
                models.RoundSkip.team_id == team_id,
                models.RoundSkip.user_id == user_id,
                models.RoundSkip.held_on >= since,
            )
        )
        return {(program, held_on) for program, held_on in rows}

    def unchecked(self, team_id: str, program: str, today: date, checked_before: datetime, limit: int) -> list[str]:
        """Up to `limit` members who would be in a round of the program keyed `program` on `today`, whose status
        Slack was last asked about (users.info) before `checked_before` or never, or whose
        standing is not known yet: those first, then the least recently asked."""
        member = models.Member
        return list(
            self.session.scalars(
                select(member.user_id)
                .where(
                    member.team_id == team_id,
                    in_program(program),
                    member.deactivated.is_(False),
                    or_(member.paused_until.is_(None), member.paused_until < today),
                    or_(
                        member.timezone_checked_at.is_(None),
                        member.timezone_checked_at < checked_before,
                        member.standing.is_(None),  # a row from before standings were kept
                    ),
                )
                .order_by(
                    member.standing.is_not(None),
                    member.timezone_checked_at.is_not(None),
                    member.timezone_checked_at,
                    member.user_id,
                )
                .limit(limit)
            )
        )

    def teams_in(self, program: str | None = None) -> list[str]:
        """Workspaces with at least one member in a program keyed `program` (None: in any)."""
        joined = models.ProgramMember
        query = select(joined.team_id).distinct()
        if program is not None:
            query = query.where(joined.program == program)
        return list(self.session.scalars(query))
