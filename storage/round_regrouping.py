"""When a member of a round's group can no longer be reached on Slack: the groups of theirs
as they now stand, moving a member they left alone into another group of the round, and
the word to that member (bot.rounds.services.regroup_without decides)."""

import json
from datetime import date, datetime

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from bot.deliveries import DeliveryKind
from bot.members.model import is_forgotten
from bot.rounds.model import HeldGroup, PartnerGone
from storage import models
from storage.outbox import About, queue_to_each
from storage.programs import program_named
from storage.round_membership import still_here


class RoundRegrouping:
    """Part of storage.rounds.RoundRepository: regrouping after someone is gone."""

    session: Session

    def groups_of(self, team_id: str, user_id: str, held_since: date) -> list[HeldGroup]:
        """The member's groups in rounds held on `held_since` or later."""
        return self._held(
            team_id,
            select(models.RoundGroup)
            .join(models.RoundMember, models.RoundMember.group_id == models.RoundGroup.id)
            .join(models.Round, models.Round.id == models.RoundGroup.round_id)
            .where(
                models.RoundMember.team_id == team_id,
                models.RoundMember.user_id == user_id,
                models.Round.held_on >= held_since,
            ),
        )

    def groups_of_round(self, team_id: str, round_id: int) -> list[HeldGroup]:
        """The round's groups as they now stand. Locks the round until the transaction ends:
        two departures handled at once (PostgreSQL) regroup its members one after the other,
        each seeing the other's move (SQLite's transactions already take turns)."""
        self.session.execute(select(models.Round.id).where(models.Round.id == round_id).with_for_update())
        return self._held(
            team_id,
            select(models.RoundGroup).where(
                models.RoundGroup.team_id == team_id, models.RoundGroup.round_id == round_id
            ),
        )

    def _held(self, team_id: str, query: Select[tuple[models.RoundGroup]]) -> list[HeldGroup]:
        rows = list(self.session.scalars(query.order_by(models.RoundGroup.id)).unique())
        here = still_here(self.session, team_id, [user_id for row in rows for user_id in row.members.split(",")])
        return [
            HeldGroup(
                id=row.id,
                round_id=row.round_id,
                program=program_named(self.session, team_id, row.round.kind),
                held_on=row.round.held_on,
                members=tuple(user_id for user_id in row.members.split(",") if user_id in here),
            )
            for row in rows
        ]

    def join_group(
        self,
        team_id: str,
        group_id: int,
        user_id: str,
        left_group_id: int,
        teaching: tuple[tuple[str, str, tuple[str, ...]], ...],
        reasons: tuple[str, ...],
        now: datetime,
    ) -> None:
        left = self.session.get_one(models.RoundGroup, left_group_id)
        left.members = ",".join(member for member in left.members.split(",") if member != user_id)
        self.session.execute(
            delete(models.RoundMember).where(
                models.RoundMember.group_id == left_group_id, models.RoundMember.user_id == user_id
            )
        )
        group = self.session.get_one(models.RoundGroup, group_id)
        group.members = f"{group.members},{user_id}"
        details = json.loads(group.details)
        details.update(teaching=teaching, reasons=reasons, joined=[*details.get("joined", ()), user_id])
        group.details = json.dumps(details)
        self.session.add(models.RoundMember(group_id=group_id, user_id=user_id, team_id=team_id))
        self.session.flush()
        # The pair's introduction, if it has not gone yet, goes as the trio's instead; one
        # already out (or on its way) is followed by the trio's, in a group DM of the three.
        intro = DeliveryKind.ROUND_INTRODUCTION
        self.session.execute(
            update(models.Delivery)
            .where(
                models.Delivery.group_id == group_id,
                models.Delivery.kind == intro.value,
                models.Delivery.status == "pending",
            )
            .values(status="cancelled", error="regrouped")
            .execution_options(synchronize_session=False)
        )
        queue_to_each(self.session, team_id, About.round_group(group_id), intro, [group.members], now)

    def queue_partner_gone(self, team_id: str, group_id: int, user_id: str, now: datetime) -> None:
        """Tell the member left alone in the group, once, who can no longer be reached."""
        gone = DeliveryKind.ROUND_PARTNER_GONE
        queue_to_each(self.session, team_id, About.round_partner_gone(group_id), gone, [user_id], now)

    def partner_gone(self, team_id: str, group_id: int, user_id: str) -> PartnerGone | None:
        """What the member left alone in the group is told, as things stand: None if everyone
        else in it can be reached again."""
        row = self.session.get(models.RoundGroup, group_id)
        if row is None or row.team_id != team_id:
            return None
        others = [member for member in row.members.split(",") if member != user_id]
        here = still_here(self.session, team_id, others)
        gone = tuple(member for member in others if member not in here and not is_forgotten(member))
        if not gone:
            return None
        joined = self.session.scalar(
            select(models.RoundGroup.members)
            .join(models.RoundMember, models.RoundMember.group_id == models.RoundGroup.id)
            .where(
                models.RoundGroup.round_id == row.round_id,
                models.RoundGroup.id != group_id,
                models.RoundMember.user_id == user_id,
            )
        )
        with_them = tuple(member for member in (joined or "").split(",") if member and member != user_id)
        return PartnerGone(program_named(self.session, team_id, row.round.kind), gone, with_them)
