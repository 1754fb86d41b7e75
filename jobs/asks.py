"""Carrying asks through Slack: the DMs to candidates, the group DM, the updates, the expiry job.

Listeners (commands, actions, views) and the scheduler share these; each runs one
use case from bot.asks.services in a transaction, then sends what it returned.

Ask DMs still go straight to Slack from here, where every other message goes through the
outbox (jobs/outbox.py). Whether they do is ASK_DMS_THROUGH_OUTBOX, read in _ask_dms() alone:
turned on, the candidates' requests, the pair's introduction and the asker's "nobody could
take it" are queued with the use case that calls for them, in its transaction (queue_dms),
and the outbox sends them, its HOOKS doing what follows each (recording the request's DM,
passing over a candidate Slack cannot reach, updating the candidates' DMs once the pair is
introduced). Updates of DMs already sent (chat.update) go from here either way.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.asks import messages as ask_messages
from bot.asks import services as ask_services
from bot.asks.model import Ask, AskStatus, Notification
from bot.asks.ranking import RankedMentor
from bot.followups import messages as followup_messages
from bot.members.model import Skill
from deps import Deps
from jobs import departures, outbox
from jobs.slack_errors import UNREACHABLE
from storage.db import Repositories

logger = logging.getLogger(__name__)

# Issue 20 moves every ask DM into the outbox: paced, looked up before a retry, never sent
# twice, never lost. Turning this on is that move for the three messages above.
ASK_DMS_THROUGH_OUTBOX = False

TIMEZONE_FRESH_FOR = timedelta(days=7)

Reply = Callable[[dict], None]
Outcome = TypeVar("Outcome", ask_services.AskRouted, ask_services.Accepted, ask_services.Passed, ask_services.Expired)


def refresh_member(client: WebClient, deps: Deps, team_id: str, user_id: str) -> None:
    """Cache the member's time zone from users.info, at most once a week."""
    with deps.store.transaction() as repositories:
        _, checked_at = repositories.profiles.timezone(team_id, user_id)
    now = deps.clock()
    if checked_at is not None and now - checked_at < TIMEZONE_FRESH_FOR:
        return
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        logger.warning("users.info failed: %s", error.response.get("error"))
        return
    with deps.store.transaction() as repositories:
        repositories.profiles.record_slack_profile(
            team_id, user_id, user.get("tz_offset"), user.get("tz"), bool(user.get("deleted")), now
        )


def send_dm(client: WebClient, user_id: str, message: dict) -> tuple[str, str]:
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    posted = client.chat_postMessage(channel=channel, **message)
    return channel, posted["ts"]


def reply_by_dm(client: WebClient, user_id: str) -> Reply:
    def reply(message: dict) -> None:
        send_dm(client, user_id, message)

    return reply


def update_notifications(client: WebClient, notifications, message: dict) -> None:
    for notification in notifications:
        if notification.channel and notification.message_ts:
            try:
                client.chat_update(channel=notification.channel, ts=notification.message_ts, **message)
            except SlackApiError as error:
                logger.warning("chat.update of an ask DM failed: %s", error.response.get("error"))


def notify_candidates(
    client: WebClient, deps: Deps, ask: Ask, mentors: tuple[RankedMentor, ...], tell_asker: bool = True
) -> int:
    """DM each candidate; one who cannot be reached is replaced by the next best. If that
    leaves nobody, the ask closes and (with `tell_asker`) the asker hears it. Returns how
    many were reached."""
    reached = 0
    queue = list(mentors)
    while queue:
        mentor = queue.pop(0)
        try:
            channel, ts = send_dm(client, mentor.user_id, ask_messages.candidate_request(ask))
        except SlackApiError as error:
            code = error.response.get("error")
            logger.warning("Could not DM a candidate about ask %s: %s", ask.id, code)
            told: tuple[str, ...] = ()
            with deps.store.transaction() as repositories:
                if code in UNREACHABLE:
                    told = departures.mark_gone(deps, repositories, ask.team_id, (mentor.user_id,))
                passed = ask_services.pass_unreachable(
                    repositories,
                    ask.team_id,
                    ask.id,
                    mentor.user_id,
                    deps.clock(),
                    deps.ask_policy_for(repositories, ask.team_id),
                )
            if told:
                outbox.kick(deps)  # their round partners' word
            queue.extend(passed.notify)
            if passed.unanswered and tell_asker:
                POSTED.unanswered(client, deps, passed.ask)
            continue
        with deps.store.transaction() as repositories:
            repositories.asks.record_notification(ask.id, mentor.user_id, channel, ts)
            current = repositories.asks.get(ask.team_id, ask.id)
        reached += 1
        if current is not None and current.status is not AskStatus.OPEN:
            # Taken, cancelled or closed while this DM was on its way: close it at once.
            update_notifications(
                client, [Notification(mentor.user_id, channel, ts)], ask_messages.candidate_too_late(current)
            )
    return reached


def mark_unreachable(
    client: WebClient, deps: Deps, team_id: str, recipients: str, error: SlackApiError
) -> tuple[str, ...]:
    """After Slack refused a DM posted from here to `recipients` (user ids joined by commas):
    those it cannot message are marked gone everywhere, as the outbox does for its DMs, and
    returned. Any other refusal is raised again: it is a failure, not a departure."""
    if error.response.get("error") not in UNREACHABLE:
        raise error
    gone = departures.unreachable_among(deps, client, team_id, recipients)
    with deps.store.transaction() as repositories:
        told = departures.mark_gone(deps, repositories, team_id, gone)
    if told:
        outbox.kick(deps)  # their round partners' word
    return gone


def deliver_routed(client: WebClient, deps: Deps, routed: ask_services.AskRouted, reply: Reply) -> None:
    """After an ask is started or given its skill: DM the candidates, then tell the asker."""
    if routed.notify:
        reached = _ask_dms().requests(client, deps, routed.ask, routed.notify, tell_asker=False)
        if reached == 0:
            with deps.store.transaction() as repositories:
                current = repositories.asks.get(routed.ask.team_id, routed.ask.id)
            routed = ask_services.AskRouted(ask=current or routed.ask)
        else:
            routed = ask_services.AskRouted(routed.ask, routed.notify[:reached], (), routed.give_first_reminder)
    reply(ask_messages.routed(routed))


def start_ask(
    client: WebClient, deps: Deps, team_id: str, user_id: str, question: str, reply: Reply, skill: Skill | None = None
) -> None:
    """A new ask, from `/mentor ask` or the "Find a mentor" modal: route it, DM the
    candidates, tell the asker. Slow: run it after the ack."""
    refresh_member(client, deps, team_id, user_id)
    with deps.store.transaction() as repositories:
        routed = ask_services.start_ask(
            repositories,
            team_id,
            user_id,
            question,
            deps.clock(),
            deps.ask_policy_for(repositories, team_id),
            skill=skill,
        )
        queue_dms(repositories, deps, routed)
    deliver_routed(client, deps, routed, reply)


def deliver_accepted(
    client: WebClient, deps: Deps, accepted: ask_services.Accepted, followup_planned: bool = False
) -> None:
    """The first "I can help": introduce the pair in a group DM and update everyone's DM."""
    _ask_dms().introduction(client, deps, accepted, followup_planned)


def introduce(client: WebClient, deps: Deps, accepted: ask_services.Accepted, followup_planned: bool) -> None:
    """The pair's group DM. If Slack cannot message one of them, they are marked gone, and a
    mentor left without an asker is told so in their DM."""
    ask = accepted.ask
    pair = f"{ask.asker_id},{accepted.mentor_id}"
    with deps.store.transaction() as repositories:
        policy = deps.followup_policy_for(repositories, ask.team_id)
    message = ask_messages.introduction(ask, followup_planned, followup_messages.timing(policy.delay))
    try:
        group = client.conversations_open(users=pair)["channel"]["id"]
        client.chat_postMessage(channel=group, **message)
    except SlackApiError as error:
        gone = mark_unreachable(client, deps, ask.team_id, pair, error)
        if ask.asker_id in gone:
            update_notifications(client, [accepted.mine], ask_messages.candidate_unintroduced(ask))
        update_notifications(client, accepted.others, ask_messages.candidate_taken(ask, accepted.mentor_id))
        return
    with deps.store.transaction() as repositories:
        repositories.asks.set_group_channel(ask.id, group)
    helping = ask_messages.candidate_helping(ask, followup_planned, followup_messages.timing(policy.delay))
    update_notifications(client, [accepted.mine], helping)
    update_notifications(client, accepted.others, ask_messages.candidate_taken(ask, accepted.mentor_id))


def deliver_passed(client: WebClient, deps: Deps, passed: ask_services.Passed) -> None:
    update_notifications(client, [passed.mine], ask_messages.candidate_passed(passed.ask))
    if passed.notify:
        _ask_dms().requests(client, deps, passed.ask, passed.notify, tell_asker=True)
    if passed.unanswered:
        _ask_dms().unanswered(client, deps, passed.ask)


def deliver_closed(client: WebClient, ask: Ask, closed: tuple[Notification, ...]) -> None:
    update_notifications(client, closed, ask_messages.candidate_closed(ask))


def expire_due_asks(deps: Deps) -> int:
    """The scheduler's job: widen or close asks nobody accepted in time. Returns how many were handled."""
    handled = 0
    while True:
        now = deps.clock()
        with deps.store.transaction() as repositories:
            due = repositories.asks.due(now, limit=50)
        if not due:
            return handled
        for ask in due:
            with deps.store.transaction() as repositories:
                current = repositories.asks.get(ask.team_id, ask.id)
                if current is None or current.status is not AskStatus.OPEN or not _is_due(current, now):
                    continue  # another process or a click got there first
                expired = ask_services.expire_ask(
                    repositories,
                    current,
                    now,
                    deps.ask_policy_for(repositories, ask.team_id),
                )
                queue_dms(repositories, deps, expired)
            handled += 1
            client = deps.client_for(ask.team_id)
            if client is None:
                logger.warning("No bot token for workspace %s: ask %s expired without messages", ask.team_id, ask.id)
                continue
            if expired.notify:
                _ask_dms().requests(client, deps, expired.ask, expired.notify, tell_asker=True)
            if expired.unanswered:
                deliver_closed(client, expired.ask, expired.closed)
                _ask_dms().unanswered(client, deps, expired.ask)


def _is_due(ask: Ask, now: datetime) -> bool:
    return ask.deadline_at is not None and ask.deadline_at <= now


# --- where ask DMs go: straight to Slack, or through the outbox --------------------------------
class AskDms(Protocol):
    """How the candidates' requests, the pair's introduction and the asker's "nobody could
    take it" reach Slack. `queue` runs in the use case's transaction, the others after it."""

    def queue(self, work: Repositories, outcome: ask_services.Outcome, now: datetime) -> None: ...

    def requests(
        self, client: WebClient, deps: Deps, ask: Ask, mentors: tuple[RankedMentor, ...], tell_asker: bool
    ) -> int:
        """Ask `mentors` about `ask`; how many were reached (or will be tried)."""
        ...

    def introduction(
        self, client: WebClient, deps: Deps, accepted: ask_services.Accepted, followup_planned: bool
    ) -> None: ...

    def unanswered(self, client: WebClient, deps: Deps, ask: Ask) -> None: ...


class _Posted:
    """Posted from here, after the transaction, as ask DMs always were."""

    def queue(self, work: Repositories, outcome: ask_services.Outcome, now: datetime) -> None:
        pass

    def requests(
        self, client: WebClient, deps: Deps, ask: Ask, mentors: tuple[RankedMentor, ...], tell_asker: bool
    ) -> int:
        return notify_candidates(client, deps, ask, mentors, tell_asker=tell_asker)

    def introduction(
        self, client: WebClient, deps: Deps, accepted: ask_services.Accepted, followup_planned: bool
    ) -> None:
        introduce(client, deps, accepted, followup_planned)

    def unanswered(self, client: WebClient, deps: Deps, ask: Ask) -> None:
        try:
            reply_by_dm(client, ask.asker_id)(ask_messages.unanswered(ask))
        except SlackApiError as error:
            mark_unreachable(client, deps, ask.team_id, ask.asker_id, error)


class _Queued:
    """Queued in the outbox with the use case; after it, the sender is woken to send them."""

    def queue(self, work: Repositories, outcome: ask_services.Outcome, now: datetime) -> None:
        work.asks.queue_dms(outcome.ask, ask_services.direct_messages(outcome), now)

    def requests(
        self, client: WebClient, deps: Deps, ask: Ask, mentors: tuple[RankedMentor, ...], tell_asker: bool
    ) -> int:
        # Whether each candidate can be reached is known only once the outbox has tried; one who
        # cannot is passed over there (jobs/deliveries.py, HOOKS), and the asker told if nobody is left.
        outbox.kick(deps)
        return len(mentors)

    def introduction(
        self, client: WebClient, deps: Deps, accepted: ask_services.Accepted, followup_planned: bool
    ) -> None:
        outbox.kick(deps)

    def unanswered(self, client: WebClient, deps: Deps, ask: Ask) -> None:
        outbox.kick(deps)


POSTED, QUEUED = _Posted(), _Queued()


def _ask_dms() -> AskDms:
    """Where ask DMs go: the one place that reads ASK_DMS_THROUGH_OUTBOX."""
    return QUEUED if ASK_DMS_THROUGH_OUTBOX else POSTED


def queue_dms(work: Repositories, deps: Deps, outcome: Outcome) -> Outcome:
    """In the transaction of the use case that returned `outcome`: queue the DMs it calls for,
    when ask DMs go through the outbox (nothing otherwise). Returns `outcome`."""
    _ask_dms().queue(work, outcome, deps.clock())
    return outcome
