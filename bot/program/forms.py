"""Reading the settings modal's submitted state into ProgramSettings, as untrusted input."""

from bot import blocks
from bot.followups.model import MAX_FOLLOWUP_DAYS
from bot.ids import SettingsField
from bot.program.model import (
    CADENCES,
    CHANNEL_ID,
    GROUP_SIZES,
    MAX_ASK_TIMEOUT_HOURS,
    WEEKDAYS,
    FixedSettings,
    ProgramSettings,
    SettingsFormErrors,
    canonical_zone,
)

REVERSE_ON = "on"
GUESTS_IN = "in"


def _chosen(values: dict, field: str) -> str | None:
    option = blocks.input_state(values, field).get("selected_option")
    return option.get("value") if isinstance(option, dict) else None


def _whole(text: object, low: int, high: int) -> int | None:
    text = text.strip() if isinstance(text, str) else ""
    return int(text) if text.isdigit() and low <= int(text) <= high else None


def settings_from_form(values: dict, fixed: FixedSettings = FixedSettings()) -> ProgramSettings:
    """The settings a submitted modal holds (its `state.values`), or SettingsFormErrors
    naming each field to fix. Values come from Slack, so each is checked as untrusted.
    A value `fixed` by the deployment has no field in the modal: it reads as its default,
    and FixedSettings.kept keeps the saved one."""
    errors: dict[str, str] = {}
    cadence = _whole(_chosen(values, SettingsField.CADENCE), 1, 4)
    if cadence not in CADENCES:
        errors[SettingsField.CADENCE] = "Choose how often coffee chats happen."
    size = _whole(_chosen(values, SettingsField.GROUP_SIZE), 2, 6)
    if size not in GROUP_SIZES:
        errors[SettingsField.GROUP_SIZE] = "Choose pairs, or groups of three to six."
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
    if fixed.ask_timeout_hours is not None:
        timeout = ProgramSettings.ask_timeout_hours
    elif timeout is None:
        errors[SettingsField.ASK_TIMEOUT] = f"A whole number of hours from 1 to {MAX_ASK_TIMEOUT_HOURS}."
    days = _whole(blocks.input_state(values, SettingsField.FOLLOWUP_DAYS).get("value"), 0, MAX_FOLLOWUP_DAYS)
    if fixed.followup_days is not None:
        days = ProgramSettings.followup_days
    elif days is None:
        errors[SettingsField.FOLLOWUP_DAYS] = f"A whole number of days from 0 to {MAX_FOLLOWUP_DAYS}."
    channel = blocks.input_state(values, SettingsField.CHANNEL).get("selected_conversation") or None
    if channel is not None and not (isinstance(channel, str) and CHANNEL_ID.match(channel)):
        errors[SettingsField.CHANNEL] = "Choose a channel, or none."
    if errors or cadence is None or size is None or weekday is None or hour is None or days is None or timeout is None:
        raise SettingsFormErrors(errors)  # each None has its error
    return ProgramSettings(
        coffee_every_weeks=cadence,
        coffee_group_size=size,
        coffee_weekday=weekday,
        round_hour=hour,
        time_zone=zone,
        followup_days=days,
        ask_timeout_hours=timeout,
        program_channel=channel,
        reverse_enabled=REVERSE_ON in (blocks.ticked(values, SettingsField.REVERSE) or ()),
        guests_included=GUESTS_IN in (blocks.ticked(values, SettingsField.GUESTS) or ()),
    )
