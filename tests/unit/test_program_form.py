"""The new program modal read as untrusted input (bot/rounds/program_form.py): a table of
submissions and what each becomes, or which fields it must fix; and the programs list's size."""

import json

import pytest

from bot.ids import NEW_CATEGORY, WORKSPACE_DEFAULT, ProgramField
from bot.rounds.model import MONTHLY, TEAM_CATEGORY, Category, Intro, Program, RoundKind
from bot.rounds.program_form import NewProgram, ProgramFormErrors, options_of, program_from_form
from bot.rounds.program_messages import LISTED, programs_list
from bot.rounds.programs import Listed
from bot.rounds.schedule import Schedule

OFFICE = Category("office", "Office", ("NYC", "London"))
TIER = Category("tier", "Tier", ("1", "2", "3"))


def form(**changed) -> dict:
    """Weekly threes of coffee chats across the team on Tuesdays, in no channel, but for `changed`."""
    chosen = {
        "NAME": {"value": " Eng  NYC "},
        "KIND": {"selected_option": {"value": "coffee"}},
        "CADENCE": {"selected_option": {"value": "1"}},
        "WEEKDAY": {"selected_option": {"value": "1"}},
        "GROUP_SIZE": {"selected_option": {"value": "3"}},
        "INTRO": {"selected_option": {"value": "across"}},
        "CATEGORY": {"selected_option": {"value": TEAM_CATEGORY}},
        "CHANNEL": {"selected_conversation": None},
        **changed,
    }
    return {getattr(ProgramField, name): {getattr(ProgramField, name): element} for name, element in chosen.items()}


def mentoring(category: str = "office", side: str | None = "1", intro: str = "anyone") -> dict:
    """Mentoring by `category` (an admin's, TEAM_CATEGORY or NEW_CATEGORY), its option at
    index `side` mentoring, intro left at the modal's default."""
    return {
        "KIND": {"selected_option": {"value": "mentoring"}},
        "CATEGORY": {"selected_option": {"value": category}},
        "MENTOR_SIDE": {"selected_option": {"value": side} if side is not None else None},
        "INTRO": {"selected_option": {"value": intro}},
    }


def new_category(name: str, options: str) -> dict:
    return {
        "CATEGORY": {"selected_option": {"value": NEW_CATEGORY}},
        "CATEGORY_NAME": {"value": name},
        "CATEGORY_OPTIONS": {"value": options},
    }


@pytest.mark.parametrize(
    ("changed", "made"),
    [
        ({}, NewProgram(Program("", "Eng NYC", RoundKind.COFFEE, 1, 1, 3, Intro.ACROSS, TEAM_CATEGORY))),
        (
            {"INTRO": {"selected_option": {"value": "anyone"}}, "CHANNEL": {"selected_conversation": "CENGNYC"}},
            NewProgram(Program("", "Eng NYC", RoundKind.COFFEE, 1, 1, 3, Intro.ANYONE, None, "CENGNYC")),
        ),
        (
            {"CATEGORY": {"selected_option": {"value": "office"}}, "INTRO": {"selected_option": {"value": "within"}}},
            NewProgram(Program("", "Eng NYC", RoundKind.COFFEE, 1, 1, 3, Intro.WITHIN, "office")),
        ),
        (
            new_category("Role", "mentor; mentee, Mentor"),
            NewProgram(
                Program("", "Eng NYC", RoundKind.COFFEE, 1, 1, 3, Intro.ACROSS, "role"),
                Category("role", "Role", ("mentor", "mentee")),
            ),
        ),
        (  # mentoring by an admin's category: its second option mentors; across, whatever intro said
            mentoring(),
            NewProgram(
                Program("", "Eng NYC", RoundKind.MENTORING, 1, 1, 3, Intro.ACROSS, "office", mentor_side="London")
            ),
        ),
        (  # mentoring by a category typed in the modal: the first option listed mentors
            {**mentoring(NEW_CATEGORY, "0", "across"), **new_category("Role", "mentor, mentee")},
            NewProgram(
                Program("", "Eng NYC", RoundKind.MENTORING, 1, 1, 3, Intro.ACROSS, "role", mentor_side="mentor"),
                Category("role", "Role", ("mentor", "mentee")),
            ),
        ),
        (  # its own hour and zone, where the defaults were the workspace's
            {
                "HOUR": {"selected_option": {"value": "9"}},
                "TIME_ZONE": {"selected_option": {"value": "America/New_York"}},
            },
            NewProgram(
                Program(
                    "",
                    "Eng NYC",
                    RoundKind.COFFEE,
                    1,
                    1,
                    3,
                    Intro.ACROSS,
                    TEAM_CATEGORY,
                    hour=9,
                    time_zone="America/New_York",
                )
            ),
        ),
        (  # the workspace's, chosen: nothing of its own, so it follows /mentor settings
            {
                "HOUR": {"selected_option": {"value": WORKSPACE_DEFAULT}},
                "TIME_ZONE": {"selected_option": {"value": WORKSPACE_DEFAULT}},
            },
            NewProgram(Program("", "Eng NYC", RoundKind.COFFEE, 1, 1, 3, Intro.ACROSS, TEAM_CATEGORY)),
        ),
        (  # monthly rounds are on the first weekday of the month: no weekday to choose
            {"CADENCE": {"selected_option": {"value": "0"}}, "WEEKDAY": {"selected_option": None}},
            NewProgram(Program("", "Eng NYC", RoundKind.COFFEE, MONTHLY, 0, 3, Intro.ACROSS, TEAM_CATEGORY)),
        ),
    ],
)
def test_a_submission_becomes_the_program_it_describes(changed, made):
    assert program_from_form(form(**changed), [OFFICE]) == made


@pytest.mark.parametrize(
    ("changed", "fields"),
    [
        ({"NAME": {"value": "   "}}, {ProgramField.NAME}),
        ({"NAME": {"value": "x" * 41}}, {ProgramField.NAME}),
        ({"KIND": {"selected_option": {"value": "speed-dating"}}}, {ProgramField.KIND}),
        ({"CADENCE": {"selected_option": {"value": "3"}}}, {ProgramField.CADENCE}),
        ({"WEEKDAY": {"selected_option": {"value": "6"}}}, {ProgramField.WEEKDAY}),
        ({"GROUP_SIZE": {"selected_option": {"value": "7"}}}, {ProgramField.GROUP_SIZE}),
        ({"GROUP_SIZE": {"selected_option": {"value": "²"}}}, {ProgramField.GROUP_SIZE}),
        ({"INTRO": {}}, {ProgramField.INTRO}),
        ({"CATEGORY": {"selected_option": {"value": "basement"}}}, {ProgramField.CATEGORY}),
        (new_category("", "NYC, London"), {ProgramField.CATEGORY_NAME}),
        (new_category("office", "NYC, London"), {ProgramField.CATEGORY_NAME}),  # exists already
        (new_category("Office 2", "NYC, nyc"), {ProgramField.CATEGORY_OPTIONS}),  # one option, twice
        (new_category("Floor", ",".join(str(n) for n in range(11))), {ProgramField.CATEGORY_OPTIONS}),
        (new_category("Floor", "1, " + "x" * 31), {ProgramField.CATEGORY_OPTIONS}),
        ({"CHANNEL": {"selected_conversation": "D0DIRECT"}}, {ProgramField.CHANNEL}),
        ({"HOUR": {"selected_option": {"value": "24"}}}, {ProgramField.HOUR}),
        ({"TIME_ZONE": {"selected_option": {"value": "Mars/Olympus_Mons"}}}, {ProgramField.TIME_ZONE}),
        ({"TIME_ZONE": {"selected_option": {"value": "../../etc/passwd"}}}, {ProgramField.TIME_ZONE}),
        ({"TIME_ZONE": {"selected_option": {"value": "America/" + "x" * 80}}}, {ProgramField.TIME_ZONE}),
        (
            {"KIND": {"selected_option": {"value": "reverse"}}},
            {ProgramField.GROUP_SIZE, ProgramField.INTRO},  # reverse mentoring: pairs, of anyone
        ),
        ({"NAME": {"value": ""}, "GROUP_SIZE": {}}, {ProgramField.NAME, ProgramField.GROUP_SIZE}),
        ({**mentoring(), "CATEGORY": {}}, {ProgramField.CATEGORY}),  # mentoring needs a category
        (mentoring(TEAM_CATEGORY), {ProgramField.CATEGORY}),  # teams are not picked: not two sides
        (mentoring("tier"), {ProgramField.CATEGORY}),  # three options
        ({**mentoring(NEW_CATEGORY), **new_category("Role", "mentor, mentee, peer")}, {ProgramField.CATEGORY_OPTIONS}),
        (
            {**mentoring(NEW_CATEGORY), **new_category("", "mentor")},
            {ProgramField.CATEGORY_NAME, ProgramField.CATEGORY_OPTIONS},
        ),
        (mentoring(side=None), {ProgramField.MENTOR_SIDE}),
        (mentoring(side="2"), {ProgramField.MENTOR_SIDE}),
        (mentoring(intro="within"), {ProgramField.INTRO}),
    ],
)
def test_each_field_to_fix_is_named_with_what_is_wrong(changed, fields):
    with pytest.raises(ProgramFormErrors) as refused:
        program_from_form(form(**changed), [OFFICE, TIER])

    assert set(refused.value.errors) == fields
    assert all(message.strip() for message in refused.value.errors.values())


def test_a_payload_not_shaped_as_slacks_is_refused_not_raised():
    with pytest.raises(ProgramFormErrors):
        program_from_form({"program_name": "not a block", ProgramField.KIND: []}, [])


def test_options_are_split_at_commas_trimmed_and_kept_once_in_order():
    assert options_of(" NYC ,London;; remote,nyc, Remote ") == ("NYC", "London", "remote")


def test_a_long_list_of_programs_stays_within_a_messages_50_blocks():
    many = [Listed(Program(f"p{number}", f"Program {number}"), 3, Schedule()) for number in range(LISTED + 5)]

    message = programs_list(many)

    assert len(message["blocks"]) <= 50
    assert "And 5 more" in json.dumps(message["blocks"])
