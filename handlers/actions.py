"""Buttons in messages and on the Home tab.

Button values and block ids come back from Slack's clients and are not trusted:
every ask id is checked against who clicked, in the use case itself."""

import logging
import secrets
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import home, ids, replies
from bot.asks import messages as ask_messages
from bot.asks import services as ask_services
from bot.asks.services import AskUnavailable
from bot.errors import InvalidInput, TemporarilyUnavailable
from bot.followups import messages as followup_messages
from bot.followups import services as followup_services
from bot.followups.model import FollowUp, FollowUpRefused
from bot.members import messages as member_messages
from bot.members import services as member_services
from bot.members.model import tombstone
from bot.rounds import messages as round_messages
from bot.rounds import services as round_services
from bot.rounds.model import CheckinOutcome, Learned, RoundKind, round_kind
from handlers.deps import Deps, workspace_of
from handlers.render import open_profile_modal, refresh_home
from jobs import asks as ask_jobs
from jobs import followups as followup_jobs
from jobs import outbox
from storage.db import Repositories

T = TypeVar("T")
logger = logging.getLogger(__name__)


def _row_id(text: str | None, refusal: Exception) -> int:
    """A row id from a button value, block id or private_metadata; anything else points at
    nothing (`refusal` is raised). Whose row it is, the use case checks."""
    if text is None or not text.isdigit() or len(text) > 12:
        raise refusal
    return int(text)


def ask_id_from(text: str | None) -> int:
    return _row_id(text, AskUnavailable("not_yours"))


def followup_id_from(text: str | None) -> int:
    return _row_id(text, FollowUpRefused("not_yours"))


def from_home(body: dict) -> bool:
    return (body.get("container") or {}).get("type") == "view"


def answer(body: dict, respond: Respond, message: dict, replace: bool = False) -> None:
    """Reply where the click happened: in the message's place or privately under it.
    Clicks on the Home tab have nowhere to reply; the redrawn tab is the answer there."""
    if body.get("response_url"):
        respond(**message, replace_original=replace, response_type="ephemeral")


def refuse(body: dict, respond: Respond, client: WebClient, message: dict) -> None:
    """Say why a click changed nothing: under the message, or in a small modal on the Home tab."""
    if body.get("response_url"):
        answer(body, respond, message)
        return
    try:
        client.views_open(trigger_id=body.get("trigger_id"), view=home.notice_modal("Mentor", message["text"]))
    except SlackApiError as error:
        logger.warning("Could not show why a click changed nothing: %s", error.response.get("error"))


def run_use_case(
    deps: Deps, body: dict, respond: Respond, client: WebClient, use_case: Callable[[Repositories], T]
) -> T | None:
    """Run one use case in a transaction; a refusal is told to the member and gives None."""
    try:
        with deps.store.transaction() as repositories:
            return use_case(repositories)
    except AskUnavailable as unavailable:
        refuse(body, respond, client, ask_messages.unavailable(unavailable.reason))
    except FollowUpRefused as refused:
        refuse(body, respond, client, followup_messages.refused(refused.reason))
    except InvalidInput as error:
        refuse(body, respond, client, replies.invalid_input(error))
    except TemporarilyUnavailable as error:
        refuse(body, respond, client, replies.unavailable(error.message))
    return None


def register(app: App, deps: Deps) -> None:
    @app.action(ids.OPEN_PROFILE)
    def handle_open_profile(ack: Ack, body: dict, client: WebClient, context) -> None:
        ack()
        try:
            open_profile_modal(client, deps, workspace_of(context), context.user_id, body["trigger_id"])
        except TemporarilyUnavailable as error:
            client.views_open(trigger_id=body["trigger_id"], view=home.notice_modal("Mentor", error.message))

    @app.action(ids.ACCEPT_ASK)
    def handle_accept_ask(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        team_id, now = workspace_of(context), deps.clock()

        def accept(repositories: Repositories) -> tuple[ask_services.Accepted, FollowUp | None]:
            accepted = ask_services.accept_ask(
                repositories.asks, team_id, ask_id_from(action.get("value")), context.user_id, now
            )
            # In the same transaction: an accepted ask always has its follow-up planned.
            policy = followup_services.policy_for(repositories.followups, team_id, deps.followup_days)
            return accepted, followup_services.schedule_after_accept(repositories.followups, accepted.ask, now, policy)

        result = run_use_case(deps, body, respond, client, accept)
        if result is not None:
            accepted, followup = result
            ask_jobs.deliver_accepted(client, deps, accepted, followup_planned=followup is not None)

    @app.action(ids.PASS_ASK)
    def handle_pass_ask(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        passed = run_use_case(
            deps,
            body,
            respond,
            client,
            lambda repositories: ask_services.pass_ask(
                repositories.asks,
                repositories.profiles,
                workspace_of(context),
                ask_id_from(action.get("value")),
                context.user_id,
                deps.clock(),
                deps.ask_policy_for(repositories, workspace_of(context)),
            ),
        )
        if passed is not None:
            ask_jobs.deliver_passed(client, deps, passed)

    @app.action(ids.CANCEL_ASK)
    def handle_cancel_ask(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        team_id, user_id = workspace_of(context), context.user_id
        cancelled = run_use_case(
            deps,
            body,
            respond,
            client,
            lambda repositories: ask_services.cancel_ask(
                repositories.asks, team_id, ask_id_from(action.get("value")), user_id, deps.clock()
            ),
        )
        if cancelled is not None:
            ask_jobs.deliver_closed(client, cancelled.ask, cancelled.closed)
            answer(body, respond, ask_messages.cancelled(cancelled.ask), replace=True)
            refresh_home(client, deps, team_id, user_id)

    def route_with_skill(body: dict, respond: Respond, client: WebClient, context, ask_text: str, skill_name: str):
        routed = run_use_case(
            deps,
            body,
            respond,
            client,
            lambda repositories: ask_services.choose_skill(
                repositories.asks,
                repositories.profiles,
                workspace_of(context),
                ask_id_from(ask_text),
                context.user_id,
                skill_name,
                deps.clock(),
                deps.ask_policy_for(repositories, workspace_of(context)),
            ),
        )
        if routed is not None:
            ask_jobs.deliver_routed(client, deps, routed, lambda message: answer(body, respond, message, replace=True))

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
                skill, chosen = ask_services.suggest_mentors(
                    repositories.asks,
                    repositories.profiles,
                    workspace_of(context),
                    context.user_id,
                    action.get("value") or "",
                    deps.clock(),
                    deps.ask_policy_for(repositories, workspace_of(context)),
                )
            view = ask_messages.find_mentor_modal(skill, chosen)
        except (InvalidInput, TemporarilyUnavailable) as error:
            view = home.notice_modal("Find a mentor", error.message)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(ids.FORGET_ME)
    def handle_forget_me(ack: Ack, body: dict, respond: Respond, client: WebClient, context) -> None:
        """The confirmed `/mentor forget`: whose data goes is who clicked, whatever the value says."""
        ack()
        team_id, user_id = workspace_of(context), context.user_id
        try:
            with deps.store.transaction() as repositories:
                forgotten, withdrawn = member_services.forget_member(
                    repositories.asks,
                    repositories.forgetting,
                    team_id,
                    user_id,
                    tombstone(secrets.token_hex(6)),
                    deps.clock(),
                )
        except TemporarilyUnavailable as error:
            answer(body, respond, replies.unavailable(error.message + " Nothing was deleted."))
            return
        logger.info("A member of %s was forgotten", team_id)
        for cancelled in withdrawn:
            ask_jobs.deliver_closed(client, cancelled.ask, cancelled.closed)
        answer(body, respond, member_messages.forgotten(forgotten), replace=True)
        refresh_home(client, deps, team_id, user_id)

    @app.action(ids.FORGET_CANCEL)
    def handle_forget_cancel(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        answer(body, respond, member_messages.kept(), replace=True)

    register_followups(app, deps)
    register_rounds(app, deps)


def register_followups(app: App, deps: Deps) -> None:
    """The buttons of closing the loop: in the mentee's and mentor's DMs, the group DM and the Home tab."""

    def changed(client: WebClient, body: dict, context, followup: FollowUp | None) -> None:
        """After a step: show it on every prompt, send what it queued, redraw the Home tab clicked on."""
        if followup is None:
            return
        followup_jobs.refresh_prompts(client, deps, followup)
        outbox.kick(deps)
        if from_home(body):
            refresh_home(client, deps, workspace_of(context), context.user_id)

    def register_choice(choice: str, action_id: str) -> None:
        @app.action(action_id)
        def handle_followup_choice(
            ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context
        ) -> None:
            ack()
            team_id, now = workspace_of(context), deps.clock()
            followup = run_use_case(
                deps,
                body,
                respond,
                client,
                lambda repositories: followup_services.answer(
                    repositories.followups,
                    team_id,
                    followup_id_from(action.get("value")),
                    context.user_id,
                    choice,
                    now,
                    followup_services.policy_for(repositories.followups, team_id, deps.followup_days),
                ),
            )
            changed(client, body, context, followup)

    for choice, action_id in ids.FOLLOWUP_CHOICES.items():
        register_choice(choice, action_id)

    @app.action(ids.FOLLOWUP_SEND_NOW)
    def handle_followup_send_now(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context
    ) -> None:
        ack()
        followup = run_use_case(
            deps,
            body,
            respond,
            client,
            lambda repositories: followup_services.report_now(
                repositories.followups,
                workspace_of(context),
                followup_id_from(action.get("value")),
                context.user_id,
                deps.clock(),
            ),
        )
        changed(client, body, context, followup)

    @app.action(ids.FOLLOWUP_SHARE)
    def handle_followup_share(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        followup_text, _, choice = (action.get("value") or "").partition(":")
        followup = run_use_case(
            deps,
            body,
            respond,
            client,
            lambda repositories: followup_services.share(
                repositories.followups,
                workspace_of(context),
                followup_id_from(followup_text),
                context.user_id,
                choice == "yes",
                deps.clock(),
            ),
        )
        changed(client, body, context, followup)

    def open_modal(body: dict, action: dict, respond: Respond, client: WebClient, context, as_mentor: bool) -> None:
        followup = run_use_case(
            deps,
            body,
            respond,
            client,
            lambda repositories: followup_services.own_followup(
                repositories.followups,
                workspace_of(context),
                followup_id_from(action.get("value")),
                context.user_id,
                as_mentor=as_mentor,
            ),
        )
        if followup is None:
            return
        modal = followup_messages.reply_modal(followup) if as_mentor else followup_messages.note_modal(followup)
        try:
            client.views_open(trigger_id=body["trigger_id"], view=modal)
        except SlackApiError as error:  # e.g. the trigger expired: the button can be clicked again
            logger.warning("Could not open a follow-up modal: %s", error.response.get("error"))

    @app.action(ids.FOLLOWUP_ADD_NOTE)
    def handle_followup_add_note(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context
    ) -> None:
        ack()
        open_modal(body, action, respond, client, context, as_mentor=False)

    @app.action(ids.FOLLOWUP_REPLY)
    def handle_followup_reply(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        open_modal(body, action, respond, client, context, as_mentor=True)

    @app.action(ids.ASK_HOW_IT_WENT)
    def handle_ask_how_it_went(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context
    ) -> None:
        ack()
        followup = run_use_case(
            deps,
            body,
            respond,
            client,
            lambda repositories: followup_services.ask_how_it_went(
                repositories.followups,
                repositories.asks,
                workspace_of(context),
                ask_id_from(action.get("value")),
                context.user_id,
                deps.clock(),
            ),
        )
        if followup is None:
            return
        answer(body, respond, followup_messages.will_ask(followup))
        outbox.kick(deps, followup_jobs.run_due_followups)  # due now if it is their working hour
        if from_home(body):
            refresh_home(client, deps, workspace_of(context), context.user_id)

    def switch(body: dict, respond: Respond, client: WebClient, context, enabled: bool) -> None:
        team_id, user_id = workspace_of(context), context.user_id
        cancelled = run_use_case(
            deps,
            body,
            respond,
            client,
            lambda repositories: followup_services.switch(
                repositories.followups, team_id, user_id, enabled, deps.clock()
            ),
        )
        if cancelled is None:
            return
        for followup in cancelled:
            followup_jobs.refresh_prompts(client, deps, followup)
        answer(body, respond, followup_messages.followups_switched(enabled, len(cancelled)))
        refresh_home(client, deps, team_id, user_id)

    @app.action(ids.FOLLOWUPS_OFF)
    def handle_followups_off(ack: Ack, body: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        switch(body, respond, client, context, enabled=False)

    @app.action(ids.FOLLOWUPS_ON)
    def handle_followups_on(ack: Ack, body: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        switch(body, respond, client, context, enabled=True)


def register_rounds(app: App, deps: Deps) -> None:
    """The Home tab's buttons for rounds: join, leave, pause, resume."""

    def change(body: dict, respond: Respond, client: WebClient, context, use_case) -> None:
        team_id, user_id = workspace_of(context), context.user_id
        if run_use_case(
            deps, body, respond, client, lambda repositories: use_case(repositories.rounds, team_id, user_id)
        ):
            refresh_home(client, deps, team_id, user_id)

    @app.action(ids.JOIN_ROUND)
    def handle_join_round(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        change(
            body,
            respond,
            client,
            context,
            lambda r, t, u: round_services.join(r, t, u, round_kind(action.get("value") or "")),
        )

    @app.action(ids.LEAVE_ROUND)
    def handle_leave_round(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        change(
            body,
            respond,
            client,
            context,
            lambda r, t, u: round_services.leave(r, t, u, round_kind(action.get("value") or "")),
        )

    @app.action(ids.PAUSE_ROUNDS)
    def handle_pause_rounds(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        today = deps.clock().date()
        change(
            body,
            respond,
            client,
            context,
            lambda r, t, u: round_services.pause(r, t, u, action.get("value") or "2w", today),
        )

    @app.action(ids.RESUME_ROUNDS)
    def handle_resume_rounds(ack: Ack, body: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        change(body, respond, client, context, round_services.resume)

    def round_day(value: str | None) -> tuple[RoundKind, date]:
        kind_text, _, day = (value or "").partition(":")
        try:
            return round_kind(kind_text), date.fromisoformat(day)
        except ValueError:
            raise InvalidInput("That button no longer points at a round.") from None

    def skip(body: dict, action: dict, respond: Respond, client: WebClient, context, skipped: bool) -> None:
        team_id, user_id = workspace_of(context), context.user_id

        def use_case(repositories: Repositories) -> dict:
            kind, held_on = round_day(action.get("value"))
            if repositories.rounds.is_recorded(team_id, kind, held_on):
                return round_messages.round_started(kind)
            repositories.rounds.set_skip(team_id, kind, held_on, user_id, skipped)
            return round_messages.notice(kind, held_on, skipped)

        reply = run_use_case(deps, body, respond, client, use_case)
        if reply is not None:
            answer(body, respond, reply, replace=True)

    @app.action(ids.SKIP_ROUND)
    def handle_skip_round(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        skip(body, action, respond, client, context, skipped=True)

    @app.action(ids.UNSKIP_ROUND)
    def handle_unskip_round(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context) -> None:
        ack()
        skip(body, action, respond, client, context, skipped=False)

    def register_group_answer(action_id: str, record: Callable[[Repositories, str, int, str], dict | None]) -> None:
        """A button of a group's check-in or of reverse mentoring's month end: `record` the
        answer and return the message that replaces the question, or None when the member
        is not in that group (values from Slack are untrusted)."""

        @app.action(action_id)
        def handle_group_answer(
            ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, context
        ) -> None:
            ack()
            team_id, user_id = workspace_of(context), context.user_id
            refusal = InvalidInput("That question isn't yours to answer.")

            def use_case(repositories: Repositories) -> dict:
                reply = record(repositories, team_id, _row_id(action.get("value"), refusal), user_id)
                if reply is None:
                    raise refusal
                return reply

            reply = run_use_case(deps, body, respond, client, use_case)
            if reply is not None:
                answer(body, respond, reply, replace=True)

    def checkin(outcome: CheckinOutcome):
        def record(repositories: Repositories, team_id: str, group_id: int, user_id: str) -> dict | None:
            if not repositories.rounds.answer_checkin(team_id, group_id, user_id, outcome, deps.clock()):
                return None
            return round_messages.checkin(group_id, *repositories.rounds.checkin_answer(team_id, group_id))

        return record

    def learned(level: Learned):
        def record(repositories: Repositories, team_id: str, group_id: int, user_id: str) -> dict | None:
            if not repositories.rounds.answer_learned(team_id, group_id, user_id, level, deps.clock()):
                return None
            return round_messages.what_did_you_learn(group_id, user_id, (), level.value)

        return record

    for value, action_id in ids.CHECKIN_CHOICES.items():
        register_group_answer(action_id, checkin(CheckinOutcome(value)))
    for value, action_id in ids.LEARNED_CHOICES.items():
        register_group_answer(action_id, learned(Learned(value)))
