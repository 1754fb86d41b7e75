import pytest

from bot.slash_command import MentorCommand, parse_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", MentorCommand("help", "")),
        (None, MentorCommand("help", "")),
        ("   \t", MentorCommand("help", "")),
        ("\u200f", MentorCommand("help", "")),
        ("help", MentorCommand("help", "")),
        ("HELP me", MentorCommand("help", "me")),
        ("offer SQL, Go", MentorCommand("offer", "SQL, Go")),
        ("offer", MentorCommand("offer", "")),
        ("learn   delegation\nand more", MentorCommand("learn", "delegation\nand more")),
        ("Profile", MentorCommand("profile", "")),
        ("dance now", MentorCommand("unknown", "now", typed="dance")),
        ("ask how do I", MentorCommand("ask", "how do I")),
        ("pause 2w", MentorCommand("pause", "2w")),
        ("Join coffee", MentorCommand("join", "coffee")),
        ("swap 2w", MentorCommand("unknown", "2w", typed="swap")),
    ],
)
def test_text_after_mentor_becomes_a_subcommand_and_its_argument(text, expected):
    assert parse_command(text) == expected
