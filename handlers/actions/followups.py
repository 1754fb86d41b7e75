"""The buttons of closing the loop: in the mentee's and the mentor's DMs, the group DM and
the Home tab."""

import logging
from collections.abc import Callable

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.followups import messages as followup_messages
from bot.followups import services as followup_services
from bot.followups.model import FollowUp
from deps import Deps
from handlers.listeners import Click, ask_id_from, followup_id_from, member_click, member_of, run_use_case
from handlers.render import refresh_home
from jobs import followups as followup_jobs
from jobs import outbox
from storage.db import Repositories

logger = logging.getLogger(__name__)

CHOICES = {action_id: choice for choice, action_id in ids.FOLLOWUP_CHOICES.items()}


def answer_followup(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """It helped, Mixed, Didn't help, Not yet, Not relevant (value: the follow-up's id)."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    choice, followup_id = CHOICES[action["action_id"]], action.get("value")
    step(
        deps,
        click,
        context,
        lambda work: followup_services.answer(
            work,
            team_id,
            followup_id_from(followup_id),
            user_id,
            choice,
            deps.clock(),
            deps.followup_policy_for(work, team_id),
        ),
    )


def send_now(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Send without a note" (value: the follow-up's id): the mentor hears the outcome now."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    followup_id = action.get("value")
    step(
        deps,
        click,
        context,
        lambda work: followup_services.report_now(work, team_id, followup_id_from(followup_id), user_id, deps.clock()),
    )


def share(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Let it count" or not (value: "<follow-up id>:yes" or ":no")."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    followup_id, _, choice = (action.get("value") or "").partition(":")
    step(
        deps,
        click,
        context,
        lambda work: followup_services.share(
            work, team_id, followup_id_from(followup_id), user_id, choice == "yes", deps.clock()
        ),
    )


def step(deps: Deps, click: Click, context: BoltContext, use_case: Callable[[Repositories], FollowUp]) -> None:
    """One step of a follow-up; then what it queued is sent (the prompt's redraw included),
    and the Home tab clicked on is redrawn."""
    followup = run_use_case(deps, click, use_case)
    if followup is None:
        return
    outbox.kick(deps)
    if click.on_home:
        refresh_home(click.client, deps, *member_of(context))


def open_followup_modal(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """The mentee's "Add a note" opens the note modal, the mentor's "Reply" the reply modal
    (value: the follow-up's id)."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    as_mentor, followup_id = action["action_id"] == ids.FOLLOWUP_REPLY, action.get("value")
    followup = run_use_case(
        deps,
        click,
        lambda work: followup_services.own_followup(work, team_id, followup_id_from(followup_id), user_id, as_mentor),
    )
    if followup is None:
        return
    modal = followup_messages.reply_modal(followup) if as_mentor else followup_messages.note_modal(followup)
    try:
        client.views_open(trigger_id=body["trigger_id"], view=modal)
    except SlackApiError as error:  # e.g. the trigger expired: the button can be clicked again
        logger.warning("Could not open a follow-up modal: %s", error.response.get("error"))


def ask_how_it_went(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """The mentor's "Ask how it went" (value: the ask's id), from the group DM or the Home tab."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    ask_id = action.get("value")
    followup = run_use_case(
        deps,
        click,
        lambda work: followup_services.ask_how_it_went(work, team_id, ask_id_from(ask_id), user_id, deps.clock()),
    )
    if followup is None:
        return
    click.answer(followup_messages.will_ask(followup))
    outbox.kick(deps, followup_jobs.run_due_followups)  # due now if it is their working hour
    if click.on_home:
        refresh_home(client, deps, team_id, user_id)


def switch_followups(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """Follow-ups on or off, under a prompt or on the Home tab; off cancels the waiting ones."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    enabled = action["action_id"] == ids.FOLLOWUPS_ON
    switched = run_use_case(
        deps,
        click,
        lambda work: (
            followup_services.switch(work, team_id, user_id, enabled, deps.clock()),
            deps.followup_policy_for(work, team_id),
        ),
    )
    if switched is None:
        return
    cancelled, policy = switched
    outbox.kick(deps)  # the cancelled prompts are redrawn
    click.answer(followup_messages.followups_switched(enabled, policy.delay, len(cancelled)))
    refresh_home(client, deps, team_id, user_id)
