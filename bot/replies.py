"""Private replies to `/mentor` commands, as `text` plus `blocks` for ack() or respond()."""

from bot import blocks
from bot.errors import InvalidInput
from bot.ids import SLASH_COMMAND
from bot.text import shown

# What people come to do, each with the commands that do it: one line each, so the whole
# reads at a glance. Every subcommand but `help` itself appears once.
_USAGE_GROUPS = (
    ("Get help", ("ask How do I …?", "asks", "network")),
    ("Say what you know and want to grow", ("offer SQL", "learn delegation", "profile")),
    ("Meet colleagues", ("join coffee", "join reverse", "leave", "pause 2w", "resume")),
    ("Your data", ("followups off", "forget")),
)
_ADMIN_COMMANDS = ("programs", "stats", "settings", "export")


def _commands(examples: tuple[str, ...]) -> str:
    return " · ".join(f"`{SLASH_COMMAND} {example}`" for example in examples)


def usage(unknown_word: str | None = None) -> dict:
    """`/mentor help`: the commands grouped by what people want to do, with an `unknown_word`
    named when that is what brought it up."""
    intro = "*Mentor* connects you with colleagues to learn from, and to help in return."
    if unknown_word is not None:
        intro = f"I don't know “{shown(unknown_word, 40)}”. Here is what `{SLASH_COMMAND}` can do:"
    groups = "\n".join(f"*{title}:* {_commands(examples)}" for title, examples in _USAGE_GROUPS)
    footer = f"Program admins: {_commands(_ADMIN_COMMANDS)}. All of it is also on Mentor's *Home* tab."
    text = f"{intro}\n{groups}"
    return blocks.message(text, blocks.section(text), blocks.context(footer))


def invalid_input(error: InvalidInput) -> dict:
    return blocks.message(f":warning: {error.message} Nothing was changed.")


def unavailable(message: str) -> dict:
    return blocks.message(f":hourglass: {message}")


def something_went_wrong() -> dict:
    return blocks.message(
        ":warning: Something went wrong on Mentor's side. Please try again; "
        "if it keeps happening, tell your Mentor admins."
    )


def not_done(subcommand: str) -> dict:
    """A command whose work Mentor tried and could not finish (its workers kept stopping
    while doing it): none of it was kept."""
    return blocks.message(
        f":warning: Mentor could not finish `{SLASH_COMMAND} {subcommand}` this time, so nothing was "
        "changed. Please try it again; if it keeps happening, tell your Mentor admins."
    )


# A button's label is at most 75 characters (Block Kit), a modal's title 24; escaping may lengthen them.
CLICKED_LIMIT = 64


def click_not_done(clicked: str) -> dict:
    """A button (or a modal's submit) whose work Mentor tried and could not finish: none of it
    was kept. `clicked` names it as the member saw it (the button's label, the modal's title),
    plain text; "" when the click did not say."""
    named = f" (*{shown(clicked, CLICKED_LIMIT)}*)" if clicked else ""
    return blocks.message(
        f":warning: Mentor could not finish what you clicked{named}, so nothing was changed. "
        "Please click it again; if it keeps happening, tell your Mentor admins."
    )


def refused_later(clicked: str, refused: dict) -> dict:
    """A refusal (`refused`, a reply of one text) told by DM because the Home tab's notice
    could not open: it says what it answers, since it comes apart from the click. `clicked`
    is the button's label, plain text; "" when the click did not say."""
    what = f"*{shown(clicked, CLICKED_LIMIT)}*" if clicked else "what you clicked"
    return blocks.message(f"About {what} on your Mentor Home tab: {refused['text']}")


def message_not_done() -> dict:
    """A DM to Mentor it tried and could not take in: it was not kept nor passed on."""
    return blocks.message(
        ":warning: Mentor could not take in a message you sent it, so it was not passed on. "
        "Please send it again; if it keeps happening, tell your Mentor admins."
    )
