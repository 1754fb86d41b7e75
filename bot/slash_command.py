"""Parsing what follows `/mentor`."""

from dataclasses import dataclass

from bot.text import clean_line

# Subcommands that exist today; anything else gets the usage message.
SUBCOMMANDS = (
    "help",
    "ask",
    "asks",
    "network",
    "offer",
    "learn",
    "profile",
    "followups",
    "join",
    "leave",
    "pause",
    "resume",
    "forget",
    "programs",
    "settings",
    "stats",
    "export",
)


@dataclass(frozen=True)
class MentorCommand:
    name: str  # one of SUBCOMMANDS, or "unknown"
    argument: str  # the rest of the text, as typed (plain: see bot.text.plain_text_of)
    typed: str = ""  # for "unknown": the word the member typed


def parse_command(text: str | None) -> MentorCommand:
    """Split `/mentor <subcommand> <argument>` (plain text, Slack's formatting already read);
    an empty text means help."""
    text = (text or "").strip()
    if not clean_line(text):
        return MentorCommand("help", "")
    parts = text.split(None, 1)
    word = parts[0]
    argument = parts[1] if len(parts) > 1 else ""
    name = word.casefold()
    if name not in SUBCOMMANDS:
        return MentorCommand("unknown", argument, typed=word)
    return MentorCommand(name, argument)
