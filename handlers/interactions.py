"""Clicks and events whose work runs after the ack, done as slash commands' is (see
handlers/commands/handoff.py): each is recorded in the database before its ack, with the
request as Slack sent it (defer_click, defer_events), and a worker runs its listener on it
(perform, jobs/command_jobs.py), once: the listener's transaction that changes something
also marks the job done (complete), fenced by the worker's claim. So a burst of clicks costs the
serving process one write each, batched (jobs/recording.py), and no longer competes with the
acks that follow it; and a click acknowledged survives the death of any process.

What needs Slack's 3-second trigger id (opening a modal) stays in the listener, not here."""

import inspect
import json
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from functools import partial

from slack_bolt import Ack, BoltContext, BoltResponse, Respond
from slack_sdk import WebClient

from bot import ids, replies
from bot.deliveries import DeliveryKind
from bot.errors import TemporarilyUnavailable
from deps import Deps
from handlers.listeners import (
    Click,
    LeaseLost,
    Performing,
    after_ack,
    bind,
    clicked,
    member_of,
    performing,
    refusal,
    reporting,
    tell_by_dm,
    workspace_of,
)
from jobs import outbox
from jobs.command_jobs import MAX_ATTEMPTS
from storage.command_jobs import ACTION, EVENT, VIEW, ClaimedJob, NewCommandJob

logger = logging.getLogger(__name__)

# How long an ack waits at most for its work to be recorded (Slack allows 3 s).
RECORD_WAIT_SECONDS = 1.0

# What Bolt's context holds that listeners read (handlers.listeners.workspace_of, member_of;
# Mentor's own user id, to leave it out of a program's channel): kept with the request, so
# that a worker's listener sees the request's own.
CONTEXT_KEYS = ("team_id", "enterprise_id", "is_enterprise_install", "user_id", "bot_user_id")

Listener = Callable[..., None]


def record_before_ack(deps: Deps, job: NewCommandJob, told: Callable[[dict], None] | None) -> None:
    """Record `job` for a worker (waking one of this process's), to be called before the ack.
    Raises TemporarilyUnavailable when the database refuses it: nothing will be done.

    A database busy with a long write (SQLite has one writer at a time) is waited for
    RECORD_WAIT_SECONDS at most: then the ack goes, the work is recorded once the database
    answers, and the member is `told` if it never does. Until then it is not durable."""
    recording = deps.recorder.record(job)
    try:
        recording.result(timeout=RECORD_WAIT_SECONDS)
    except TimeoutError:
        logger.warning("The database kept a %s %s waiting: acknowledged before it was recorded", job.surface, job.name)
        if told is not None:
            recording.add_done_callback(partial(_told_if_unrecorded, told))


def _told_if_unrecorded(told: Callable[[dict], None], recording: Future) -> None:
    error = recording.exception()
    if error is None:
        return
    logger.error("Work acknowledged could not be recorded: %s", type(error).__name__)
    message = error.message if isinstance(error, TemporarilyUnavailable) else TemporarilyUnavailable.message
    try:
        told(replies.unavailable(message))
    except Exception as failed:  # broad on purpose: a thread of our own: log it
        logger.error("Telling a member their request was not done failed: %s", type(failed).__name__)


def request_of(body: dict, context: BoltContext) -> str:
    """A request as a job keeps it (NewCommandJob.payload): Slack's body, and what of Bolt's
    context listeners read (CONTEXT_KEYS)."""
    return json.dumps({"body": body, "context": {key: context.get(key) for key in CONTEXT_KEYS}})


def defer_click(
    ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """A click whose listener runs after the ack, on a worker: recorded first, then acknowledged.
    A database that refuses it: the member is told, and nothing is done."""
    team_id, user_id = member_of(context)
    response_url = body.get("response_url") or ""
    job = NewCommandJob(team_id, user_id, action["action_id"], "", response_url, ACTION, request_of(body, context))
    try:
        record_before_ack(deps, job, partial(_answer, respond) if response_url else None)
    except TemporarilyUnavailable as error:
        ack()
        click = Click(body, respond, client)
        after_ack(deps, partial(click.refuse, refusal(error)), click.refuse)
        return
    ack()


def acknowledge_first(listener: Listener, deps: Deps) -> Listener:
    """`listener` (a module-level function with a keyword-only `deps`), ready for Bolt, for a
    click whose work cannot wait for a worker (opening a modal: its trigger id lasts 3
    seconds) or an event the database would not record: acknowledged at once, then run after
    the ack (after_ack) with the arguments of the request it names, as a worker runs a
    recorded one (perform). Raises TypeError, at start, for an argument it cannot be given."""
    bound = bind(listener, deps)
    wanted = [name for name in inspect.signature(listener).parameters if name != "deps"]
    if unknown := set(wanted) - set(ARGUMENTS):
        raise TypeError(f"{listener.__name__} asks for {', '.join(sorted(unknown))}: not given after the ack")

    def acknowledge(ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
        ack()
        arguments = arguments_of(body, respond, client, context)
        work = partial(bound, **{name: arguments[name] for name in wanted})
        # An event's failure is only logged: its member did nothing to hear back about.
        tell = (
            _not_told if body.get("type") == "event_callback" else telling(body, respond, client, context.user_id or "")
        )
        after_ack(deps, work, tell)

    acknowledge.__name__ = acknowledge.__qualname__ = listener.__name__  # Bolt names its logger after it
    return acknowledge


# What a listener run outside Bolt's own call can be given, by name (see arguments_of).
ARGUMENTS = ("ack", "body", "action", "event", "view", "respond", "client", "context")


def arguments_of(body: dict, respond: Respond, client: WebClient, context: BoltContext) -> dict:
    """The ARGUMENTS Bolt would give a listener for `body`; its ack() does nothing, the
    request having been acknowledged already."""
    return {
        "ack": _acknowledged,
        "body": body,
        "action": (body.get("actions") or [{}])[0],
        "event": body.get("event") or {},
        "view": body.get("view") or {},
        "respond": respond,
        "client": client,
        "context": context,
    }


def telling(body: dict, respond: Respond, client: WebClient, user_id: str) -> Callable[[dict], None]:
    """Where to tell a member what became of their request: under the message it came from,
    privately, or else by DM."""
    return partial(_answer, respond) if body.get("response_url") else partial(tell_by_dm, client, user_id)


def _not_told(message: dict) -> None:
    """Where nobody is told: only the log has it (failures with their cause, see reporting)."""
    logger.warning("An event's work after its ack was refused or failed; nobody told")


def _answer(respond: Respond, message: dict) -> None:
    respond(**message, response_type="ephemeral", replace_original=False)


def defer_events(
    body: dict,
    context: BoltContext,
    response: BoltResponse,
    next: Callable[[], None],
    *,
    deps: Deps,
    events: Mapping[str, Listener],
) -> BoltResponse:
    """A global middleware: an event of one of `events` (by type) is recorded for a worker,
    and acknowledged once it is; every other request goes on to the listeners, and so does an
    event the database refuses to record: its listener, right away, tells the member as it
    can (a Home tab saying Mentor cannot read their profile, say).

    A middleware rather than a listener, so that the record comes before the ack whatever
    Bolt's mode: by default Bolt acknowledges an event before its listener runs."""
    event = body.get("event") or {}
    if body.get("type") != "event_callback" or event.get("type") not in events:
        next()
        return response
    subject = event.get("user")
    user_id = subject.get("id") if isinstance(subject, dict) else subject  # team_join and user_change: a user object
    user_id = user_id if isinstance(user_id, str) else ""
    job = NewCommandJob(workspace_of(context), user_id, event["type"], "", "", EVENT, request_of(body, context))
    try:
        record_before_ack(deps, job, None)
    except TemporarilyUnavailable:
        next()
        return response
    return BoltResponse(status=200, body="")


def _acknowledged(*args, **kwargs) -> None:
    """The ack() of a listener run after its request was acknowledged (a worker's, or one run
    by acknowledge_first)."""


def perform(deps: Deps, job: ClaimedJob, listeners: Mapping[str, Listener]) -> None:
    """A click's or an event's work, done once: its listener (of `listeners`, by the job's
    name) runs on the request recorded, as Bolt would run it; its first transaction that
    changes something marks the job done (complete), and the job is deleted once the listener
    ends, so that the member's next job starts after it (work that only reads or calls Slack,
    such as drawing the Home tab, may be done again if its worker dies before). Failures are
    told to the member where the click happened, as Bolt's error handler would; after
    MAX_ATTEMPTS claims that never ended, the member is told by DM that it was not done
    (DeliveryKind.CLICK_NOT_DONE or MESSAGE_NOT_DONE)."""
    if job.attempts > MAX_ATTEMPTS:
        logger.error("A %s %s was given up after %d tries", job.surface, job.name, MAX_ATTEMPTS)
        with deps.store.transaction() as repositories:
            told = repositories.command_jobs.give_up(job, deps.clock(), _not_done(job), _clicked(job))
        if told:
            outbox.kick(deps)
        return
    client = deps.client_for(job.team_id)
    if client is None or job.payload is None:  # uninstalled since: nobody to answer with
        logger.warning("No installation holds a bot token for %s: a %s %s dropped", job.team_id, job.surface, job.name)
        finish_alone(deps, job)
        return
    request = json.loads(job.payload)
    body = request["body"]
    respond = Respond(response_url=body.get("response_url"))
    arguments = arguments_of(body, respond, client, BoltContext(request["context"]))
    listener = listeners[job.name]
    given = {name: arguments[name] for name in inspect.signature(listener).parameters if name in arguments}
    tell = telling(body, respond, client, job.user_id)
    doing = Performing(job)
    lost = False

    def work() -> None:
        nonlocal lost
        try:
            listener(**given, deps=deps)
        except LeaseLost:
            lost = True

    token = performing.set(doing)
    try:
        reporting(work, tell)
    finally:
        performing.reset(token)
    if lost:
        logger.warning("A %s %s was taken over by another worker", job.surface, job.name)
    else:  # done (see complete), or it only read, or was refused, or failed
        finish_alone(deps, job)


# Modal submissions saved before their ack, whose job is only what follows the change (a
# DM, the Home tab, an offer to enrol): one given up on tells nobody that nothing was changed,
# since it was (its Home tab is drawn again when they next open it).
SAVED_BEFORE_ACK = frozenset({ids.PROFILE_VIEW, ids.SETTINGS_VIEW, ids.NEW_PROGRAM_VIEW})


def _not_done(job: ClaimedJob) -> DeliveryKind | None:
    if job.surface == VIEW and job.name in SAVED_BEFORE_ACK:
        return None
    if job.surface in (ACTION, VIEW):  # a button clicked, or a modal's Submit
        return DeliveryKind.CLICK_NOT_DONE
    if job.name == "message":
        return DeliveryKind.MESSAGE_NOT_DONE
    return None  # an event nobody made: a member joining, a Home tab opened


def _clicked(job: ClaimedJob) -> str:
    """What the member clicked, as they saw it (listeners.clicked): "" for an event, or a
    payload not shaped as Slack's (the DM then says "what you clicked" alone)."""
    if job.surface not in (ACTION, VIEW):
        return ""
    try:
        body = json.loads(job.payload or "{}").get("body")
    except (ValueError, AttributeError):
        return ""
    return clicked(body) if isinstance(body, dict) else ""


def finish_alone(deps: Deps, job: ClaimedJob) -> bool:
    """Delete a job once its listener ended, done (see complete) or not, if it is still this claim."""
    with deps.store.transaction() as repositories:
        return repositories.command_jobs.finish(job)
