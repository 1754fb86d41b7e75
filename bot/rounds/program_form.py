"""The new program modal (`/mentor programs`, the admin Home tab), read as untrusted input:
what an admin chose, checked, as the Program to store and, when they named one, the
category its intros go by (issue 21). Nothing is stored when any field is wrong."""

import re
from dataclasses import dataclass, replace

from bot import blocks
from bot.errors import InvalidInput
from bot.ids import NEW_CATEGORY, PICK_CATEGORY, WORKSPACE_DEFAULT, ProgramField
from bot.program.model import CHANNEL_ID, GROUP_SIZES, WEEKDAYS, canonical_zone
from bot.rounds.model import MONTHLY, TEAM_CATEGORY, Category, Intro, Program, RoundKind, program_key
from bot.text import clean_line

CADENCES = {1: "Every week", 2: "Every 2 weeks", 4: "Every 4 weeks", MONTHLY: "Monthly, on the first weekday"}
MAX_NAME = 40  # programs.name
MAX_CATEGORY_NAME = 40  # categories.name
MAX_OPTION = 30  # a button's text, comfortably; member_categories.value holds 40
MAX_OPTIONS = len(PICK_CATEGORY)  # a button each in the join DM, and still readable
SPLIT_OPTIONS = re.compile(r"[,;\n]")
# A mentoring category's two options, by their place in its list (ProgramField.MENTOR_SIDE's
# values): a modal cannot list the options of a category typed in it, but "the first of
# mentor, mentee" reads the same whether the category is typed or chosen.
MENTOR_SIDES = {0: "Those who pick its first option", 1: "Those who pick its second option"}
# Zones the time zone field offers after the workspace's members' own: one or two per region
# where people teams run programs, west to east.
COMMON_ZONES = (
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Toronto",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Europe/Istanbul",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Sydney",
    "Pacific/Auckland",
)


class ProgramFormErrors(InvalidInput):
    """The fields to fix, by block id (ProgramField), each with what is wrong."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())))
        self.errors = errors


@dataclass(frozen=True)
class NewProgram:
    """A submitted modal, checked: the program (its key is given when stored) and the new
    category it introduces by, to store with it (None: none, the team, or one already stored)."""

    program: Program
    category: Category | None = None


def _chosen(values: dict, field: str) -> str | None:
    element = blocks.input_state(values, field)
    option = element.get("selected_option")
    return option.get("value") if isinstance(option, dict) and isinstance(option.get("value"), str) else None


def _text(values: dict, field: str) -> str:
    value = blocks.input_state(values, field).get("value")
    return clean_line(value) if isinstance(value, str) else ""


def _number(text: str | None, allowed: object) -> int | None:
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 2:
        return None
    return int(text) if int(text) in allowed else None  # type: ignore[operator]


def options_of(text: str) -> tuple[str, ...]:
    """A category's options as typed, "NYC, London, Remote": split at commas (semicolons and
    new lines too), trimmed, without empties and without repeats (ignoring case), in order."""
    seen: set[str] = set()
    options = []
    for part in SPLIT_OPTIONS.split(text):
        option = clean_line(part)
        if option and option.casefold() not in seen:
            seen.add(option.casefold())
            options.append(option)
    return tuple(options)


def _new_category(values: dict, categories: list[Category], errors: dict[str, str]) -> Category | None:
    name = _text(values, ProgramField.CATEGORY_NAME)
    options = options_of(_text(values, ProgramField.CATEGORY_OPTIONS))
    if not name:
        errors[ProgramField.CATEGORY_NAME] = 'Name the new category, such as "Office".'
    elif len(name) > MAX_CATEGORY_NAME:
        errors[ProgramField.CATEGORY_NAME] = f"Keep it to {MAX_CATEGORY_NAME} characters."
    elif any(category.name.casefold() == name.casefold() for category in categories):
        errors[ProgramField.CATEGORY_NAME] = f"There is already a category called {name}: choose it above."
    if len(options) < 2:
        errors[ProgramField.CATEGORY_OPTIONS] = 'Give at least two options, separated by commas: "NYC, London".'
    elif len(options) > MAX_OPTIONS:
        errors[ProgramField.CATEGORY_OPTIONS] = f"At most {MAX_OPTIONS} options: members pick one with a button."
    elif any(len(option) > MAX_OPTION for option in options):
        errors[ProgramField.CATEGORY_OPTIONS] = f"Keep each option to {MAX_OPTION} characters."
    if ProgramField.CATEGORY_NAME in errors or ProgramField.CATEGORY_OPTIONS in errors:
        return None
    key = program_key(name, {category.key for category in categories} | {TEAM_CATEGORY})
    return Category(key, name, options)


def _mentoring_sides(
    values: dict, categories: list[Category], errors: dict[str, str]
) -> tuple[Category | None, str | None, str | None]:
    """A mentoring program's category, new (to store) or chosen, its key, and the option that
    mentors; each None that has an error in `errors`."""
    chosen = _chosen(values, ProgramField.CATEGORY)
    two = 'Mentoring needs a category of exactly two options, mentors and mentees, such as "Role: mentor, mentee".'
    new: Category | None = None
    if chosen == NEW_CATEGORY:
        new = _new_category(values, categories, errors)
        if new is not None and len(new.options) != 2:
            errors[ProgramField.CATEGORY_OPTIONS] = 'Mentoring takes exactly two options: "mentor, mentee".'
            new = None
        category = new
    elif chosen == TEAM_CATEGORY:
        errors[ProgramField.CATEGORY] = "Teams come from profiles, not mentors and mentees. " + two
        return None, None, None
    else:
        category = next((category for category in categories if category.key == chosen), None)
        if category is None or len(category.options) != 2:
            errors[ProgramField.CATEGORY] = two
            return None, None, None
    side = _number(_chosen(values, ProgramField.MENTOR_SIDE), MENTOR_SIDES)
    if side is None:
        errors[ProgramField.MENTOR_SIDE] = "Choose which option mentors."
    if category is None or side is None:
        return None, None, None
    return new, category.key, category.options[side]


def program_from_form(values: dict, categories: list[Category]) -> NewProgram:
    """The program a submitted modal holds (its `state.values`), given the workspace's own
    `categories`; raises ProgramFormErrors naming each field to fix. Reverse mentoring pairs
    an early-career member with a senior one, so it takes pairs introduced across anyone.
    Mentoring introduces across the two options of its category (Intro.ACROSS), one mentor
    with group_size - 1 mentees, so it needs a category of exactly two and the one that mentors."""
    errors: dict[str, str] = {}
    name = _text(values, ProgramField.NAME)
    if not name:
        errors[ProgramField.NAME] = 'Name the program, such as "Coffee chats NYC".'
    elif len(name) > MAX_NAME:
        errors[ProgramField.NAME] = f"Keep the name to {MAX_NAME} characters."
    kind = next((kind for kind in RoundKind if kind.value == _chosen(values, ProgramField.KIND)), None)
    if kind is None:
        errors[ProgramField.KIND] = "Choose coffee chats, reverse mentoring or mentoring."
    every_weeks = _number(_chosen(values, ProgramField.CADENCE), CADENCES)
    if every_weeks is None:
        errors[ProgramField.CADENCE] = "Choose how often rounds happen."
    weekday = _number(_chosen(values, ProgramField.WEEKDAY), range(len(WEEKDAYS)))
    if weekday is None:
        if every_weeks != MONTHLY:
            errors[ProgramField.WEEKDAY] = "Choose the weekday of its rounds."
        weekday = 0  # monthly rounds are on the first weekday of the month, whichever it is
    size = _number(_chosen(values, ProgramField.GROUP_SIZE), GROUP_SIZES)
    if size is None:
        errors[ProgramField.GROUP_SIZE] = "Choose pairs, or groups of three to six."
    intro = next((intro for intro in Intro if intro.value == _chosen(values, ProgramField.INTRO)), None)
    if intro is None:
        errors[ProgramField.INTRO] = "Choose whom members are introduced to."
    if kind is RoundKind.REVERSE and size not in (None, 2):
        errors[ProgramField.GROUP_SIZE] = "Reverse mentoring pairs two people: choose pairs."
    if kind is RoundKind.REVERSE and intro not in (None, Intro.ANYONE):
        errors[ProgramField.INTRO] = "Reverse mentoring pairs early-career with senior members: choose anyone."
    if kind is RoundKind.MENTORING and intro is Intro.WITHIN:
        errors[ProgramField.INTRO] = "Mentoring introduces mentors to mentees, across its two sides: choose across."
    category_key: str | None = None
    new: Category | None = None
    mentor_side: str | None = None
    if kind is RoundKind.MENTORING:
        intro = Intro.ACROSS  # the only intro mentoring has: "anyone" left as it was means the same
        new, category_key, mentor_side = _mentoring_sides(values, categories, errors)
    elif intro is not None and intro is not Intro.ANYONE:
        category_key = _chosen(values, ProgramField.CATEGORY)
        if category_key == NEW_CATEGORY:
            new = _new_category(values, categories, errors)
            category_key = new.key if new else None
        elif category_key != TEAM_CATEGORY and category_key not in {category.key for category in categories}:
            errors[ProgramField.CATEGORY] = "Choose what members are grouped by: their team, or a category."
    hour, zone = _hour_and_zone(values, errors)
    channel = blocks.input_state(values, ProgramField.CHANNEL).get("selected_conversation") or None
    if channel is not None and not (isinstance(channel, str) and CHANNEL_ID.match(channel)):
        errors[ProgramField.CHANNEL] = "Choose a channel, or none."
    if errors or kind is None or every_weeks is None or size is None or intro is None:
        raise ProgramFormErrors(errors)  # each None has its error
    program = Program("", name, kind, every_weeks, weekday, size, intro, category_key, channel, mentor_side=mentor_side)
    return NewProgram(replace(program, hour=hour, time_zone=zone), new)


def _hour_and_zone(values: dict, errors: dict[str, str]) -> tuple[int | None, str | None]:
    """The program's own round hour and IANA zone; each None for the workspace's (left as it
    was, or chosen). A zone is checked against this machine's tz database (zoneinfo): the
    option values come back from Slack's clients, and are not trusted."""
    chosen_hour = _chosen(values, ProgramField.HOUR)
    hour = None
    if chosen_hour not in (None, WORKSPACE_DEFAULT):
        hour = _number(chosen_hour, range(24))
        if hour is None:
            errors[ProgramField.HOUR] = "Choose an hour from 00:00 to 23:00, or the workspace's."
    chosen_zone = _chosen(values, ProgramField.TIME_ZONE)
    zone = None
    if chosen_zone not in (None, WORKSPACE_DEFAULT):
        zone = canonical_zone(chosen_zone or "")
        if zone is None:
            errors[ProgramField.TIME_ZONE] = "That is not a time zone Mentor knows: choose one from the list."
    return hour, zone
