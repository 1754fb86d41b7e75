"""The profile modal and the App Home tab, end to end."""

from bot import ids
from bot.ids import ProfileField

TEAM = "T0MENTOR"


def form_values(**fields) -> dict:
    """A view_submission's state.values as Slack shapes them."""
    values = {}
    for field, value in fields.items():
        if field == ProfileField.CAREER_STAGE:
            state = {"type": "static_select", "selected_option": {"value": value} if value else None}
        elif field == ProfileField.SPONSORING:
            state = {"type": "checkboxes", "selected_options": [{"value": "yes"}] if value else []}
        elif field == ProfileField.CAPACITY:
            state = {"type": "number_input", "value": value}
        else:
            state = {"type": "plain_text_input", "value": value}
        values[field] = {field: state}
    return values


def home_text(call) -> str:
    return str(call.args["view"])


def initial_values(view: dict) -> dict:
    return {block["block_id"]: block["element"].get("initial_value") for block in view["blocks"]}


def test_home_for_someone_without_a_profile_invites_them_and_enrols_nothing(mentor):
    reply = mentor.slack.app_home_opened("UNEW")

    assert reply.status == 200
    [publish] = mentor.fake_slack.wait_for("views.publish")
    assert publish.args["user_id"] == "UNEW"
    assert "Set up my profile" in home_text(publish)
    with mentor.store.transaction() as repositories:
        assert repositories.profiles.get(TEAM, "UNEW") is None


def test_skills_added_by_command_show_in_app_home(mentor):
    mentor.slack.command("offer SQL, public speaking", user_id="UANA")
    mentor.slack.command("learn delegation", user_id="UANA")
    mentor.fake_slack.wait_for("response_url", count=2)

    mentor.slack.app_home_opened("UANA")
    [publish] = mentor.fake_slack.wait_for("views.publish")
    view = publish.args["view"]
    assert "*SQL* · *Public speaking*" in str(view)
    assert "*Delegation*" in str(view)
    assert any(
        element.get("action_id") == ids.OPEN_PROFILE
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    )


def test_the_messages_tab_does_not_redraw_home(mentor):
    mentor.slack.app_home_opened("UANA", tab="messages")
    mentor.slack.app_home_opened("UANA")

    mentor.fake_slack.wait_for("views.publish")
    assert len(mentor.fake_slack.calls("views.publish")) == 1


def test_profile_command_opens_the_modal_filled_with_the_current_profile(mentor):
    mentor.slack.command("offer SQL, JS", user_id="UANA")
    mentor.fake_slack.wait_for("response_url")

    mentor.slack.command("profile", user_id="UANA")
    [opened] = mentor.fake_slack.wait_for("views.open")
    view = opened.args["view"]
    assert opened.args["trigger_id"].startswith("trigger-")
    assert view["callback_id"] == ids.PROFILE_VIEW
    assert initial_values(view)[ProfileField.OFFERS] == "SQL, JavaScript"


def test_edit_profile_button_opens_the_modal(mentor):
    reply = mentor.slack.click(ids.OPEN_PROFILE, user_id="UANA")

    assert reply.status == 200
    [opened] = mentor.fake_slack.wait_for("views.open")
    assert opened.args["view"]["callback_id"] == ids.PROFILE_VIEW


def test_saving_the_modal_stores_the_profile_and_redraws_home_escaped(mentor):
    values = form_values(
        offers="SQL, Public speaking",
        wants="Delegation",
        objectives="Become a better delegator <!channel> & lead releases",
        career_stage="senior",
        team="Payments",
        open_to_sponsoring=True,
        capacity="3",
    )
    reply = mentor.slack.submit_view(ids.PROFILE_VIEW, values, user_id="UANA")

    assert reply.status == 200 and reply.body == ""  # the modal closes
    with mentor.store.transaction() as repositories:
        profile = repositories.profiles.get(TEAM, "UANA")
    assert [skill.label for skill in profile.offers] == ["SQL", "Public speaking"]
    assert [skill.label for skill in profile.wants] == ["Delegation"]
    assert profile.career_stage.value == "senior"
    assert (profile.team, profile.open_to_sponsoring, profile.capacity) == ("Payments", True, 3)
    [publish] = mentor.fake_slack.wait_for("views.publish")
    text = home_text(publish)
    assert "Become a better delegator &lt;!channel&gt; &amp; lead releases" in text
    assert "<!channel>" not in text


def test_saving_the_modal_replaces_skills_removed_from_it(mentor):
    mentor.slack.command("offer SQL, Go, Rust", user_id="UANA")
    mentor.fake_slack.wait_for("response_url")

    mentor.slack.submit_view(ids.PROFILE_VIEW, form_values(offers="Rust, SQL"), user_id="UANA")
    with mentor.store.transaction() as repositories:
        profile = repositories.profiles.get(TEAM, "UANA")
    assert [skill.label for skill in profile.offers] == ["Rust", "SQL"]


def test_mistakes_in_the_modal_show_next_to_their_fields_and_save_nothing(mentor):
    values = form_values(offers="SQL, !!!", team="x" * 81, capacity="99", career_stage="wizard")
    reply = mentor.slack.submit_view(ids.PROFILE_VIEW, values, user_id="UANA")

    body = reply.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {
        ProfileField.OFFERS,
        ProfileField.TEAM,
        ProfileField.CAPACITY,
        ProfileField.CAREER_STAGE,
    }
    assert "isn't a skill name" in body["errors"][ProfileField.OFFERS]
    with mentor.store.transaction() as repositories:
        assert repositories.profiles.get(TEAM, "UANA") is None
    assert mentor.fake_slack.calls("views.publish") == []
