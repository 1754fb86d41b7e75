"""Use cases of asks: start one, accept, pass, cancel, expire; and the mentor network.

Each function is handed the unit of work (bot.unit_of_work) and the current time, changes
what it must, and returns what should be said to whom; the caller sends the messages and
owns the transaction.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.asks.model import (
    GIVE_FIRST_AFTER_ASKS,
    Ask,
    AskPolicy,
    AskStatus,
    CandidateStatus,
    Notification,
    clean_question,
    introduced,
)
from bot.asks.ranking import RankedMentor, Ranking, rank_offerers
from bot.asks.repository import AskRepository
from bot.asks.skill_detection import detect_skills, evidence_words, rank_skills
from bot.deliveries import DeliveryKind
from bot.errors import InvalidInput
from bot.followups import services as followup_services
from bot.followups.model import FollowUp, FollowUpPolicy
from bot.members.model import Skill, is_forgotten, normalize_skill, skill_key
from bot.unit_of_work import UnitOfWork

SUGGESTIONS = 5


# Skills in the "name the skill" menu: Block Kit's limit of options in a select.
SKILL_CHOICES = 100


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
    suggestions: tuple[Skill, ...] = ()  # for NEEDS_SKILL: skills related to the question, maybe none
    choices: tuple[Skill, ...] = ()  # for NEEDS_SKILL: the skills colleagues offer, to name one from
    give_first_reminder: bool = False
    waiting_for: int = 0  # for QUEUED: how many offerers it waits for (all busy)
    unqueued: bool = False  # it waited in the queue and has just gone out: the asker hears so
    # For UNANSWERED: the program channel the asker may post it in instead (None: there is none).
    program_channel: str | None = None


@dataclass(frozen=True)
class Accepted:
    ask: Ask
    mentor_id: str
    mine: Notification
    others: tuple[Notification, ...]
    followup: FollowUp | None = None  # planned for the mentee; None when they turned follow-ups off


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
class Posted:
    """An ask nobody could take, now open in the program channel (`ask.post`) for `open_for`."""

    ask: Ask
    open_for: timedelta


Outcome = AskRouted | Accepted | Passed | Expired  # what the use cases that move an ask on return


def direct_messages(outcome: Outcome) -> tuple[tuple[str, DeliveryKind], ...]:
    """The new DMs an outcome calls for, as (recipients, kind): a request to each candidate it
    reaches, the introduction of an accepted ask's pair in a group DM, and the asker's "nobody
    could take it". (DMs already sent that should now read differently are edited instead.)"""
    ask = outcome.ask
    if isinstance(outcome, Accepted):
        pair = introduced(ask)
        return ((pair, DeliveryKind.ASK_INTRODUCTION),) if pair else ()
    requests = tuple((mentor.user_id, DeliveryKind.ASK_REQUEST) for mentor in outcome.notify)
    if isinstance(outcome, Passed | Expired) and outcome.unanswered:
        return (*requests, (ask.asker_id, DeliveryKind.ASK_UNANSWERED))
    if isinstance(outcome, AskRouted) and outcome.unqueued:
        return (*requests, (ask.asker_id, DeliveryKind.ASK_UNQUEUED))
    return requests


def on_screen(outcome: Outcome) -> tuple[tuple[str, DeliveryKind], ...]:
    """The DM of `direct_messages(outcome)` the asker is waiting for in Slack now: a new ask's
    request to its best-ranked candidate, which the outbox sends ahead of whatever else is
    queued (bot.deliveries.Urgency). Widening and passing on happen while nobody watches."""
    if isinstance(outcome, AskRouted) and outcome.notify:
        return ((outcome.notify[0].user_id, DeliveryKind.ASK_REQUEST),)
    return ()


@dataclass(frozen=True)
class NetworkEntry:
    skill: Skill
    mentor_ids: tuple[str, ...]
    # Those of mentor_ids a round introduced to help with this skill, by the label of the
    # program whose round it was (bot.rounds.model.Program.label); the others took an ask of mine.
    from_rounds: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Network:
    wants: tuple[NetworkEntry, ...]  # every want, with the mentors who helped on it (maybe none)
    elsewhere: tuple[NetworkEntry, ...]  # skills the member got help with that are not among their wants


def policy_for(work: UnitOfWork, team_id: str, deployment: AskPolicy, timeout_hours: int | None) -> AskPolicy:
    """How asks travel in this workspace: the deployment's policy, with the ask timeout its
    admins set unless the deployment fixes one for all (`timeout_hours`)."""
    hours = timeout_hours or work.program.settings(team_id).ask_timeout_hours
    return replace(deployment, timeout=timedelta(hours=hours))


def ranking_for(
    work: UnitOfWork,
    team_id: str,
    skill: Skill,
    asker_id: str,
    now: datetime,
    policy: AskPolicy,
    limit: int,
    already_asked: frozenset[str] = frozenset(),
) -> Ranking:
    """Rank everyone who offers `skill` for this asker, leaving out those already asked."""
    asks = work.asks
    offset, _ = work.profiles.timezone(team_id, asker_id)
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
    work: UnitOfWork, ask: Ask, skill: Skill | None, now: datetime, policy: AskPolicy, limit: int
) -> tuple[RankedMentor, ...]:
    """The next candidates for `ask` on `skill`, leaving out everyone asked already."""
    return _ranking(work, ask, skill, now, policy, limit).chosen


def _ranking(work: UnitOfWork, ask: Ask, skill: Skill | None, now: datetime, policy: AskPolicy, limit: int) -> Ranking:
    if skill is None:  # an ask still waiting for its skill has nobody to ask
        return Ranking(chosen=())
    already = frozenset(work.asks.asked(ask.id))
    return ranking_for(work, ask.team_id, skill, ask.asker_id, now, policy, limit, already)


def _current(asks: AskRepository, team_id: str, ask_id: int) -> Ask:
    """The ask as it stands now; one this member may not see is not theirs."""
    ask = asks.get(team_id, ask_id)
    if ask is None:
        raise AskUnavailable("not_yours")
    return ask


def _notification(asks: AskRepository, ask_id: int, user_id: str) -> Notification:
    """The DM that asked this candidate; a member never asked was never sent one."""
    notification = asks.notification(ask_id, user_id)
    if notification is None:
        raise AskUnavailable("not_yours")
    return notification


def _route(work: UnitOfWork, ask: Ask, skill: Skill, now: datetime, policy: AskPolicy) -> AskRouted:
    """Send a new ask to the best candidates; when everyone who offers the skill is busy (at
    capacity, or with requests waiting), queue it until its deadline; with nobody at all, close it."""
    asks = work.asks
    ranking = _ranking(work, ask, skill, now, policy, policy.fanout)
    chosen = ranking.chosen
    if not chosen and ranking.busy:
        asks.transition(ask.id, {ask.status}, AskStatus.QUEUED, now, deadline_at=now + policy.timeout)
        return AskRouted(ask=_current(asks, ask.team_id, ask.id), waiting_for=len(ranking.busy))
    if not chosen:
        asks.transition(ask.id, {ask.status}, AskStatus.UNANSWERED, now)
        channel = work.program.settings(ask.team_id).program_channel
        return AskRouted(ask=_current(asks, ask.team_id, ask.id), program_channel=channel)
    asks.add_candidates(ask, [mentor.user_id for mentor in chosen], now)
    asks.transition(ask.id, {ask.status}, AskStatus.OPEN, now, deadline_at=now + policy.timeout)
    profile = work.profiles.get(ask.team_id, ask.asker_id)
    reminder = (
        (profile is None or not profile.offers)
        and asks.count_by(ask.team_id, ask.asker_id) >= GIVE_FIRST_AFTER_ASKS
        and work.profiles.claim_give_first_reminder(ask.team_id, ask.asker_id)
    )
    return AskRouted(ask=_current(asks, ask.team_id, ask.id), notify=chosen, give_first_reminder=reminder)


def start_ask(
    work: UnitOfWork,
    team_id: str,
    asker_id: str,
    text: str,
    now: datetime,
    policy: AskPolicy,
    skill: Skill | None = None,
) -> AskRouted:
    """`/mentor ask <question>`: find the skill, then the mentors; or ask the asker to pick a
    skill. An asker who offers nothing is reminded, once ever, to give after their
    GIVE_FIRST_AFTER_ASKS-th ask. A skill the asker confirmed (`skill`, from the "Find a
    mentor" modal, or a #tag) makes the question's words evidence for it in this workspace.
    Raises InvalidInput for an empty, too short or overlong question."""
    question = clean_question(text)
    asks = work.asks
    vocabulary = asks.vocabulary(team_id)
    words = evidence_words(question)
    if skill is None:
        detection = detect_skills(question, vocabulary, SUGGESTIONS, asks.evidence(team_id, words))
        if not detection.skills:
            ask = asks.create(team_id, asker_id, question, None, now, AskStatus.NEEDS_SKILL)
            # Never a list of unrelated skills: with nothing related, the asker names one.
            choices = tuple(asks.most_offered(team_id, SKILL_CHOICES))
            return AskRouted(ask=ask, suggestions=detection.suggestions, choices=choices)
        skill = _first_with_mentors(work, detection.skills, team_id, asker_id, now, policy)
        confirmed = skill.key in detection.tagged  # a name the text merely contains is a guess
    else:
        skill = {known.key: known for known in vocabulary}.get(skill.key, skill)
        confirmed = True
    ask = asks.create(team_id, asker_id, question, skill, now, AskStatus.NEEDS_SKILL)
    if confirmed:
        asks.learn(ask, skill, words)
    return _route(work, ask, skill, now, policy)


def _first_with_mentors(
    work: UnitOfWork,
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
        if ranking_for(work, team_id, skill, asker_id, now, policy, limit=1).chosen:
            return skill
    return skills[0]


def choose_skill(
    work: UnitOfWork,
    team_id: str,
    ask_id: int,
    user_id: str,
    skill_name: str,
    now: datetime,
    policy: AskPolicy,
) -> AskRouted:
    """The asker picked or typed the skill of an ask that had none (a suggestion, or from the
    menu): the question's words become evidence for it in this workspace. Raises
    AskUnavailable for an ask that is not theirs or already has its skill, InvalidInput for
    a bad skill name."""
    asks = work.asks
    ask = _own_ask(asks, team_id, ask_id, user_id)
    if ask.status is not AskStatus.NEEDS_SKILL:
        raise AskUnavailable("already_routed", ask)
    skill = normalize_skill(skill_name)
    skill = {known.key: known for known in asks.vocabulary(team_id)}.get(skill.key, skill)
    asks.set_skill(ask.id, skill)
    asks.learn(ask, skill, evidence_words(ask.question))
    return _route(work, _current(asks, team_id, ask.id), skill, now, policy)


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


def accept_ask(
    work: UnitOfWork, team_id: str, ask_id: int, user_id: str, now: datetime, followup_policy: FollowUpPolicy
) -> Accepted:
    """ "I can help": the first to click wins the ask, and everyone else's DM gets closed. In
    the same transaction the mentee's follow-up is planned, unless they turned follow-ups off.
    Raises AskUnavailable for someone never asked about it, or an ask taken, answered or closed."""
    asks = work.asks
    ask = _as_candidate(asks, team_id, ask_id, user_id)
    if asks.candidate_status(ask_id, user_id) is not CandidateStatus.NOTIFIED:
        raise _why_closed(asks, ask, user_id)
    if not asks.transition(ask_id, {AskStatus.OPEN}, AskStatus.MATCHED, now, mentor_id=user_id, matched_at=now):
        raise _why_closed(asks, _current(asks, team_id, ask_id), user_id)
    asks.respond(ask_id, user_id, CandidateStatus.ACCEPTED, now)
    others = tuple(asks.close_waiting(ask_id, now))
    matched = _current(asks, team_id, ask_id)
    followup = followup_services.schedule_after_accept(work, matched, now, followup_policy)
    return Accepted(matched, user_id, _notification(asks, ask_id, user_id), others, followup)


def pass_ask(
    work: UnitOfWork,
    team_id: str,
    ask_id: int,
    user_id: str,
    now: datetime,
    policy: AskPolicy,
    status: CandidateStatus = CandidateStatus.DECLINED,
) -> Passed:
    """ "Not this time" (or a DM that could not be delivered, with status CLOSED): ask the
    next best candidate, if any; with nobody left and nobody waiting, the ask waits in line
    when others who offer the skill are only busy (until its deadline), and closes otherwise.
    Raises AskUnavailable for someone never asked about it, or who answered already."""
    asks = work.asks
    ask = _as_candidate(asks, team_id, ask_id, user_id)
    if not asks.respond(ask_id, user_id, status, now):
        raise _why_closed(asks, ask, user_id)
    mine = _notification(asks, ask_id, user_id)
    if ask.status is not AskStatus.OPEN:
        return Passed(ask, mine, (), unanswered=False)
    ranking = _ranking(work, ask, ask.skill, now, policy, limit=1)
    following = ranking.chosen
    if following:
        asks.add_candidates(ask, [following[0].user_id], now)
        return Passed(ask, mine, following, unanswered=False)
    if asks.waiting_count(ask_id) == 0 and ranking.busy:
        # Everyone else who offers the skill is busy: it waits in line, until its deadline.
        asks.transition(ask_id, {AskStatus.OPEN}, AskStatus.QUEUED, now)
        return Passed(_current(asks, team_id, ask_id), mine, (), unanswered=False)
    if asks.waiting_count(ask_id) == 0:
        asks.transition(ask_id, {AskStatus.OPEN}, AskStatus.UNANSWERED, now)
        return Passed(_current(asks, team_id, ask_id), mine, (), unanswered=True)
    return Passed(ask, mine, (), unanswered=False)


def pass_unreachable(
    work: UnitOfWork, team_id: str, ask_id: int, user_id: str, now: datetime, policy: AskPolicy
) -> Passed:
    """A candidate whose request Slack refused for good: the ask passes to the next best as
    pass_ask does (their answer recorded as CLOSED). When Slack says they cannot be messaged
    at all, the caller also marks them gone (bot.members.services.set_deactivated), which
    leaves them out of rankings. Raises AskUnavailable as pass_ask does."""
    return pass_ask(work, team_id, ask_id, user_id, now, policy, status=CandidateStatus.CLOSED)


def expire_ask(work: UnitOfWork, ask: Ask, now: datetime, policy: AskPolicy) -> Expired:
    """Nobody accepted in time: widen to the next candidates once, then close it honestly. A
    queued ask whose deadline came while everyone stayed busy closes at once, as unanswered."""
    asks = work.asks
    if ask.status is AskStatus.QUEUED:
        asks.transition(ask.id, {AskStatus.QUEUED}, AskStatus.UNANSWERED, now)
        return Expired(_current(asks, ask.team_id, ask.id), (), (), unanswered=True)
    if not ask.widened:
        wider = _rank(work, ask, ask.skill, now, policy, policy.fanout)
        if wider:
            asks.add_candidates(ask, [mentor.user_id for mentor in wider], now)
            asks.transition(
                ask.id, {AskStatus.OPEN}, AskStatus.OPEN, now, widened=True, deadline_at=now + policy.timeout
            )
            return Expired(_current(asks, ask.team_id, ask.id), wider, (), unanswered=False)
    closed = tuple(asks.close_waiting(ask.id, now))
    asks.transition(ask.id, {AskStatus.OPEN}, AskStatus.UNANSWERED, now)
    return Expired(_current(asks, ask.team_id, ask.id), (), closed, unanswered=True)


# The line is read this many asks at a time, oldest first.
QUEUE_BATCH = 20


# Rankings one pass over the line may make (each about 8 ms at p50 in a workspace of 100,000:
# bench/ask.py): a member's click frees at most a few places, and the expiry job's pass every
# 5 minutes (jobs/asks.py) goes on where a busy line stopped. Asks of a skill found full cost none.
QUEUE_RANKINGS = 20


def route_queued(
    work: UnitOfWork, team_id: str, now: datetime, policy: AskPolicy, rankings: int | None = QUEUE_RANKINGS
) -> tuple[AskRouted, ...]:
    """Send the workspace's queued asks, oldest first, to whoever has room now. Called after
    every change that can free a mentor (an answer, a taken, cancelled or closed ask, a
    profile's capacity or offers, a resume) and by the expiry job, for accepted asks that
    stop holding a slot with time (AskPolicy.busy_after_accepting).

    Once an ask of a skill finds everyone who offers it busy, the later asks of that skill
    are passed over without ranking (unless the ask's own asker or candidates were what left
    it nobody), so a line full of one skill never holds back an ask of another: the whole
    line is read, and at most `rankings` rankings made (None: no limit).

    Each ask leaves the queue by a guarded transition (QUEUED to OPEN) before any candidate
    is added: of two transactions freeing mentors at once, one moves it and the other finds
    it open and leaves it, so its requests are queued once. Its deadline restarts: the
    candidates get the whole timeout to answer. Returns what went out, for their DMs."""
    asks = work.asks
    routed = []
    full: set[str] = set()  # skills whose every offerer is busy, whoever asks
    after: tuple[datetime, int] | None = None
    while rankings is None or rankings > 0:
        line = asks.queued(team_id, QUEUE_BATCH, after)
        for ask in line:
            after = (ask.created_at, ask.id)
            if ask.skill is None or ask.skill.key in full or (ask.deadline_at is not None and ask.deadline_at <= now):
                continue  # passed over; one past its deadline the expiry job closes
            if rankings is not None:
                if rankings == 0:
                    break
                rankings -= 1
            ranking = _ranking(work, ask, ask.skill, now, policy, policy.fanout)
            if not ranking.chosen:
                if ask.asker_id not in ranking.excluded and not asks.asked(ask.id):
                    full.add(ask.skill.key)
                continue
            if not asks.transition(ask.id, {AskStatus.QUEUED}, AskStatus.OPEN, now, deadline_at=now + policy.timeout):
                continue  # cancelled, or sent by another process meanwhile
            asks.add_candidates(ask, [mentor.user_id for mentor in ranking.chosen], now)
            routed.append(AskRouted(ask=_current(asks, team_id, ask.id), notify=ranking.chosen, unqueued=True))
        if len(line) < QUEUE_BATCH:
            break
    return tuple(routed)


def frees_room(outcome: Outcome | Cancelled) -> bool:
    """Whether an outcome may have freed a mentor for a queued ask: an answer, or an ask that
    was taken, closed or withdrawn (its waiting requests stop counting)."""
    if isinstance(outcome, AskRouted):
        return False
    if isinstance(outcome, Expired):
        return outcome.unanswered
    return True


def cancel_ask(work: UnitOfWork, team_id: str, ask_id: int, user_id: str, now: datetime) -> Cancelled:
    """The asker withdraws an ask that nobody has taken yet. Raises AskUnavailable for an
    ask that is not theirs, or is taken or closed."""
    asks = work.asks
    ask = _own_ask(asks, team_id, ask_id, user_id)
    if not asks.transition(ask_id, {AskStatus.OPEN, AskStatus.NEEDS_SKILL, AskStatus.QUEUED}, AskStatus.CANCELLED, now):
        raise AskUnavailable(_current(asks, team_id, ask_id).status.value, ask)
    return Cancelled(_current(asks, team_id, ask_id), tuple(asks.close_waiting(ask_id, now)))


def mentor_network(work: UnitOfWork, team_id: str, user_id: str) -> Network:
    """For each of my wants, who has helped me with it: mentors who took an ask of mine and
    round partners introduced to help me with it; and help I got on other skills."""
    helped: dict[str, list[str]] = {}
    labels: dict[str, Skill] = {}
    from_rounds: dict[str, list[tuple[str, str]]] = {}

    def add(skill: Skill, mentor_id: str) -> None:
        labels.setdefault(skill.key, skill)
        if mentor_id not in helped.setdefault(skill.key, []):
            helped[skill.key].append(mentor_id)

    for skill, mentor_id in work.asks.mentors_of(team_id, user_id):
        if not is_forgotten(mentor_id):  # a mentor who asked to be forgotten: that skill may now show as a gap
            add(skill, mentor_id)
    for pairing in reversed(work.rounds.pairings_of(team_id, user_id)):  # oldest first, as asks
        for teacher, learner, skill_labels in pairing.teaching:
            if learner != user_id or is_forgotten(teacher):
                continue
            for label in skill_labels:
                skill = Skill(key=skill_key(label), label=label)
                if teacher not in helped.get(skill.key, ()):
                    from_rounds.setdefault(skill.key, []).append((teacher, pairing.program.label))
                add(skill, teacher)
    profile = work.profiles.get(team_id, user_id)
    wants = profile.wants if profile else ()
    want_keys = {skill.key for skill in wants}

    def entry(skill: Skill) -> NetworkEntry:
        return NetworkEntry(skill, tuple(helped.get(skill.key, ())), tuple(from_rounds.get(skill.key, ())))

    return Network(
        wants=tuple(entry(skill) for skill in wants),
        elsewhere=tuple(entry(labels[key]) for key in helped if key not in want_keys),
    )


def known_skill(work: UnitOfWork, team_id: str, skill_key: str) -> Skill:
    """A skill of the workspace's vocabulary by key; keys from Slack payloads are not trusted.
    Raises InvalidInput for a key that is not (any more) in the vocabulary."""
    skill = {known.key: known for known in work.asks.vocabulary(team_id)}.get(skill_key)
    if skill is None:
        raise InvalidInput("That skill is no longer in this workspace's list.")
    return skill


def check_ask(work: UnitOfWork, team_id: str, question: str, skill_key: str) -> Skill:
    """The "Find a mentor" modal's question and the skill it was opened for, checked before
    the modal closes so that a refusal shows in it; the ask itself starts after (start_ask).
    Raises InvalidInput for an empty or overlong question, or a skill not in the vocabulary."""
    clean_question(question)
    return known_skill(work, team_id, skill_key)


def suggest_mentors(
    work: UnitOfWork, team_id: str, user_id: str, skill_key: str, now: datetime, policy: AskPolicy
) -> tuple[Skill, Ranking]:
    """ "Find a mentor" for one of my wants: the people an ask about it would reach first
    (`chosen`), or, with nobody free, those it would wait for (`busy`). Raises InvalidInput
    for a skill not in the vocabulary."""
    skill = known_skill(work, team_id, skill_key)
    return skill, ranking_for(work, team_id, skill, user_id, now, policy, policy.fanout)


# --- when nobody could take it: the program channel, and trying again (issue 20) -------------
def _closed_own_ask(work: UnitOfWork, team_id: str, ask_id: int, user_id: str) -> Ask:
    """The asker's ask that nobody could take, not tried again yet. Raises AskUnavailable for
    an ask that is not theirs, not closed unanswered, or tried again already."""
    asks = work.asks
    ask = _own_ask(asks, team_id, ask_id, user_id)
    if ask.status is not AskStatus.UNANSWERED or asks.retried(ask.id):
        raise AskUnavailable("tried_again", ask)
    return ask


def _try_again(work: UnitOfWork, ask: Ask, status: AskStatus, skill: Skill | None, now: datetime) -> Ask:
    """A new ask, in `status`, with the question of `ask`, which it names (`retry_of`: each ask
    is tried again once). Always a new one, never `ask` reopened: its own DMs and its place in
    the line start afresh, and the old one's buttons stay spent."""
    return work.asks.create(ask.team_id, ask.asker_id, ask.question, skill, now, status, retry_of=ask.id)


def post_to_channel(
    work: UnitOfWork, team_id: str, ask_id: int, user_id: str, anonymous: bool, now: datetime, policy: AskPolicy
) -> Posted:
    """The asker posts an ask nobody could take in the program channel, with their name or
    without (`anonymous`): anyone there may say "I can help" until the ask's timeout, the first
    wins (claim_ask). Raises AskUnavailable for an ask that is not theirs, is not closed
    unanswered, or was tried again already, and when admins named no program channel."""
    channel = work.program.settings(team_id).program_channel
    ask = _closed_own_ask(work, team_id, ask_id, user_id)
    if channel is None:
        raise AskUnavailable("no_channel", ask)
    posted = _try_again(work, ask, AskStatus.OPEN, ask.skill, now)
    work.asks.set_post(posted.id, channel, anonymous)
    # Widened already: when the timeout passes it closes, it does not go on to more people.
    work.asks.transition(
        posted.id, {AskStatus.OPEN}, AskStatus.OPEN, now, widened=True, deadline_at=now + policy.timeout
    )
    return Posted(_current(work.asks, team_id, posted.id), policy.timeout)


def claim_ask(
    work: UnitOfWork, team_id: str, ask_id: int, user_id: str, now: datetime, followup_policy: FollowUpPolicy
) -> Accepted | Cancelled:
    """ "I can help" on an ask in the program channel: anyone but the asker may take it, the
    first click wins, and they are introduced as with a direct accept (accept_ask). An asker
    Slack can no longer reach has the ask closed instead (Cancelled). Raises AskUnavailable
    for an ask never posted, the asker's own, or one taken or closed."""
    asks = work.asks
    ask = asks.get(team_id, ask_id)
    if ask is None or ask.post is None:
        raise AskUnavailable("not_yours")
    if ask.asker_id == user_id:
        raise AskUnavailable("own_ask", ask)
    if ask.status is not AskStatus.OPEN:
        raise AskUnavailable(ask.status.value, ask)
    if work.profiles.deactivated(team_id, ask.asker_id):
        if not asks.transition(ask_id, {AskStatus.OPEN}, AskStatus.CANCELLED, now):
            raise AskUnavailable(_current(asks, team_id, ask_id).status.value, ask)
        return Cancelled(_current(asks, team_id, ask_id), ())
    if not asks.transition(ask_id, {AskStatus.OPEN}, AskStatus.MATCHED, now, mentor_id=user_id, matched_at=now):
        raise AskUnavailable(_current(asks, team_id, ask_id).status.value, ask)
    asks.add_claimer(ask, user_id, now)
    matched = _current(asks, team_id, ask_id)
    followup = followup_services.schedule_after_accept(work, matched, now, followup_policy)
    return Accepted(matched, user_id, _notification(asks, ask_id, user_id), (), followup)


def ask_again(work: UnitOfWork, team_id: str, ask_id: int, user_id: str, now: datetime, policy: AskPolicy) -> AskRouted:
    """ "Ask again": the same question on the same skill, routed as a fresh ask (ranking leaves
    out whoever cannot take it now). Raises AskUnavailable as post_to_channel does."""
    ask = _closed_own_ask(work, team_id, ask_id, user_id)
    if ask.skill is None:
        raise AskUnavailable("tried_again", ask)
    again = _try_again(work, ask, AskStatus.NEEDS_SKILL, ask.skill, now)
    return _route(work, again, ask.skill, now, policy)


def ask_other_skill(work: UnitOfWork, team_id: str, ask_id: int, user_id: str, now: datetime) -> AskRouted:
    """ "Name another skill": the same question waits for a skill again, which the asker picks
    or types (choose_skill routes it). The skill it had is not suggested again; the others
    are ranked as for a question that names none (rank_skills: by name and by what the
    workspace learned), so a question that named the skill tried still gets suggestions.
    Raises AskUnavailable as post_to_channel does."""
    ask = _closed_own_ask(work, team_id, ask_id, user_id)
    again = _try_again(work, ask, AskStatus.NEEDS_SKILL, None, now)
    tried = ask.skill.key if ask.skill else None
    others = [skill for skill in work.asks.vocabulary(team_id) if skill.key != tried]
    evidence = work.asks.evidence(team_id, evidence_words(ask.question))
    choices = work.asks.most_offered(team_id, SKILL_CHOICES)
    return AskRouted(
        ask=again,
        suggestions=rank_skills(ask.question, others, SUGGESTIONS, evidence),
        choices=tuple(skill for skill in choices if skill.key != tried),
    )
