"""The buttons of rounds: join, leave, pause and resume on the Home tab; skip in the day-before
notice; the group's check-in; what each side of a reverse pair learned, and whether they
would keep their partner."""

import logging
from collections.abc import Callable
from datetime import date

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.errors import InvalidInput
from bot.rounds import messages as round_messages
from bot.rounds import services as round_services
from bot.rounds.model import CheckinOutcome, Learned
from deps import Deps
from handlers.listeners import Click, admitted, member_click, row_id, run_use_case
from handlers.render import refresh_home
from jobs import asks as ask_jobs
from jobs import outbox
from storage.db import Repositories

logger = logging.getLogger(__name__)

CHECKINS = {action_id: CheckinOutcome(value) for value, action_id in ids.CHECKIN_CHOICES.items()}
LEARNED = {action_id: Learned(value) for value, action_id in ids.LEARNED_CHOICES.items()}


def join_or_leave_round(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """Join or leave (value: the program's key)."""
    ack()
    use_case = round_services.join if action["action_id"] == ids.JOIN_ROUND else round_services.leave
    change(
        deps,
        Click(body, respond, client),
        context,
        lambda work, team_id, user_id: use_case(work, team_id, user_id, action.get("value") or ""),
    )


def pause_rounds(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """Pause (value: a duration such as "2w")."""
    ack()
    today, pause_for = deps.clock().date(), action.get("value") or "2w"
    change(
        deps,
        Click(body, respond, client),
        context,
        lambda work, team_id, user_id: round_services.pause(work, team_id, user_id, pause_for, today),
    )


def resume_rounds(
    ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    ack()
    if resumed := change(deps, Click(body, respond, client), context, round_services.resume):
        ask_jobs.send_queued_asks(deps, resumed[0])  # back from a pause: they may take a queued ask


def change(
    deps: Deps, click: Click, context: BoltContext, use_case: Callable[[Repositories, str, str], object]
) -> tuple[str, str] | None:
    """A change of the member's rounds, from the Home tab: redrawn to show it. Returns the
    member (team id, user id) once changed, None if nothing changed."""
    if (who := admitted(deps, click, context)) is None:
        return None
    team_id, user_id = who
    if not run_use_case(deps, click, lambda work: use_case(work, team_id, user_id)):
        return None
    refresh_home(click.client, deps, team_id, user_id)
    return who


def skip_round(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Skip this round", or "Join this round after all", in the day-before notice (value:
    "<kind>:<YYYY-MM-DD>"); the notice then says where the member stands, or that the round
    has started."""
    ack()
    click, skipped, value = Click(body, respond, client), action["action_id"] == ids.SKIP_ROUND, action.get("value")
    if (who := admitted(deps, click, context)) is None:
        return
    team_id, user_id = who
    done = run_use_case(
        deps, click, lambda work: round_services.skip(work, team_id, user_id, *round_day(value), skipped)
    )
    if done is not None:
        program, changed = done
        held_on = round_day(value)[1]  # it parsed already, for the use case
        reply = round_messages.notice(program, held_on, skipped) if changed else round_messages.round_started(program)
        click.answer(reply, replace=True)


def round_day(value: str | None) -> tuple[str, date]:
    """(program key, date) of a notice's button."""
    key, _, day = (value or "").partition(":")
    try:
        return key, date.fromisoformat(day)
    except ValueError:
        raise InvalidInput("That button no longer points at a round.") from None


def group_of(action: dict) -> int:
    """The group a check-in's or a month end's button points at (value: the group's id)."""
    return row_id(action.get("value"), InvalidInput(round_services.NOT_IN_GROUP))


def answer_checkin(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Did you meet?" in a group DM: only the group's members answer, and the answer replaces it."""
    ack()
    outcome, click = CHECKINS[action["action_id"]], Click(body, respond, client)
    if (who := admitted(deps, click, context)) is None:
        return
    team_id, user_id = who
    answer = run_use_case(
        deps,
        click,
        lambda work: round_services.answer_checkin(work, team_id, group_of(action), user_id, outcome, deps.clock()),
    )
    if answer is not None:
        click.answer(round_messages.checkin(group_of(action), *answer), replace=True)  # group_of parsed already


def give_starter(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Give us a question" in a round's group DM: the group's next conversation starter is
    posted to it (through the outbox); the one who pressed hears privately only when there
    is none left, or the group is not theirs."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    given = run_use_case(
        deps, click, lambda work: round_services.give_starter(work, team_id, group_of(action), user_id, deps.clock())
    )
    if given is not None:
        outbox.kick(deps)


def say_thanks(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Say thanks" under a check-in answered "We met" (value: the group's id): the thank-you
    modal, for a member of that group only."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    form = run_use_case(deps, click, lambda work: round_services.thanks_form(work, team_id, group_of(action), user_id))
    if form is None:
        return
    try:
        client.views_open(trigger_id=body["trigger_id"], view=round_messages.thanks_modal(form))
    except SlackApiError as error:  # e.g. the trigger expired: the button can be clicked again
        logger.warning("Could not open the thank-you modal: %s", error.response.get("error"))


def answer_learned(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """What one side of a reverse pair learned this month: the answer replaces the question."""
    ack()
    learned, click = LEARNED[action["action_id"]], Click(body, respond, client)
    if (who := admitted(deps, click, context)) is None:
        return
    team_id, user_id = who
    recorded = run_use_case(
        deps,
        click,
        lambda work: round_services.answer_learned(work, team_id, group_of(action), user_id, learned, deps.clock()),
    )
    if recorded is not None:
        reply = round_messages.what_did_you_learn(group_of(action), user_id, (), learned.value, recorded.partner)
        click.answer(reply, replace=True)


def keep_partner(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """One side of a reverse pair keeps their partner for the next round, or not: told to them
    alone, in place of the question."""
    ack()
    keep, click = action["action_id"] == ids.KEEP_PARTNER, Click(body, respond, client)
    if (who := admitted(deps, click, context)) is None:
        return
    team_id, user_id = who
    partner = run_use_case(
        deps, click, lambda work: round_services.keep_partner(work, team_id, group_of(action), user_id, keep)
    )
    if partner is not None:
        click.answer(round_messages.keep_choice(group_of(action), partner, keep), replace=True)
