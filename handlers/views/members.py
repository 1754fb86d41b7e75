"""The profile modal: the member's profile, and what it says of rounds."""

import re

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import blocks
from bot.errors import TemporarilyUnavailable
from bot.ids import ProfileField
from bot.members import services as member_services
from bot.members.messages import MAX_NEVER_PAIRS, SPONSORING_OPTION
from bot.members.model import SITUATIONS, ProfileForm, ProfileFormErrors, profile_from_form
from bot.rounds.model import RoundKind
from handlers.deps import Deps
from handlers.listeners import member_of
from handlers.render import refresh_home
from jobs import asks as ask_jobs

SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,31}$")


def save_profile(ack: Ack, view: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    team_id, user_id = member_of(context)
    values = view.get("state", {}).get("values", {})
    try:
        profile = profile_from_form(team_id, user_id, profile_form(values))
    except ProfileFormErrors as invalid:
        ack(response_action="errors", errors=invalid.errors)
        return
    # Saved before the modal closes: if the database fails, the member's typing
    # is still in the open modal, with the error, to submit again.
    try:
        with deps.store.transaction() as repositories:
            saved = member_services.save_profile(repositories.profiles, profile)
            never = never_pairs(values)
            if never is not None:
                repositories.rounds.set_never(team_id, user_id, never)
            chosen = chosen_rounds(values)
            for kind in RoundKind if chosen is not None else ():
                repositories.rounds.set_opt_in(team_id, user_id, kind, kind.value in chosen)
            situations = chosen_situations(values)
            if situations is not None:
                repositories.rounds.set_situations(team_id, user_id, situations)
    except TemporarilyUnavailable as error:
        ack(response_action="errors", errors={ProfileField.OFFERS: error.message})
        return
    ack()
    if saved.offers:
        ask_jobs.refresh_member(client, deps, team_id, user_id)  # a mentor's time zone, for ranking
    refresh_home(client, deps, team_id, user_id)


def chosen_rounds(values: dict) -> frozenset[str] | None:
    """The rounds ticked in the profile modal ("coffee", "reverse"); None, so membership
    stays as it is, when the form had no such field (a modal opened before it existed) or
    Slack's client could not have sent what it holds."""
    return _chosen(values, ProfileField.ROUNDS, {kind.value for kind in RoundKind})


def chosen_situations(values: dict) -> frozenset[str] | None:
    """The life situations ticked in the profile modal; None as for chosen_rounds."""
    return _chosen(values, ProfileField.SITUATIONS, SITUATIONS.keys())


def _chosen(values: dict, field: str, listed) -> frozenset[str] | None:
    ticked = blocks.ticked(values, field) if field in values else None
    return frozenset(ticked) if ticked is not None and set(ticked) <= set(listed) else None


def never_pairs(values: dict) -> list[str] | None:
    """The users picked in "Never pair me with" (Slack user ids); None when the form had no
    such field, so the list stays as it is. The modal allows MAX_NEVER_PAIRS; a payload with
    more, or with anything but user ids, was not made by Slack's client and changes nothing."""
    if ProfileField.NEVER not in values:
        return None
    picked = blocks.input_state(values, ProfileField.NEVER).get("selected_users") or []
    valid = [user_id for user_id in picked if isinstance(user_id, str) and SLACK_USER.match(user_id)]
    return valid if len(valid) == len(picked) <= MAX_NEVER_PAIRS else None


def profile_form(values: dict) -> ProfileForm:
    """The modal's state as a ProfileForm; Slack's payload is untrusted, so any part may be missing."""

    def element(field: str) -> dict:
        return blocks.input_state(values, field)

    def text(field: str) -> str | None:
        value = element(field).get("value")
        return value if isinstance(value, str) else None

    stage = element(ProfileField.CAREER_STAGE).get("selected_option")
    return ProfileForm(
        offers=text(ProfileField.OFFERS),
        wants=text(ProfileField.WANTS),
        objectives=text(ProfileField.OBJECTIVES),
        career_stage=stage.get("value") if isinstance(stage, dict) else None,
        team=text(ProfileField.TEAM),
        open_to_sponsoring=SPONSORING_OPTION in (blocks.ticked(values, ProfileField.SPONSORING) or ()),
        capacity=text(ProfileField.CAPACITY),
    )
