"""What every listener shares: its `deps`, who is asking, and answering a click or a modal's
submission privately, with the domain's refusals told to the member rather than raised."""

import inspect
import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial, update_wrapper
from typing import Any, TypeVar

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks, home, replies
from bot.asks import messages as ask_messages
from bot.asks.services import AskUnavailable
from bot.errors import InvalidInput, TemporarilyUnavailable
from bot.followups import messages as followup_messages
from bot.followups.model import FollowUpRefused
from bot.members import messages as member_messages
from bot.members.model import NotAMember
from deps import Deps
from handlers import membership
from storage.command_jobs import ClaimedJob
from storage.db import Repositories

T = TypeVar("T")
logger = logging.getLogger(__name__)

# What a use case raises to refuse a member's request; anything else is a bug, for Bolt's error handler.
REFUSALS = (AskUnavailable, FollowUpRefused, InvalidInput, NotAMember, TemporarilyUnavailable)
Refusal = AskUnavailable | FollowUpRefused | InvalidInput | NotAMember | TemporarilyUnavailable


def bind(listener: Callable[..., Any], deps: Deps, **given: Any) -> Callable[..., Any]:
    """`listener`, a module-level function, with its keyword-only `deps` (and any `given`)
    filled in, ready for `app.action(...)`, `app.middleware(...)` and the like.

    Why a partial over keyword-only parameters: Bolt passes a listener the arguments its
    parameters name, read with inspect.getfullargspec(inspect.unwrap(listener)).args
    (slack_bolt.kwargs_injection), which leaves keyword-only parameters out; so Bolt never
    looks for `deps`, and every other argument is still injected by name. The binding stays
    explicit in each surface's register(app, deps), typed at the listener, and checked here,
    at start. A middleware putting deps in the context would reach listeners only through a
    string key: a misspelt parameter would get None, with a warning, at the first click."""
    parameters = inspect.signature(listener).parameters
    for name in ("deps", *given):
        if name not in parameters or parameters[name].kind is not inspect.Parameter.KEYWORD_ONLY:
            raise TypeError(f"{listener.__name__} needs a keyword-only parameter `{name}`")
    return update_wrapper(partial(listener, deps=deps, **given), listener)  # Bolt names its logger after it


def bind_all(
    listen: Callable[[str], Callable[[Callable[..., None]], object]],
    listeners: dict[str, Callable[..., None]],
    deps: Deps,
    **given: Any,
) -> None:
    """Each of `listeners` bound (see bind) and registered for its id with `listen`, such as
    app.action or app.view."""
    for constraint, listener in listeners.items():
        listen(constraint)(bind(listener, deps, **given))


def workspace_of(context: BoltContext) -> str:
    """Whose data a request is about: the id every row is scoped by (README, "Whose data a
    request belongs to"). The installation it came through owns it: the org (`E…`) for an
    org-wide install, the workspace (`T…`) otherwise, Enterprise Grid workspaces included.

    Why the installation and not the team Slack names: for an org-wide install Bolt gives
    commands and clicks the member's workspace but events the org (their authorizations
    carry no team), so one member's rows would split between two ids. Bolt sets
    `is_enterprise_install` from every kind of request (slack_bolt.request.internals).
    Raises ValueError for a request that names neither (Slack sends one with every request)."""
    owner = context.enterprise_id if context.is_enterprise_install else context.team_id
    if not owner:
        raise ValueError("A request from no workspace and no org")
    return owner


def member_of(context: BoltContext) -> tuple[str, str]:
    """(workspace, member) of a request a member made: a command, a click, a submission."""
    team_id, user_id = workspace_of(context), context.user_id
    if not team_id or not user_id:  # Bolt sets both for every such request
        raise ValueError("A member's request without a workspace or a member")
    return team_id, user_id


def admit(deps: Deps, client: WebClient, context: BoltContext) -> tuple[str, str]:
    """member_of a request by someone Mentor is for (see handlers.membership); raises
    NotAMember for anyone else, or TemporarilyUnavailable when that cannot be told."""
    team_id, user_id = member_of(context)
    membership.check(client, deps, team_id, user_id)
    return team_id, user_id


def admitted(deps: Deps, click: "Click", context: BoltContext) -> tuple[str, str] | None:
    """member_of a click by someone Mentor is for; None, and they are told why, for anyone else."""
    try:
        return admit(deps, click.client, context)
    except REFUSALS as error:
        click.refuse(refusal(error))
    return None


def member_click(
    deps: Deps, ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext
) -> tuple["Click", str, str] | None:
    """Acknowledge a click, then (the click, workspace, member) when it is by someone Mentor is
    for; None, and they are told why (see admitted), for anyone else."""
    ack()
    click = Click(body, respond, client)
    if (who := admitted(deps, click, context)) is None:
        return None
    return click, *who


def row_id(text: str | None, refused: Exception) -> int:
    """A row id from a button value, block id or private_metadata; anything else points at
    nothing (`refused` is raised). Whose row it is, the use case checks."""
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 12:  # "²" is a digit too
        raise refused
    return int(text)


def ask_id_from(text: str | None) -> int:
    return row_id(text, AskUnavailable("not_yours"))


def followup_id_from(text: str | None) -> int:
    return row_id(text, FollowUpRefused("not_yours"))


def refusal(error: Refusal) -> dict:
    """The private reply to a request a use case refused."""
    if isinstance(error, AskUnavailable):
        return ask_messages.unavailable(error.reason)
    if isinstance(error, FollowUpRefused):
        return followup_messages.refused(error.reason)
    if isinstance(error, InvalidInput):
        return replies.invalid_input(error)
    if isinstance(error, NotAMember):
        return blocks.message(member_messages.not_a_member(error))
    return replies.unavailable(error.message)


def field_error(error: Refusal) -> str:
    """What to show next to a modal's field for a submission a use case refused."""
    if isinstance(error, AskUnavailable | FollowUpRefused | NotAMember):
        return refusal(error)["text"]
    return error.message


@dataclass(frozen=True)
class Click:
    """A click on a button: where it happened, and so how to answer the member there."""

    body: dict
    respond: Respond
    client: WebClient

    @property
    def on_home(self) -> bool:
        return (self.body.get("container") or {}).get("type") == "view"

    def answer(self, message: dict, replace: bool = False) -> None:
        """Reply where the click happened: in the message's place or privately under it.
        Clicks on the Home tab have nowhere to reply; the redrawn tab is the answer there."""
        if self.body.get("response_url"):
            self.respond(**message, replace_original=replace, response_type="ephemeral")

    def refuse(self, message: dict) -> None:
        """Say why a click changed nothing: under the message, or in a small modal on the Home
        tab; by DM when the modal cannot open (a worker that came to the click after Slack's
        3-second trigger expired: expired_trigger_id), so the member never hears nothing."""
        if self.body.get("response_url"):
            self.answer(message)
            return
        try:
            self.client.views_open(
                trigger_id=self.body.get("trigger_id"), view=home.notice_modal("Mentor", message["text"])
            )
            return
        except SlackApiError as error:
            logger.warning("Could not show why a click changed nothing: %s", error.response.get("error"))
        user_id = (self.body.get("user") or {}).get("id") or ""
        tell_by_dm(self.client, user_id, replies.refused_later(clicked(self.body), message))


def clicked(body: dict) -> str:
    """What a member clicked, as they saw it, from Slack's payload: a button's label
    (block_actions), or the title of the modal they submitted (view_submission); "" for
    anything else (a select, a payload without them)."""
    if body.get("type") == "view_submission":
        label = ((body.get("view") or {}).get("title") or {}).get("text")
    else:
        actions = body.get("actions") or [{}]
        label = (actions[0].get("text") or {}).get("text") if isinstance(actions[0], dict) else None
    return label if isinstance(label, str) else ""


def tell_by_dm(client: WebClient, user_id: str, message: dict) -> None:
    """Tell a member something in their DM with Mentor, where nowhere else can (a failure or
    a refusal with no message to answer under); a failure to is logged."""
    if not user_id:
        return  # a request about no member: the log has it
    try:
        client.chat_postMessage(channel=user_id, **message)
    except SlackApiError as error:
        logger.warning("Could not tell a member by DM: %s", error.response.get("error"))


class LeaseLost(Exception):
    """This worker's claim on a job ran out and another worker holds it now: nothing of this
    try may be kept (its transaction rolls back), and the other worker does the job."""


@dataclass
class Performing:
    """The job a worker is doing on this thread (handlers.interactions.perform)."""

    job: ClaimedJob
    completed: bool = False  # the job was marked done in a transaction that committed


performing: ContextVar[Performing | None] = ContextVar("performing", default=None)


def complete(repositories: Repositories) -> None:
    """Called in a listener's transaction that changes something: when a worker is doing the
    listener's work (perform), its job is marked done in that same transaction, the first such
    one, so that the change and the mark that it is done commit together (the job is deleted
    once the listener ends). Raises LeaseLost when another worker holds the job now (the
    transaction rolls back). Outside a worker, nothing."""
    doing = performing.get()
    if doing is None or doing.completed:
        return
    if not repositories.command_jobs.mark_done(doing.job):
        raise LeaseLost()
    repositories.on_commit.append(partial(setattr, doing, "completed", True))


def about_to_send(deps: Deps) -> bool:
    """Called by work whose result is a message (figures, an export) just before it sends it:
    when a worker is doing that work, its job is marked as sent first, durably and fenced by
    the claim (CommandJobRepository.mark_sent), so that however the job fails after, a retry
    does not send it again. False when an earlier try got this far: send nothing (it went, or
    its worker died in the one call that sends it). Raises LeaseLost when another worker holds
    the job now, TemporarilyUnavailable when the database cannot mark it (nothing was sent)."""
    doing = performing.get()
    if doing is None:
        return True
    if doing.job.sent:
        return False
    with deps.store.transaction() as repositories:
        if not repositories.command_jobs.mark_sent(doing.job, deps.clock()):
            raise LeaseLost()
    return True


def run_use_case(deps: Deps, click: Click, use_case: Callable[[Repositories], T]) -> T | None:
    """Run one use case in a transaction (the click's job done with it, see complete); a
    refusal is told to the member and gives None."""
    try:
        with deps.store.transaction() as repositories:
            result = use_case(repositories)
            complete(repositories)
            return result
    except REFUSALS as error:
        click.refuse(refusal(error))
    return None


def submit(deps: Deps, ack: Ack, field: str, use_case: Callable[[Repositories], T]) -> T | None:
    """Run one use case for a modal's submission before the modal closes: a refusal is shown
    next to `field`, with what the member typed still in the modal to submit again, and gives
    None; otherwise the modal closes."""
    try:
        with deps.store.transaction() as repositories:
            result = use_case(repositories)
    except REFUSALS as error:
        ack(response_action="errors", errors={field: field_error(error)})
        return None
    ack()
    return result


def admitted_submission(
    deps: Deps, ack: Ack, client: WebClient, context: BoltContext, field: str
) -> tuple[str, str] | None:
    """member_of a modal's submission by someone Mentor is for; None for anyone else, and the
    modal stays open, saying why next to `field`."""
    try:
        return admit(deps, client, context)
    except REFUSALS as error:
        ack(response_action="errors", errors={field: field_error(error)})
    return None


def after_ack(deps: Deps, work: Callable[[], None], tell: Callable[[dict], None]) -> None:
    """Run `work` once the listener has returned, on deps.listener_executor: Bolt answers
    Slack only then (process_before_response, app.py), so what follows an ack and waits on
    Slack (opening a modal, redrawing a Home tab) must not hold the answer back. Refusals and
    failures are told through `tell` (see reporting). Work that changes something is recorded
    for a worker before the ack instead (handlers/interactions.py), to outlive the process."""
    deps.listener_executor.submit(reporting, work, tell)


def reporting(work: Callable[[], None], tell: Callable[[dict], None]) -> None:
    """Run `work` on a thread of our own. Refusals reach the member through `tell` as a click's
    do (see refusal), failures as "something went wrong" and in the log, since Bolt's error
    handler never sees this thread."""
    try:
        work()
    except REFUSALS as error:
        tell(refusal(error))
    except Exception as error:  # broad on purpose: the last line of defence for a thread of our own
        logger.error("Unhandled %s after an acknowledgement", type(error).__name__, exc_info=error)
        tell(replies.something_went_wrong())
