"""Modal submissions as Slack sends them (`view.state.values`), for the tests."""

from bot.ids import SettingsField

SETTINGS_DEFAULTS = {
    SettingsField.CADENCE: {"selected_option": {"value": "2"}},
    SettingsField.GROUP_SIZE: {"selected_option": {"value": "2"}},
    SettingsField.WEEKDAY: {"selected_option": {"value": "0"}},
    SettingsField.HOUR: {"selected_option": {"value": "10"}},
    SettingsField.TIME_ZONE: {"value": None},
    SettingsField.ASK_TIMEOUT: {"value": "48"},
    SettingsField.FOLLOWUP_DAYS: {"value": "7"},
    SettingsField.CHANNEL: {"selected_conversation": None},
    SettingsField.REVERSE: {"selected_options": [{"value": "on"}]},
    SettingsField.GUESTS: {"selected_options": []},
}


def settings_form(**changed: dict) -> dict:
    """The settings modal submitted with the defaults, but for `changed` elements, named as
    SettingsField's attributes (CADENCE=…)."""
    elements = {**SETTINGS_DEFAULTS, **{getattr(SettingsField, name): element for name, element in changed.items()}}
    return {field: {field: element} for field, element in elements.items()}
