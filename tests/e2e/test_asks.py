"""`/mentor ask` end to end: the right people hear, the first "I can help" wins, nobody else sees it."""

import pytest

from bot import ids
from jobs.asks import expire_due_asks
from tests.support.members import ask, button_value, offered_in, option_value, posted_to, say


def click_for_answer(
    mentor, action_id: str, user_id: str, value: str | None, where=("CSOMEWHERE", "1.0"), option: str | None = None
) -> dict:
    """Click a button (or choose a select's `option`) in a message; return the private answer
    under (or in place of) it."""
    before = len(mentor.fake_slack.calls("response_url"))
    assert mentor.slack.click(action_id, user_id, value, message=where, option=option).status == 200
    return mentor.fake_slack.wait_for("response_url", count=before + 1)[before].args


def dms(mentor) -> dict[str, dict]:
    """The bot's direct messages so far: channel -> the last message posted there."""
    return {call.args["channel"]: call for call in mentor.fake_slack.calls("chat.postMessage")}


def test_an_ask_reaches_the_three_best_placed_mentors_in_order(workspace):
    answer = ask(workspace)

    assert "I've asked 3 people who can help with *SQL*" in answer["text"]
    posted = workspace.fake_slack.calls("chat.postMessage")
    assert [call.args["channel"] for call in posted] == ["DUANA", "DUBEN", "DUCAT"]
    for call in posted:
        text = str(call.args["blocks"])
        assert "&lt;!channel&gt;" in text and "<!channel>" not in text
        assert "*SQL*" in text


def test_the_first_i_can_help_wins_and_meets_the_asker_in_a_group_dm(workspace):
    ask(workspace)
    requests = dms(workspace)
    ben = requests["DUBEN"]
    ask_id = button_value(ben.args, ids.ACCEPT_ASK)

    reply = workspace.slack.click(ids.ACCEPT_ASK, "UBEN", ask_id, message=("DUBEN", ben.response["ts"]))
    assert reply.status == 200

    [group] = [c for c in workspace.fake_slack.wait_for("conversations.open", count=4) if "," in c.args["users"]]
    assert set(group.args["users"].split(",")) == {"UASK", "UBEN"}
    intro = workspace.fake_slack.wait_for("chat.postMessage", count=4)[3]
    assert intro.args["channel"] == "DUASKUBEN"
    assert "<@UASK>, meet <@UBEN>" in intro.args["text"]
    assert "&lt;!channel&gt;" in str(intro.args["blocks"])
    updates = {call.args["channel"]: call.args["text"] for call in workspace.fake_slack.wait_for("chat.update", 3)}
    assert "You're helping <@UASK>" in updates["DUBEN"]
    assert "<@UBEN> is helping <@UASK>" in updates["DUANA"] and "<@UBEN> is helping" in updates["DUCAT"]
    assert "speed up" not in updates["DUANA"]  # the closed DMs no longer carry the question


def test_a_second_i_can_help_is_thanked_and_changes_nothing(workspace):
    ask(workspace)
    requests = dms(workspace)
    ask_id = button_value(requests["DUBEN"].args, ids.ACCEPT_ASK)
    workspace.slack.click(ids.ACCEPT_ASK, "UBEN", ask_id, message=("DUBEN", requests["DUBEN"].response["ts"]))
    workspace.fake_slack.wait_for("chat.update", 3)

    answer = click_for_answer(workspace, ids.ACCEPT_ASK, "UANA", ask_id, ("DUANA", requests["DUANA"].response["ts"]))

    assert "Someone has already picked this up" in answer["text"]
    assert len([c for c in workspace.fake_slack.calls("conversations.open") if "," in c.args["users"]]) == 1


def test_only_the_asker_and_the_people_asked_ever_see_the_question(workspace):
    ask(workspace)
    requests = dms(workspace)
    ask_id = button_value(requests["DUANA"].args, ids.ACCEPT_ASK)
    workspace.slack.click(ids.ACCEPT_ASK, "UANA", ask_id, message=("DUANA", requests["DUANA"].response["ts"]))
    workspace.fake_slack.wait_for("chat.update", 3)

    seen_in = {call.args["channel"] for call in workspace.fake_slack.calls() if "speed up" in str(call.args)}
    assert seen_in <= {"DUANA", "DUBEN", "DUCAT", "DUASKUANA", None}
    assert all("speed up" not in str(call.args) for call in workspace.fake_slack.calls("views.publish"))


def test_not_this_time_passes_the_ask_to_the_next_candidate(workspace):
    ask(workspace)
    requests = dms(workspace)
    ask_id = button_value(requests["DUANA"].args, ids.PASS_ASK)

    workspace.slack.click(ids.PASS_ASK, "UANA", ask_id, message=("DUANA", requests["DUANA"].response["ts"]))

    [update] = workspace.fake_slack.wait_for("chat.update")
    assert update.args["channel"] == "DUANA" and "passed" in update.args["text"]
    fourth = workspace.fake_slack.wait_for("chat.postMessage", count=4)[3]
    assert fourth.args["channel"] == "DUEVE"  # UDAN takes no questions (capacity 0)


def test_a_forged_button_value_changes_nothing(workspace):
    ask(workspace)
    ask_id = button_value(dms(workspace)["DUANA"].args, ids.ACCEPT_ASK)

    for value in (ask_id, "999999", "-1", "1; DROP TABLE asks", ""):
        answer = click_for_answer(workspace, ids.ACCEPT_ASK, "UEVE", value, ("DUEVE", "1.0"))
        assert "isn't one you can act on" in answer["text"]

    assert not [c for c in workspace.fake_slack.calls("conversations.open") if "," in c.args["users"]]
    assert workspace.fake_slack.calls("chat.update") == []


def test_nobody_accepting_widens_once_then_closes_honestly(workspace):
    ask(workspace)
    workspace.clock.advance(hours=49)

    assert expire_due_asks(workspace.deps) == 1
    widened = workspace.fake_slack.wait_for("chat.postMessage", count=4)[3]
    assert widened.args["channel"] == "DUEVE"
    workspace.settle()  # sent and recorded before the clock jumps two days

    workspace.clock.advance(hours=49)
    assert expire_due_asks(workspace.deps) == 1
    workspace.settle()
    told = workspace.fake_slack.wait_for("chat.postMessage", count=5)[4]
    assert told.args["channel"] == "DUASK" and "Nobody could take your question about *SQL*" in told.args["text"]
    closed = {call.args["channel"] for call in workspace.fake_slack.calls("chat.update")}
    assert closed == {"DUANA", "DUBEN", "DUCAT", "DUEVE"}

    assert expire_due_asks(workspace.deps) == 0  # nothing is sent twice
    assert len(workspace.fake_slack.calls("chat.postMessage")) == 5


def test_the_asker_can_list_and_cancel_open_asks(workspace):
    ask(workspace)
    listing = say(workspace, "asks", "UASK")
    assert "Your open asks (1)" in listing["text"]
    ask_id = button_value(listing, ids.CANCEL_ASK)

    answer = click_for_answer(workspace, ids.CANCEL_ASK, "UASK", ask_id)

    assert answer["text"].startswith("Cancelled your ask about *SQL*")
    updates = workspace.fake_slack.wait_for("chat.update", count=3)
    assert all("<@UASK> withdrew this question" in call.args["text"] for call in updates)
    assert "no open asks" in say(workspace, "asks", "UASK")["text"]


def test_someone_else_cannot_cancel_my_ask(workspace):
    ask(workspace)
    ask_id = button_value(say(workspace, "asks", "UASK"), ids.CANCEL_ASK)

    answer = click_for_answer(workspace, ids.CANCEL_ASK, "UEVE", ask_id)

    assert "isn't one you can act on" in answer["text"]
    assert "Your open asks (1)" in say(workspace, "asks", "UASK")["text"]


def test_a_mistyped_skill_is_suggested_and_routes_when_picked(workspace):
    for user_id in ("UANA", "UBEN"):
        say(workspace, "offer Kubernetes", user_id)

    answer = ask(workspace, "how do I debug kubernets pods")

    assert offered_in(answer, ids.PICK_ASK_SKILL) == ["Kubernetes"]
    assert workspace.fake_slack.calls("chat.postMessage") == []
    routed = click_for_answer(workspace, ids.PICK_ASK_SKILL, "UASK", button_value(answer, ids.PICK_ASK_SKILL))
    assert "I've asked 2 people who can help with *Kubernetes*" in routed["text"]


def test_a_question_about_no_known_skill_gets_no_unrelated_suggestion_and_a_menu_to_name_it(workspace):
    vocabulary = ["Python", "SQL", "Data-modeling", "Generative AI", "PostgreSQL"]
    say(workspace, "offer " + ", ".join(vocabulary), "UANA")

    answer = ask(workspace, "what's a good way to run my first retro?")

    assert "couldn't tell from the words" in answer["text"]
    assert offered_in(answer, ids.PICK_ASK_SKILL) == []
    assert sorted(offered_in(answer, ids.SELECT_ASK_SKILL)) == sorted([*vocabulary, "Go"])
    assert workspace.fake_slack.calls("chat.postMessage") == []

    sql = option_value(answer, ids.SELECT_ASK_SKILL, "SQL")
    routed = click_for_answer(workspace, ids.SELECT_ASK_SKILL, "UASK", None, option=sql)
    assert "I've asked 3 people who can help with *SQL*" in routed["text"]


def test_an_ask_about_a_skill_nobody_offers_gets_an_honest_answer(workspace):
    answer = ask(workspace, "How do I negotiate a raise? #negotiation")

    assert "Nobody who offers *Negotiation* can take a question right now" in answer["text"]
    assert workspace.fake_slack.calls("chat.postMessage") == []


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("", "Add your question"),
        ("   ", "Add your question"),
        ("x" * 2001, "keep it under 2,000"),
        ("x", "too short for a colleague to help with"),
        ("x #sql", "too short for a colleague to help with"),
        ("SQL help pls", "like “How do I find duplicate rows"),
    ],
)
def test_an_empty_short_or_overlong_question_is_refused_in_the_acknowledgement(mentor, question, why):
    reply = mentor.slack.command(f"ask {question}", user_id="UASK")

    assert reply.status == 200
    assert "Nothing was changed" in reply.json()["text"] and why in reply.json()["text"]
    assert "Looking for mentors" not in reply.json()["text"]
    with mentor.store.transaction() as repositories:
        assert repositories.asks.pending_of("T0MENTOR", "UASK") == []
        assert repositories.asks.count_by("T0MENTOR", "UASK") == 0


def test_after_three_asks_someone_who_offers_nothing_is_reminded_once_to_give(workspace):
    answers = [ask(workspace, f"SQL question number {n}") for n in range(4)]

    reminded = ["Mentoring goes both ways" in str(answer["blocks"]) for answer in answers]
    assert reminded == [False, False, True, False]


def test_the_mentor_network_shows_who_helped_and_the_gaps(workspace):
    say(workspace, "learn SQL, public speaking", "UASK")
    ask(workspace)
    requests = dms(workspace)
    ask_id = button_value(requests["DUCAT"].args, ids.ACCEPT_ASK)
    workspace.slack.click(ids.ACCEPT_ASK, "UCAT", ask_id, message=("DUCAT", requests["DUCAT"].response["ts"]))
    workspace.fake_slack.wait_for("chat.update", 3)

    network = say(workspace, "network", "UASK")

    assert "*SQL*: <@UCAT>" in str(network["blocks"])
    assert "*Public speaking*: _nobody yet_" in str(network["blocks"])
    assert button_value(network, ids.FIND_MENTOR) == "publicspeaking"


def test_find_a_mentor_suggests_candidates_and_asks_from_the_modal(workspace):
    say(workspace, "learn SQL", "UASK")
    network = say(workspace, "network", "UASK")
    key = button_value(network, ids.FIND_MENTOR)

    workspace.slack.click(ids.FIND_MENTOR, "UASK", key)
    [opened] = workspace.fake_slack.wait_for("views.open")
    modal = opened.args["view"]
    assert modal["callback_id"] == ids.ASK_VIEW and modal["private_metadata"] == "sql"
    assert "<@UANA>, <@UBEN>, <@UCAT>" in str(modal["blocks"])

    question = {ids.ASK_QUESTION: {ids.ASK_QUESTION: {"type": "plain_text_input", "value": "Index or rewrite?"}}}
    reply = workspace.slack.submit_view(
        ids.ASK_VIEW, question, user_id="UASK", private_metadata=modal["private_metadata"]
    )

    assert reply.status == 200 and reply.body == ""
    workspace.fake_slack.wait_for("chat.postMessage", count=4)
    workspace.settle()
    [told] = posted_to(workspace, "DUASK")  # at once; the requests follow from the outbox
    assert "I've asked 3 people who can help with *SQL*" in told.args["text"]
    requests = [call.args["channel"] for call in workspace.fake_slack.calls("chat.postMessage")]
    assert [channel for channel in requests if channel != "DUASK"] == ["DUANA", "DUBEN", "DUCAT"]


def test_a_question_too_short_to_act_on_is_refused_in_the_modal_with_an_example(workspace):
    say(workspace, "offer Negotiation", "UANA")
    question = {ids.ASK_QUESTION: {ids.ASK_QUESTION: {"type": "plain_text_input", "value": "x"}}}

    reply = workspace.slack.submit_view(ids.ASK_VIEW, question, user_id="UASK", private_metadata="negotiation")

    assert reply.json()["response_action"] == "errors"
    assert "too short" in reply.json()["errors"][ids.ASK_QUESTION]
    assert "like “How do I" in reply.json()["errors"][ids.ASK_QUESTION]
    assert workspace.fake_slack.calls("chat.postMessage") == []
    with workspace.store.transaction() as repositories:
        assert repositories.asks.count_by("T0MENTOR", "UASK") == 0


def test_a_forged_skill_in_the_modal_is_refused_next_to_the_question(workspace):
    question = {ids.ASK_QUESTION: {ids.ASK_QUESTION: {"type": "plain_text_input", "value": "Index or rewrite it?"}}}
    reply = workspace.slack.submit_view(ids.ASK_VIEW, question, user_id="UASK", private_metadata="nosuchskill")

    assert reply.json()["response_action"] == "errors"
    assert ids.ASK_QUESTION in reply.json()["errors"]
    assert workspace.fake_slack.calls("chat.postMessage") == []


def test_home_shows_open_asks_and_the_mentor_network(workspace):
    say(workspace, "learn SQL, delegation", "UASK")
    ask(workspace)

    workspace.slack.app_home_opened("UASK")

    [home] = [
        call for call in workspace.fake_slack.wait_for("views.publish", count=2) if call.args["user_id"] == "UASK"
    ]
    text = str(home.args["view"])
    assert "Your open asks (1)" in text and "Your mentor network" in text
    assert "*Delegation*: _nobody yet_" in text
