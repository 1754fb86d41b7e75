"""Thank-yous after a round's group met (issue 21): "Say thanks" under a check-in answered
"We met" opens a modal; the thank-you reaches its receiver once, by DM, stays on their Home
tab, and is posted in the program channel only when its sender chooses; a thank-you from a
mentee shows to their mentor beside the advice they gave them."""

import pytest

from bot import ids
from bot.rounds.model import RoundKind
from jobs.rounds import run_due_rounds
from tests.e2e.test_home_tab import home_of
from tests.e2e.test_rounds import PEOPLE, coffee, group_dms, group_posts  # noqa: F401 (a fixture)
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.forms import settings_form
from tests.support.members import answer_followup, button_value, forget, say
from tests.support.rounds import run_rounds_now

CHANNEL = "CPROGRAM"
NOTE = "Thanks for the SQL tips & the <EXPLAIN> trick: I used it today."
SHARE = "share"


@pytest.fixture
def met(coffee):  # noqa: F811
    """A coffee round whose first group said "We met" halfway: (the app, the group's id, its
    members, the answered check-in, where it is). The admins named a program channel."""
    coffee.fake_slack.users["UADMIN"] = {**default_user("UADMIN", DEFAULT_TEAM), "is_admin": True}
    form = settings_form(CHANNEL={"type": "conversations_select", "selected_conversation": CHANNEL})
    assert coffee.slack.submit_view(ids.SETTINGS_VIEW, form, "UADMIN").status == 200
    run_rounds_now(coffee.deps, RoundKind.COFFEE)
    coffee.clock.advance(days=7, minutes=31)
    run_due_rounds(coffee.deps)
    checkin = group_posts(coffee, "Halfway to the next round")[0]
    members = sorted(group_dms(coffee)[checkin.args["channel"]])
    group_id = button_value(checkin.args, ids.CHECKIN_CHOICES["met"])
    where = (checkin.args["channel"], checkin.response["ts"])
    before = len(coffee.fake_slack.calls("response_url"))
    assert coffee.slack.click(ids.CHECKIN_CHOICES["met"], members[0], group_id, message=where).status == 200
    answered = coffee.fake_slack.wait_for("response_url", count=before + 1)[before].args
    coffee.settle()
    return coffee, group_id, members, answered, where


def thanks_form(to: list[str], note: str = NOTE, share: bool = False) -> dict:
    form = {
        ids.THANKS_TO: {ids.THANKS_TO: {"type": "checkboxes", "selected_options": [{"value": u} for u in to]}},
        ids.THANKS_NOTE: {ids.THANKS_NOTE: {"type": "plain_text_input", "value": note}},
    }
    chosen = [{"value": SHARE}] if share else []
    form[ids.THANKS_SHARE] = {ids.THANKS_SHARE: {"type": "checkboxes", "selected_options": chosen}}
    return form


def thanked(mentor, receiver: str) -> list:
    return [
        call
        for call in mentor.fake_slack.calls("chat.postMessage")
        if call.args["channel"] == "D" + receiver and "thanks you for" in call.args["text"]
    ]


def in_channel(mentor) -> list:
    """Thank-yous posted in the program channel (where each round's figures go too)."""
    return [
        call
        for call in mentor.fake_slack.calls("chat.postMessage")
        if call.args["channel"] == CHANNEL and ":sparkles:" in call.args["text"]
    ]


def test_we_met_offers_say_thanks_and_a_thank_you_reaches_its_receiver_once(met):
    mentor, group_id, members, answered, where = met
    sender, receiver = members[0], members[1]
    assert button_value(answered, ids.SAY_THANKS) == group_id

    assert mentor.slack.click(ids.SAY_THANKS, sender, group_id, message=where).status == 200
    modal = mentor.fake_slack.wait_for("views.open")[-1].args["view"]
    assert modal["callback_id"] == ids.THANKS_VIEW and modal["private_metadata"] == group_id
    assert f"<#{CHANNEL}>" in str(modal["blocks"]) and sender not in str(modal["blocks"])

    for _ in range(2):  # sent twice (a double click): it reaches them once
        mentor.slack.submit_view(ids.THANKS_VIEW, thanks_form([receiver]), sender, private_metadata=group_id)
        mentor.settle()

    [dm] = thanked(mentor, receiver)
    assert f"<@{sender}> thanks you for your coffee chat" in dm.args["text"]
    assert "&amp; the &lt;EXPLAIN&gt; trick" in str(dm.args["blocks"])  # escaped once
    assert in_channel(mentor) == []  # not shared: private to the two of them
    home = str(home_of(mentor, receiver))
    assert "Thanks from your chats" in home and "&lt;EXPLAIN&gt; trick" in home


def test_a_shared_thank_you_is_posted_in_the_program_channel_with_both_names(met):
    mentor, group_id, members, *_ = met
    sender, receiver = members[0], members[1]

    mentor.slack.submit_view(ids.THANKS_VIEW, thanks_form([receiver], share=True), sender, private_metadata=group_id)
    mentor.settle()

    [post] = in_channel(mentor)
    assert f"<@{sender}> thanks <@{receiver}> for a coffee chat" in post.args["text"]
    assert len(thanked(mentor, receiver)) == 1


def test_bad_thank_yous_are_refused_in_the_modal_and_send_nothing(met):
    mentor, group_id, members, *_ = met
    outsider = next(user_id for user_id in PEOPLE if user_id not in members)
    cases = [
        (members[0], thanks_form([members[1]], note="   "), "Write a line or two"),
        (members[0], thanks_form([members[1]], note="x" * 301), "under 300 characters"),
        (members[0], thanks_form([outsider]), "Tick who you're thanking"),
        (outsider, thanks_form([members[0]]), "isn't yours"),
    ]
    for sender, form, error in cases:
        reply = mentor.slack.submit_view(ids.THANKS_VIEW, form, sender, private_metadata=group_id)
        assert reply.json()["response_action"] == "errors" and error in reply.json()["errors"][ids.THANKS_NOTE]
    mentor.settle()
    assert all(thanked(mentor, user_id) == [] for user_id in PEOPLE) and in_channel(mentor) == []


def test_before_the_group_says_it_met_there_is_nobody_to_thank_yet(coffee):  # noqa: F811
    run_rounds_now(coffee.deps, RoundKind.COFFEE)
    intro = group_posts(coffee, ":coffee:")[0]
    members = sorted(group_dms(coffee)[intro.args["channel"]])
    group_id = button_value(intro.args, ids.ROUND_STARTER)
    before = len(coffee.fake_slack.calls("response_url"))

    where = (intro.args["channel"], intro.response["ts"])
    assert coffee.slack.click(ids.SAY_THANKS, members[0], group_id, message=where).status == 200

    [told] = coffee.fake_slack.wait_for("response_url", count=before + 1)[before:]
    assert "once your group says it met" in told.args["text"]
    assert coffee.fake_slack.calls("views.open") == []


def test_a_member_who_is_forgotten_takes_the_thank_yous_they_sent_and_received_with_them(met):
    mentor, group_id, members, *_ = met
    sender, receiver = members[0], members[1]
    mentor.slack.submit_view(ids.THANKS_VIEW, thanks_form([receiver]), sender, private_metadata=group_id)
    mentor.settle()

    assert "forgotten" in forget(mentor, sender)["text"].lower()

    with mentor.deps.store.transaction() as repositories:
        assert repositories.rounds.thanks_to(DEFAULT_TEAM, receiver, 10) == []


def test_a_thank_you_from_a_mentee_shows_beside_the_advice_their_mentor_gave_them_to_the_mentor_alone(mentor):
    answer_followup(mentor)  # UANA helped UASK with SQL; a week later UASK said it helped
    for user_id in ("UANA", "UASK"):
        say(mentor, "join coffee", user_id)
    run_rounds_now(mentor.deps, RoundKind.COFFEE)
    mentor.clock.advance(days=7, minutes=31)
    run_due_rounds(mentor.deps)
    [checkin] = group_posts(mentor, "Halfway to the next round")
    group_id = button_value(checkin.args, ids.CHECKIN_CHOICES["met"])
    where = (checkin.args["channel"], checkin.response["ts"])
    assert mentor.slack.click(ids.CHECKIN_CHOICES["met"], "UASK", group_id, message=where).status == 200
    mentor.settle()

    mentor.slack.submit_view(ids.THANKS_VIEW, thanks_form(["UANA"]), "UASK", private_metadata=group_id)
    mentor.settle()

    blocks = home_of(mentor, "UANA")
    texts = [str(block) for block in blocks]
    [advice] = [n for n, text in enumerate(texts) if "<@UASK> · *SQL*" in text]
    assert ":sparkles: <@UASK> thanked you on" in texts[advice + 1]  # right under the loop UASK closed
    assert "&amp; the &lt;EXPLAIN&gt; trick" in texts[advice + 1]  # escaped once
    assert "Thanks from your chats" not in str(blocks)  # not said twice
    assert "thanked you" not in str(home_of(mentor, "UASK"))  # the mentor's alone
