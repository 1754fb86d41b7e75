"""Use cases of asks: start one, accept, pass, cancel, expire; and the mentor network.

Each function is handed repositories and the current time, changes what it must,
and returns what should be said to whom; the caller sends the messages and owns
the transaction.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.asks import GIVE_FIRST_AFTER_ASKS, Ask, AskPolicy, AskStatus, CandidateStatus, Notification, clean_question
from bot.errors import InvalidInput
from bot.people import is_forgotten
from bot.profile import Profile
from bot.ranking import History, Offerer, RankedMentor, Ranking, rank_offerers
from bot.skill_detection import detect_skills
from bot.skills import Skill, normalize_skill

SUGGESTIONS = 5


class AskRepository(Protocol):
    def vocabulary(self, team_id: str) -> list[Skill]: ...
    def most_offered(self, team_id: str, limit: int) -> list[Skill]: ...
    def create(
        self, team_id: str, asker_id: str, question: str, skill: Skill | None, now: datetime, status: AskStatus
    ) -> Ask: ...
    def get(self, team_id: str, ask_id: int) -> Ask | None: ...
    def set_skill(self, ask_id: int, skill: Skill) -> None: ...
    def transition(
        self, ask_id: int, expected: set[AskStatus], status: AskStatus, now: datetime, **changes
    ) -> bool: ...
    def pending_of(self, team_id: str, asker_id: str) -> list[Ask]: ...
    def count_by(self, team_id: str, asker_id: str) -> int: ...
    def mentors_of(self, team_id: str, asker_id: str) -> list[tuple[Skill, str]]: ...
    def add_candidates(self, ask: Ask, user_ids: list[str], now: datetime) -> None: ...
    def candidate_status(self, ask_id: int, user_id: str) -> CandidateStatus | None: ...
    def respond(self, ask_id: int, user_id: str, status: CandidateStatus, now: datetime) -> bool: ...
    def close_waiting(self, ask_id: int, now: datetime) -> list[Notification]: ...
    def notification(self, ask_id: int, user_id: str) -> Notification | None: ...
    def asked(self, ask_id: int) -> set[str]: ...
    def waiting_count(self, ask_id: int) -> int: ...
    def offerers(self, team_id: str, skill: Skill, asked_since: datetime) -> list[Offerer]: ...
    def count_asks(
        self, team_id: str, user_ids: list[str], now: datetime, policy: AskPolicy
    ) -> dict[str, tuple[int, int]]: ...
    def history_with(self, team_id: str, asker_id: str, user_ids: set[str]) -> dict[str, History]: ...


class ProfileRepository(Protocol):
    def get(self, team_id: str, user_id: str) -> Profile | None: ...
    def timezone(self, team_id: str, user_id: str) -> tuple[int | None, datetime | None]: ...
    def claim_give_first_reminder(self, team_id: str, user_id: str) -> bool: ...


class AskUnavailable(Exception):
    """The ask cannot be acted on (any more) by this member; `reason` says why, for their reply."""

    def __init__(self, reason: str, ask: Ask | None = None):
        super().__init__(reason)
        self.reason = reason
        self.ask = ask


@dataclass(frozen=True)
class AskRouted:
    """Where an ask stands after it was started or given a skill."""

    ask: Ask
    notify: tuple[RankedMentor, ...] = ()  # DM these candidates now
    suggestions: tuple[Skill, ...] = ()  # for NEEDS_SKILL: skills the asker can pick from
    give_first_reminder: bool = False


@dataclass(frozen=True)
class Accepted:
    ask: Ask
    mentor_id: str
    mine: Notification
    others: tuple[Notification, ...]


@dataclass(frozen=True)
class Passed:
    """A candidate said "Not this time"; the ask went on to `notify`, or nobody is left."""

    ask: Ask
    mine: Notification
    notify: tuple[RankedMentor, ...]
    unanswered: bool


@dataclass(frozen=True)
class Expired:
    ask: Ask
    notify: tuple[RankedMentor, ...]  # widened to these
    closed: tuple[Notification, ...]  # closed unanswered: these DMs get updated
    unanswered: bool


@dataclass(frozen=True)
class Cancelled:
    ask: Ask
    closed: tuple[Notification, ...]


@dataclass(frozen=True)
class NetworkEntry:
    skill: Skill
    mentor_ids: tuple[str, ...]


@dataclass(frozen=True)
class Network:
    wants: tuple[NetworkEntry, ...]  # every want, with the mentors who helped on it (maybe none)
    elsewhere: tuple[NetworkEntry, ...]  # skills the member got help with that are not among their wants


def ranking_for(
    asks: AskRepository,
    profiles: ProfileRepository,
    team_id: str,
    skill: Skill,
    asker_id: str,
    now: datetime,
    policy: AskPolicy,
    limit: int,
    already_asked: frozenset[str] = frozenset(),
) -> Ranking:
    """Rank everyone who offers `skill` for this asker, leaving out those already asked."""
    offset, _ = profiles.timezone(team_id, asker_id)
    offerers = [
        offerer
        for offerer in asks.offerers(team_id, skill, asked_since=now - policy.recent_window)
        if offerer.user_id not in already_asked
    ]
    return rank_offerers(
        offerers,
        history=asks.history_with(team_id, asker_id, {offerer.user_id for offerer in offerers}),
        count_asks=lambda user_ids: asks.count_asks(team_id, user_ids, now, policy),
        skill_key=skill.key,
        asker_id=asker_id,
        today=now.date(),
        asker_utc_offset_hours=offset / 3600 if offset is not None else None,
        limit=limit,
    )


def _rank(
    asks: AskRepository,
    profiles: ProfileRepository,
    ask: Ask,
    skill: Skill,
    now: datetime,
    policy: AskPolicy,
    limit: int,
) -> tuple[RankedMentor, ...]:
    already = frozenset(asks.asked(ask.id))
    return ranking_for(asks, profiles, ask.team_id, skill, ask.asker_id, now, policy, limit, already).chosen


def _route(
    asks: AskRepository, profiles: ProfileRepository, ask: Ask, skill: Skill, now: datetime, policy: AskPolicy
) -> AskRouted:
    chosen = _rank(asks, profiles, ask, skill, now, policy, policy.fanout)
    if not chosen:
        asks.transition(ask.id, {ask.status}, AskStatus.UNANSWERED, now)
        return AskRouted(ask=asks.get(ask.team_id, ask.id))
    asks.add_candidates(ask, [mentor.user_id for mentor in chosen], now)
    asks.transition(ask.id, {ask.status}, AskStatus.OPEN, now, deadline_at=now + policy.timeout)
    profile = profiles.get(ask.team_id, ask.asker_id)
    reminder = (
        (profile is None or not profile.offers)
        and asks.count_by(ask.team_id, ask.asker_id) >= GIVE_FIRST_AFTER_ASKS
        and profiles.claim_give_first_reminder(ask.team_id, ask.asker_id)
    )
    return AskRouted(ask=asks.get(ask.team_id, ask.id), notify=chosen, give_first_reminder=reminder)


def start_ask(
    asks: AskRepository,
    profiles: ProfileRepository,
    team_id: str,
    asker_id: str,
    text: str,
    now: datetime,
    policy: AskPolicy,
    skill: Skill | None = None,
) -> AskRouted:
    """`/mentor ask <question>`: find the skill, then the mentors; or ask the asker to pick a skill."""
    question = clean_question(text)
    vocabulary = asks.vocabulary(team_id)
    if skill is None:
        detection = detect_skills(question, vocabulary, SUGGESTIONS)
        if not detection.skills:
            ask = asks.create(team_id, asker_id, question, None, now, AskStatus.NEEDS_SKILL)
            suggestions = detection.suggestions or tuple(asks.most_offered(team_id, SUGGESTIONS))
            return AskRouted(ask=ask, suggestions=suggestions)
        skill = _first_with_mentors(asks, profiles, detection.skills, team_id, asker_id, now, policy)
    else:
        skill = {known.key: known for known in vocabulary}.get(skill.key, skill)
    ask = asks.create(team_id, asker_id, question, skill, now, AskStatus.NEEDS_SKILL)
    return _route(asks, profiles, ask, skill, now, policy)


def _first_with_mentors(
    asks: AskRepository,
    profiles: ProfileRepository,
    skills: tuple[Skill, ...],
    team_id: str,
    asker_id: str,
    now: datetime,
    policy: AskPolicy,
) -> Skill:
    """The first detected skill that someone available offers; else the first one."""
    if len(skills) == 1:
        return skills[0]
    for skill in skills:
        if ranking_for(asks, profiles, team_id, skill, asker_id, now, policy, limit=1).chosen:
            return skill
    return skills[0]


def choose_skill(
    asks: AskRepository,
    profiles: ProfileRepository,
    team_id: str,
    ask_id: int,
    user_id: str,
    skill_name: str,
    now: datetime,
    policy: AskPolicy,
) -> AskRouted:
    """The asker picked or typed the skill of an ask that had none."""
    ask = _own_ask(asks, team_id, ask_id, user_id)
    if ask.status is not AskStatus.NEEDS_SKILL:
        raise AskUnavailable("already_routed", ask)
    skill = normalize_skill(skill_name)
    skill = {known.key: known for known in asks.vocabulary(team_id)}.get(skill.key, skill)
    asks.set_skill(ask.id, skill)
    return _route(asks, profiles, asks.get(team_id, ask.id), skill, now, policy)


def _own_ask(asks: AskRepository, team_id: str, ask_id: int, user_id: str) -> Ask:
    ask = asks.get(team_id, ask_id)
    if ask is None or ask.asker_id != user_id:
        raise AskUnavailable("not_yours")
    return ask


def _as_candidate(asks: AskRepository, team_id: str, ask_id: int, user_id: str) -> Ask:
    """The ask, if this member was asked about it; button values are not trusted."""
    ask = asks.get(team_id, ask_id)
    if ask is None or asks.candidate_status(ask_id, user_id) is None:
        raise AskUnavailable("not_yours")
    return ask


def _why_closed(asks: AskRepository, ask: Ask, user_id: str) -> AskUnavailable:
    if asks.candidate_status(ask.id, user_id) in (CandidateStatus.ACCEPTED, CandidateStatus.DECLINED):
        return AskUnavailable("already_answered", ask)
    return AskUnavailable(ask.status.value, ask)


def accept_ask(asks: AskRepository, team_id: str, ask_id: int, user_id: str, now: datetime) -> Accepted:
    """ "I can help": the first to click wins the ask; everyone else's DM gets closed."""
    ask = _as_candidate(asks, team_id, ask_id, user_id)
    if asks.candidate_status(ask_id, user_id) is not CandidateStatus.NOTIFIED:
        raise _why_closed(asks, ask, user_id)
    if not asks.transition(ask_id, {AskStatus.OPEN}, AskStatus.MATCHED, now, mentor_id=user_id, matched_at=now):
        raise _why_closed(asks, asks.get(team_id, ask_id), user_id)
    asks.respond(ask_id, user_id, CandidateStatus.ACCEPTED, now)
    others = tuple(asks.close_waiting(ask_id, now))
    return Accepted(asks.get(team_id, ask_id), user_id, asks.notification(ask_id, user_id), others)


def pass_ask(
    asks: AskRepository,
    profiles: ProfileRepository,
    team_id: str,
    ask_id: int,
    user_id: str,
    now: datetime,
    policy: AskPolicy,
    status: CandidateStatus = CandidateStatus.DECLINED,
) -> Passed:
    """ "Not this time" (or a DM that could not be delivered, with status CLOSED): ask the
    next best candidate, if any; with nobody left and nobody waiting, the ask closes."""
    ask = _as_candidate(asks, team_id, ask_id, user_id)
    if not asks.respond(ask_id, user_id, status, now):
        raise _why_closed(asks, ask, user_id)
    mine = asks.notification(ask_id, user_id)
    if ask.status is not AskStatus.OPEN:
        return Passed(ask, mine, (), unanswered=False)
    following = _rank(asks, profiles, ask, ask.skill, now, policy, limit=1)
    if following:
        asks.add_candidates(ask, [following[0].user_id], now)
        return Passed(ask, mine, following, unanswered=False)
    if asks.waiting_count(ask_id) == 0:
        asks.transition(ask_id, {AskStatus.OPEN}, AskStatus.UNANSWERED, now)
        return Passed(asks.get(team_id, ask_id), mine, (), unanswered=True)
    return Passed(ask, mine, (), unanswered=False)


def expire_ask(asks: AskRepository, profiles: ProfileRepository, ask: Ask, now: datetime, policy: AskPolicy) -> Expired:
    """Nobody accepted in time: widen to the next candidates once, then close it honestly."""
    if not ask.widened:
        wider = _rank(asks, profiles, ask, ask.skill, now, policy, policy.fanout)
        if wider:
            asks.add_candidates(ask, [mentor.user_id for mentor in wider], now)
            asks.transition(
                ask.id, {AskStatus.OPEN}, AskStatus.OPEN, now, widened=True, deadline_at=now + policy.timeout
            )
            return Expired(asks.get(ask.team_id, ask.id), wider, (), unanswered=False)
    closed = tuple(asks.close_waiting(ask.id, now))
    asks.transition(ask.id, {AskStatus.OPEN}, AskStatus.UNANSWERED, now)
    return Expired(asks.get(ask.team_id, ask.id), (), closed, unanswered=True)


def cancel_ask(asks: AskRepository, team_id: str, ask_id: int, user_id: str, now: datetime) -> Cancelled:
    """The asker withdraws an ask that nobody has taken yet."""
    ask = _own_ask(asks, team_id, ask_id, user_id)
    if not asks.transition(ask_id, {AskStatus.OPEN, AskStatus.NEEDS_SKILL}, AskStatus.CANCELLED, now):
        raise AskUnavailable(asks.get(team_id, ask_id).status.value, ask)
    return Cancelled(asks.get(team_id, ask_id), tuple(asks.close_waiting(ask_id, now)))


def mentor_network(asks: AskRepository, profiles: ProfileRepository, team_id: str, user_id: str) -> Network:
    """For each of my wants, who has helped me with it; and help I got on other skills."""
    helped: dict[str, list[str]] = {}
    labels: dict[str, Skill] = {}
    for skill, mentor_id in asks.mentors_of(team_id, user_id):
        if is_forgotten(mentor_id):
            continue  # a mentor who asked to be forgotten: that skill may now show as a gap
        labels.setdefault(skill.key, skill)
        if mentor_id not in helped.setdefault(skill.key, []):
            helped[skill.key].append(mentor_id)
    profile = profiles.get(team_id, user_id)
    wants = profile.wants if profile else ()
    want_keys = {skill.key for skill in wants}
    return Network(
        wants=tuple(NetworkEntry(skill, tuple(helped.get(skill.key, ()))) for skill in wants),
        elsewhere=tuple(NetworkEntry(labels[key], tuple(ids)) for key, ids in helped.items() if key not in want_keys),
    )


def known_skill(asks: AskRepository, team_id: str, skill_key: str) -> Skill:
    """A skill of the workspace's vocabulary by key; keys from Slack payloads are not trusted."""
    skill = {known.key: known for known in asks.vocabulary(team_id)}.get(skill_key)
    if skill is None:
        raise InvalidInput("That skill is no longer in this workspace's list.")
    return skill


def suggest_mentors(
    asks: AskRepository,
    profiles: ProfileRepository,
    team_id: str,
    user_id: str,
    skill_key: str,
    now: datetime,
    policy: AskPolicy,
) -> tuple[Skill, tuple[RankedMentor, ...]]:
    """ "Find a mentor" for one of my wants: the people an ask about it would reach first."""
    skill = known_skill(asks, team_id, skill_key)
    return skill, ranking_for(asks, profiles, team_id, skill, user_id, now, policy, policy.fanout).chosen
