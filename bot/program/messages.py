"""What program admins see: figures, the settings modal, refusals and file notices."""

from datetime import timedelta

from bot import blocks
from bot.followups.model import MAX_FOLLOWUP_DAYS, Outcome
from bot.ids import OPEN_SETTINGS, SEND_CHART, SEND_EXPORT, SETTINGS_VIEW, SLASH_COMMAND, SettingsField
from bot.program.disclosure import MIN_PEOPLE, Answers
from bot.program.forms import GUESTS_IN, REVERSE_ON
from bot.program.model import (
    CADENCES,
    GROUP_SIZES,
    MAX_ASK_TIMEOUT_HOURS,
    WEEKDAYS,
    FixedSettings,
    ProgramFigures,
    ProgramSettings,
    RoundFigures,
)
from bot.rounds.model import CheckinOutcome, Learned, ProgramStatus, RoundKind
from bot.text import escape_mrkdwn, truncate


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


def _checkbox(text: str, value: str, ticked: bool) -> dict:
    option = _option(text, value)
    return {"type": "checkboxes", "options": [option], **({"initial_options": [option]} if ticked else {})}


def _fixed(label: str, value: str, variable: str) -> dict:
    """A setting the deployment fixes, shown in place of its field: the value and why it cannot change here."""
    return blocks.section(
        f"*{label}:* {value}\nFixed for every workspace by whoever runs Mentor (`{variable}`), so it can't be "
        "changed here."
    )


def settings_modal(settings: ProgramSettings, fixed: FixedSettings = FixedSettings()) -> dict:
    """The modal of `/mentor settings`, filled with the workspace's settings; a value `fixed`
    by the deployment is shown as fixed, with the reason, instead of a field (issue 19)."""
    reverse = _checkbox("Pair early-career and senior members each month", REVERSE_ON, settings.reverse_enabled)
    guests = _checkbox("Guests can take part too", GUESTS_IN, settings.guests_included)
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
                SettingsField.GROUP_SIZE,
                "In",
                _select([_option(text, size) for size, text in GROUP_SIZES.items()], settings.coffee_group_size),
                hint="Pairs, or groups of three to six: Mentor keeps groups as even as the count allows.",
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
            )
            if fixed.ask_timeout_hours is None
            else _fixed("Hours an ask waits for a mentor", f"{fixed.ask_timeout_hours} h", "MENTOR_ASK_TIMEOUT_HOURS"),
            field(
                SettingsField.FOLLOWUP_DAYS,
                "Days before asking mentees how it went",
                _number(settings.followup_days, 0, MAX_FOLLOWUP_DAYS),
                hint='Counted from the mentor\'s "I can help"; sent on a weekday, in working hours.',
                optional=False,
            )
            if fixed.followup_days is None
            else _fixed(
                "Days before asking mentees how it went", f"{fixed.followup_days} days", "MENTOR_FOLLOWUP_DAYS"
            ),
            field(
                SettingsField.CHANNEL,
                "Program channel",
                channel,
                hint=(
                    "Mentor posts each round's figures there (never names); questions nobody could take, and "
                    "thank-yous, when their senders choose to. Invite Mentor to a private channel first."
                ),
            ),
            blocks.header("Who takes part"),
            field(
                SettingsField.GUESTS,
                "Guests",
                guests,
                hint=(
                    "Mentor is for the workspace's members. Ticked, multi- and single-channel guests can join "
                    "in as well; people from other organisations never can."
                ),
            ),
        ],
    }


def settings_saved(settings: ProgramSettings, fixed: FixedSettings = FixedSettings()) -> str:
    """What the admin is told once the settings are saved: `settings` as they apply, a value
    the deployment `fixed` said to be fixed (issue 19)."""
    coffee = f"{CADENCES[settings.coffee_every_weeks].lower()} on {WEEKDAYS[settings.coffee_weekday]}"
    groups = GROUP_SIZES[settings.coffee_group_size].lower()
    zone = settings.time_zone or "UTC"
    reverse = "on" if settings.reverse_enabled else "off"
    guests = "guests included" if settings.guests_included else "members only, no guests"
    channel = f"<#{settings.program_channel}>" if settings.program_channel else "none"
    ask_fixed = " (fixed by the deployment)" if fixed.ask_timeout_hours is not None else ""
    followup_fixed = " (fixed by the deployment)" if fixed.followup_days is not None else ""
    return (
        f"Program settings saved. Coffee chats {coffee} at {settings.round_hour:02d}:00 {zone}, in {groups}; "
        f"reverse mentoring {reverse}; asks wait {settings.ask_timeout_hours} h{ask_fixed}; "
        f"follow-ups after {settings.followup_days} days{followup_fixed}; program channel: {channel}; {guests}. "
        "They apply from the next scheduled run."
    )


GAPS_SHOWN = 10


def share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def duration(value: timedelta | None) -> str:
    if value is None:
        return "–"
    hours = value.total_seconds() / 3600
    if hours < 1:
        return f"{max(1, round(hours * 60))} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


OUTCOME_LABELS = {outcome.value: outcome.label for outcome in Outcome}


CHECKIN_LABELS = {outcome.value: outcome.label for outcome in CheckinOutcome}


LEARNED_LABELS = {learned.value: learned.label for learned in Learned}


def _counted(answers: Answers, value: str) -> str:
    return str(answers.read(lambda counts: counts.get(value, 0)))


def _program_rows(figures: RoundFigures) -> list[tuple[str, object]]:
    """One program's figures as (name, value): its answers as check-ins or as what was learned."""
    if figures.asks_learned:
        answered = [(f"learned_{value}", _counted(figures.answers, value)) for value in LEARNED_LABELS]
    else:
        answered = [(f"checkin_{value}", _counted(figures.answers, value)) for value in CHECKIN_LABELS]
    return [
        ("name", figures.program.name),
        ("kind", figures.program.kind.value),
        ("status", figures.program.status.value),
        ("opted_in", figures.opted_in),
        ("rounds", figures.rounds),
        ("participants", figures.participants),
        ("groups", figures.groups),
        *answered,
        ("thank_yous", _counted(figures.thanks, "sent")),
    ]


def figure_rows(figures: ProgramFigures) -> list[tuple[str, str, str]]:
    """Every figure as (program key, name, value), in the order people read them: for the CSV
    export. The workspace's own figures have no program key (""), then each program's come
    under its key. A figure built from members' answers holds why it is withheld when it is
    (bot.program.disclosure)."""
    helpers = figures.helpers
    rows = [
        ("period_start", figures.period.first_day.isoformat()),
        ("period_end", figures.period.end.date().isoformat()),
        ("members_with_a_profile", figures.members),
        ("asks_made", figures.asks_made),
        ("asks_matched", figures.asks_matched),
        ("asks_waiting", figures.asks_waiting),
        (
            "median_hours_to_i_can_help",
            "" if figures.median_to_help is None else f"{figures.median_to_help.total_seconds() / 3600:.2f}",
        ),
        ("followups_sent", figures.followups_sent),
        ("loops_closed", _counted(figures.loops_closed, "closed")),
        *((f"outcome_{value}_counted", _counted(figures.outcomes, value)) for value in OUTCOME_LABELS),
        ("members_who_gave_help", _counted(helpers, "gave")),
        ("members_who_received_help", _counted(helpers, "received")),
        ("members_who_did_both", _counted(helpers, "both")),
        ("pending_intros", figures.pending_intros),
    ]
    rows += [(f"skill_gap:{gap.label}", f"{gap.wants} want / {gap.offers} offer") for gap in figures.gaps]
    each = [(one.program.key, name, value) for one in figures.programs for name, value in _program_rows(one)]
    return [("", name, str(value)) for name, value in rows] + [(key, name, str(value)) for key, name, value in each]


def not_admin(what: str) -> dict:
    return blocks.message(
        f":lock: {what} are for the program's admins: the workspace's admins and owners, and anyone "
        "Mentor's operators name. Ask one of them if you need this."
    )


def _mix(answers: Answers, labels: dict[str, str]) -> str:
    """The share of each answer, or why it is withheld (bot.program.disclosure)."""

    def shares(counts: dict[str, int]) -> str:
        total = sum(counts.get(value, 0) for value in labels)
        return " · ".join(f"{label} {share(counts.get(value, 0), total)}" for value, label in labels.items())

    return answers.read(shares)


PROGRAMS_SHOWN = 8  # a section each; the Home tab holds at most 100 blocks, the export all of them


def _program_line(figures: RoundFigures) -> str:
    """One program's participation, and whether its groups met (check-ins) or what its pairs
    learned, by the rule of bot.program.disclosure; its name escaped once."""
    program = figures.program
    status = "" if program.status is ProgramStatus.ACTIVE else f" ({program.status.value})"
    # Its kind, unless its name says it already (not "Coffee chats · coffee chats").
    kind = "" if program.name.casefold() == program.kind.label else f" · {program.kind.label}"
    head = f"*{escape_mrkdwn(truncate(program.name, 80))}*{status}{kind}"
    people = "people paired" if program.kind is RoundKind.REVERSE else "people introduced"
    if figures.asks_learned:
        answered = f"Learned: {_mix(figures.answers, LEARNED_LABELS)}"
    else:
        answered = f"Check-ins: {_mix(figures.answers, CHECKIN_LABELS)}"
    return (
        f"{head}\nOpted in: {figures.opted_in} · rounds: {figures.rounds} · {people}: {figures.participants} · "
        f"groups: {figures.groups}\n{answered} · thank-yous sent: {_counted(figures.thanks, 'sent')}"
    )


def _programs_blocks(figures: ProgramFigures) -> list[dict]:
    shown = [blocks.section(_program_line(program)) for program in figures.programs[:PROGRAMS_SHOWN]]
    more = len(figures.programs) - PROGRAMS_SHOWN
    if more > 0:
        shown.append(blocks.context(f"And {more} more programs: `{SLASH_COMMAND} export` has every one."))
    return shown


def figures_blocks(figures: ProgramFigures) -> list[dict]:
    """The figures as Block Kit sections: the workspace's, then one per program (at most
    PROGRAMS_SHOWN); aggregates only, skill labels and program names escaped, and a figure
    built from members' answers only when enough people stand behind it (bot.program.disclosure)."""
    reciprocity = figures.reciprocity
    loops = figures.loops_closed.read(lambda counts: share(counts.get("closed", 0), figures.followups_sent))
    gaps = (
        "\n".join(
            f"• *{escape_mrkdwn(truncate(gap.label, 64))}*: {gap.wants} want it, {gap.offers} offer it"
            for gap in figures.gaps
        )
        or "No skill is wanted by more people than offer it."
    )
    lines = [
        f"*Members* with a profile: {figures.members}",
        f"*Asks* made: {figures.asks_made} · found a mentor: {share(figures.asks_matched, figures.asks_made)} · "
        f'median wait for "I can help": {duration(figures.median_to_help)} · still waiting: {figures.asks_waiting}',
        f"*Closing the loop* follow-ups sent: {figures.followups_sent} · loops closed: {loops}\n"
        f"Outcomes mentees let count: {_mix(figures.outcomes, OUTCOME_LABELS)}",
        f"*Reciprocity* {reciprocity}"
        if isinstance(reciprocity, str)
        else f"*Reciprocity* {reciprocity:.0%} of the {figures.helpers.people} members who gave or got help "
        "through asks did both",
    ]
    return [
        blocks.section("\n\n".join(lines)),
        *_programs_blocks(figures),
        blocks.section(f"*Wanted more than offered*\n{gaps}"),
        blocks.context(
            f"{figures.period.describe()}. Aggregates only: nobody is named, no question or note is shown, "
            f"an outcome counts only if the mentee chose to let it, and a figure from members' answers shows "
            f"once {MIN_PEOPLE} people have answered. {figures.pending_intros} round intros waiting to be sent."
        ),
    ]


def stats_reply(figures: ProgramFigures) -> dict:
    text = f"Mentoring program figures for {figures.period.describe()}"
    return blocks.message(
        text,
        blocks.header("Mentoring program"),
        *figures_blocks(figures),
        blocks.context(
            f"`{SLASH_COMMAND} stats 30d` for another period · `{SLASH_COMMAND} stats chart` for charts · "
            f"`{SLASH_COMMAND} export` for a CSV · `{SLASH_COMMAND} settings`"
        ),
    )


def home_blocks(figures: ProgramFigures) -> list[dict]:
    """The Home tab's admin section, seen by admins only."""
    days = str(figures.period.days)
    return [
        blocks.divider(),
        blocks.header("Mentoring program (admins)"),
        *figures_blocks(figures),
        blocks.actions(
            blocks.button("Program settings", OPEN_SETTINGS),
            blocks.button("Send me the charts", SEND_CHART, days),
            blocks.button("Send me a CSV export", SEND_EXPORT, days),
        ),
    ]


def working_on(what: str) -> dict:
    return blocks.message(f":hourglass_flowing_sand: Working on {what}; it will arrive in your DMs with Mentor.")


def sent_to_dm(what: str) -> dict:
    return blocks.message(f":white_check_mark: Sent {what} to your DMs with Mentor.")


def upload_failed(what: str) -> dict:
    return blocks.message(
        f":warning: Slack did not take {what}. Please try again in a minute; nothing about the program changed."
    )
