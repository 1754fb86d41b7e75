"""Whatever members type, what the bot shows stays within Block Kit's limits and pings nobody."""

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot import home, replies
from bot.errors import InvalidInput
from bot.members import messages as member_messages
from bot.members.model import (
    MAX_CAPACITY,
    MAX_SKILLS_PER_KIND,
    SITUATIONS,
    CareerStage,
    ProfileForm,
    ProfileFormErrors,
    SkillKind,
    parse_skill_list,
    profile_from_form,
)
from bot.members.services import SkillsAdded

hostile_text = st.one_of(
    st.text(max_size=1200),
    st.sampled_from(["<!channel>", "<!here|here>", "<@U0001>", "&amp;", "\u202egnirts", "👩‍💻" * 300]),
)
skill_names = st.text(min_size=1, max_size=50).filter(lambda name: "," not in name and ";" not in name)


def valid_view(view: dict) -> None:
    View(**view).to_dict()  # raises SlackObjectFormationError past any limit


def valid_message(reply: dict) -> None:
    assert reply["text"]
    for block in Block.parse_all(reply["blocks"]):
        block.to_dict()


@st.composite
def profiles(draw):
    form = ProfileForm(
        offers=", ".join(draw(st.lists(skill_names, max_size=MAX_SKILLS_PER_KIND))),
        wants=", ".join(draw(st.lists(skill_names, max_size=MAX_SKILLS_PER_KIND))),
        objectives=draw(hostile_text),
        career_stage=draw(st.sampled_from([None, *[stage.value for stage in CareerStage]])),
        team=draw(st.text(max_size=80)),
        open_to_sponsoring=draw(st.booleans()),
        capacity=str(draw(st.integers(0, MAX_CAPACITY))),
    )
    try:
        return profile_from_form("T1", "U1", form)
    except ProfileFormErrors:
        return None


@settings(max_examples=200)
@given(
    profiles(), st.frozensets(st.sampled_from(["coffee", "reverse"])), st.frozensets(st.sampled_from(list(SITUATIONS)))
)
def test_home_and_profile_modal_are_valid_for_any_profile(profile, rounds, situations):
    home = home.home(profile)
    valid_view(home)
    valid_view(member_messages.profile_modal(profile, ["U0001"], rounds, situations))
    if profile is not None:
        assert "<!channel>" not in str(home) and "<@U0001>" not in str(home)


@settings(max_examples=200)
@given(st.lists(skill_names, min_size=1, max_size=MAX_SKILLS_PER_KIND), st.sampled_from(list(SkillKind)))
def test_skill_replies_are_valid_for_any_skills(names, kind):
    try:
        skills = tuple(parse_skill_list(", ".join(names)))
    except InvalidInput as refused:
        valid_message(replies.invalid_input(refused))
        return
    valid_message(member_messages.skills_added(SkillsAdded(kind, skills, skills, skills + skills)))
    valid_message(member_messages.skills_listed(kind, skills))


@given(hostile_text)
def test_usage_for_any_unknown_word_is_valid_and_pings_nobody(word):
    reply = replies.usage(word)

    valid_message(reply)
    assert "<!channel>" not in reply["text"]
