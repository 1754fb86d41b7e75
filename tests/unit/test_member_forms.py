"""Reading the profile modal's state (bot.members.forms): what Slack's client could have sent
is taken, anything else leaves that part of the member as it was."""

import pytest

from bot.ids import ProfileField
from bot.members.forms import profile_form, round_preferences
from bot.members.messages import MAX_NEVER_PAIRS, SPONSORING_OPTION
from bot.members.model import RoundPreferences
from bot.rounds.model import RoundKind


def checkboxes(field: str, *values: str) -> dict:
    return {field: {field: {"type": "checkboxes", "selected_options": [{"value": value} for value in values]}}}


def users(*user_ids: object) -> dict:
    return {ProfileField.NEVER: {ProfileField.NEVER: {"type": "multi_users_select", "selected_users": list(user_ids)}}}


def test_a_form_without_the_rounds_fields_leaves_them_all_as_they_are():
    assert round_preferences({}) == RoundPreferences()


def test_the_ticked_rounds_situations_and_never_pairs_are_read():
    values = {
        **checkboxes(ProfileField.ROUNDS, "reverse"),
        **checkboxes(ProfileField.SITUATIONS, "first_job", "new_country"),
        **users("UBEN", "W0CAT"),
    }

    assert round_preferences(values) == RoundPreferences(
        never=("UBEN", "W0CAT"),
        rounds=frozenset({RoundKind.REVERSE}),
        situations=frozenset({"first_job", "new_country"}),
    )


def test_nothing_ticked_is_a_choice_too():
    values = {**checkboxes(ProfileField.ROUNDS), **checkboxes(ProfileField.SITUATIONS), **users()}

    assert round_preferences(values) == RoundPreferences(never=(), rounds=frozenset(), situations=frozenset())


@pytest.mark.parametrize(
    "values",
    [
        checkboxes(ProfileField.ROUNDS, "coffee", "chess"),
        checkboxes(ProfileField.SITUATIONS, "first_job", "royalty"),
        users("UBEN", "<!channel>"),
        users(*(f"U{n:04d}" for n in range(MAX_NEVER_PAIRS + 1))),
        {ProfileField.ROUNDS: {ProfileField.ROUNDS: {"selected_options": "coffee"}}},
        {ProfileField.SITUATIONS: "first_job"},
    ],
    ids=["unknown round", "unknown situation", "not a user", "too many users", "not a list", "not a block"],
)
def test_a_field_slacks_client_could_not_have_sent_changes_nothing(values):
    assert round_preferences(values) == RoundPreferences()


def test_the_profile_form_takes_text_and_ticks_and_ignores_what_is_not_shaped_like_them():
    values = {
        ProfileField.OFFERS: {ProfileField.OFFERS: {"value": "SQL"}},
        ProfileField.TEAM: {ProfileField.TEAM: {"value": ["not", "text"]}},
        ProfileField.CAREER_STAGE: {ProfileField.CAREER_STAGE: {"selected_option": {"value": "senior"}}},
        **checkboxes(ProfileField.SPONSORING, SPONSORING_OPTION),
    }

    form = profile_form(values)

    assert (form.offers, form.team, form.career_stage, form.open_to_sponsoring) == ("SQL", None, "senior", True)
    assert profile_form({}).open_to_sponsoring is False
