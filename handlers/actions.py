"""Buttons in messages and on the Home tab.

Button values and block ids come back from Slack's clients and are not trusted:
every ask id is checked against who clicked, in the use case itself."""

from collections.abc import Callable
from typing import TypeVar

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import ask_messages, asking, ids, replies, views
from bot.asking import AskUnavailable
from bot.errors import InvalidInput, TemporarilyUnavailable
from handlers import ask_flow
from handlers.deps import Deps, workspace_of
from handlers.render import open_profile_modal, refresh_home
from storage.db import Repositories

T = TypeVar("T")


def ask_id_from(text: str | None) -> int:
    """An ask id from a button value or block id; anything else points at no ask."""
    if text is None or not text.isdigit() or len(text) > 12:
        raise AskUnavailable("not_yours")
    return int(text)


def answer(body: dict, respond: Respond, message: dict, replace: bool = False) -> None:
    """Reply where the click happened: in the message's place or privately under it.
    Clicks on the Home tab have nowhere to reply; the redrawn tab is the answer there."""
    if body.get("response_url"):
        respond(**message, replace_original=replace, response_type="ephemeral")


def run_use_case(deps: Deps, body: dict, respond: Respond, use_case: Callable[[Repositories], T]) -> T | None:
    """Run one use case in a transaction; a refusal is told to the member and gives None."""
    try:
        with deps.store.transaction() as repositories:
            return use_case(repositories)
    except AskUnavailable as unavailable:
        answer(body, respond, ask_messages.unavailable(unavailable.reason))
    except InvalidInput as error:
        answer(body, respond, replies.invalid_input(error))
    except TemporarilyUnavailable as error:
        answer(body, respond, replies.unavailable(error.message))
    return None


def register(app: App, deps: Deps) -> None:
    @app.action(ids.OPEN_PROFILE)
    def handle_open_profile(ack: Ack, body: dict, client: WebClient, context) -> None:
        ack()
        try:
            open_profile_modal(client, deps, workspace_of(context), context.user_id, body["trigger_id"])
        except TemporarilyUnavailable as error:
            client.views_open(trigger_id=body["trigger_id"], view=views.notice_modal("Mentor", error.message))

    @app.action(ids.ACCEPT_ASK)
    def handle_accept_ask(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        accepted = run_use_case(
            deps,
            body,
            respond,
            lambda repositories: asking.accept_ask(
                repositories.asks, workspace_of(context), ask_id_from(action.get("value")), context.user_id,
                deps.clock(),
            ),
        )
        if accepted is not None:
            ask_flow.deliver_accepted(client, deps, accepted)

    @app.action(ids.PASS_ASK)
    def handle_pass_ask(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        passed = run_use_case(
            deps,
            body,
            respond,
            lambda repositories: asking.pass_ask(
                repositories.asks, repositories.profiles, workspace_of(context), ask_id_from(action.get("value")),
                context.user_id, deps.clock(), deps.ask_policy,
            ),
        )
        if passed is not None:
            ask_flow.deliver_passed(client, deps, passed)

    @app.action(ids.CANCEL_ASK)
    def handle_cancel_ask(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        team_id, user_id = workspace_of(context), context.user_id
        cancelled = run_use_case(
            deps,
            body,
            respond,
            lambda repositories: asking.cancel_ask(
                repositories.asks, team_id, ask_id_from(action.get("value")), user_id, deps.clock()
            ),
        )
        if cancelled is not None:
            ask_flow.deliver_closed(client, cancelled.ask, cancelled.closed)
            answer(body, respond, ask_messages.cancelled(cancelled.ask), replace=True)
            refresh_home(client, deps, team_id, user_id)

    def route_with_skill(body: dict, respond: Respond, client: WebClient, context, ask_text: str, skill_name: str):
        routed = run_use_case(
            deps,
            body,
            respond,
            lambda repositories: asking.choose_skill(
                repositories.asks, repositories.profiles, workspace_of(context), ask_id_from(ask_text),
                context.user_id, skill_name, deps.clock(), deps.ask_policy,
            ),
        )
        if routed is not None:
            ask_flow.deliver_routed(client, deps, routed, lambda message: answer(body, respond, message, replace=True))

    @app.action(ids.PICK_ASK_SKILL)
    def handle_pick_ask_skill(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        ask_text, _, skill_key = (action.get("value") or "").partition(":")
        route_with_skill(body, respond, client, context, ask_text, skill_key)

    @app.action(ids.NAME_ASK_SKILL)
    def handle_name_ask_skill(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        ask_text = (action.get("block_id") or "").removeprefix(ask_messages.ASK_SKILL_BLOCK_PREFIX)
        route_with_skill(body, respond, client, context, ask_text, action.get("value") or "")

    @app.action(ids.FIND_MENTOR)
    def handle_find_mentor(ack: Ack, body: dict, action: dict, client: WebClient, context) -> None:
        ack()
        try:
            with deps.store.transaction() as repositories:
                skill, chosen = asking.suggest_mentors(
                    repositories.asks, repositories.profiles, workspace_of(context), context.user_id,
                    action.get("value") or "", deps.clock(), deps.ask_policy,
                )
            view = ask_messages.find_mentor_modal(skill, chosen)
        except (InvalidInput, TemporarilyUnavailable) as error:
            view = views.notice_modal("Find a mentor", error.message)
        client.views_open(trigger_id=body["trigger_id"], view=view)
