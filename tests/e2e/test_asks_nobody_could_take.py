"""An ask nobody could take (issue 20, points 5 and 7) end to end: the asker may post it in the
program channel, with their name or anonymously, where the first "I can help" wins; and an ask
that closed unanswered is tried again in one click ("Ask again", "Post with my name" or
"Post anonymously", "Name another skill"), once, by the asker alone."""

import pytest

from bot import ids
from jobs.asks import expire_due_asks
from tests.e2e.test_asks import click_for_answer
from tests.e2e.test_forget import forget
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.forms import settings_form
from tests.support.members import QUESTION, ask, button_value, offered_in, option_value, posted_to

ADMIN = "UADMIN"
CHANNEL = "CPROGRAM"
NOBODY_OFFERS = "How do I negotiate a raise <!channel> & keep it friendly? #negotiation"


@pytest.fixture
def program(workspace):
    """The `workspace` of SQL mentors, whose admins named a program channel."""
    workspace.fake_slack.users[ADMIN] = {**default_user(ADMIN, DEFAULT_TEAM), "is_admin": True}
    form = settings_form(CHANNEL={"type": "conversations_select", "selected_conversation": CHANNEL})
    assert workspace.slack.submit_view(ids.SETTINGS_VIEW, form, ADMIN).status == 200
    workspace.settle()
    return workspace


def channel_posts(mentor) -> list:
    return [call for call in mentor.fake_slack.calls("chat.postMessage") if call.args["channel"] == CHANNEL]


def channel_updates(mentor) -> list:
    return [call for call in mentor.fake_slack.calls("chat.update") if call.args["channel"] == CHANNEL]


def group_dms(mentor) -> list[set[str]]:
    return [
        set(call.args["users"].split(","))
        for call in mentor.fake_slack.calls("conversations.open")
        if "," in call.args["users"]
    ]


def post(mentor, answer: dict, action_id: str = ids.POST_ASK, where=("DUASK", "1.0")):
    """The asker clicks a "Post" button of `answer`; returns (their reply, the channel's post)."""
    reply = click_for_answer(mentor, action_id, "UASK", button_value(answer, action_id), where)
    mentor.settle()
    [posted] = channel_posts(mentor)
    return reply, posted


def claim(mentor, posted, user_id: str) -> dict:
    """`user_id` says "I can help" under the channel's post; returns their private answer."""
    value = button_value(posted.args, ids.CLAIM_ASK)
    answer = click_for_answer(mentor, ids.CLAIM_ASK, user_id, value, (CHANNEL, posted.response["ts"]))
    mentor.settle()
    return answer


def closed_unanswered(mentor, question: str = QUESTION) -> object:
    """Ask UANA…UEVE about SQL; nobody answers, it widens, then closes. Returns the asker's DM."""
    ask(mentor, question)
    for _ in range(2):
        mentor.clock.advance(hours=49)
        assert expire_due_asks(mentor.deps) == 1
        mentor.settle()
    [told] = posted_to(mentor, "DUASK")
    return told


# --- point 5: nobody offers the skill ------------------------------------------------------
def test_an_ask_nobody_offers_is_posted_in_the_program_channel_with_the_askers_name(program):
    answer = ask(program, NOBODY_OFFERS)
    assert "Nobody who offers *Negotiation* can take a question right now" in answer["text"]
    assert f"<#{CHANNEL}>" in str(answer["blocks"])

    reply, posted = post(program, answer)

    assert f"I'm posting your question about *Negotiation* in <#{CHANNEL}>, with your name" in reply["text"]
    assert posted.args["text"].startswith("<@UASK> has a question about *Negotiation*")
    shown = str(posted.args["blocks"])
    assert "&lt;!channel&gt; &amp; keep it friendly" in shown and "<!channel>" not in shown  # escaped once
    assert button_value(posted.args, ids.CLAIM_ASK)
    assert program.fake_slack.invalid_payloads == []
    twice = click_for_answer(program, ids.POST_ASK_ANONYMOUSLY, "UASK", button_value(answer, ids.POST_ASK_ANONYMOUSLY))
    program.settle()
    assert "Done already" in twice["text"] and len(channel_posts(program)) == 1


def test_an_anonymous_post_never_shows_the_asker_in_the_channel(program):
    answer = ask(program, NOBODY_OFFERS)

    reply, posted = post(program, answer, ids.POST_ASK_ANONYMOUSLY)
    claim(program, posted, "UBEN")

    assert "without your name" in reply["text"]
    assert posted.args["text"].startswith("A colleague has a question about *Negotiation*")
    [update] = channel_updates(program)
    assert "Taken — thanks, <@UBEN>" in update.args["text"]
    for call in [posted, update]:
        assert "UASK" not in str(call.args), "the channel saw who asked"
    assert {"UASK", "UBEN"} in group_dms(program)  # the one who takes it meets the asker


def test_the_first_i_can_help_in_the_channel_wins_and_meets_the_asker(program):
    _, posted = post(program, ask(program, NOBODY_OFFERS))

    first = claim(program, posted, "UBEN")
    second = claim(program, posted, "UCAT")

    assert "You're helping with this question about *Negotiation*" in first["text"]
    assert "Someone has already picked this up" in second["text"]
    assert group_dms(program) == [{"UASK", "UBEN"}]
    [intro] = posted_to(program, "DUASKUBEN")
    assert "<@UASK>, meet <@UBEN>" in intro.args["text"]
    assert "&lt;!channel&gt;" in str(intro.args["blocks"])
    [update] = channel_updates(program)
    assert update.args["ts"] == posted.response["ts"]
    assert "Taken — thanks, <@UBEN>" in update.args["text"] and "negotiate" not in str(update.args)
    [helping] = posted_to(program, "DUBEN")  # as a mentor asked directly: with "Ask how it went"
    assert "You're helping <@UASK> with *Negotiation*" in helping.args["text"]
    assert button_value(helping.args, ids.ASK_HOW_IT_WENT)


def test_the_asker_cannot_take_their_own_question(program):
    _, posted = post(program, ask(program, NOBODY_OFFERS))

    answer = claim(program, posted, "UASK")

    assert "That's your own question" in answer["text"]
    assert group_dms(program) == [] and channel_updates(program) == []


def test_without_a_program_channel_the_asker_is_told_and_can_name_another_skill(workspace):
    answer = ask(workspace, NOBODY_OFFERS)

    assert "haven't named a program channel, so I can't post it for you" in str(answer["blocks"])
    assert ids.POST_ASK not in str(answer["blocks"])
    menu = click_for_answer(workspace, ids.ASK_OTHER_SKILL, "UASK", button_value(answer, ids.ASK_OTHER_SKILL))
    assert "Which skill is your question about?" in menu["text"]

    sql = option_value(menu, ids.SELECT_ASK_SKILL, "SQL")
    routed = click_for_answer(workspace, ids.SELECT_ASK_SKILL, "UASK", None, option=sql)

    assert "I've asked 3 people who can help with *SQL*" in routed["text"]
    workspace.settle()
    assert [call.args["channel"] for call in workspace.fake_slack.calls("chat.postMessage")] == [
        "DUANA",
        "DUBEN",
        "DUCAT",
    ]


def test_a_post_nobody_takes_closes_with_the_asks_timeout(program):
    _, posted = post(program, ask(program, NOBODY_OFFERS))
    program.clock.advance(hours=49)

    assert expire_due_asks(program.deps) == 1
    program.settle()

    [update] = channel_updates(program)
    assert "has closed: nobody picked it up in time" in update.args["text"] and "negotiate" not in str(update.args)
    [told] = posted_to(program, "DUASK")
    assert f"Nobody in <#{CHANNEL}> picked up your question about *Negotiation*" in told.args["text"]
    assert button_value(told.args, ids.ASK_AGAIN) and ids.POST_ASK not in str(told.args["blocks"])
    assert "This ask has closed" in claim(program, posted, "UBEN")["text"] and group_dms(program) == []


def test_a_post_in_a_private_channel_mentor_is_not_in_is_told_to_the_asker(program):
    program.fake_slack.channels_without_mentor[CHANNEL] = True  # private, and Mentor not invited
    answer = ask(program, NOBODY_OFFERS)

    click_for_answer(program, ids.POST_ASK, "UASK", button_value(answer, ids.POST_ASK))
    program.settle()

    assert [call.response["error"] for call in channel_posts(program)] == ["channel_not_found"]
    [told] = posted_to(program, "DUASK")
    assert f"I couldn't post your question about *Negotiation* in <#{CHANNEL}>" in told.args["text"]
    assert "invite Mentor" in told.args["text"]


def test_a_post_whose_asker_left_slack_is_refused_kindly_and_closed(program):
    _, posted = post(program, ask(program, NOBODY_OFFERS))
    left = {"id": "UASK", "deleted": True, "team_id": DEFAULT_TEAM}
    assert program.slack.event({"type": "user_change", "user": left}, event_id="EvAskerLeft").status == 200
    program.settle()

    answer = claim(program, posted, "UBEN")

    assert "can't be reached on Slack any more" in answer["text"]
    assert group_dms(program) == []
    [update] = channel_updates(program)
    assert "withdrawn" in update.args["text"] and "negotiate" not in str(update.args)


def test_the_asker_can_withdraw_a_post(program):
    reply, _ = post(program, ask(program, NOBODY_OFFERS))

    cancelled = click_for_answer(program, ids.CANCEL_ASK, "UASK", button_value(reply, ids.CANCEL_ASK))
    program.settle()

    assert f"Its post in <#{CHANNEL}> now says it was withdrawn" in cancelled["text"]
    [update] = channel_updates(program)
    assert "was withdrawn" in update.args["text"] and "negotiate" not in str(update.args)


def test_an_asker_who_asks_to_be_forgotten_has_their_post_withdrawn_without_the_question(program):
    _, posted = post(program, ask(program, NOBODY_OFFERS))

    forget(program, "UASK")
    program.settle()

    [update] = channel_updates(program)
    assert "was withdrawn" in update.args["text"] and "negotiate" not in str(update.args)
    assert "This ask was cancelled" in claim(program, posted, "UBEN")["text"]
    assert group_dms(program) == []


# --- point 7: one click to try again -------------------------------------------------------
def test_ask_again_routes_the_same_question_afresh_once(program):
    told = closed_unanswered(program)
    where = ("DUASK", told.response["ts"])
    sent = len(program.fake_slack.calls("chat.postMessage"))

    again = click_for_answer(program, ids.ASK_AGAIN, "UASK", button_value(told.args, ids.ASK_AGAIN), where)
    program.settle()
    twice = click_for_answer(program, ids.ASK_AGAIN, "UASK", button_value(told.args, ids.ASK_AGAIN), where)

    assert "I've asked 3 people who can help with *SQL*" in again["text"]
    requests = program.fake_slack.calls("chat.postMessage")[sent:]
    assert len(requests) == 3 and all("speed up a slow SQL query" in str(call.args) for call in requests)
    assert "Done already" in twice["text"]
    assert len(program.fake_slack.calls("chat.postMessage")) == sent + 3


def test_a_closed_ask_is_posted_in_the_channel_in_one_click_and_then_only_once(program):
    told = closed_unanswered(program)
    where = ("DUASK", told.response["ts"])
    assert f"<#{CHANNEL}>" in str(told.args["blocks"])

    reply, posted = post(program, told.args, ids.POST_ASK, where)
    again = click_for_answer(program, ids.ASK_AGAIN, "UASK", button_value(told.args, ids.ASK_AGAIN), where)
    anonymously = click_for_answer(
        program, ids.POST_ASK_ANONYMOUSLY, "UASK", button_value(told.args, ids.POST_ASK_ANONYMOUSLY), where
    )

    assert f"in <#{CHANNEL}>, with your name" in reply["text"]
    assert "speed up a slow SQL query" in str(posted.args["blocks"])
    assert "Done already" in again["text"] and "Done already" in anonymously["text"]
    assert len(channel_posts(program)) == 1
    assert "You're helping" in claim(program, posted, "UDAN")["text"]
    assert {"UASK", "UDAN"} in group_dms(program)


def test_name_another_skill_routes_the_same_question_on_the_skill_picked(program):
    told = closed_unanswered(program)
    where = ("DUASK", told.response["ts"])

    menu = click_for_answer(program, ids.ASK_OTHER_SKILL, "UASK", button_value(told.args, ids.ASK_OTHER_SKILL), where)
    go = option_value(menu, ids.SELECT_ASK_SKILL, "Go")
    routed = click_for_answer(program, ids.SELECT_ASK_SKILL, "UASK", None, option=go)
    program.settle()
    twice = click_for_answer(program, ids.ASK_OTHER_SKILL, "UASK", button_value(told.args, ids.ASK_OTHER_SKILL), where)

    assert "SQL" not in offered_in(menu, ids.SELECT_ASK_SKILL)
    assert "I've asked 3 people who can help with *Go*" in routed["text"]
    requests = [call for call in program.fake_slack.calls("chat.postMessage") if "*Go*" in call.args["text"]]
    assert len(requests) == 3 and all("speed up a slow SQL query" in str(call.args) for call in requests)
    assert "Done already" in twice["text"]


def test_name_another_skill_suggests_what_the_workspace_learned(program):
    for asker in ("UX1", "UX2", "UX3"):  # nobody offers Agile: these close at once, but teach it
        ask(program, f"How do I run a retro that is not a complaint session, take {asker}? #agile", asker)
    told = closed_unanswered(program, "How do I run a retro about our SQL migration? #sql")
    where = ("DUASK", told.response["ts"])

    menu = click_for_answer(program, ids.ASK_OTHER_SKILL, "UASK", button_value(told.args, ids.ASK_OTHER_SKILL), where)

    assert offered_in(menu, ids.PICK_ASK_SKILL)[:1] == ["Agile"]


def test_only_the_asker_can_try_a_closed_ask_again(program):
    told = closed_unanswered(program)
    where = ("DUASK", told.response["ts"])
    sent = len(program.fake_slack.calls("chat.postMessage"))

    for action_id in (ids.ASK_AGAIN, ids.POST_ASK, ids.POST_ASK_ANONYMOUSLY, ids.ASK_OTHER_SKILL):
        answer = click_for_answer(program, action_id, "UEVE", button_value(told.args, action_id), where)
        assert "isn't one you can act on" in answer["text"]

    program.settle()
    assert len(program.fake_slack.calls("chat.postMessage")) == sent


def test_a_closed_ask_without_a_program_channel_says_there_is_none(workspace):
    told = closed_unanswered(workspace)

    assert "haven't named a program channel" in str(told.args["blocks"])
    assert ids.POST_ASK not in str(told.args["blocks"])
    assert button_value(told.args, ids.ASK_AGAIN) and button_value(told.args, ids.ASK_OTHER_SKILL)
