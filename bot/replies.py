"""Private replies to `/mentor` commands, as `text` plus `blocks` for ack() or respond()."""

from bot import blocks
from bot.errors import InvalidInput
from bot.ids import SLASH_COMMAND
from bot.services import SkillsAdded
from bot.skills import Skill, SkillKind
from bot.text import shown

_USAGE_LINES = (
    ("ask How do I …?", "ask the colleagues best placed to help (tag a skill: `#sql`)"),
    ("asks", "see and cancel your open asks"),
    ("network", "your mentors, one per skill you want to grow, and the gaps"),
    ("offer SQL, public speaking", "add skills you can help with (alone: list them)"),
    ("learn delegation", "add skills you want to grow (alone: list them)"),
    ("profile", "edit your profile: skills, objectives, career stage, team, capacity"),
    ("followups on|off", "whether I ask you how advice went, and tell your mentor"),
    ("join coffee", "a coffee chat with a colleague every two weeks (`join reverse`: monthly reverse mentoring)"),
    ("leave coffee", "stop coffee chats (`leave reverse`: reverse mentoring)"),
    ("pause 2w", "skip rounds and asks for a while (`2w`, `10d`, a date, or until you resume)"),
    ("resume", "come back from a pause"),
    ("forget", "delete everything Mentor holds about you (after a confirmation)"),
    ("stats", "program admins: figures (`stats 30d`, `stats chart`), `settings`, `export`"),
    ("help", "show this message"),
)
_KIND_WORDS = {
    SkillKind.OFFER: ("you can help with", "offer"),
    SkillKind.WANT: ("you want to grow", "learn"),
}


def usage(unknown_word: str | None = None) -> dict:
    lines = [f"• `{SLASH_COMMAND} {example}`: {meaning}" for example, meaning in _USAGE_LINES]
    intro = "*Mentor* connects you with colleagues to learn from, and to help in return."
    if unknown_word is not None:
        intro = f"I don't know “{shown(unknown_word, 40)}”. Here is what `{SLASH_COMMAND}` can do:"
    text = intro + "\n" + "\n".join(lines)
    return blocks.message(
        text,
        blocks.section(text),
        blocks.context("Your profile is also on Mentor's *Home* tab."),
    )


def invalid_input(error: InvalidInput) -> dict:
    return blocks.message(f":warning: {error.message} Nothing was changed.")


def unavailable(message: str) -> dict:
    return blocks.message(f":hourglass: {message}")


def something_went_wrong() -> dict:
    return blocks.message(
        ":warning: Something went wrong on Mentor's side. Please try again; "
        "if it keeps happening, tell your Mentor admins."
    )


def interrupted(subcommand: str) -> dict:
    """A command whose work was cut short: it may or may not have been done."""
    return blocks.message(
        f":warning: Mentor was interrupted while answering `{SLASH_COMMAND} {subcommand}`, so it may "
        f"or may not have been done. Please check before you try again: `{SLASH_COMMAND} asks` lists "
        f"your asks, and `{SLASH_COMMAND} offer` or `{SLASH_COMMAND} learn` alone lists your skills."
    )


def skills_added(result: SkillsAdded) -> dict:
    meaning, _ = _KIND_WORDS[result.kind]
    parts = []
    if result.added:
        parts.append(f"Added to what {meaning}: {blocks.skill_list(result.added)}.")
    if result.already:
        parts.append(f"Already there: {blocks.skill_list(result.already)}.")
    parts.append(f"All skills {meaning}: {blocks.skill_list(result.all)}.")
    return blocks.message(" ".join(parts), *(blocks.section(part) for part in parts))


def skills_listed(kind: SkillKind, skills: tuple[Skill, ...]) -> dict:
    meaning, verb = _KIND_WORDS[kind]
    if not skills:
        return blocks.message(
            f"You haven't listed any skills {meaning} yet. Add some with `{SLASH_COMMAND} {verb} SQL, public speaking`."
        )
    return blocks.message(f"Skills {meaning}: {blocks.skill_list(skills)}.")


def welcome() -> dict:
    """The one DM to someone who joined the workspace: what Mentor is, and how to opt in."""
    text = (
        ":wave: Welcome! I'm Mentor: colleagues here learn from each other, and everyone is both a mentor "
        "and a mentee. You're not enrolled in anything, and won't be unless you choose to."
    )
    steps = (
        f"• `{SLASH_COMMAND} offer SQL, public speaking`: what you can help with\n"
        f"• `{SLASH_COMMAND} learn delegation`: what you want to grow\n"
        f"• `{SLASH_COMMAND} ask How do I …?`: a question to the colleagues best placed to answer\n"
        f"• `{SLASH_COMMAND} join coffee`: a coffee chat with a colleague every few weeks"
    )
    return blocks.message(
        text,
        blocks.section(text),
        blocks.section(steps),
        blocks.context(
            f"Or open my *Home* tab. `{SLASH_COMMAND} help` lists everything; this is the only DM you'll get unless you join in."
        ),
    )
