"""Typed SQLAlchemy models. Every table starts with the workspace's `team_id`."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

SLACK_ID = String(32)


class Base(DeclarativeBase):
    pass


class Member(Base):
    """Someone who has set up a profile: created only by their own action."""

    __tablename__ = "members"

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    objectives: Mapped[str] = mapped_column(Text, default="")
    career_stage: Mapped[str | None] = mapped_column(String(16))
    team: Mapped[str] = mapped_column(String(80), default="")
    open_to_sponsoring: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    skills: Mapped[list["MemberSkill"]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="MemberSkill.position"
    )


class Skill(Base):
    """A workspace's vocabulary: one row per distinct skill key, with the label people see."""

    __tablename__ = "skills"
    __table_args__ = (UniqueConstraint("team_id", "key", name="uq_skills_team_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MemberSkill(Base):
    """A skill a member offers (`kind` "offer") or wants to grow ("want")."""

    __tablename__ = "member_skills"
    __table_args__ = (
        ForeignKeyConstraint(
            ["team_id", "user_id"],
            ["members.team_id", "members.user_id"],
            ondelete="CASCADE",
            name="fk_member_skills_member",
        ),
        CheckConstraint("kind IN ('offer', 'want')", name="ck_member_skills_kind"),
    )

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE", name="fk_member_skills_skill"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)

    member: Mapped[Member] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship(lazy="joined")
