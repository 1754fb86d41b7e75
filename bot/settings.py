"""A workspace's program settings, set by its admins in `/mentor settings`."""

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import blocks
from bot.followups import DEFAULT_FOLLOWUP_DAYS, MAX_FOLLOWUP_DAYS
from bot.ids import SETTINGS_VIEW, SettingsField

CADENCES = {1: "Every week", 2: "Every 2 weeks", 4: "Every 4 weeks"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MAX_ASK_TIMEOUT_HOURS = 168
REVERSE_ON = "on"
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,31}$")


@dataclass(frozen=True)
class ProgramSettings:
    """Every setting with its default: a workspace whose admins never saved any uses these."""

    coffee_every_weeks: int = 2
    coffee_weekday: int = 0  # Monday
    round_hour: int = 10  # in `time_zone`
    time_zone: str | None = None  # an IANA name; None: UTC
    followup_days: int = DEFAULT_FOLLOWUP_DAYS
    ask_timeout_hours: int = 48
    program_channel: str | None = None  # where each round's figures are announced
    reverse_enabled: bool = True


class SettingsFormErrors(ValueError):
    """The form has mistakes; `errors` maps a SettingsField to what to fix there."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors


def _option(text: str, value: object) -> dict:
    return {"text": blocks.plain(text, 75), "value": str(value)}


def _select(options: list[dict], chosen: object) -> dict:
    initial = next(option for option in options if option["value"] == str(chosen))
    return {"type": "static_select", "options": options, "initial_option": initial}


def _number(value: int, low: int, high: int) -> dict:
    return {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": str(low),
        "max_value": str(high),
        "initial_value": str(value),
    }


def settings_modal(settings: ProgramSettings) -> dict:
    """The modal of `/mentor settings`, filled with the workspace's settings."""
    reverse_option = _option("Pair early-career and senior members each month", REVERSE_ON)
    reverse: dict = {"type": "checkboxes", "options": [reverse_option]}
    if settings.reverse_enabled:
        reverse["initial_options"] = [reverse_option]
    channel: dict = {
        "type": "conversations_select",
        "placeholder": blocks.plain("No channel", 150),
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if settings.program_channel:
        channel["initial_conversation"] = settings.program_channel
    field = blocks.input_block
    return {
        "type": "modal",
        "callback_id": SETTINGS_VIEW,
        "title": blocks.plain("Mentoring program", 24),
        "submit": blocks.plain("Save", 24),
        "close": blocks.plain("Cancel", 24),
        "blocks": [
            blocks.header("Coffee chats"),
            field(
                SettingsField.CADENCE,
                "How often",
                _select([_option(text, weeks) for weeks, text in CADENCES.items()], settings.coffee_every_weeks),
                optional=False,
            ),
            field(
                SettingsField.WEEKDAY,
                "On",
                _select([_option(day, number) for number, day in enumerate(WEEKDAYS)], settings.coffee_weekday),
                optional=False,
            ),
            field(
                SettingsField.HOUR,
                "At",
                _select([_option(f"{hour:02d}:00", hour) for hour in range(24)], settings.round_hour),
                hint="Reverse mentoring pairs people at the same hour, on the first weekday of each month.",
                optional=False,
            ),
            field(
                SettingsField.TIME_ZONE,
                "Workspace time zone",
                blocks.text_input(settings.time_zone or "", 64, placeholder="Europe/Paris"),
                hint="A time zone name such as Europe/Paris or America/New_York; empty means UTC.",
            ),
            field(SettingsField.REVERSE, "Reverse mentoring", reverse),
            blocks.header("Asks and follow-ups"),
            field(
                SettingsField.ASK_TIMEOUT,
                "Hours an ask waits for a mentor",
                _number(settings.ask_timeout_hours, 1, MAX_ASK_TIMEOUT_HOURS),
                hint="Then it goes to a few more people, and after as long again it closes.",
                optional=False,
            ),
            field(
                SettingsField.FOLLOWUP_DAYS,
                "Days before asking mentees how it went",
                _number(settings.followup_days, 0, MAX_FOLLOWUP_DAYS),
                hint='Counted from the mentor\'s "I can help"; sent on a weekday, in working hours.',
                optional=False,
            ),
            field(
                SettingsField.CHANNEL,
                "Program channel",
                channel,
                hint="Mentor posts each round's figures there (never names). Invite Mentor to a private channel first.",
            ),
        ],
    }


def _chosen(values: dict, field: str) -> str | None:
    option = blocks.input_state(values, field).get("selected_option")
    return option.get("value") if isinstance(option, dict) else None


def _whole(text: object, low: int, high: int) -> int | None:
    text = text.strip() if isinstance(text, str) else ""
    return int(text) if text.isdigit() and low <= int(text) <= high else None


def settings_from_form(values: dict) -> ProgramSettings:
    """The settings a submitted modal holds (its `state.values`), or SettingsFormErrors
    naming each field to fix. Values come from Slack, so each is checked as untrusted."""
    errors: dict[str, str] = {}
    cadence = _whole(_chosen(values, SettingsField.CADENCE), 1, 4)
    if cadence not in CADENCES:
        errors[SettingsField.CADENCE] = "Choose how often coffee chats happen."
    weekday = _whole(_chosen(values, SettingsField.WEEKDAY), 0, len(WEEKDAYS) - 1)
    if weekday is None:
        errors[SettingsField.WEEKDAY] = "Choose a weekday."
    hour = _whole(_chosen(values, SettingsField.HOUR), 0, 23)
    if hour is None:
        errors[SettingsField.HOUR] = "Choose an hour."
    zone = blocks.input_state(values, SettingsField.TIME_ZONE).get("value")
    zone = zone.strip() or None if isinstance(zone, str) else None
    if zone is not None:
        zone = canonical_zone(zone)
        if zone is None:
            errors[SettingsField.TIME_ZONE] = "That is not a time zone name Mentor knows: try one like Europe/Paris."
    timeout = _whole(blocks.input_state(values, SettingsField.ASK_TIMEOUT).get("value"), 1, MAX_ASK_TIMEOUT_HOURS)
    if timeout is None:
        errors[SettingsField.ASK_TIMEOUT] = f"A whole number of hours from 1 to {MAX_ASK_TIMEOUT_HOURS}."
    days = _whole(blocks.input_state(values, SettingsField.FOLLOWUP_DAYS).get("value"), 0, MAX_FOLLOWUP_DAYS)
    if days is None:
        errors[SettingsField.FOLLOWUP_DAYS] = f"A whole number of days from 0 to {MAX_FOLLOWUP_DAYS}."
    channel = blocks.input_state(values, SettingsField.CHANNEL).get("selected_conversation") or None
    if channel is not None and not (isinstance(channel, str) and CHANNEL_ID.match(channel)):
        errors[SettingsField.CHANNEL] = "Choose a channel, or none."
    checked = blocks.input_state(values, SettingsField.REVERSE).get("selected_options")
    checked = checked if isinstance(checked, list) else []
    if errors:
        raise SettingsFormErrors(errors)
    return ProgramSettings(
        coffee_every_weeks=cadence,
        coffee_weekday=weekday,
        round_hour=hour,
        time_zone=zone,
        followup_days=days,
        ask_timeout_hours=timeout,
        program_channel=channel,
        reverse_enabled=any(isinstance(option, dict) and option.get("value") == REVERSE_ON for option in checked),
    )


def canonical_zone(name: str) -> str | None:
    """`name` when it is an IANA zone this machine knows, else None."""
    if not re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", name) or len(name) > 64:
        return None
    try:
        return str(ZoneInfo(name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def settings_saved(settings: ProgramSettings) -> str:
    """What the admin is told once the settings are saved."""
    coffee = f"{CADENCES[settings.coffee_every_weeks].lower()} on {WEEKDAYS[settings.coffee_weekday]}"
    zone = settings.time_zone or "UTC"
    reverse = "on" if settings.reverse_enabled else "off"
    channel = f"<#{settings.program_channel}>" if settings.program_channel else "none"
    return (
        f"Program settings saved. Coffee chats {coffee} at {settings.round_hour:02d}:00 {zone}; "
        f"reverse mentoring {reverse}; asks wait {settings.ask_timeout_hours} h; "
        f"follow-ups after {settings.followup_days} days; program channel: {channel}. "
        "They apply from the next scheduled run."
    )
