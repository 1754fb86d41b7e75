"""What admins and members see of programs (issue 21): the new program modal, the list of
`/mentor programs` and the admin Home tab, the admin's confirmation before a channel's members
are enrolled, the welcome DM of someone who joined a program, and the buttons to pick one's
group in the category a program introduces by."""

from collections.abc import Sequence
from datetime import UTC

from bot import blocks
from bot.ids import (
    ARCHIVE_PROGRAM,
    ENROLL_CHANNEL,
    NEW_CATEGORY,
    NEW_PROGRAM,
    NEW_PROGRAM_VIEW,
    PAUSE_PROGRAM,
    PICK_CATEGORY,
    RESUME_PROGRAM,
    SKIP_ENROLL,
    SLASH_COMMAND,
    WORKSPACE_DEFAULT,
    ProgramField,
)
from bot.program.model import GROUP_SIZES, WEEKDAYS, canonical_zone
from bot.rounds.model import MONTHLY, TEAM_CATEGORY, Category, Intro, Pick, Program, ProgramStatus, RoundKind
from bot.rounds.program_form import CADENCES, COMMON_ZONES, MAX_CATEGORY_NAME, MAX_NAME, MENTOR_SIDES
from bot.rounds.programs import Listed, Welcome
from bot.rounds.schedule import Schedule, day_and_hour, hour_and_zone, starts_at, when
from bot.text import escape_mrkdwn

KINDS = {
    RoundKind.COFFEE: "Coffee chats",
    RoundKind.REVERSE: "Reverse mentoring (early-career teaches senior)",
    RoundKind.MENTORING: "Mentoring (mentors with mentees, by a category)",
}
LISTED = 20  # programs in one list: two blocks each, within a message's 50

INTROS = {
    Intro.ANYONE: "Anyone in the program",
    Intro.ACROSS: "Across groups (someone from another office, team…)",
    Intro.WITHIN: "Within a group (someone from the same office, team…)",
}


def _option(text: str, value: object) -> dict:
    return {"text": blocks.plain(text, 75), "value": str(value)}


def _select(options: list[dict], initial: object) -> dict:
    chosen = next(option for option in options if option["value"] == str(initial))
    return {"type": "static_select", "options": options, "initial_option": chosen}


MAX_SELECT_OPTIONS = 100  # a static select's options (Block Kit)


def zone_options(workspace: Schedule, members_zones: Sequence[str]) -> list[dict]:
    """The time zone field's options: the workspace's first (it follows `/mentor settings`),
    then the zones of the workspace's members (`members_zones`, most members first), then
    COMMON_ZONES; each once, only zones this machine knows, within Block Kit's 100."""
    zones = dict.fromkeys(zone for zone in (*members_zones, *COMMON_ZONES) if canonical_zone(zone) == zone)
    default = _option(f"The workspace's ({workspace.zone or UTC})", WORKSPACE_DEFAULT)
    return [default, *(_option(zone, zone) for zone in list(zones)[: MAX_SELECT_OPTIONS - 1])]


def program_modal(categories: list[Category], workspace: Schedule, members_zones: Sequence[str] = ()) -> dict:
    """The modal an admin creates a program with: defaults of a fortnightly coffee chat in
    pairs on Mondays, at the `workspace`'s hour and zone, introducing anyone, in no channel.
    The time zone field offers `members_zones` (the zones of the workspace's members, most
    members first) before common ones (zone_options)."""
    field = blocks.input_block
    hours = [
        _option(f"The workspace's ({workspace.hour:02d}:00)", WORKSPACE_DEFAULT),
        *(_option(f"{hour:02d}:00", hour) for hour in range(24)),
    ]
    zones = zone_options(workspace, members_zones)
    grouped_by = [
        _option("Their team (from profiles)", TEAM_CATEGORY),
        *(_option(f"{category.name}: {', '.join(category.options)}", category.key) for category in categories),
        _option("A new category (name it below)", NEW_CATEGORY),
    ]
    intros = [_option(text, intro.value) for intro, text in INTROS.items()]
    sides = [_option(text, index) for index, text in MENTOR_SIDES.items()]
    channel = {
        "type": "conversations_select",
        "placeholder": blocks.plain("No channel", 150),
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    return {
        "type": "modal",
        "callback_id": NEW_PROGRAM_VIEW,
        "title": blocks.plain("New program", 24),
        "submit": blocks.plain("Create", 24),
        "close": blocks.plain("Cancel", 24),
        "blocks": [
            field(
                ProgramField.NAME,
                "Name",
                blocks.text_input("", MAX_NAME, placeholder="Coffee chats NYC"),
                optional=False,
            ),
            field(
                ProgramField.KIND,
                "Kind",
                _select([_option(text, kind.value) for kind, text in KINDS.items()], RoundKind.COFFEE.value),
                optional=False,
            ),
            field(
                ProgramField.CADENCE,
                "How often",
                _select([_option(text, weeks) for weeks, text in CADENCES.items()], 2),
                optional=False,
            ),
            field(
                ProgramField.WEEKDAY,
                "On",
                _select([_option(day, number) for number, day in enumerate(WEEKDAYS)], 0),
                hint="Monthly rounds are on the first weekday of each month.",
                optional=False,
            ),
            field(ProgramField.HOUR, "At", _select(hours, WORKSPACE_DEFAULT)),
            field(
                ProgramField.TIME_ZONE,
                "Time zone",
                _select(zones, WORKSPACE_DEFAULT),
                hint="The workspace's hour and zone follow /mentor settings, even when they change.",
            ),
            field(
                ProgramField.GROUP_SIZE,
                "In",
                _select([_option(text, size) for size, text in GROUP_SIZES.items()], 2),
                hint="Mentoring: one mentor and the rest mentees (threes: a mentor with 2 mentees).",
                optional=False,
            ),
            field(
                ProgramField.INTRO,
                "Introduce members to",
                {"type": "radio_buttons", "options": intros, "initial_option": intros[0]},
                optional=False,
            ),
            field(
                ProgramField.CATEGORY,
                "Groups are",
                {"type": "static_select", "options": grouped_by, "placeholder": blocks.plain("Choose", 150)},
                hint="For introductions across or within groups, and for mentoring: a category of two "
                'options, such as "Role: mentor, mentee".',
            ),
            field(
                ProgramField.CATEGORY_NAME,
                "New category",
                blocks.text_input("", MAX_CATEGORY_NAME, placeholder="Office"),
            ),
            field(
                ProgramField.CATEGORY_OPTIONS,
                "Its options",
                blocks.text_input("", 400, placeholder="NYC, London, Remote"),
                hint="Separated by commas. Members pick theirs with a button when they join.",
            ),
            field(
                ProgramField.MENTOR_SIDE,
                "Mentoring: who mentors",
                {"type": "radio_buttons", "options": sides, "initial_option": sides[0]},
                hint='Only for mentoring. In "Role: mentor, mentee" the first option, mentor, mentors.',
            ),
            field(
                ProgramField.CHANNEL,
                "Channel",
                channel,
                hint="Joining the channel joins the program; leaving it leaves. Invite Mentor to it first.",
            ),
        ],
    }


def _named(program: Program) -> str:
    return escape_mrkdwn(program.name)


def _mentees(program: Program) -> str:
    mentees = program.group_size - 1
    return "one mentor with one mentee" if mentees == 1 else f"one mentor with up to {mentees} mentees"


def _sides(program: Program, category: str | None, options: tuple[str, ...]) -> str:
    """Who mentors whom: "by Role: *mentor* mentors *mentee*", given the category's name
    and `options` ("the others" when they are not at hand)."""
    mentors = f"*{escape_mrkdwn(program.mentor_side or '')}*"
    mentees = ", ".join(f"*{escape_mrkdwn(option)}*" for option in options if option != program.mentor_side)
    return f"by {escape_mrkdwn(category or '')}: {mentors} mentors {mentees or 'the others'}"


def describe(program: Program, schedule: Schedule, category: str | None, options: tuple[str, ...] = ()) -> str:
    """One line: "Coffee chats every week on Monday at 09:00 America/New_York, in threes,
    across Office", at the hour and zone of the program's `schedule` (its own or the
    workspace's), where `category` names what it introduces by (bot.rounds.programs.grouping);
    a mentoring program's says who mentors whom by the category's `options`: "Mentoring monthly
    at 10:00 UTC, one mentor with up to 2 mentees, by Role: *mentor* mentors *mentee*"."""
    cadence = "monthly" if program.every_weeks == MONTHLY else f"{CADENCES[program.every_weeks].casefold()}"
    if program.every_weeks != MONTHLY:
        cadence += f" on {WEEKDAYS[program.weekday] if program.weekday < len(WEEKDAYS) else 'a weekend day'}"
    cadence += f" at {hour_and_zone(schedule)}"
    if program.kind is RoundKind.MENTORING:
        return f"Mentoring {cadence}, {_mentees(program)}, {_sides(program, category, options)}"
    size = GROUP_SIZES.get(program.group_size, str(program.group_size)).casefold()
    line = f"{program.kind.label.capitalize()} {cadence}, in {size}"
    if category is not None:
        line += f", {program.intro.value} {escape_mrkdwn(category)}"
    return line


def _status_buttons(program: Program) -> dict:
    if program.status is ProgramStatus.PAUSED:
        switch = blocks.button("Resume", RESUME_PROGRAM, value=program.key, style="primary")
    else:
        switch = blocks.button("Pause", PAUSE_PROGRAM, value=program.key)
    if program.built_in:
        return blocks.actions(switch)
    archive = blocks.button("Archive", ARCHIVE_PROGRAM, value=program.key, style="danger")
    archive["confirm"] = {
        "title": blocks.plain("Archive this program?", 100),
        "text": blocks.mrkdwn(
            f"*{_named(program)}* will hold no more rounds and nobody can join it. Its past rounds stay in "
            "the figures, and its channel is free for another program.",
            300,
        ),
        "confirm": blocks.plain("Archive", 30),
        "deny": blocks.plain("Keep it", 30),
        "style": "danger",
    }
    return blocks.actions(switch, archive)


def _program_blocks(listed: Listed) -> list[dict]:
    program = listed.program
    where = f" · <#{program.channel}>" if program.channel else f" · `{SLASH_COMMAND} join {program.key}`"
    members = f"{listed.members} member" + ("" if listed.members == 1 else "s")
    paused = " · *paused*" if program.status is ProgramStatus.PAUSED else ""
    line = describe(program, listed.schedule, listed.category, listed.options)
    return [
        blocks.section(f"*{_named(program)}*{paused}\n{line}{where} · {members}"),
        _status_buttons(program),
    ]


def programs_list(programs: list[Listed]) -> dict:
    """`/mentor programs`, to an admin: each program with its buttons (the first LISTED, as a
    message holds at most 50 blocks), and a new one."""
    body = [blocks.header("Programs")]
    for listed in programs[:LISTED]:
        body += _program_blocks(listed)
    if len(programs) > LISTED:
        body.append(blocks.context(f"And {len(programs) - LISTED} more: archive those that are over."))
    body.append(blocks.actions(blocks.button("New program", NEW_PROGRAM, style="primary")))
    return blocks.message(f"The workspace's {len(programs)} programs.", *body)


def admin_home_blocks(programs: list[Listed]) -> list[dict]:
    """The Home tab's programs, for admins: as `/mentor programs` lists them."""
    return [blocks.divider(), *programs_list(programs)["blocks"]]


def status_changed(program: Program) -> str:
    said = {ProgramStatus.ACTIVE: "is running again", ProgramStatus.PAUSED: "is paused: no rounds until you resume it"}
    return f"*{_named(program)}* " + said.get(program.status, "is archived")


def not_in_channel() -> str:
    """Beside the channel field, when Mentor cannot see into the channel."""
    return "Mentor isn't in that channel yet: type /invite @Mentor in it, then create the program again."


def created(program: Program, schedule: Schedule, category: str | None, options: tuple[str, ...] = ()) -> dict:
    """To the admin, when the program's channel has nobody else in it yet (or it has none)."""
    if program.channel:
        how = f"Everyone who joins <#{program.channel}> is in it and gets a short welcome from me."
    else:
        how = f"Members join it with `{SLASH_COMMAND} join {program.key}` or from their Home tab."
    text = f":white_check_mark: Created *{_named(program)}*: {describe(program, schedule, category, options)}. {how}"
    return blocks.message(text)


def confirm_enroll(
    program: Program, schedule: Schedule, members: int, category: str | None, options: tuple[str, ...] = ()
) -> dict:
    """To the admin, before anyone already in the program's channel is enrolled."""
    text = (
        f":white_check_mark: Created *{_named(program)}*: {describe(program, schedule, category, options)}. "
        f"Enroll the {members} member{'' if members == 1 else 's'} of <#{program.channel}>?"
    )
    return blocks.message(
        text,
        blocks.section(text),
        blocks.context("Each gets a short DM saying what it is and how to leave. Newcomers join anyway."),
        blocks.actions(
            blocks.button(f"Enroll {members}", ENROLL_CHANNEL, value=program.key, style="primary"),
            blocks.button("Only newcomers", SKIP_ENROLL, value=program.key),
        ),
    )


def enrolled(program: Program, count: int, left_out: int) -> dict:
    """To the admin once a channel's members are enrolled: how many, and how many of the
    channel Mentor is not for (bots, people from other organisations, guests unless included)."""
    if count:
        text = f"Enrolled {count} member{'' if count == 1 else 's'} of <#{program.channel}> in *{_named(program)}*"
        text += "; each got a DM."
    elif left_out:
        text = f"Nobody was enrolled in *{_named(program)}*."
    else:
        text = f"Nobody new to enroll in *{_named(program)}*: everyone in <#{program.channel}> was in it already."
    if left_out:
        text += (
            f" {left_out} other{' was' if left_out == 1 else 's were'} left out: bots, people from other "
            "organisations, and guests unless your settings include them."
        )
    return blocks.message(f":white_check_mark: {text}")


def enroll_skipped(program: Program) -> dict:
    return blocks.message(
        f"Nobody enrolled: members who join <#{program.channel}> from now on are in *{_named(program)}*."
    )


def pick_blocks(pick: Pick, intro: str) -> list[dict]:
    """A section asking for (or showing) the member's group, and one button per option."""
    name = escape_mrkdwn(pick.category.name)
    if pick.option is None:
        asked = f"{intro}Which *{name}* are you in? {_named(pick.program)} needs it to introduce you."
    else:
        asked = f"{intro}Your *{name}*: *{escape_mrkdwn(pick.option)}*. Changed? Pick another."
    buttons = [
        blocks.button(
            option,
            action_id,
            value=f"{pick.program.key}:{option}",
            style="primary" if option == pick.option else None,
        )
        for action_id, option in zip(PICK_CATEGORY, pick.category.options, strict=False)
    ]
    return [blocks.section(asked), blocks.actions(*buttons)]


def _who(program: Program) -> str:
    """Whom its intros are with: "someone from another office", "2 others from your team"."""
    by = "team" if program.grouped_by == TEAM_CATEGORY else escape_mrkdwn(program.grouped_by or "group")
    one = program.group_size == 2
    if program.intro is Intro.ACROSS:
        return f"someone from another {by}" if one else f"{program.group_size - 1} others, each from another {by}"
    if program.intro is Intro.WITHIN:
        return f"someone from your {by}" if one else f"{program.group_size - 1} others from your {by}"
    return "someone else in it" if one else f"{program.group_size - 1} others in it"


def welcome(welcome: Welcome) -> dict:
    """The DM to a member who joined a program: what it is, when the next round is, how to
    skip or leave, and the buttons to pick their group if it introduces by one."""
    program, often = welcome.program, when(welcome.schedule) + ","
    what = f"{often} I introduce you to {_who(program)}"
    if program.kind is RoundKind.REVERSE:
        what = f"{often} I pair early-career and senior members to teach each other"
    elif program.kind is RoundKind.MENTORING:
        name, options = (welcome.pick.category.name, welcome.pick.category.options) if welcome.pick else (None, ())
        what = f"{often} I group {_mentees(program)}, {_sides(program, name, options)}"
    where = f", the program of <#{program.channel}>" if program.channel else ""
    next_on = day_and_hour(starts_at(welcome.next_on, welcome.schedule))
    text = f":wave: Welcome to *{_named(program)}*{where}: {what}. Next round: *{next_on}*."
    leave = f"leave <#{program.channel}>" if program.channel else f"`{SLASH_COMMAND} leave {program.key}`"
    body = [
        blocks.section(text),
        blocks.context(
            f"Busy? Skip a round from the notice I send the day before, or `{SLASH_COMMAND} pause 2w`. "
            f"To stop, {leave}."
        ),
    ]
    if welcome.pick is not None:
        body += pick_blocks(welcome.pick, "")
    return blocks.message(text, *body)


def pick_request(pick: Pick) -> dict:
    """The day before a round, to a member who has not picked their group in the category the
    program introduces by (bot.rounds.programs.ask_for_picks): the buttons, once."""
    tomorrow = f"Tomorrow is the next round of *{_named(pick.program)}*."
    return blocks.message(
        f"{tomorrow} Which {escape_mrkdwn(pick.category.name)} are you in?",
        *pick_blocks(pick, f"{tomorrow} "),
        blocks.context("Until you pick, I leave you out of its introductions. You can change it later on my Home tab."),
    )


def picked(pick: Pick) -> dict:
    """The answer to a pick: what was stored, and where to change it."""
    text = (
        f"Got it: your {escape_mrkdwn(pick.category.name)} is *{escape_mrkdwn(pick.option or '')}*. "
        f"{_named(pick.program)} will introduce you by it. You can change it from my Home tab."
    )
    return blocks.message(text)
