"""Reading the profile modal's submitted state (its `state.values`) as untrusted input: the
profile form, and what it says of rounds."""

import re

from bot import blocks
from bot.ids import ProfileField
from bot.members.messages import MAX_NEVER_PAIRS, SPONSORING_OPTION
from bot.members.model import SITUATIONS, ProfileForm, RoundPreferences
from bot.rounds.model import BUILT_IN, RoundKind

SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,31}$")


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


def round_preferences(values: dict) -> RoundPreferences:
    rounds = _chosen(values, ProfileField.ROUNDS, {program.key for program in BUILT_IN})
    return RoundPreferences(
        never=never_pairs(values),
        rounds=frozenset(RoundKind(kind) for kind in rounds) if rounds is not None else None,
        situations=_chosen(values, ProfileField.SITUATIONS, SITUATIONS.keys()),
    )


def _chosen(values: dict, field: str, listed) -> frozenset[str] | None:
    """The options ticked in a checkboxes field; None when the form had no such field or
    Slack's client could not have sent what it holds (an option that is not `listed`)."""
    ticked = blocks.ticked(values, field)
    return frozenset(ticked) if ticked is not None and set(ticked) <= set(listed) else None


def never_pairs(values: dict) -> tuple[str, ...] | None:
    """The users picked in "Never pair me with" (Slack user ids); None when the form had no
    such field, so the list stays as it is. The modal allows MAX_NEVER_PAIRS; a payload with
    more, or with anything but user ids, was not made by Slack's client and changes nothing."""
    if ProfileField.NEVER not in values:
        return None
    picked = blocks.input_state(values, ProfileField.NEVER).get("selected_users") or []
    valid = [user_id for user_id in picked if isinstance(user_id, str) and SLACK_USER.match(user_id)]
    return tuple(valid) if len(valid) == len(picked) <= MAX_NEVER_PAIRS else None
