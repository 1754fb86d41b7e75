import pytest

from bot.text import clean_line, escape_mrkdwn, shown, truncate


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<@U123|ana>", "&lt;@U123|ana&gt;"),
        ("Q&A", "Q&amp;A"),
        ("&lt;", "&amp;lt;"),
        ("*bold* _it_", "*bold* _it_"),
    ],
)
def test_mrkdwn_control_characters_are_escaped(typed, escaped):
    assert escape_mrkdwn(typed) == escaped


def test_long_text_is_cut_with_an_ellipsis_within_the_limit():
    assert truncate("abcdef", 4) == "abc…"
    assert truncate("abcd", 4) == "abcd"
    assert len(shown("<" * 100, 10)) == 10


def test_a_line_loses_control_and_direction_characters_but_keeps_emoji():
    assert clean_line("a\u202eb\x00c\td 👩\u200d💻") == "ab c d 👩\u200d💻"
