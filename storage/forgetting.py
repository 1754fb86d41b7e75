"""Forgetting a member, in one transaction: delete what is theirs, blank what they wrote, and
put a tombstone in their place wherever a record is also someone else's or counts in the
program's figures."""

import json

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.followups.model import FollowUpStatus
from bot.members.model import Forgotten
from storage import evidence, models
from storage.command_jobs import CommandJobRepository
from storage.queries import rowcount

_OPEN_FOLLOWUPS = [status.value for status in FollowUpStatus if status.open]


class ForgetRepository:
    def __init__(self, session: Session):
        self.session = session

    def _set(self, model: type[models.Base], where: tuple[ColumnElement[bool], ...], **values: object) -> int:
        return rowcount(
            self.session, update(model).where(*where).values(**values).execution_options(synchronize_session=False)
        )

    def forget(self, team_id: str, user_id: str, tombstone: str) -> Forgotten:
        """Everything about `user_id` in this workspace, gone or anonymous. Their open asks
        are withdrawn first (bot.members.services.forget_member), so candidates' DMs can be closed."""
        member = self.session.get(models.Member, (team_id, user_id))
        skills = len(member.skills) if member is not None else 0
        if member is not None:
            self.session.delete(member)  # and their skills, by cascade
        never = models.NeverPair
        self.session.execute(
            delete(never).where(never.team_id == team_id, or_(never.user_id == user_id, never.other_id == user_id))
        )
        self.session.execute(
            delete(models.RoundSkip).where(models.RoundSkip.team_id == team_id, models.RoundSkip.user_id == user_id)
        )
        for model in (models.ProgramMember, models.MemberCategory):
            self.session.execute(delete(model).where(model.team_id == team_id, model.user_id == user_id))
        # Thank-yous they sent or received: private to the two, so they go (one still queued,
        # to the other or the channel, finds none and is not sent).
        thanks = models.RoundThanks
        self.session.execute(
            delete(thanks).where(
                thanks.team_id == team_id, or_(thanks.sender_id == user_id, thanks.receiver_id == user_id)
            )
        )
        self.session.execute(
            delete(models.AskCandidate).where(
                models.AskCandidate.team_id == team_id, models.AskCandidate.user_id == user_id
            )
        )

        # Their commands not done yet hold what they typed: they are not done now.
        CommandJobRepository(self.session).forget(team_id, user_id)

        # What their confirmed asks taught the workspace's routing goes with their questions.
        evidence.forget_asker(self.session, team_id, user_id)
        ask, followup = models.Ask, models.FollowUp
        asks = self._set(ask, (ask.team_id == team_id, ask.asker_id == user_id), question="", asker_id=tombstone)
        self._set(ask, (ask.team_id == team_id, ask.mentor_id == user_id), mentor_id=tombstone)
        mine = (followup.team_id == team_id, or_(followup.mentee_id == user_id, followup.mentor_id == user_id))
        followup_ids = list(self.session.scalars(select(followup.id).where(*mine)))
        notes = (
            self.session.scalar(
                select(func.count()).where(
                    followup.team_id == team_id,
                    or_(
                        (followup.mentee_id == user_id) & (followup.note != ""),
                        (followup.mentor_id == user_id) & (followup.mentor_reply != ""),
                    ),
                )
            )
            or 0
        )
        stopped = self._set(
            followup, (*mine, followup.status.in_(_OPEN_FOLLOWUPS)), status=FollowUpStatus.CANCELLED.value, due_at=None
        )
        self._set(followup, (followup.team_id == team_id, followup.mentee_id == user_id), note="", mentee_id=tombstone)
        self._set(
            followup, (followup.team_id == team_id, followup.mentor_id == user_id), mentor_reply="", mentor_id=tombstone
        )

        # What they wrote to their mentor or mentee in a follow-up's threads goes too.
        notes += rowcount(
            self.session,
            delete(models.FollowUpMessage).where(
                models.FollowUpMessage.team_id == team_id, models.FollowUpMessage.author_id == user_id
            ),
        )
        deliveries = self._forget_deliveries(team_id, user_id, tombstone, followup_ids)
        rounds = self._forget_rounds(team_id, user_id, tombstone)
        learning = models.ReverseLearning
        self._set(learning, (learning.team_id == team_id, learning.user_id == user_id), user_id=tombstone)
        return Forgotten(
            profile=member is not None,
            skills=skills,
            asks=asks,
            notes=notes,
            followups=stopped,
            deliveries=deliveries,
            rounds=rounds,
        )

    def forget_workspace(self, team_id: str) -> int:
        """Every row of the workspace, in every table of ours (the app was uninstalled or its
        token revoked). Children first, so foreign keys hold on any database. Returns rows deleted."""
        deleted = 0
        for table in reversed(models.Base.metadata.sorted_tables):
            deleted += rowcount(self.session, delete(table).where(table.c.team_id == team_id))
        return deleted

    def _forget_deliveries(self, team_id: str, user_id: str, tombstone: str, followup_ids: list[int]) -> int:
        """Cancel every DM still to go to them or about their follow-ups; their id leaves the
        outbox's recipients too. Returns how many were cancelled."""
        delivery = models.Delivery
        pending = delivery.status.in_(("pending", "sending"))
        cancelled = self._set(
            delivery,
            (
                delivery.team_id == team_id,
                pending,
                or_(delivery.recipient == user_id, delivery.followup_id.in_(followup_ids)),
            ),
            status="cancelled",
            error="forgotten",
        )
        # Group DMs' recipients ("U1,U2"): a pending introduction goes to the others, if two remain.
        for row in self.session.scalars(
            select(delivery).where(delivery.team_id == team_id, delivery.recipient.contains(user_id))
        ):
            row.recipient = ",".join(tombstone if part == user_id else part for part in row.recipient.split(","))
        self.session.flush()
        return cancelled

    def _forget_rounds(self, team_id: str, user_id: str, tombstone: str) -> int:
        group_ids = list(
            self.session.scalars(
                select(models.RoundMember.group_id).where(
                    models.RoundMember.team_id == team_id, models.RoundMember.user_id == user_id
                )
            )
        )
        self._set(
            models.RoundMember,
            (models.RoundMember.team_id == team_id, models.RoundMember.user_id == user_id),
            user_id=tombstone,
        )
        for group in self.session.scalars(select(models.RoundGroup).where(models.RoundGroup.id.in_(group_ids))):
            swap = {user_id: tombstone}
            group.members = ",".join(swap.get(part, part) for part in group.members.split(","))
            group.proposer = swap.get(group.proposer, group.proposer)
            if group.answered_by == user_id:
                group.answered_by = tombstone
            details = json.loads(group.details)
            details["teaching"] = [
                [swap.get(teacher, teacher), swap.get(learner, learner), labels]
                for teacher, learner, labels in details["teaching"]
            ]
            if "mentor" in details:
                details["mentor"] = swap.get(details["mentor"], details["mentor"])
            group.details = json.dumps(details)
        # Why they had nobody in a round (their own never-list, perhaps) was for them alone.
        for round_row in self.session.scalars(
            select(models.Round).where(models.Round.team_id == team_id, models.Round.unmatched.contains(user_id))
        ):
            reasons = json.loads(round_row.unmatched)
            reasons.pop(user_id, None)
            round_row.unmatched = json.dumps(reasons)
        self.session.flush()
        return len(group_ids)
