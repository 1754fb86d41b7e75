"""Members: the member row every feature hangs off, their profile and skills, and the
workspace's skill vocabulary. Repositories read and write domain objects and never commit:
the caller owns the transaction."""

from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, func, or_, select, update
from sqlalchemy.orm import Session

from bot.deliveries import DeliveryKind
from bot.members.model import DEFAULT_CAPACITY, CareerStage, Profile, Skill, SkillKind, Standing
from storage import models
from storage.outbox import About, queue_to_each
from storage.queries import insert_ignoring_duplicates, rowcount


def ensure_member(session: Session, team_id: str, user_id: str) -> None:
    """Create the member's row if there is none yet (their own action brought them here)."""
    insert_ignoring_duplicates(
        session, models.Member, [{"team_id": team_id, "user_id": user_id, "capacity": DEFAULT_CAPACITY}]
    )


def update_member(session: Session, team_id: str, user_id: str, **values) -> None:
    """Set `values` on the member's row, creating it first."""
    ensure_member(session, team_id, user_id)
    session.execute(
        update(models.Member)
        .where(models.Member.team_id == team_id, models.Member.user_id == user_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def taking_part(team_id: str) -> ColumnElement[bool]:
    """Members of `team_id` who may be asked or paired: still in Slack, and neither from another
    organisation nor a guest while the workspace's program leaves guests out (as last recorded;
    a member not yet checked since their row was made takes part)."""
    member = models.Member
    guests_included = (
        select(models.Workspace.guests_included).where(models.Workspace.team_id == team_id).scalar_subquery()
    )
    return and_(
        member.deactivated.is_(False),
        or_(
            member.standing.is_(None),
            member.standing == Standing.MEMBER.value,
            and_(member.standing == Standing.GUEST.value, func.coalesce(guests_included, false())),
        ),
    )


class ProfileRepository:
    def __init__(self, session: Session):
        self.session = session

    def queue_welcome(self, team_id: str, user_id: str, now: datetime) -> bool:
        """Queue the welcome DM for someone new to the workspace: once ever, and nothing else
        (they are enrolled in nothing). False if it was queued before."""
        return queue_to_each(self.session, team_id, About.welcome(user_id), DeliveryKind.WELCOME, [user_id], now) == 1

    def get(self, team_id: str, user_id: str) -> Profile | None:
        member = self.session.get(models.Member, (team_id, user_id))
        return _to_profile(member) if member is not None else None

    def add_skills(self, team_id: str, user_id: str, kind: SkillKind, skills: list[Skill]) -> list[Skill]:
        member = self._member(team_id, user_id)
        vocabulary = vocabulary_rows(self.session, team_id, skills)
        present = {(link.kind, link.skill_id) for link in member.skills}
        position = max((link.position for link in member.skills), default=-1)
        added = []
        for skill in skills:
            row = vocabulary[skill.key]
            if (kind.value, row.id) in present:
                continue
            position += 1
            member.skills.append(models.MemberSkill(kind=kind.value, skill=row, position=position))
            added.append(Skill(key=row.key, label=row.label))
        self.session.flush()
        return added

    def save(self, profile: Profile) -> Profile:
        member = self._member(profile.team_id, profile.user_id)
        member.objectives = profile.objectives
        member.career_stage = profile.career_stage.value if profile.career_stage else None
        member.team = profile.team
        member.open_to_sponsoring = profile.open_to_sponsoring
        member.capacity = profile.capacity

        vocabulary = vocabulary_rows(self.session, profile.team_id, [*profile.offers, *profile.wants])
        existing = {(link.kind, link.skill_id): link for link in member.skills}
        links: list[models.MemberSkill] = []
        for kind, skills in ((SkillKind.OFFER, profile.offers), (SkillKind.WANT, profile.wants)):
            for skill in skills:
                row = vocabulary[skill.key]
                # Reuse the row that is already there, so that keeping a skill is an
                # UPDATE of its position rather than a DELETE and an INSERT of one key.
                link = existing.get((kind.value, row.id)) or models.MemberSkill(kind=kind.value, skill=row)
                link.position = len(links)
                links.append(link)
        member.skills = links
        self.session.flush()
        return _to_profile(member)

    def timezone(self, team_id: str, user_id: str) -> tuple[int | None, datetime | None]:
        """The member's cached UTC offset in seconds, and when it was last read from Slack."""
        member = self.session.get(models.Member, (team_id, user_id))
        return (member.utc_offset_seconds, member.timezone_checked_at) if member is not None else (None, None)

    def record_slack_profile(
        self,
        team_id: str,
        user_id: str,
        utc_offset_seconds: int | None,
        tz_name: str | None,
        deactivated: bool,
        now: datetime,
    ) -> None:
        """Cache what users.info said; the member row exists once they have used Mentor."""
        member = self._member(team_id, user_id)
        member.utc_offset_seconds = utc_offset_seconds
        member.tz_name = tz_name[:64] if tz_name else None
        member.deactivated = deactivated
        member.timezone_checked_at = now
        self.session.flush()

    def deactivated(self, team_id: str, user_id: str) -> bool:
        """Whether Mentor knows the member is gone from Slack (False without a row)."""
        return bool(
            self.session.scalar(
                select(models.Member.deactivated).where(
                    models.Member.team_id == team_id, models.Member.user_id == user_id
                )
            )
        )

    def standing(self, team_id: str, user_id: str) -> Standing | None:
        stored = self.session.scalar(
            select(models.Member.standing).where(models.Member.team_id == team_id, models.Member.user_id == user_id)
        )
        return Standing(stored) if stored else None

    def record_standing(self, team_id: str, user_id: str, standing: Standing) -> bool:
        changed = rowcount(
            self.session,
            update(models.Member)
            .where(models.Member.team_id == team_id, models.Member.user_id == user_id)
            .values(standing=standing.value)
            .execution_options(synchronize_session=False),
        )
        return changed == 1

    def claim_give_first_reminder(self, team_id: str, user_id: str) -> bool:
        """True the first time only: the give-first reminder is shown once per member."""
        claimed = rowcount(
            self.session,
            update(models.Member)
            .where(
                models.Member.team_id == team_id,
                models.Member.user_id == user_id,
                models.Member.give_first_reminded.is_(False),
            )
            .values(give_first_reminded=True)
            .execution_options(synchronize_session=False),
        )
        return claimed == 1

    def _member(self, team_id: str, user_id: str) -> models.Member:
        member = self.session.get(models.Member, (team_id, user_id))
        if member is None:
            ensure_member(self.session, team_id, user_id)
            member = self.session.get_one(models.Member, (team_id, user_id))
        return member


def vocabulary_rows(session: Session, team_id: str, skills: list[Skill]) -> dict[str, models.Skill]:
    """The workspace's rows for these skills, adding the missing ones; an existing
    label wins over the one just typed."""
    wanted = {skill.key: skill for skill in skills}
    if not wanted:
        return {}
    insert_ignoring_duplicates(
        session,
        models.Skill,
        [{"team_id": team_id, "key": skill.key, "label": skill.label} for skill in wanted.values()],
    )
    rows = session.scalars(select(models.Skill).where(models.Skill.team_id == team_id, models.Skill.key.in_(wanted)))
    return {row.key: row for row in rows}


def _to_profile(member: models.Member) -> Profile:
    def skills(kind: SkillKind) -> tuple[Skill, ...]:
        return tuple(
            Skill(key=link.skill.key, label=link.skill.label) for link in member.skills if link.kind == kind.value
        )

    return Profile(
        team_id=member.team_id,
        user_id=member.user_id,
        offers=skills(SkillKind.OFFER),
        wants=skills(SkillKind.WANT),
        objectives=member.objectives,
        career_stage=CareerStage(member.career_stage) if member.career_stage else None,
        team=member.team,
        open_to_sponsoring=member.open_to_sponsoring,
        capacity=member.capacity,
    )
