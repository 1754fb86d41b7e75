"""Modal submissions."""

from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import asking, ids, services
from bot.asks import clean_question
from bot.errors import InvalidInput, TemporarilyUnavailable
from bot.ids import ProfileField
from bot.profile import ProfileForm, ProfileFormErrors, profile_from_form
from bot.views import SPONSORING_OPTION
from handlers import ask_flow
from handlers.deps import Deps, after_ack, workspace_of
from handlers.render import refresh_home


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
                saved = services.save_profile(repositories.profiles, profile)
        except TemporarilyUnavailable as error:
            ack(response_action="errors", errors={ProfileField.OFFERS: error.message})
            return
        ack()
        if saved.offers:
            ask_flow.refresh_member(client, deps, team_id, user_id)  # a mentor's time zone, for ranking
        refresh_home(client, deps, team_id, user_id)

    @app.view(ids.ASK_VIEW)
    def handle_ask_submission(ack: Ack, view: dict, client: WebClient, context) -> None:
        """"Find a mentor": the question typed in the modal, about the skill it was opened for."""
        team_id, user_id = workspace_of(context), context.user_id
        state = view.get("state", {}).get("values", {}).get(ids.ASK_QUESTION, {}).get(ids.ASK_QUESTION, {})
        question = state.get("value") if isinstance(state, dict) else None
        try:
            clean_question(question or "")
            with deps.store.transaction() as repositories:
                skill = asking.known_skill(repositories.asks, team_id, view.get("private_metadata") or "")
        except (InvalidInput, TemporarilyUnavailable) as error:
            ack(response_action="errors", errors={ids.ASK_QUESTION: error.message})
            return
        ack()
        reply = ask_flow.reply_by_dm(client, user_id)
        after_ack(deps, partial(ask_flow.start_ask, client, deps, team_id, user_id, question, reply, skill), reply)


def profile_form(values: dict) -> ProfileForm:
    """The modal's state as a ProfileForm; Slack's payload is untrusted, so any part may be missing."""

    def element(field: str) -> dict:
        state = values.get(field)
        value = state.get(field) if isinstance(state, dict) else None
        return value if isinstance(value, dict) else {}

    def text(field: str) -> str | None:
        value = element(field).get("value")
        return value if isinstance(value, str) else None

    stage = element(ProfileField.CAREER_STAGE).get("selected_option")
    checked = element(ProfileField.SPONSORING).get("selected_options") or []
    return ProfileForm(
        offers=text(ProfileField.OFFERS),
        wants=text(ProfileField.WANTS),
        objectives=text(ProfileField.OBJECTIVES),
        career_stage=stage.get("value") if isinstance(stage, dict) else None,
        team=text(ProfileField.TEAM),
        open_to_sponsoring=any(isinstance(o, dict) and o.get("value") == SPONSORING_OPTION for o in checked),
        capacity=text(ProfileField.CAPACITY),
    )
