"""The buttons of closing the loop: in the mentee's and the mentor's DMs, the group DM and
the Home tab."""

import logging

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.followups import messages as followup_messages
from bot.followups import services as followup_services
from bot.followups.model import FollowUp
from handlers.deps import Deps
from handlers.listeners import Click, ask_id_from, followup_id_from, member_of, run_use_case
from handlers.render import refresh_home
from jobs import followups as followup_jobs
from jobs import outbox

logger = logging.getLogger(__name__)

CHOICES = {action_id: choice for choice, action_id in ids.FOLLOWUP_CHOICES.items()}


def answer_followup(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """It helped, Mixed, Didn't help, Not yet, Not relevant (value: the follow-up's id)."""
    ack()
    (team_id, user_id), now = member_of(context), deps.clock()
    click = Click(body, respond, client)
    followup = run_use_case(
        deps,
        click,
        lambda repositories: followup_services.answer(
            repositories.followups,
            team_id,
            followup_id_from(action.get("value")),
            user_id,
            CHOICES[action["action_id"]],
            now,
            followup_services.policy_for(repositories.followups, team_id, deps.followup_days),
        ),
    )
    changed(deps, click, context, followup)


def send_now(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Send without a note": the mentor hears the outcome now."""
    ack()
    team_id, user_id = member_of(context)
    click = Click(body, respond, client)
    followup = run_use_case(
        deps,
        click,
        lambda repositories: followup_services.report_now(
            repositories.followups, team_id, followup_id_from(action.get("value")), user_id, deps.clock()
        ),
    )
    changed(deps, click, context, followup)


def share(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Let it count" or not (value: "<follow-up id>:yes" or ":no")."""
    ack()
    team_id, user_id = member_of(context)
    followup_text, _, choice = (action.get("value") or "").partition(":")
    click = Click(body, respond, client)
    followup = run_use_case(
        deps,
        click,
        lambda repositories: followup_services.share(
            repositories.followups, team_id, followup_id_from(followup_text), user_id, choice == "yes", deps.clock()
        ),
    )
    changed(deps, click, context, followup)


def changed(deps: Deps, click: Click, context: BoltContext, followup: FollowUp | None) -> None:
    """After a step: show it on every prompt, send what it queued, redraw the Home tab clicked on."""
    if followup is None:
        return
    followup_jobs.refresh_prompts(click.client, deps, followup)
    outbox.kick(deps)
    if click.on_home:
        refresh_home(click.client, deps, *member_of(context))


def add_note(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """The mentee's "Add a note": the note modal."""
    ack()
    open_modal(deps, Click(body, respond, client), context, action.get("value"), as_mentor=False)


def reply_to_note(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """The mentor's "Reply": the reply modal."""
    ack()
    open_modal(deps, Click(body, respond, client), context, action.get("value"), as_mentor=True)


def open_modal(deps: Deps, click: Click, context: BoltContext, value: str | None, as_mentor: bool) -> None:
    team_id, user_id = member_of(context)
    followup = run_use_case(
        deps,
        click,
        lambda repositories: followup_services.own_followup(
            repositories.followups, team_id, followup_id_from(value), user_id, as_mentor=as_mentor
        ),
    )
    if followup is None:
        return
    modal = followup_messages.reply_modal(followup) if as_mentor else followup_messages.note_modal(followup)
    try:
        click.client.views_open(trigger_id=click.body["trigger_id"], view=modal)
    except SlackApiError as error:  # e.g. the trigger expired: the button can be clicked again
        logger.warning("Could not open a follow-up modal: %s", error.response.get("error"))


def ask_how_it_went(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """The mentor's "Ask how it went" (value: the ask's id), from the group DM or the Home tab."""
    ack()
    team_id, user_id = member_of(context)
    click = Click(body, respond, client)
    followup = run_use_case(
        deps,
        click,
        lambda repositories: followup_services.ask_how_it_went(
            repositories.followups, repositories.asks, team_id, ask_id_from(action.get("value")), user_id, deps.clock()
        ),
    )
    if followup is None:
        return
    click.answer(followup_messages.will_ask(followup))
    outbox.kick(deps, followup_jobs.run_due_followups)  # due now if it is their working hour
    if click.on_home:
        refresh_home(client, deps, team_id, user_id)


def turn_off(ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    ack()
    switch(deps, Click(body, respond, client), context, enabled=False)


def turn_on(ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    ack()
    switch(deps, Click(body, respond, client), context, enabled=True)


def switch(deps: Deps, click: Click, context: BoltContext, enabled: bool) -> None:
    team_id, user_id = member_of(context)
    cancelled = run_use_case(
        deps,
        click,
        lambda repositories: followup_services.switch(repositories.followups, team_id, user_id, enabled, deps.clock()),
    )
    if cancelled is None:
        return
    for followup in cancelled:
        followup_jobs.refresh_prompts(click.client, deps, followup)
    click.answer(followup_messages.followups_switched(enabled, len(cancelled)))
    refresh_home(click.client, deps, team_id, user_id)
