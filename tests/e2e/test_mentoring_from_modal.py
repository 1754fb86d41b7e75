"""A mentoring program made in the new program modal, end to end: the admin chooses the kind
"Mentoring", types a category "Role: mentor, mentee" whose first option mentors, and names its
channel; members who join the channel are welcomed with who mentors whom and pick their side
with a button; the round puts each mentor with mentees, and `/mentor programs` says so."""

import json

from bot import ids
from bot.ids import NEW_CATEGORY
from tests.e2e.test_channel_programs import ADMIN, CHANNEL, create, dms_to, form, joins, members_of
from tests.e2e.test_channel_programs import workspace as workspace  # the fixture
from tests.e2e.test_rounds import group_dms, group_posts
from tests.support.fake_slack import BOT_USER, DEFAULT_TEAM, default_user
from tests.support.members import say
from tests.support.rounds import run_rounds_now

KEY = "guides"
SIDES = {"UANA": "mentor", "UDAN": "mentor", "UBEN": "mentee", "UCAT": "mentee", "UEVE": "mentee"}


def mentoring_form() -> dict:
    """Monthly "Guides" in threes (a mentor, two mentees) by a new "Role: mentor, mentee",
    its first option mentoring, in #eng-nyc; intro left at the modal's default, anyone."""
    return form(
        NAME={"type": "plain_text_input", "value": "Guides"},
        KIND={"type": "static_select", "selected_option": {"value": "mentoring"}},
        CADENCE={"type": "static_select", "selected_option": {"value": "0"}},
        WEEKDAY={"type": "static_select", "selected_option": None},
        INTRO={"type": "radio_buttons", "selected_option": {"value": "anyone"}},
        CATEGORY={"type": "static_select", "selected_option": {"value": NEW_CATEGORY}},
        CATEGORY_NAME={"type": "plain_text_input", "value": "Role"},
        CATEGORY_OPTIONS={"type": "plain_text_input", "value": "mentor, mentee"},
        MENTOR_SIDE={"type": "radio_buttons", "selected_option": {"value": "0"}},
    )


def test_a_mentoring_program_from_the_modal_groups_each_mentor_with_mentees(workspace):
    fake = workspace.fake_slack
    for user_id in ("UDAN", "UEVE"):
        fake.users[user_id] = default_user(user_id, DEFAULT_TEAM)
    fake.channel_members[CHANNEL] = [BOT_USER]
    create(workspace, mentoring_form())
    [ready] = dms_to(workspace, ADMIN)
    described = "Mentoring monthly at 10:00 UTC, one mentor with up to 2 mentees, by Role: *mentor* mentors *mentee*"
    assert described in ready.args["text"]

    for user_id, side in SIDES.items():
        joins(workspace, user_id, INVITER=ADMIN)
        [welcome] = dms_to(workspace, user_id)
        assert "I group one mentor with up to 2 mentees, by Role: *mentor* mentors *mentee*" in welcome.args["text"]
        where = (welcome.args["channel"], welcome.response["ts"])
        before = len(fake.calls("response_url"))
        button = ids.PICK_CATEGORY[0 if side == "mentor" else 1]
        assert workspace.slack.click(button, user_id, f"{KEY}:{side}", message=where).status == 200
        fake.wait_for("response_url", count=before + 1)
    assert sorted(members_of(workspace, KEY)) == sorted(SIDES)

    [run] = run_rounds_now(workspace.deps, KEY)

    groups = [group_dms(workspace)[call.args["channel"]] for call in group_posts(workspace, ":seedling:")]
    assert run.groups == 2 and len(groups) == 2
    mentors = [{user for user in group if SIDES[user] == "mentor"} for group in groups]
    assert mentors == [{"UANA"}, {"UDAN"}] or mentors == [{"UDAN"}, {"UANA"}]  # one mentor each
    assert sorted(len(group) for group in groups) == [2, 3]  # the three mentees shared out, all placed
    assert set().union(*groups) == set(SIDES)

    listed = json.dumps(say(workspace, "programs", ADMIN)["blocks"])
    mentoring = "Mentoring monthly at 10:00 UTC, one mentor with up to 2 mentees, by Role: *mentor* mentors *mentee*"
    assert mentoring in listed
