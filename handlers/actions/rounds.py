"""The buttons of rounds: join, leave, pause and resume on the Home tab; skip in the day-before
notice; the group's check-in; what each side of a reverse pair learned."""

from collections.abc import Callable
from datetime import date

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import ids
from bot.errors import InvalidInput
from bot.rounds import messages as round_messages
from bot.rounds import services as round_services
from bot.rounds.model import CheckinOutcome, Learned, Membership, RoundKind, round_kind
from handlers.deps import Deps
from handlers.listeners import Click, member_of, row_id, run_use_case
from handlers.render import refresh_home
from storage.db import Repositories

CHECKINS = {action_id: CheckinOutcome(value) for value, action_id in ids.CHECKIN_CHOICES.items()}
LEARNED = {action_id: Learned(value) for value, action_id in ids.LEARNED_CHOICES.items()}
NOT_YOURS = "That question isn't yours to answer."


def join_round(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    ack()
    change(deps, Click(body, respond, client), context, lambda r, t, u: round_services.join(r, t, u, kind_of(action)))


def leave_round(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    ack()
    change(deps, Click(body, respond, client), context, lambda r, t, u: round_services.leave(r, t, u, kind_of(action)))


def pause_rounds(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """Pause (value: a duration such as "2w")."""
    ack()
    today = deps.clock().date()
    change(
        deps,
        Click(body, respond, client),
        context,
        lambda r, t, u: round_services.pause(r, t, u, action.get("value") or "2w", today),
    )


def resume_rounds(
    ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    ack()
    change(deps, Click(body, respond, client), context, round_services.resume)


def kind_of(action: dict) -> RoundKind:
    return round_kind(action.get("value") or "")


def change(deps: Deps, click: Click, context: BoltContext, use_case: Callable[..., Membership]) -> None:
    team_id, user_id = member_of(context)
    if run_use_case(deps, click, lambda repositories: use_case(repositories.rounds, team_id, user_id)):
        refresh_home(click.client, deps, team_id, user_id)


def skip_round(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Skip this round" in the day-before notice (value: "<kind>:<YYYY-MM-DD>")."""
    ack()
    skip(deps, Click(body, respond, client), context, action.get("value"), skipped=True)


def unskip_round(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Join this round after all" (value: as for skip_round)."""
    ack()
    skip(deps, Click(body, respond, client), context, action.get("value"), skipped=False)


def round_day(value: str | None) -> tuple[RoundKind, date]:
    kind_text, _, day = (value or "").partition(":")
    try:
        return round_kind(kind_text), date.fromisoformat(day)
    except ValueError:
        raise InvalidInput("That button no longer points at a round.") from None


def skip(deps: Deps, click: Click, context: BoltContext, value: str | None, skipped: bool) -> None:
    team_id, user_id = member_of(context)

    def use_case(repositories: Repositories) -> dict:
        kind, held_on = round_day(value)
        if repositories.rounds.is_recorded(team_id, kind, held_on):
            return round_messages.round_started(kind)
        repositories.rounds.set_skip(team_id, kind, held_on, user_id, skipped)
        return round_messages.notice(kind, held_on, skipped)

    reply = run_use_case(deps, click, use_case)
    if reply is not None:
        click.answer(reply, replace=True)


def answer_checkin(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Did you meet?" in a group DM (value: the group's id): only the group's members answer."""
    ack()
    team_id, user_id = member_of(context)
    outcome = CHECKINS[action["action_id"]]

    def record(repositories: Repositories) -> dict:
        group_id = row_id(action.get("value"), InvalidInput(NOT_YOURS))
        if not repositories.rounds.answer_checkin(team_id, group_id, user_id, outcome, deps.clock()):
            raise InvalidInput(NOT_YOURS)
        return round_messages.checkin(group_id, *repositories.rounds.checkin_answer(team_id, group_id))

    answer_group(deps, Click(body, respond, client), record)


def answer_learned(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """What one side of a reverse pair learned this month (value: the group's id)."""
    ack()
    team_id, user_id = member_of(context)
    level = LEARNED[action["action_id"]]

    def record(repositories: Repositories) -> dict:
        group_id = row_id(action.get("value"), InvalidInput(NOT_YOURS))
        if not repositories.rounds.answer_learned(team_id, group_id, user_id, level, deps.clock()):
            raise InvalidInput(NOT_YOURS)
        return round_messages.what_did_you_learn(group_id, user_id, (), level.value)

    answer_group(deps, Click(body, respond, client), record)


def answer_group(deps: Deps, click: Click, record: Callable[[Repositories], dict]) -> None:
    """The answer recorded replaces the question; a member not in that group is refused
    (values from Slack are untrusted)."""
    reply = run_use_case(deps, click, record)
    if reply is not None:
        click.answer(reply, replace=True)
