"""What program admins see: figures, the Home tab's admin section, and replies to their commands."""

from bot import blocks
from bot.ids import OPEN_SETTINGS, SEND_CHART, SEND_EXPORT, SLASH_COMMAND
from bot.stats import CHECKIN_LABELS, LEARNED_LABELS, OUTCOME_LABELS, ProgramFigures, duration, share
from bot.text import escape_mrkdwn, truncate


def not_admin(what: str) -> dict:
    return blocks.message(
        f":lock: {what} are for the program's admins: the workspace's admins and owners, and anyone "
        "Mentor's operators name. Ask one of them if you need this."
    )


def _mix(answers: dict[str, int], labels: dict[str, str]) -> str:
    counted = sum(answers.get(value, 0) for value in labels)
    if not counted:
        return "no answers yet"
    return " · ".join(f"{label} {share(answers.get(value, 0), counted)}" for value, label in labels.items())


def figures_blocks(figures: ProgramFigures) -> list[dict]:
    """The figures as Block Kit sections: aggregates only, skill labels escaped."""
    coffee, reverse = figures.coffee, figures.reverse
    reciprocity = figures.reciprocity
    active = figures.givers + figures.receivers - figures.both
    counted = sum(figures.outcomes.values())
    gaps = (
        "\n".join(
            f"• *{escape_mrkdwn(truncate(gap.label, 64))}*: {gap.wants} want it, {gap.offers} offer it"
            for gap in figures.gaps
        )
        or "No skill is wanted by more people than offer it."
    )
    lines = [
        f"*Members* with a profile: {figures.members}",
        f"*Coffee chats* opted in: {coffee.opted_in} · rounds: {coffee.rounds} · people introduced: "
        f"{coffee.participants} · intros: {coffee.groups} · met: {share(coffee.answers.get('met', 0), coffee.groups)}\n"
        f"Check-ins: {_mix(coffee.answers, CHECKIN_LABELS)}",
        f"*Reverse mentoring* opted in: {reverse.opted_in} · rounds: {reverse.rounds} · people paired: "
        f"{reverse.participants} · pairs: {reverse.groups}\nLearned: {_mix(reverse.answers, LEARNED_LABELS)}",
        f"*Asks* made: {figures.asks_made} · found a mentor: {share(figures.asks_matched, figures.asks_made)} · "
        f'median wait for "I can help": {duration(figures.median_to_help)} · still waiting: {figures.asks_waiting}',
        f"*Closing the loop* follow-ups sent: {figures.followups_sent} · "
        f"loops closed: {share(figures.loops_closed, figures.followups_sent)}\n"
        f"Outcomes ({counted} counted with the mentee's consent): {_mix(figures.outcomes, OUTCOME_LABELS)}",
        f"*Reciprocity* {'–' if reciprocity is None else f'{reciprocity:.0%}'} of the {active} members "
        "who gave or got help through asks did both",
    ]
    return [
        blocks.section("\n\n".join(lines)),
        blocks.section(f"*Wanted more than offered*\n{gaps}"),
        blocks.context(
            f"{figures.period.describe()}. Aggregates only: nobody is named, no question or note is shown, and "
            f"an outcome counts only if the mentee chose to let it. {figures.pending_intros} round intros "
            "waiting to be sent."
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
