"""Reading what a member sees and showing it in Slack: the profile modal and the Home tab."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import home
from bot.errors import TemporarilyUnavailable
from bot.members import messages as member_messages
from bot.program import messages as program_messages
from bot.program.model import Period
from bot.rounds import program_messages as programs_messages
from bot.rounds import programs
from bot.rounds import schedule as round_schedule
from bot.rounds.model import COFFEE
from deps import Deps
from handlers.permissions import is_admin

logger = logging.getLogger(__name__)


def open_profile_modal(client: WebClient, deps: Deps, team_id: str, user_id: str, trigger_id: str) -> None:
    with deps.store.transaction() as repositories:
        profile = repositories.profiles.get(team_id, user_id)
        never = repositories.rounds.never_of(team_id, user_id)
        membership = repositories.rounds.membership(team_id, user_id)
        situations = repositories.rounds.situations_of(team_id, user_id)
        coffee_every = round_schedule.how_often(repositories.rounds.schedule(team_id, COFFEE.key))
    view = member_messages.profile_modal(profile, never, membership.programs, situations, coffee_every)
    client.views_open(trigger_id=trigger_id, view=view)


def home_view(deps: Deps, team_id: str, user_id: str, admin: bool = False) -> dict:
    """The member's Home tab, with the program's figures for an `admin`; a notice instead
    when the database does not answer."""
    try:
        with deps.store.reading() as repositories:
            profile = repositories.profiles.get(team_id, user_id)
            now = home.member_now(
                repositories, team_id, user_id, deps.clock(), deps.followup_policy_for(repositories, team_id)
            )
            program = (
                program_messages.home_blocks(repositories.program.figures(team_id, Period(deps.clock())))
                if admin
                else []
            )
            if admin:  # the programs, with Pause, Resume, Archive and "New program"
                program += programs_messages.admin_home_blocks(programs.listed(repositories, team_id))
    except TemporarilyUnavailable as error:
        return home.home_notice(error.message)
    return home.home(profile, now, program)


def refresh_home(client: WebClient, deps: Deps, team_id: str, user_id: str) -> None:
    try:
        client.views_publish(user_id=user_id, view=home_view(deps, team_id, user_id, is_admin(client, deps, user_id)))
    except SlackApiError as error:
        # The Home tab is drawn again whenever the member opens it.
        logger.warning("views.publish failed: %s", error.response.get("error"))
