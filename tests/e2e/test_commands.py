"""`/mentor` through the real Bolt app over HTTP, against the fake Slack."""

from bot.members.model import SkillKind
from bot.members.services import skills_of


def stored(mentor, user_id: str, kind: SkillKind) -> list[str]:
    with mentor.store.transaction() as repositories:
        return [skill.label for skill in skills_of(repositories.profiles.get("T0MENTOR", user_id), kind)]


def response_texts(mentor) -> list[str]:
    return [call.args["text"] for call in mentor.fake_slack.calls("response_url")]


def test_help_answers_in_the_acknowledgement_well_within_three_seconds(mentor):
    reply = mentor.slack.command("help")

    assert reply.status == 200
    assert reply.seconds < 3, "Slack shows an error to the member after 3 seconds"
    body = reply.json()
    assert body.get("response_type", "ephemeral") == "ephemeral"
    for subcommand in ("offer", "learn", "profile", "ask"):
        assert f"`/mentor {subcommand}" in body["text"]


def test_mentor_alone_shows_the_same_usage_as_help(mentor):
    assert mentor.slack.command("").json()["text"] == mentor.slack.command("help").json()["text"]
    assert mentor.slack.command("   ").json()["text"] == mentor.slack.command("HELP").json()["text"]


def test_unknown_subcommand_gets_the_usage_naming_what_was_typed(mentor):
    body = mentor.slack.command("dance tonight").json()

    assert "I don't know “dance”" in body["text"]
    assert "`/mentor offer" in body["text"]


def test_unknown_subcommand_with_mrkdwn_pings_nobody(mentor):
    body = mentor.slack.command("<!channel> <@U999>").json()

    assert "<!channel>" not in str(body)
    assert "&lt;!channel&gt;" in body["text"]


def test_offer_stores_normalized_skills_and_confirms_privately(mentor):
    reply = mentor.slack.command("offer js, Public  Speaking!, k8s", user_id="UANA")

    assert reply.status == 200 and reply.body == ""  # acknowledged at once, answered after
    [answer] = mentor.fake_slack.wait_for("response_url")
    assert answer.args.get("response_type", "ephemeral") == "ephemeral"
    assert "*JavaScript*" in answer.args["text"]
    assert "*Public Speaking*" in answer.args["text"]
    assert "*Kubernetes*" in answer.args["text"]
    assert stored(mentor, "UANA", SkillKind.OFFER) == ["JavaScript", "Public Speaking", "Kubernetes"]


def test_a_skill_under_another_name_is_recognized_as_already_there(mentor):
    mentor.slack.command("offer JavaScript", user_id="UANA")
    mentor.fake_slack.wait_for("response_url")
    mentor.slack.command("offer JS, public-speaking", user_id="UANA")
    second = mentor.fake_slack.wait_for("response_url", count=2)[1].args["text"]

    assert "Already there: *JavaScript*" in second
    assert stored(mentor, "UANA", SkillKind.OFFER) == ["JavaScript", "Public-speaking"]


def test_the_first_label_a_workspace_uses_is_the_one_everybody_sees(mentor):
    mentor.slack.command("offer Public speaking", user_id="UANA")
    mentor.fake_slack.wait_for("response_url")
    mentor.slack.command("learn PUBLIC-SPEAKING", user_id="UBEN")
    mentor.fake_slack.wait_for("response_url", count=2)

    assert stored(mentor, "UBEN", SkillKind.WANT) == ["Public speaking"]


def test_learn_adds_wants_and_offer_alone_lists_offers(mentor):
    mentor.slack.command("learn delegation; SQL", user_id="UBEN")
    mentor.fake_slack.wait_for("response_url")
    mentor.slack.command("offer", user_id="UBEN")
    mentor.slack.command("learn", user_id="UBEN")
    mentor.fake_slack.wait_for("response_url", count=3)
    added, offers, wants = response_texts(mentor)

    assert "Added to what you want to grow: *Delegation* · *SQL*" in added
    assert "You haven't listed any skills you can help with yet" in offers
    assert wants == "Skills you want to grow: *Delegation* · *SQL*."


def test_a_bad_skill_refuses_the_whole_list_and_stores_nothing(mentor):
    mentor.slack.command("offer SQL, !!!", user_id="UANA")
    [answer] = mentor.fake_slack.wait_for("response_url")

    assert "“!!!” isn't a skill name" in answer.args["text"]
    assert "Nothing was changed" in answer.args["text"]
    with mentor.store.transaction() as repositories:
        assert repositories.profiles.get("T0MENTOR", "UANA") is None


def test_mrkdwn_typed_into_a_skill_is_refused_or_shown_escaped(mentor):
    mentor.slack.command("offer <@U999> wrangling & <!here>", user_id="UANA")
    [refused] = mentor.fake_slack.wait_for("response_url")
    mentor.slack.command("offer R&D *ops*", user_id="UANA")
    added = mentor.fake_slack.wait_for("response_url", count=2)[1]

    assert "<@U999>" not in refused.args["text"] and "<!here>" not in refused.args["text"]
    assert "“U999&gt; wrangling &amp; &lt;!here” isn't a skill name" in refused.args["text"]
    assert "*R&amp;D *ops*" in added.args["text"] and "wrangling" not in added.args["text"]
