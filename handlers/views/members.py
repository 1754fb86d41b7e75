"""The profile modal: the member's profile, and what it says of rounds."""

from functools import partial

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.ids import ProfileField
from bot.members import services as member_services
from bot.members.forms import profile_form, round_preferences
from bot.members.model import ProfileFormErrors, profile_from_form
from deps import Deps
from handlers.listeners import admitted_submission, after_ack, submit, tell_by_dm
from handlers.render import refresh_home
from jobs import asks as ask_jobs


def save_profile(ack: Ack, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    if (who := admitted_submission(deps, ack, client, context, ProfileField.OFFERS)) is None:
        return
    team_id, user_id = who
    values = view.get("state", {}).get("values", {})
    try:
        profile = profile_from_form(team_id, user_id, profile_form(values))
    except ProfileFormErrors as invalid:
        ack(response_action="errors", errors=invalid.errors)
        return
    preferences = round_preferences(values)
    saved = submit(
        deps, ack, ProfileField.OFFERS, lambda work: member_services.save_profile(work, profile, preferences)
    )
    if saved is None:
        return

    def follow_up() -> None:
        if saved.offers:
            ask_jobs.refresh_member(client, deps, team_id, user_id)  # a mentor's time zone, for ranking
            ask_jobs.send_queued_asks(deps, team_id)  # more capacity or a new skill: a queued ask may go
        refresh_home(client, deps, team_id, user_id)

    after_ack(deps, follow_up, partial(tell_by_dm, client, user_id))
