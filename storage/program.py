"""What program admins read and set: the workspace's settings, and figures computed by SQL
aggregates over indexed columns (a figure never loads a row per member into Python)."""

import dataclasses
import json
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, exists, extract, func, intersect, or_, select
from sqlalchemy.orm import Session, aliased

from bot.asks.model import AskStatus
from bot.deliveries import DeliveryKind
from bot.followups.model import FollowUpStatus
from bot.program.disclosure import Answers
from bot.program.messages import GAPS_SHOWN
from bot.program.model import Period, ProgramFigures, ProgramSettings, RoundFigures, SkillDemand, month_start
from bot.rounds.model import Program, ProgramStatus, RoundKind
from storage import models
from storage.programs import ensure_programs, in_program, programs_of
from storage.queries import insert_ignoring_duplicates

_WAITING = [AskStatus.OPEN.value, AskStatus.NEEDS_SKILL.value, AskStatus.QUEUED.value]
# Settings of the two programs every workspace has, as columns of their rows (storage/programs.py).
_COFFEE = {"coffee_every_weeks": "every_weeks", "coffee_weekday": "weekday", "coffee_group_size": "group_size"}
_SETTINGS = tuple(  # each a column of workspaces
    field.name for field in dataclasses.fields(ProgramSettings) if field.name not in {*_COFFEE, "reverse_enabled"}
)
_SENT = [
    status.value
    for status in (FollowUpStatus.SENT, FollowUpStatus.ANSWERED, FollowUpStatus.SNOOZED, FollowUpStatus.UNANSWERED)
]


def _was_sent() -> ColumnElement:
    """A follow-up whose mentee was asked: anything past "scheduled", and a cancelled one
    that had been sent (its mentee turned follow-ups off, or someone was forgotten, later)."""
    followup = models.FollowUp
    return or_(followup.status.in_(_SENT), and_(followup.status == FollowUpStatus.CANCELLED.value, followup.cycle > 0))


class ProgramRepository:
    def __init__(self, session: Session):
        self.session = session

    # --- settings ---------------------------------------------------------------------------
    def settings(self, team_id: str) -> ProgramSettings:
        values: dict[str, object] = {}
        row = self.session.get(models.Workspace, team_id)
        if row is not None:
            values |= {name: getattr(row, name) for name in _SETTINGS}
        coffee = self.session.get(models.Program, (team_id, RoundKind.COFFEE.value))
        if coffee is not None:
            values |= {name: getattr(coffee, column) for name, column in _COFFEE.items()}
        reverse = self.session.get(models.Program, (team_id, RoundKind.REVERSE.value))
        if reverse is not None:
            values["reverse_enabled"] = reverse.status == ProgramStatus.ACTIVE.value
        return ProgramSettings(**values)  # type: ignore[arg-type]  # each value as its column holds it

    def save_settings(self, team_id: str, settings: ProgramSettings) -> None:
        insert_ignoring_duplicates(self.session, models.Workspace, [{"team_id": team_id}])
        ensure_programs(self.session, team_id)
        row = self.session.get(models.Workspace, team_id)
        for name in _SETTINGS:
            setattr(row, name, getattr(settings, name))
        coffee = self.session.get(models.Program, (team_id, RoundKind.COFFEE.value))
        for name, column in _COFFEE.items():
            setattr(coffee, column, getattr(settings, name))
        reverse = self.session.get(models.Program, (team_id, RoundKind.REVERSE.value))
        if reverse is not None and reverse.status != ProgramStatus.ARCHIVED.value:
            reverse.status = (ProgramStatus.ACTIVE if settings.reverse_enabled else ProgramStatus.PAUSED).value
        self.session.flush()

    # --- figures ----------------------------------------------------------------------------
    def figures(self, team_id: str, period: Period) -> ProgramFigures:
        asks = self._asks(team_id, period)
        followups = self._followups(team_id, period)
        both = self._both_gave_and_received(team_id, period)
        return ProgramFigures(
            period=period,
            members=self._count(
                select(func.count())
                .select_from(models.Member)
                .where(models.Member.team_id == team_id, models.Member.deactivated.is_(False))
            ),
            programs=tuple(self._rounds(team_id, program, period) for program in programs_of(self.session, team_id)),
            asks_made=asks["made"],
            asks_matched=asks["matched"],
            asks_waiting=asks["waiting"],
            median_to_help=self._median_to_help(team_id, period, asks["matched"]),
            followups_sent=followups["sent"],
            loops_closed=Answers({"closed": followups["closed"]}, followups["mentees"]),
            outcomes=self._outcomes(team_id, period),
            helpers=Answers(
                {"gave": asks["givers"], "received": asks["receivers"], "both": both},
                asks["givers"] + asks["receivers"] - both,
            ),
            gaps=tuple(gap for gap in self.skill_demand(team_id, GAPS_SHOWN) if gap.gap > 0),
            pending_intros=self._count(
                select(func.count())
                .select_from(models.Delivery)
                .where(
                    models.Delivery.status.in_(("pending", "sending")),
                    models.Delivery.team_id == team_id,
                    models.Delivery.kind == DeliveryKind.ROUND_INTRODUCTION.value,
                )
            ),
        )

    def _count(self, query: Select) -> int:
        return self.session.scalar(query) or 0

    def _asks(self, team_id: str, period: Period) -> dict[str, int]:
        """Asks made, matched and still waiting, and who gave and who received help: one scan.
        A question tried again counts once, as its last try (_last_try)."""
        ask = models.Ask
        matched = ask.status == AskStatus.MATCHED.value
        row = self.session.execute(
            select(
                func.count(),
                func.sum(case((matched, 1), else_=0)),
                func.sum(case((ask.status.in_(_WAITING), 1), else_=0)),
                func.count(case((matched, ask.mentor_id)).distinct()),
                func.count(case((matched, ask.asker_id)).distinct()),
            ).where(*_in_period(ask.team_id, team_id, ask.created_at, period), _last_try(ask))
        ).one()
        made, matched_count, waiting, givers, receivers = (value or 0 for value in row)
        return {"made": made, "matched": matched_count, "waiting": waiting, "givers": givers, "receivers": receivers}

    def _seconds_to_help(self) -> ColumnElement:
        ask = models.Ask
        if self.session.get_bind().dialect.name == "postgresql":
            return extract("epoch", ask.matched_at - ask.created_at)
        return (func.julianday(ask.matched_at) - func.julianday(ask.created_at)) * 86400.0

    def _median_to_help(self, team_id: str, period: Period, matched: int) -> timedelta | None:
        """The median time from an ask to a mentor's "I can help": the middle of the sorted
        waits, read with LIMIT/OFFSET so that only one or two values leave the database."""
        if not matched:
            return None
        ask = models.Ask
        seconds = self._seconds_to_help()
        middle = list(
            self.session.scalars(
                select(seconds)
                .where(
                    *_in_period(ask.team_id, team_id, ask.created_at, period),
                    ask.status == AskStatus.MATCHED.value,
                    ask.matched_at.is_not(None),
                )
                .order_by(seconds)
                .offset((matched - 1) // 2)
                .limit(1 if matched % 2 else 2)
            )
        )
        return timedelta(seconds=round(float(sum(middle)) / len(middle))) if middle else None

    def _followups(self, team_id: str, period: Period) -> dict[str, int]:
        """Follow-ups sent, loops closed, and the distinct mentees who closed them."""
        followup = models.FollowUp
        answered = followup.status == FollowUpStatus.ANSWERED.value
        row = self.session.execute(
            select(
                func.sum(case((_was_sent(), 1), else_=0)),
                func.sum(case((answered, 1), else_=0)),
                func.count(case((answered, followup.mentee_id)).distinct()),
            ).where(*_in_period(followup.team_id, team_id, followup.helped_at, period))
        ).one()
        return {"sent": row[0] or 0, "closed": row[1] or 0, "mentees": row[2] or 0}

    def _outcomes(self, team_id: str, period: Period) -> Answers:
        """The outcomes mentees let count, and how many distinct mentees did."""
        followup = models.FollowUp
        counted = (
            *_in_period(followup.team_id, team_id, followup.helped_at, period),
            followup.status == FollowUpStatus.ANSWERED.value,
            followup.shared.is_(True),
            followup.outcome.is_not(None),
        )
        rows = self.session.execute(select(followup.outcome, func.count()).where(*counted).group_by(followup.outcome))
        mentees = self._count(select(func.count(followup.mentee_id.distinct())).where(*counted))
        return Answers({outcome: count for outcome, count in rows}, mentees)

    def _both_gave_and_received(self, team_id: str, period: Period) -> int:
        ask = models.Ask
        matched = (*_in_period(ask.team_id, team_id, ask.created_at, period), ask.status == AskStatus.MATCHED.value)
        gave = select(ask.mentor_id.label("user_id")).where(*matched)
        received = select(ask.asker_id.label("user_id")).where(*matched)
        return self._count(select(func.count()).select_from(intersect(gave, received).subquery()))

    def _rounds(self, team_id: str, program: Program, period: Period) -> RoundFigures:
        held = and_(
            models.Round.team_id == team_id,
            models.Round.kind == program.key,
            models.Round.held_on >= period.first_day,
            models.Round.held_on <= period.end.date(),
        )
        opted = in_program(program.key)
        group = models.RoundGroup
        answers: Select[tuple[str | None, int]] | Select[tuple[str, int]]  # outcome may be NULL, learned not
        if program.kind is not RoundKind.REVERSE:  # check-ins: did the group meet
            answered = (held, group.outcome.is_not(None))
            answers = select(group.outcome, func.count()).join(models.Round).where(*answered)
            answers = answers.group_by(group.outcome)
            people = select(func.count(group.answered_by.distinct())).join(models.Round).where(*answered)
        else:
            learning = models.ReverseLearning
            answers = (
                select(learning.learned, func.count())
                .join(group, group.id == learning.group_id)
                .join(models.Round)
                .where(held)
                .group_by(learning.learned)
            )
            people = (
                select(func.count(learning.user_id.distinct()))
                .join(group, group.id == learning.group_id)
                .join(models.Round)
                .where(held)
            )
        return RoundFigures(
            program=program,
            opted_in=self._count(
                select(func.count())
                .select_from(models.Member)
                .where(models.Member.team_id == team_id, opted, models.Member.deactivated.is_(False))
            ),
            rounds=self._count(select(func.count()).select_from(models.Round).where(held)),
            participants=self._count(  # DISTINCT in a subquery: PostgreSQL hashes it instead of sorting
                select(func.count()).select_from(
                    select(models.RoundMember.user_id)
                    .join(group, group.id == models.RoundMember.group_id)
                    .join(models.Round)
                    .where(held)
                    .distinct()
                    .subquery()
                )
            ),
            groups=self._count(select(func.count()).select_from(group).join(models.Round).where(held)),
            answers=Answers(
                {value: count for value, count in self.session.execute(answers) if value is not None},
                self._count(people),
            ),
            thanks=self._thanks(held),
        )

    def _thanks(self, held: ColumnElement[bool]) -> Answers:
        """Thank-yous sent for groups of the rounds `held` picks, and by how many people."""
        thanks = models.RoundThanks
        sent, senders = self.session.execute(
            select(func.count(), func.count(thanks.sender_id.distinct()))
            .join(models.RoundGroup, models.RoundGroup.id == thanks.group_id)
            .join(models.Round, models.Round.id == models.RoundGroup.round_id)
            .where(held)
        ).one()
        return Answers({"sent": sent or 0}, senders or 0)

    def skill_demand(self, team_id: str, limit: int) -> list[SkillDemand]:
        """The skills wanted most beyond what is offered, by members still in the workspace.
        Counted on the skill links' covering index alone, leaving out the few members who are
        gone; labels are joined to the top rows only."""
        link = models.MemberSkill
        gone = select(models.Member.user_id).where(
            models.Member.team_id == team_id, models.Member.deactivated.is_(True)
        )
        wants = func.sum(case((link.kind == "want", 1), else_=0))
        offers = func.sum(case((link.kind == "offer", 1), else_=0))
        top = (
            select(link.skill_id, wants.label("wants"), offers.label("offers"))
            .where(link.team_id == team_id, link.user_id.not_in(gone))
            .group_by(link.skill_id)
            .order_by((wants - offers).desc(), wants.desc(), link.skill_id)
            .limit(limit)
            .subquery()
        )
        rows = self.session.execute(
            select(models.Skill.label, top.c.wants, top.c.offers)
            .join(top, top.c.skill_id == models.Skill.id)
            .order_by((top.c.wants - top.c.offers).desc(), top.c.wants.desc(), models.Skill.label)
        )
        return [SkillDemand(label, wants or 0, offers or 0) for label, wants, offers in rows]

    def loops_by_month(self, team_id: str, months: int, now: datetime) -> list[tuple[str, int, Answers]]:
        """(YYYY-MM, follow-ups sent, loops closed with the distinct mentees who closed them)
        for the last `months` months, oldest first, by the month help was given; months
        without any are there with zeros."""
        followup = models.FollowUp
        first = month_start(now.date(), months - 1)
        if self.session.get_bind().dialect.name == "postgresql":
            month = func.to_char(func.timezone("UTC", followup.helped_at), "YYYY-MM")
        else:
            month = func.strftime("%Y-%m", followup.helped_at)
        answered = followup.status == FollowUpStatus.ANSWERED.value
        rows = self.session.execute(
            select(
                month,
                func.sum(case((_was_sent(), 1), else_=0)),
                func.sum(case((answered, 1), else_=0)),
                func.count(case((answered, followup.mentee_id)).distinct()),
            )
            .where(
                followup.team_id == team_id,
                followup.helped_at >= datetime.combine(first, datetime.min.time(), now.tzinfo),
            )
            .group_by(month)
        )
        found = {
            label: (sent or 0, Answers({"closed": closed or 0}, mentees or 0)) for label, sent, closed, mentees in rows
        }
        labels = [month_start(now.date(), back).strftime("%Y-%m") for back in range(months - 1, -1, -1)]
        return [(label, *found.get(label, (0, Answers()))) for label in labels]

    # --- export -----------------------------------------------------------------------------
    def relationships(self, team_id: str, period: Period) -> Iterator[tuple]:
        """Every mentoring relationship that began in the period, as (kind, program key, date,
        skills, member ids in their roles, status): an ask's kind is "ask" (no program), a round
        group's its program's kind; no text anyone wrote, and no answer: one relationship's
        answers are always too few to show (bot.program.disclosure). An ask's status is its
        follow-up's, up to being sent (scheduled, sent, cancelled before it was sent, or none); a round's group's is
        "introduced"."""
        ask, followup = models.Ask, models.FollowUp
        asks = self.session.execute(
            select(ask.matched_at, models.Skill.label, ask.mentor_id, ask.asker_id, followup.status, followup.cycle)
            .outerjoin(models.Skill, models.Skill.id == ask.skill_id)
            .outerjoin(followup, followup.ask_id == ask.id)
            .where(*_in_period(ask.team_id, team_id, ask.created_at, period), ask.status == AskStatus.MATCHED.value)
            .order_by(ask.matched_at, ask.id)
            .execution_options(yield_per=1000)
        )
        for matched_at, label, mentor, asker, status, cycle in asks:
            yield "ask", "", matched_at.date(), label or "", (mentor, asker), _before_any_answer(status, cycle or 0)
        kinds = {program.key: program.kind for program in programs_of(self.session, team_id)}
        group, held = models.RoundGroup, models.Round
        groups = self.session.execute(
            select(held.kind, held.held_on, group.members, group.details)
            .join(held)
            .where(held.team_id == team_id, held.held_on >= period.first_day, held.held_on <= period.end.date())
            .order_by(held.held_on, group.id)
            .execution_options(yield_per=1000)
        )
        for key, held_on, members, details in groups:
            said = json.loads(details)
            teaching = said["teaching"]
            people = tuple(members.split(","))
            kind = kinds.get(key, RoundKind.COFFEE)
            if kind is RoundKind.REVERSE and teaching:
                people = tuple(teaching[0][:2])  # the early-career teacher first, then the senior
            elif said.get("mentor") in people:  # the mentor first, then their mentees
                people = (said["mentor"], *(user_id for user_id in people if user_id != said["mentor"]))
            skills = sorted({label for *_, labels in teaching for label in labels})
            yield kind.value, key, held_on, "; ".join(skills), people, "introduced"


def _last_try(ask: type[models.Ask]) -> ColumnElement[bool]:
    """The ask was not tried again: a question that closed unanswered and was asked again,
    posted or sent to another skill counts as one ask, its last try (issue 20). Only an
    unanswered ask can be tried again, so figures of matched asks need no such test."""
    retry = aliased(models.Ask)
    return ~exists().where(retry.retry_of == ask.id)


def _in_period(team_column, team_id: str, moment_column, period: Period) -> tuple:
    return team_column == team_id, moment_column >= period.start, moment_column < period.end


def _before_any_answer(status: str | None, cycle: int) -> str:
    """A follow-up's status without what its mentee did: answered, snoozed, unanswered, and
    cancelled once sent (the mentee turning follow-ups off: an answer too) are all "sent"."""
    if status is None:
        return "none"
    if status == FollowUpStatus.SCHEDULED.value or (status == FollowUpStatus.CANCELLED.value and cycle == 0):
        return status
    return "sent"
