"""What program admins ask for, delivered through Slack: the settings modal, the figures, and
the chart and CSV export uploaded to their DM. The command (handlers.commands.program) and
the Home tab's buttons (handlers.actions.program) both use these, after checking who is an
admin (handlers.permissions)."""

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.program import messages as program_messages
from bot.program import services as program_services
from bot.program.model import Period
from deps import Deps
from handlers.listeners import about_to_send
from jobs.asks import send_dm

logger = logging.getLogger(__name__)

Tell = Callable[[dict], None]


def open_settings(client: WebClient, deps: Deps, team_id: str, trigger_id: str) -> None:
    with deps.store.transaction() as work:
        settings = program_services.settings(work, team_id)
    client.views_open(trigger_id=trigger_id, view=program_messages.settings_modal(settings, deps.fixed_settings))


def send_stats(deps: Deps, team_id: str, period: Period, tell: Tell) -> None:
    with deps.store.reading() as work:
        figures = program_services.figures(work, team_id, period)
    if about_to_send(deps):
        tell(program_messages.stats_reply(figures))
    else:
        logger.warning("Program figures were sent by an earlier try: not again")


def _upload(client: WebClient, deps: Deps, user_id: str, what: str, tell: Tell, **upload) -> None:
    """A file to the admin's DM with Mentor, once (about_to_send); they hear whether it went."""
    if not about_to_send(deps):
        logger.warning("Uploading %s was done by an earlier try: not again", what)
        return
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        client.files_upload_v2(channel=channel, **upload)
    except SlackApiError as error:
        logger.warning("Uploading %s failed: %s", what, error.response.get("error"))
        tell(program_messages.upload_failed(what))
        return
    tell(program_messages.sent_to_dm(what))


def send_chart(client: WebClient, deps: Deps, team_id: str, user_id: str, period: Period, tell: Tell) -> None:
    with deps.store.reading() as work:
        chart = program_services.chart(work, team_id, period)
    day = period.end.date().isoformat()
    _upload(
        client,
        deps,
        user_id,
        "the charts",
        tell,
        file=chart,
        filename=f"mentor-program-{day}.png",
        title=f"Mentoring program, {day}",
        initial_comment="Skills wanted against offered (now), and follow-ups sent and loops closed per month.",
    )


def send_export(client: WebClient, deps: Deps, team_id: str, user_id: str, period: Period, tell: Tell) -> None:
    with deps.store.reading() as work:
        export = program_services.export(work, team_id, period)
    first, last = period.first_day.isoformat(), period.end.date().isoformat()
    _upload(
        client,
        deps,
        user_id,
        "the CSV export",
        tell,
        file_uploads=[
            {
                "content": export.figures,
                "filename": f"mentor-figures-{first}-to-{last}.csv",
                "title": f"Mentoring figures, {first} to {last}",
            },
            {
                "content": export.relationships,
                "filename": f"mentor-relationships-{first}-to-{last}.csv",
                "title": f"Mentoring relationships, {first} to {last}",
            },
        ],
        initial_comment=(
            "Program figures, and one row per mentoring relationship that began in the period. Members are "
            "pseudonyms (P0001…) valid in this export only; no question or note is included."
        ),
    )


def dm_admin(client: WebClient, user_id: str, message: dict) -> None:
    """Clicks on the Home tab and modals have no response URL: what the admin should hear
    goes to their DM."""
    try:
        send_dm(client, user_id, message)
    except SlackApiError as error:
        logger.warning("DM to an admin failed: %s", error.response.get("error"))
