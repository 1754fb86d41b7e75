"""Modal submissions."""

import re
from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import blocks, ids
from bot.asks import services as ask_services
from bot.asks.model import clean_question
from bot.errors import InvalidInput, TemporarilyUnavailable
from bot.followups import messages as followup_messages
from bot.followups import services as followup_services
from bot.followups.model import FollowUp, FollowUpRefused
from bot.ids import ProfileField
from bot.members import services as member_services
from bot.members.messages import MAX_NEVER_PAIRS, SPONSORING_OPTION
from bot.members.model import SITUATIONS, ProfileForm, ProfileFormErrors, profile_from_form
from bot.rounds.model import RoundKind
from handlers.actions import followup_id_from
from handlers.deps import Deps, after_ack, workspace_of
from handlers.render import refresh_home
from jobs import asks as ask_jobs
from jobs import followups as followup_jobs
from jobs import outbox

SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,31}$")


def register(app: App, deps: Deps) -> None:
    @app.view(ids.PROFILE_VIEW)
    def handle_profile_submission(ack: Ack, view: dict, client: WebClient, context) -> None:
        team_id, user_id = workspace_of(context), context.user_id
        try:
            profile = profile_from_form(team_id, user_id, profile_form(view.get("state", {}).get("values", {})))
        except ProfileFormErrors as invalid:
            ack(response_action="errors", errors=invalid.errors)
            return
        # Saved before the modal closes: if the database fails, the member's typing
        # is still in the open modal, with the error, to submit again.
        try:
            with deps.store.transaction() as repositories:
                saved = member_services.save_profile(repositories.profiles, profile)
                values = view.get("state", {}).get("values", {})
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

    @app.view(ids.ASK_VIEW)
    def handle_ask_submission(ack: Ack, view: dict, client: WebClient, context) -> None:
        """ "Find a mentor": the question typed in the modal, about the skill it was opened for."""
        team_id, user_id = workspace_of(context), context.user_id
        state = view.get("state", {}).get("values", {}).get(ids.ASK_QUESTION, {}).get(ids.ASK_QUESTION, {})
        question = state.get("value") if isinstance(state, dict) else None
        try:
            clean_question(question or "")
            with deps.store.transaction() as repositories:
                skill = ask_services.known_skill(repositories.asks, team_id, view.get("private_metadata") or "")
        except (InvalidInput, TemporarilyUnavailable) as error:
            ack(response_action="errors", errors={ids.ASK_QUESTION: error.message})
            return
        ack()
        reply = ask_jobs.reply_by_dm(client, user_id)
        after_ack(deps, partial(ask_jobs.start_ask, client, deps, team_id, user_id, question, reply, skill), reply)

    def submit_followup_text(ack: Ack, view: dict, context, use_case) -> FollowUp | None:
        """A note or a reply: saved and queued before the modal closes, or the reason shown in it."""
        team_id, user_id = workspace_of(context), context.user_id
        values = view.get("state", {}).get("values", {})
        text = blocks.input_state(values, ids.NOTE_INPUT).get("value")
        checked = blocks.input_state(values, ids.SHARE_INPUT).get("selected_options")
        shared = None if checked is None else followup_messages.SHARE_OPTION in (_ticked(values, ids.SHARE_INPUT) or ())
        try:
            followup_id = followup_id_from(view.get("private_metadata"))
            with deps.store.transaction() as repositories:
                followup = use_case(
                    repositories.followups,
                    team_id,
                    followup_id,
                    user_id,
                    text if isinstance(text, str) else None,
                    shared,
                )
        except FollowUpRefused as refused:
            ack(response_action="errors", errors={ids.NOTE_INPUT: followup_messages.refused(refused.reason)["text"]})
            return None
        except TemporarilyUnavailable as error:
            ack(response_action="errors", errors={ids.NOTE_INPUT: error.message})
            return None
        ack()
        outbox.kick(deps)
        return followup

    @app.view(ids.FOLLOWUP_NOTE_VIEW)
    def handle_followup_note(ack: Ack, view: dict, client: WebClient, context) -> None:
        followup = submit_followup_text(
            ack,
            view,
            context,
            lambda followups, team_id, followup_id, user_id, text, shared: followup_services.add_note(
                followups, team_id, followup_id, user_id, text, shared, deps.clock()
            ),
        )
        if followup is not None:
            followup_jobs.refresh_prompts(client, deps, followup)

    @app.view(ids.FOLLOWUP_REPLY_VIEW)
    def handle_followup_reply(ack: Ack, view: dict, context) -> None:
        submit_followup_text(
            ack,
            view,
            context,
            lambda followups, team_id, followup_id, user_id, text, _: followup_services.reply_to_note(
                followups, team_id, followup_id, user_id, text, deps.clock()
            ),
        )


def chosen_rounds(values: dict) -> frozenset[str] | None:
    """The rounds ticked in the profile modal ("coffee", "reverse"); None, so membership
    stays as it is, when the form had no such field (a modal opened before it existed) or
    Slack's client could not have sent what it holds."""
    return _chosen(values, ProfileField.ROUNDS, {kind.value for kind in RoundKind})


def chosen_situations(values: dict) -> frozenset[str] | None:
    """The life situations ticked in the profile modal; None as for chosen_rounds."""
    return _chosen(values, ProfileField.SITUATIONS, SITUATIONS.keys())


def _chosen(values: dict, field: str, listed) -> frozenset[str] | None:
    ticked = _ticked(values, field) if field in values else None
    return frozenset(ticked) if ticked is not None and set(ticked) <= set(listed) else None


def _ticked(values: dict, field: str) -> list[str] | None:
    """The values of the options ticked in a checkboxes field; None when the payload is not
    shaped as Slack's client sends it."""
    ticked = blocks.input_state(values, field).get("selected_options")
    if not isinstance(ticked, list) or not all(isinstance(o, dict) and isinstance(o.get("value"), str) for o in ticked):
        return None
    return [option["value"] for option in ticked]


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
        open_to_sponsoring=SPONSORING_OPTION in (_ticked(values, ProfileField.SPONSORING) or ()),
        capacity=text(ProfileField.CAPACITY),
    )
