"""What the program channel sees of an ask nobody could take: within Block Kit's limits
whatever was asked, pinging nobody, and never who asked when they asked anonymously."""

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.asks import messages as ask_messages
from bot.asks.model import Ask, AskStatus, ChannelPost
from bot.members.model import Skill
from tests.unit.test_block_kit import hostile_text, valid_message

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def posted(question: str, anonymous: bool, status: AskStatus = AskStatus.OPEN) -> Ask:
    return Ask(
        7,
        "T1",
        "UASKER",
        question,
        Skill("sql", "SQL"),
        status,
        NOW,
        mentor_id="UBEN" if status is AskStatus.MATCHED else None,
        post=ChannelPost("CPROGRAM", anonymous, "1.2"),
    )


@given(question=hostile_text, anonymous=st.booleans(), status=st.sampled_from(list(AskStatus)))
def test_the_channel_post_and_its_redraw_stay_valid_and_ping_nobody(question, anonymous, status):
    for message in (
        ask_messages.channel_post(posted(question, anonymous)),
        ask_messages.channel_post_closed(posted(question, anonymous, status)),
    ):
        valid_message(message)
        assert "<!channel>" not in str(message) and "<!here" not in str(message)


@given(question=hostile_text, status=st.sampled_from(list(AskStatus)))
def test_an_anonymous_asker_is_never_named_in_the_channel(question, status):
    shown = [
        ask_messages.channel_post(posted(question, anonymous=True)),
        ask_messages.channel_post_closed(posted(question, anonymous=True, status=status)),
    ]

    assert all("UASKER" not in str(message) for message in shown if "UASKER" not in question)


def test_the_redraw_leaves_the_question_out():
    for status in (AskStatus.MATCHED, AskStatus.CANCELLED, AskStatus.UNANSWERED):
        closed = ask_messages.channel_post_closed(posted("How do I index a huge table?", False, status))
        assert "huge table" not in str(closed)
