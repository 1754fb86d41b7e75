"""Typed SQLAlchemy models. Every table starts with the workspace's `team_id`."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UtcDateTime

SLACK_ID = String(32)


class Base(DeclarativeBase):
    pass


class Member(Base):
    """Someone who has set up a profile: created only by their own action."""

    __tablename__ = "members"
    __table_args__ = (
        # What ranking reads of each member who offers a skill, so it never touches the table.
        Index(
            "ix_members_ranking",
            "team_id",
            "user_id",
            "capacity",
            "utc_offset_seconds",
            "paused_until",
            "deactivated",
            "last_asked_at",
            "standing",
        ),
    )

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    objectives: Mapped[str] = mapped_column(Text, default="")
    career_stage: Mapped[str | None] = mapped_column(String(16))
    team: Mapped[str] = mapped_column(String(80), default="")
    open_to_sponsoring: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity: Mapped[int] = mapped_column(Integer)
    # From users.info, refreshed when stale: for overlapping working hours.
    utc_offset_seconds: Mapped[int | None] = mapped_column(Integer)
    # When users.info was last read for them: their time zone and whether Slack still has
    # them (`deactivated`); before a round, candidates not read lately are checked again.
    timezone_checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    paused_until: Mapped[date | None] = mapped_column(Date)
    # When an ask was last sent to them: members not asked lately need no counting when ranking.
    last_asked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    deactivated: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who they are to the workspace as Slack last said (bot.members.model.Standing): member,
    # guest or outsider; None until Mentor has heard from Slack since the row was made.
    standing: Mapped[str | None] = mapped_column(String(16))
    # The IANA zone from users.info, for working hours across daylight saving.
    tz_name: Mapped[str | None] = mapped_column(String(64))
    followups_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Life situations the member chose to declare (bot/members/model.py), comma-separated:
    # for rounds' matching only, never shown to anyone else.
    situations: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # When Mentor last paused them for leaving introductions unanswered: only groups after
    # it count towards the next such pause.
    quiet_paused_on: Mapped[date | None] = mapped_column(Date)
    give_first_reminded: Mapped[bool] = mapped_column(Boolean, default=False)
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
        # Who offers a skill; covering, so the lookup never touches the table.
        Index("ix_member_skills_skill", "team_id", "kind", "skill_id", "user_id"),
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


class Ask(Base):
    """A question and where it stands; `question` is seen only by the asker and the people asked."""

    __tablename__ = "asks"
    __table_args__ = (
        Index("ix_asks_asker", "team_id", "asker_id", "status"),
        Index("ix_asks_mentor", "team_id", "mentor_id", "status"),
        Index("ix_asks_deadline", "status", "deadline_at"),
        # The waiting line of each workspace, oldest first (AskRepository.queued).
        Index("ix_asks_queue", "team_id", "status", "created_at", "id"),
        # Program figures, by period; covering, so they never read the table.
        Index("ix_asks_created", "team_id", "created_at", "status", "asker_id", "mentor_id", "matched_at"),
        Index("ix_asks_retry_of", "retry_of", unique=True),  # an unanswered ask is tried again once
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    asker_id: Mapped[str] = mapped_column(SLACK_ID)
    question: Mapped[str] = mapped_column(Text)
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id", ondelete="SET NULL", name="fk_asks_skill"))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deadline_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    widened: Mapped[bool] = mapped_column(Boolean, default=False)
    mentor_id: Mapped[str | None] = mapped_column(SLACK_ID)
    matched_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    group_channel: Mapped[str | None] = mapped_column(SLACK_ID)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Posted in the program channel for anyone to pick up (the asker's choice, issue 20):
    # the channel, whether without the asker's name, and the message's ts once posted.
    post_channel: Mapped[str | None] = mapped_column(SLACK_ID)
    post_anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    post_ts: Mapped[str | None] = mapped_column(String(32))
    # The ask that closed unanswered and this one tries again: at most one try per ask.
    retry_of: Mapped[int | None] = mapped_column(Integer)

    skill: Mapped[Skill | None] = relationship(lazy="joined")


class AskCandidate(Base):
    """A member asked whether they can help, and the DM that asked them."""

    __tablename__ = "ask_candidates"
    __table_args__ = (Index("ix_ask_candidates_member", "team_id", "user_id", "notified_at"),)

    ask_id: Mapped[int] = mapped_column(
        ForeignKey("asks.id", ondelete="CASCADE", name="fk_ask_candidates_ask"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    notified_at: Mapped[datetime] = mapped_column(UtcDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    channel: Mapped[str | None] = mapped_column(SLACK_ID)
    message_ts: Mapped[str | None] = mapped_column(String(32))


class SkillEvidence(Base):
    """What a workspace learned from its confirmed asks (bot.asks.evidence): for a skill, in
    how many of them a word appeared. Totals live in rows under words no question can produce
    and under no skill (storage.evidence). Keyed by word first: a question's suggestions read
    its words' rows in one range probe per word."""

    __tablename__ = "skill_evidence"

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    word: Mapped[str] = mapped_column(String(64), primary_key=True)
    skill_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class AskEvidence(Base):
    """The words one confirmed ask counted as evidence for its skill (space-separated): what
    forgetting its asker takes back out of skill_evidence, exactly."""

    __tablename__ = "ask_evidence"
    __table_args__ = (Index("ix_ask_evidence_asker", "team_id", "asker_id"),)

    ask_id: Mapped[int] = mapped_column(
        ForeignKey("asks.id", ondelete="CASCADE", name="fk_ask_evidence_ask"), primary_key=True
    )
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    asker_id: Mapped[str] = mapped_column(SLACK_ID)
    skill_key: Mapped[str] = mapped_column(String(64))
    words: Mapped[str] = mapped_column(Text)


class Workspace(Base):
    """A workspace's program settings; a workspace without a row uses the defaults."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    followup_days: Mapped[int] = mapped_column(Integer, default=7)
    # Rounds of every program at an hour of the workspace's time zone (IANA name; None: UTC);
    # each program's own cadence is in `programs`.
    round_hour: Mapped[int] = mapped_column(Integer, default=10)
    time_zone: Mapped[str | None] = mapped_column(String(64))
    # How long an ask waits for "I can help" before it widens, then closes.
    ask_timeout_hours: Mapped[int] = mapped_column(Integer, default=48)
    # Where Mentor announces each round's figures (no names); None: nowhere.
    program_channel: Mapped[str | None] = mapped_column(SLACK_ID)
    # Whether guests (multi- and single-channel) may take part; members only by default.
    guests_included: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class FollowUp(Base):
    """Closing the loop on one accepted ask; `note` and `mentor_reply` are seen by the pair only."""

    __tablename__ = "followups"
    __table_args__ = (
        UniqueConstraint("ask_id", name="uq_followups_ask"),
        Index("ix_followups_due", "due_at"),
        Index("ix_followups_mentee", "team_id", "mentee_id", "status"),
        Index("ix_followups_mentor", "team_id", "mentor_id"),
        # Program figures, by period; covering, so they never read the table.
        Index("ix_followups_helped", "team_id", "helped_at", "status", "cycle", "shared", "outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    ask_id: Mapped[int] = mapped_column(ForeignKey("asks.id", ondelete="CASCADE", name="fk_followups_ask"))
    mentee_id: Mapped[str] = mapped_column(SLACK_ID)
    mentor_id: Mapped[str] = mapped_column(SLACK_ID)
    status: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    helped_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=0)
    cycle: Mapped[int] = mapped_column(Integer, default=0)
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    snoozes: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    reported: Mapped[bool] = mapped_column(Boolean, default=False)
    note_in_report: Mapped[bool] = mapped_column(Boolean, default=False)
    mentor_reply: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    ask: Mapped[Ask] = relationship(lazy="joined")


class FollowUpMessage(Base):
    """What one of a follow-up's pair wrote to the other in its threads, once the mentor had
    heard how it went; the outbox relays it (FOLLOWUP_RELAY), privately. Seen by the pair only."""

    __tablename__ = "followup_messages"
    # One row per message Slack showed us: an event Slack sends again is kept once.
    __table_args__ = (
        UniqueConstraint("followup_id", "source", name="uq_followup_messages_source"),
        Index("ix_followup_messages_author", "team_id", "author_id"),  # forgetting someone
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    followup_id: Mapped[int] = mapped_column(
        ForeignKey("followups.id", ondelete="CASCADE", name="fk_followup_messages_followup")
    )
    author_id: Mapped[str] = mapped_column(SLACK_ID)
    # Where it came from: "ts:<the message's ts>" in a thread, "view:<view id>" from the reply modal.
    source: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Delivery(Base):
    """The outbox: a direct message decided in the same transaction as the state change
    that needs it, sent afterwards by the sender, once (unique key, claimed with a lease)."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("team_id", "subject", "recipient", "key", name="uq_deliveries_key"),
        Index("ix_deliveries_ready", "status", "available_at"),
        Index("ix_deliveries_lane", "team_id", "status", "available_at"),  # a lane's claims (jobs/outbox.py)
        Index("ix_deliveries_message", "channel", "ts"),
        Index("ix_deliveries_group", "group_id"),
        Index("ix_deliveries_ask", "ask_id"),
        Index("ix_deliveries_followup", "followup_id", "purpose"),  # a follow-up's thread (thread_of)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    # What it is about, e.g. "followup:42" (storage.outbox.About): with `recipient` and `key`,
    # what makes it unique, so that it is queued once. The sender goes by `kind` and the typed
    # references below, never by the subject.
    subject: Mapped[str] = mapped_column(String(64))
    # What it is (bot.deliveries.DeliveryKind's value), and so how it is rendered. The column
    # keeps its first name, "purpose": its values were already one per kind.
    kind: Mapped[str] = mapped_column("purpose", String(16))
    # The row its renderer reads, as the kind says: a follow-up, a round's group, an ask, or a
    # round (recorded or to come) by its kind and day.
    followup_id: Mapped[int | None] = mapped_column(
        ForeignKey("followups.id", ondelete="CASCADE", name="fk_deliveries_followup")
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("round_groups.id", ondelete="CASCADE", name="fk_deliveries_group")
    )
    ask_id: Mapped[int | None] = mapped_column(ForeignKey("asks.id", ondelete="CASCADE", name="fk_deliveries_ask"))
    round_kind: Mapped[str | None] = mapped_column(String(16))
    held_on: Mapped[date | None] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(120))  # a user id, or a group DM's ids joined by commas
    key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # pending, sending, sent, failed, cancelled
    # Which due delivery is sent first (bot.deliveries.Urgency: lower first, then the oldest).
    urgency: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    available_at: Mapped[datetime] = mapped_column(UtcDateTime)  # pending: not before; sending: lease end
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(80))  # "host:pid" of the sender holding it
    channel: Mapped[str | None] = mapped_column(SLACK_ID)
    ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class DeliveryLane(Base):
    """A workspace's lane in the outbox: the one sender that may send its deliveries now
    (a lease, taken over once it runs out), and the pace its Slack calls kept, so that the
    next holder, in this process or another, keeps to the workspace's tiers (jobs/outbox.py)."""

    __tablename__ = "delivery_lanes"

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(120))  # "host:pid/drain" while held
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Left by the last holder (jobs/pacing.py, seconds of the pacer's clock, the Unix epoch):
    # when its next call may go, and the start times of its calls of the last minute by method.
    next_call_at: Mapped[float | None] = mapped_column(Float)
    paced_calls: Mapped[str | None] = mapped_column(Text)


class CommandJob(Base):
    """A slash command's, a click's or an event's work after its ack (storage/command_jobs.py):
    recorded before the ack, claimed by a worker with a lease, and deleted in the transaction
    that does its work, so it is done once whatever process dies. Only work not yet done is here."""

    __tablename__ = "command_jobs"
    __table_args__ = (
        Index("ix_command_jobs_ready", "status", "available_at"),
        Index("ix_command_jobs_member", "team_id", "user_id"),  # forgetting someone
        # Ids never reused once their rows are deleted: a worker that finishes a job it no
        # longer holds must find nothing, not a newer job with its id.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    user_id: Mapped[str] = mapped_column(SLACK_ID)
    surface: Mapped[str] = mapped_column(String(16), server_default="command")  # command, action, event
    # The subcommand ("offer"), the action id ("join_round") or the event type ("team_join").
    name: Mapped[str] = mapped_column(String(255))
    argument: Mapped[str] = mapped_column(Text)  # what the member typed after it
    response_url: Mapped[str] = mapped_column(Text)  # where the member is answered, privately
    # A click's or an event's request as Slack sent it, and its context (JSON); None for commands.
    payload: Mapped[str | None] = mapped_column(Text)
    # When its work's message (figures, an export) was handed to Slack: never sent again.
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))  # pending, running
    available_at: Mapped[datetime] = mapped_column(UtcDateTime)  # pending: not before; running: lease end
    # Claims so far; the fencing token: a worker whose lease ran out finishes nothing.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(80))  # "host:pid" of the worker holding it
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class NeverPair(Base):
    """Someone a member never wants to be paired with. Seen by nobody but the matching."""

    __tablename__ = "never_pairs"

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    other_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)


class Program(Base):
    """A program of rounds in a workspace (issue 21): its kind, cadence and group size. Its
    `key` names it in `/mentor join <key>` and in its rounds, skips and DMs (their `kind`
    columns): "coffee" and "reverse" for the two every workspace began with (migration
    0024_programs made them from the workspace's settings)."""

    __tablename__ = "programs"
    __table_args__ = (
        CheckConstraint("kind IN ('coffee', 'reverse', 'mentoring')", name="ck_programs_kind"),
        CheckConstraint("status IN ('active', 'paused', 'archived')", name="ck_programs_status"),
        CheckConstraint("intro IN ('anyone', 'across', 'within')", name="ck_programs_intro"),
        # At most one program per channel: joining the channel says which program one joins.
        Index("uq_programs_channel", "team_id", "channel", unique=True),
    )

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    key: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))  # bot.rounds.model.RoundKind
    # Rounds every 1, 2 or 4 weeks on `weekday` (0 = Monday); 0 weeks: on the first weekday
    # of each month. At `round_hour` in `time_zone`, each NULL for the workspace's.
    every_weeks: Mapped[int] = mapped_column(Integer)
    weekday: Mapped[int] = mapped_column(Integer)
    group_size: Mapped[int] = mapped_column(Integer)  # 2 to 6 (bot/rounds/grouping.py)
    # Who is introduced to whom over `category` (a key of categories, or "team"): bot.rounds.model.Intro.
    intro: Mapped[str] = mapped_column(String(16), default="anyone", server_default="anyone")
    category: Mapped[str | None] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(SLACK_ID)  # its members are the program's
    status: Mapped[str] = mapped_column(String(16))  # bot.rounds.model.ProgramStatus
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # A mentoring program's option of `category` whose members mentor (migration 0025_mentoring_kind).
    mentor_side: Mapped[str | None] = mapped_column(String(40))
    # The program's own round hour (0 to 23) and IANA time zone (migration 0027_program_hours);
    # NULL: the workspace's (workspaces.round_hour, time_zone), as the two defaults keep.
    round_hour: Mapped[int | None] = mapped_column(Integer)
    time_zone: Mapped[str | None] = mapped_column(String(64))


class Category(Base):
    """What an admin groups members by ("Office"), with its options as a JSON list."""

    __tablename__ = "categories"

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    key: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    options: Mapped[str] = mapped_column(Text)


class MemberCategory(Base):
    """The option a member picked in a category."""

    __tablename__ = "member_categories"
    __table_args__ = (
        ForeignKeyConstraint(
            ["team_id", "category"],
            ["categories.team_id", "categories.key"],
            ondelete="CASCADE",
            name="fk_member_categories_category",
        ),
    )

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    category: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    value: Mapped[str] = mapped_column(String(40))


class ProgramMember(Base):
    """A member in a program's rounds: nobody is in one without saying so."""

    __tablename__ = "program_members"
    __table_args__ = (
        ForeignKeyConstraint(
            ["team_id", "program"],
            ["programs.team_id", "programs.key"],
            ondelete="CASCADE",
            name="fk_program_members_program",
        ),
        Index("ix_program_members_member", "team_id", "user_id"),
    )

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    program: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    joined_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # None: joined before 0024_programs


class Round(Base):
    """One coffee or reverse round of a workspace, recorded before any introduction goes out."""

    __tablename__ = "rounds"
    __table_args__ = (
        UniqueConstraint("team_id", "kind", "held_on", name="uq_rounds_team_kind_date"),
        Index("ix_rounds_held", "team_id", "held_on"),  # program figures, by period
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    kind: Mapped[str] = mapped_column(String(16))
    held_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Those nobody could be grouped with, and why (bot.rounds.model.Unmatched): {user id: reason}, as JSON.
    unmatched: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")


class RoundGroup(Base):
    """A group of a round: who, who proposes a time, and why they were matched (JSON)."""

    __tablename__ = "round_groups"
    __table_args__ = (Index("ix_round_groups_round", "round_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE", name="fk_round_groups_round"))
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    members: Mapped[str] = mapped_column(String(120))  # user ids joined by commas
    proposer: Mapped[str] = mapped_column(SLACK_ID)
    details: Mapped[str] = mapped_column(Text)
    # The check-in's answer: met, scheduled, not_this_time; None while nobody answered.
    outcome: Mapped[str | None] = mapped_column(String(16))
    answered_by: Mapped[str | None] = mapped_column(SLACK_ID)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    round: Mapped[Round] = relationship(lazy="joined")


class RoundMember(Base):
    """One member of a round's group: what program figures count people by."""

    __tablename__ = "round_members"
    __table_args__ = (Index("ix_round_members_member", "team_id", "user_id"),)

    group_id: Mapped[int] = mapped_column(
        ForeignKey("round_groups.id", ondelete="CASCADE", name="fk_round_members_group"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    team_id: Mapped[str] = mapped_column(SLACK_ID)


class RoundSkip(Base):
    """A member who said "Skip this round" for one round: left out of it, in for the next."""

    __tablename__ = "round_skips"

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)


class ReverseLearning(Base):
    """At month end, what one side of a reverse-mentoring pair said they learned (a level only)."""

    __tablename__ = "reverse_learnings"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("round_groups.id", ondelete="CASCADE", name="fk_reverse_learnings_group"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    learned: Mapped[str] = mapped_column(String(16))
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # They chose to keep their partner for the next reverse round: kept when both sides did.
    keep_partner: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class RoundStarter(Base):
    """A conversation starter a round's group was given (bot/rounds/starters.py), by its key:
    a group is never given the same one twice. Who pressed the button is not kept."""

    __tablename__ = "round_starters"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("round_groups.id", ondelete="CASCADE", name="fk_round_starters_group"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(16), primary_key=True)
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    given_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RoundThanks(Base):
    """A thank-you after a round's group met (bot.rounds.model.Thanks): seen by its sender and
    receiver only, and in the program channel if its sender chose. Once per sender, receiver
    and group."""

    __tablename__ = "round_thanks"
    __table_args__ = (
        UniqueConstraint("group_id", "sender_id", "receiver_id", name="uq_round_thanks_once"),
        Index("ix_round_thanks_receiver", "team_id", "receiver_id", "sent_at"),  # their Home tab
        Index("ix_round_thanks_sender", "team_id", "sender_id"),  # forgetting them
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("round_groups.id", ondelete="CASCADE", name="fk_round_thanks_group")
    )
    team_id: Mapped[str] = mapped_column(SLACK_ID)
    sender_id: Mapped[str] = mapped_column(SLACK_ID)
    receiver_id: Mapped[str] = mapped_column(SLACK_ID)
    note: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProcessedEvent(Base):
    """An event Slack sent, while it is handled (`done` once it was): Slack retries an event
    it thinks went unanswered, and a retry must not do the work twice."""

    __tablename__ = "processed_events"
    __table_args__ = (Index("ix_processed_events_started", "started_at"),)

    team_id: Mapped[str] = mapped_column(SLACK_ID, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The job (command_jobs.id) whose worker began on it; NULL outside a job (migration 0028).
    job_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
