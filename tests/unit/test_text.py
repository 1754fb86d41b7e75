import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text import clean_line, escape_mrkdwn, plain_text_of, shown, truncate


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


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("R&amp;D", "R&D"),
        ("Q&amp;A prep for &lt;date&gt;?", "Q&A prep for <date>?"),
        ("&amp;lt; is how you write &lt;", "&lt; is how you write <"),  # decoded once, not twice
        ("ask <@U0ANA|ana> or <@W0BEN>", "ask @ana or @W0BEN"),
        ("in <#C0GENERAL|general> or <#C0RANDOM>", "in #general or #C0RANDOM"),
        ("<!here> <!channel> <!everyone|everyone>", "@here @channel @everyone"),
        ("<!subteam^S0DEVS|@devs> and <!subteam^S0OPS>", "@devs and @S0OPS"),
        ("due <!date^1392734382^{date_short}|Feb 18, 2014 PST>", "due Feb 18, 2014 PST"),
        ("see <https://example.com/q?a=1&amp;b=2|the Q&amp;A doc>", "see the Q&A doc (https://example.com/q?a=1&b=2)"),
        ("see <https://example.com> and <http://example.org|example.org>", "see https://example.com and example.org"),
        ("write to <mailto:ana@example.com|ana@example.com>", "write to ana@example.com"),
        ("a <b, c> d", "a <b, c> d"),  # not Slack's markup: left as it is
    ],
)
def test_slack_formatting_reads_as_what_the_member_typed_with_mentions_and_links_spelled_out(sent, typed):
    assert plain_text_of(sent) == typed


@given(st.text())
def test_text_slack_escaped_reads_back_as_typed(typed):
    assert plain_text_of(escape_mrkdwn(typed)) == typed
