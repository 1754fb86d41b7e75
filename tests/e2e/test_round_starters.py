"""Conversation starters (issue 21): "Give us a question" under a round's introduction posts
one to the group, another each time, never one the group had, and only for its members."""

from bot import ids
from bot.rounds import starters
from bot.rounds.model import RoundKind
from tests.e2e.test_rounds import PEOPLE, coffee, group_dms, group_posts, intros  # noqa: F401 (a fixture)
from tests.support.members import button_value
from tests.support.rounds import run_rounds_now

ASKED = "*A question to get you talking:*"


def first_group(mentor):
    """A round's first introduction: (the message, where it is, its group's members)."""
    run_rounds_now(mentor.deps, RoundKind.COFFEE)
    intro = intros(mentor)[0]
    channel = intro.args["channel"]
    return intro, (channel, intro.response["ts"]), sorted(group_dms(mentor)[channel])


def press(mentor, intro, where, user_id: str) -> None:
    value = button_value(intro.args, ids.ROUND_STARTER)
    assert mentor.slack.click(ids.ROUND_STARTER, user_id, value, message=where).status == 200
    mentor.settle()


def questions_in(mentor, channel: str) -> list[str]:
    return [call.args["text"] for call in group_posts(mentor, ASKED) if call.args["channel"] == channel]


def test_give_us_a_question_posts_one_to_the_group_and_each_press_another(coffee):  # noqa: F811
    intro, where, members = first_group(coffee)

    for user_id in (members[0], members[1], members[0]):
        press(coffee, intro, where, user_id)

    asked = questions_in(coffee, where[0])
    assert len(asked) == 3 and len(set(asked)) == 3
    [opening] = [block["text"]["text"] for block in intro.args["blocks"] if "A first question" in str(block)]
    assert not any(question.removeprefix(ASKED).strip() in opening for question in asked)
    assert ids.ROUND_STARTER in str(group_posts(coffee, ASKED)[-1].args["blocks"])  # "Another question"


def test_someone_outside_the_group_is_told_privately_and_nothing_is_posted(coffee):  # noqa: F811
    intro, where, members = first_group(coffee)
    outsider = next(user_id for user_id in PEOPLE if user_id not in members)
    before = len(coffee.fake_slack.calls("response_url"))

    press(coffee, intro, where, outsider)

    [told] = coffee.fake_slack.wait_for("response_url", count=before + 1)[before:]
    assert "isn't yours" in told.args["text"] and told.args.get("response_type", "ephemeral") == "ephemeral"
    assert questions_in(coffee, where[0]) == []


def test_a_group_that_had_every_question_is_told_so_kindly_and_nothing_repeats(coffee):  # noqa: F811
    intro, where, members = first_group(coffee)
    every = len(starters.COFFEE) + 2  # more than the curated list and the pair's skills can give
    before = len(coffee.fake_slack.calls("response_url"))

    for _ in range(every + 5):
        press(coffee, intro, where, members[0])

    asked = questions_in(coffee, where[0])
    assert len(asked) == len(set(asked)) >= len(starters.COFFEE) - 1  # the intro's own question left out
    replies = [call.args["text"] for call in coffee.fake_slack.calls("response_url")[before:]]
    assert replies and all("every question I have for your group" in text for text in replies)
