"""Program admins: `/mentor settings|stats|export`, the settings modal, and the Home tab's
admin buttons; each checks who is an admin (handlers.permissions) first."""

import logging
from collections.abc import Callable
from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks, ids, replies
from bot.errors import InvalidInput, TemporarilyUnavailable
from bot.program import messages as program_messages
from bot.program.charts import program_chart
from bot.program.export import figures_csv, relationships_csv
from bot.program.forms import settings_from_form
from bot.program.messages import GAPS_SHOWN, settings_modal, settings_saved
from bot.program.model import Period, SettingsFormErrors, parse_period
from handlers.deps import Deps, after_ack, workspace_of
from handlers.permissions import is_admin
from handlers.render import refresh_home
from jobs.asks import send_dm

logger = logging.getLogger(__name__)

CHART_MONTHS = 12
Tell = Callable[[dict], None]


def handle_command(
    client: WebClient, deps: Deps, team_id: str, user_id: str, name: str, argument: str, trigger_id: str, tell: Tell
) -> None:
    """`/mentor settings|stats|export`, after the ack: refused politely for non-admins."""
    what = {"settings": "Program settings", "stats": "Program figures", "export": "Program exports"}[name]
    if not is_admin(client, deps, user_id):
        tell(program_messages.not_admin(what))
        return
    if name == "settings":
        open_settings(client, deps, team_id, trigger_id)
        return
    chart = name == "stats" and argument.strip().casefold().startswith("chart")
    period = parse_period(argument.strip()[len("chart") :] if chart else argument, deps.clock())
    if name == "export":
        tell(program_messages.working_on("the CSV export"))
        after_ack(deps, partial(send_export, client, deps, team_id, user_id, period, tell), tell)
    elif chart:
        tell(program_messages.working_on("the charts"))
        after_ack(deps, partial(send_chart, client, deps, team_id, user_id, period, tell), tell)
    else:
        after_ack(deps, partial(send_stats, deps, team_id, period, tell), tell)


def open_settings(client: WebClient, deps: Deps, team_id: str, trigger_id: str) -> None:
    with deps.store.transaction() as repositories:
        settings = repositories.program.settings(team_id)
    client.views_open(trigger_id=trigger_id, view=settings_modal(settings))


def send_stats(deps: Deps, team_id: str, period: Period, tell: Tell) -> None:
    with deps.store.reading() as repositories:
        figures = repositories.program.figures(team_id, period)
    tell(program_messages.stats_reply(figures))


def _upload(client: WebClient, user_id: str, what: str, tell: Tell, **upload) -> None:
    """A file to the admin's DM with Mentor; they hear whether it went."""
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        client.files_upload_v2(channel=channel, **upload)
    except SlackApiError as error:
        logger.warning("Uploading %s failed: %s", what, error.response.get("error"))
        tell(program_messages.upload_failed(what))
        return
    tell(program_messages.sent_to_dm(what))


def send_chart(client: WebClient, deps: Deps, team_id: str, user_id: str, period: Period, tell: Tell) -> None:
    with deps.store.reading() as repositories:
        demand = repositories.program.skill_demand(team_id, GAPS_SHOWN)
        months = repositories.program.loops_by_month(team_id, CHART_MONTHS, period.end)
    day = period.end.date().isoformat()
    _upload(
        client,
        user_id,
        "the charts",
        tell,
        file=program_chart(demand, months),
        filename=f"mentor-program-{day}.png",
        title=f"Mentoring program, {day}",
        initial_comment="Skills wanted against offered (now), and follow-ups sent and loops closed per month.",
    )


def send_export(client: WebClient, deps: Deps, team_id: str, user_id: str, period: Period, tell: Tell) -> None:
    with deps.store.reading() as repositories:
        figures = repositories.program.figures(team_id, period)
        relationships = relationships_csv(repositories.program.relationships(team_id, period))
    first, last = period.first_day.isoformat(), period.end.date().isoformat()
    _upload(
        client,
        user_id,
        "the CSV export",
        tell,
        file_uploads=[
            {
                "content": figures_csv(figures),
                "filename": f"mentor-figures-{first}-to-{last}.csv",
                "title": f"Mentoring figures, {first} to {last}",
            },
            {
                "content": relationships,
                "filename": f"mentor-relationships-{first}-to-{last}.csv",
                "title": f"Mentoring relationships, {first} to {last}",
            },
        ],
        initial_comment=(
            "Program figures, and one row per mentoring relationship that began in the period. Members are "
            "pseudonyms (P0001…) valid in this export only; no question or note is included."
        ),
    )


def register(app: App, deps: Deps) -> None:
    @app.view(ids.SETTINGS_VIEW)
    def handle_settings_submission(ack: Ack, view: dict, client: WebClient, context) -> None:
        team_id, user_id = workspace_of(context), context.user_id
        first_field = ids.SettingsField.CADENCE
        if not is_admin(client, deps, user_id):  # an admin a moment ago may be one no more
            ack(response_action="errors", errors={first_field: program_messages.not_admin("Program settings")["text"]})
            return
        try:
            settings = settings_from_form(view.get("state", {}).get("values", {}))
            with deps.store.transaction() as repositories:
                repositories.program.save_settings(team_id, settings)
        except SettingsFormErrors as invalid:
            ack(response_action="errors", errors=invalid.errors)
            return
        except TemporarilyUnavailable as error:
            ack(response_action="errors", errors={first_field: error.message})
            return
        ack()
        dm_admin(client, user_id, blocks.message(settings_saved(settings)))
        refresh_home(client, deps, team_id, user_id)

    @app.action(ids.OPEN_SETTINGS)
    def handle_open_settings(ack: Ack, body: dict, client: WebClient, context) -> None:
        ack()
        tell = partial(dm_admin, client, context.user_id)
        if not is_admin(client, deps, context.user_id):
            tell(program_messages.not_admin("Program settings"))
            return
        try:
            open_settings(client, deps, workspace_of(context), body["trigger_id"])
        except TemporarilyUnavailable as error:
            tell(replies.unavailable(error.message))

    def home_button(what: str, send) -> Callable:
        def handle(ack: Ack, action: dict, client: WebClient, context) -> None:
            ack()
            team_id, user_id = workspace_of(context), context.user_id
            tell = partial(dm_admin, client, user_id)
            if not is_admin(client, deps, user_id):
                tell(program_messages.not_admin(what))
                return
            try:
                period = parse_period(f"{action.get('value') or ''}d" if action.get("value") else "", deps.clock())
            except InvalidInput as error:
                tell(replies.invalid_input(error))
                return
            after_ack(deps, partial(send, client, deps, team_id, user_id, period, tell), tell)

        return handle

    app.action(ids.SEND_CHART)(home_button("Program charts", send_chart))
    app.action(ids.SEND_EXPORT)(home_button("Program exports", send_export))


def dm_admin(client: WebClient, user_id: str, message: dict) -> None:
    """Clicks on the Home tab and modals have no response URL: what the admin should hear
    goes to their DM."""
    try:
        send_dm(client, user_id, message)
    except SlackApiError as error:
        logger.warning("DM to an admin failed: %s", error.response.get("error"))
