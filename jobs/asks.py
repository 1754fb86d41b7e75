"""Carrying asks through Slack: the use cases' DMs queued in the outbox, the expiry job.

Listeners (commands, actions, views) and the scheduler share these; each runs one use case
from bot.asks.services in a transaction, queues there (queue_dms) every DM it calls for, and
after the commit wakes the outbox (jobs/outbox.py) to send them: the candidates' requests,
the pair's introduction, the asker's "nobody could take it", and the edits of the candidates'
DMs already sent (chat.update: passed, taken, closed). So every ask DM is paced with the rest,
looked up before a retry, sent once and never lost; the outbox's HOOKS (jobs/deliveries.py) do
what follows each (recording a request's DM, passing over a candidate Slack cannot reach,
telling the candidates who took the ask once the pair is introduced).
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.asks import messages as ask_messages
from bot.asks import services as ask_services
from bot.asks.model import Ask, AskStatus, Notification
from bot.deliveries import AskEdit
from bot.members.model import Skill
from deps import Deps
from jobs import outbox
from storage.db import Repositories

logger = logging.getLogger(__name__)

TIMEZONE_FRESH_FOR = timedelta(days=7)


WAITING = (AskStatus.OPEN, AskStatus.QUEUED)  # what the expiry job widens or closes

Reply = Callable[[dict], None]
Outcome = TypeVar(
    "Outcome",
    ask_services.AskRouted,
    ask_services.Accepted,
    ask_services.Passed,
    ask_services.Expired,
    ask_services.Cancelled,
    ask_services.Posted,
)


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


def queue_dms(work: Repositories, deps: Deps, outcome: Outcome) -> Outcome:
    """In the transaction of the use case that returned `outcome`: queue in the outbox the DMs
    it calls for, new ones and edits of candidates' DMs already sent; and when it may have
    freed a mentor, send the workspace's queued asks that can go now (route_queued), their
    DMs queued too. Returns `outcome`."""
    now = deps.clock()
    if isinstance(outcome, ask_services.Posted):
        work.asks.queue_post(outcome.ask, now)
        return outcome
    if not isinstance(outcome, ask_services.Cancelled):
        dms = ask_services.direct_messages(outcome)
        work.asks.queue_dms(outcome.ask, dms, now, on_screen=ask_services.on_screen(outcome))
    work.asks.queue_edits(outcome.ask, _edits(outcome), now)
    if outcome.ask.post is not None and outcome.ask.status is not AskStatus.OPEN:
        work.asks.queue_post_update(outcome.ask, now)  # taken, withdrawn or closed: the channel sees it
    if ask_services.frees_room(outcome):
        send_queued(work, deps, outcome.ask.team_id)
    return outcome


def send_queued(
    work: Repositories, deps: Deps, team_id: str, rankings: int | None = ask_services.QUEUE_RANKINGS
) -> int:
    """In the caller's transaction: route the workspace's queued asks that someone has room
    for now, making at most `rankings` rankings (None: no limit), and queue their DMs (the
    requests, and the asker's word that it went out). Returns how many went out; the caller
    wakes the outbox after its commit."""
    now = deps.clock()
    routed = ask_services.route_queued(work, team_id, now, deps.ask_policy_for(work, team_id), rankings)
    for sent in routed:
        work.asks.queue_dms(sent.ask, ask_services.direct_messages(sent), now)
    return len(routed)


def send_queued_asks(deps: Deps, team_id: str | None = None) -> int:
    """Route the queued asks of one workspace after a member's change that may give them room
    (more capacity, a new skill offered, a resume), or of every workspace with any, the
    whole line, from the expiry job (for accepted asks that stop holding a slot with time,
    and for what a pass after a click left unread); each workspace in its own transaction,
    then wake the outbox. Returns how many asks went out."""
    with deps.store.transaction() as repositories:
        teams = [team_id] if team_id else repositories.asks.teams_with_queued()
    rankings = ask_services.QUEUE_RANKINGS if team_id else None
    sent = 0
    for team in teams:
        with deps.store.transaction() as repositories:
            sent += send_queued(repositories, deps, team, rankings)
    if sent:
        outbox.kick(deps)
    return sent


def _edits(outcome: Outcome) -> tuple[tuple[str, AskEdit], ...]:
    """The candidates' DMs an outcome changes, as (candidate, edit). The mentor who took an
    ask hears it once the pair's introduction is sent or refused (jobs/deliveries.py, HOOKS)."""
    if isinstance(outcome, ask_services.Accepted):
        return _each(outcome.others, AskEdit.TAKEN)
    if isinstance(outcome, ask_services.Passed):
        return _each((outcome.mine,), AskEdit.PASSED)
    if isinstance(outcome, ask_services.Expired | ask_services.Cancelled):
        return _each(outcome.closed, AskEdit.CLOSED)
    return ()


def _each(notifications: tuple[Notification, ...], edit: AskEdit) -> tuple[tuple[str, AskEdit], ...]:
    return tuple((notification.user_id, edit) for notification in notifications)


def deliver_routed(client: WebClient, deps: Deps, routed: ask_services.AskRouted, reply: Reply) -> None:
    """After an ask is started or given its skill, its requests queued: send them at once, and
    tell the asker whom they went to."""
    if routed.notify:
        outbox.kick(deps)
    reply(ask_messages.routed(routed))


def start_ask(
    client: WebClient,
    deps: Deps,
    team_id: str,
    user_id: str,
    question: str,
    reply: Reply,
    skill: Skill | None = None,
    also: Callable[[Repositories], None] | None = None,
) -> None:
    """A new ask, from `/mentor ask` or the "Find a mentor" modal: route it, queue the
    candidates' requests, send them, tell the asker. Slow: run it after the ack. `also`
    runs in the ask's transaction, last (a command's work marked done with it)."""
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
        if also is not None:
            also(repositories)
    deliver_routed(client, deps, routed, reply)


def expire_due_asks(deps: Deps) -> int:
    """The scheduler's job: widen or close asks nobody accepted in time (queued ones too), their
    DMs queued with each change and then sent; then send the queued asks someone has room for
    now (send_queued_asks). Returns how many asks were widened or closed."""
    handled = 0
    while True:
        now = deps.clock()
        with deps.store.transaction() as repositories:
            due = repositories.asks.due(now, limit=50)
        if not due:
            send_queued_asks(deps)
            if handled:
                outbox.kick(deps)
            return handled
        for ask in due:
            with deps.store.transaction() as repositories:
                current = repositories.asks.get(ask.team_id, ask.id)
                if current is None or current.status not in WAITING or not _is_due(current, now):
                    continue  # another process or a click got there first
                expired = ask_services.expire_ask(
                    repositories,
                    current,
                    now,
                    deps.ask_policy_for(repositories, ask.team_id),
                )
                queue_dms(repositories, deps, expired)
            handled += 1


def _is_due(ask: Ask, now: datetime) -> bool:
    return ask.deadline_at is not None and ask.deadline_at <= now
