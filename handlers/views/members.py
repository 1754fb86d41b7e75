"""The profile modal: the member's profile, and what it says of rounds."""

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import ids
from bot.ids import ProfileField
from bot.members import services as member_services
from bot.members.forms import profile_form, round_preferences
from bot.members.model import ProfileFormErrors, profile_from_form
from deps import Deps
from handlers.interactions import request_of
from handlers.listeners import admitted_submission, member_of, submit
from handlers.render import refresh_home
from jobs import asks as ask_jobs
from storage.command_jobs import VIEW, NewCommandJob
from storage.db import Repositories


def save_profile(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """The profile saved before the modal closes, and what follows it (profile_saved) recorded
    for a worker in the same transaction: it outlives this process."""
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
    follow_up = NewCommandJob(team_id, user_id, ids.PROFILE_VIEW, "", "", VIEW, request_of(body, context))

    def save_and_record(work: Repositories) -> None:
        member_services.save_profile(work, profile, preferences)
        work.command_jobs.queue([follow_up], deps.clock())

    if submit(deps, ack, ProfileField.OFFERS, save_and_record) is not None:
        deps.command_queued.set()  # wakes a worker of this process


def profile_saved(client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """On a worker, after a profile was saved: a mentor's time zone looked up (for ranking)
    and the asks queued for want of a mentor offered to them if they now have room; then the
    member's Home tab drawn from the profile as it is now."""
    team_id, user_id = member_of(context)
    with deps.store.reading() as work:
        profile = work.profiles.get(team_id, user_id)
    if profile is not None and profile.offers:
        ask_jobs.refresh_member(client, deps, team_id, user_id)
        ask_jobs.send_queued_asks(deps, team_id)  # more capacity or a new skill: a queued ask may go
    refresh_home(client, deps, team_id, user_id)
