"""Issue 20, point 4: capacity counts help, unanswered requests are limited apart, and when
everyone who offers the skill is busy the ask waits in line instead of "nobody"."""

import threading

from bot import ids
from jobs.asks import expire_due_asks
from tests.e2e.test_asks import click_for_answer
from tests.support.members import ask, button_value, click, posted_to, say

ASKERS = ("UX1", "UX2", "UX3")  # the three whose requests fill UANA's pending limit
QUEUED = "How do I read an EXPLAIN plan in SQL?"


def requests_to(mentor, channel: str) -> list:
    return [call for call in posted_to(mentor, channel) if "has a question about" in call.args["text"]]


def only_sql_mentor(mentor):
    """UANA is the only member who offers SQL, with the default capacity of 2."""
    say(mentor, "offer SQL", "UANA")
    return mentor


def test_requests_she_has_not_answered_do_not_make_the_only_mentor_look_full(mentor):
    only_sql_mentor(mentor)
    ask(mentor, "How do I speed up a slow SQL query?", "UX1")
    ask(mentor, "How do I find duplicate rows in SQL?", "UX2")

    # The issue: her two slots were "taken" by requests she had not answered yet.
    third = ask(mentor, "How do I write a recursive SQL query?", "UX3")

    assert "Nobody who offers" not in third["text"]
    assert "I've asked 1 person who can help with *SQL*" in third["text"]
    assert len(requests_to(mentor, "DUANA")) == 3


def test_beyond_the_pending_limit_the_ask_waits_in_line_and_goes_out_when_she_frees_up(mentor):
    only_sql_mentor(mentor)
    for n, asker in enumerate(ASKERS):
        ask(mentor, f"How do I tune SQL query number {n}?", asker)

    answer = ask(mentor, QUEUED, "UQUEUE")

    assert "The 1 person who offers *SQL* is busy right now, so your question is in line" in answer["text"]
    text = str(answer["blocks"])
    assert "<!date^" in text and "I'll let you know" in text
    assert button_value(answer, ids.CANCEL_ASK)
    assert all(QUEUED not in call.args["text"] for call in requests_to(mentor, "DUANA"))
    assert "in line until" in str(say(mentor, "asks", "UQUEUE")["blocks"])

    first = requests_to(mentor, "DUANA")[0]
    click(mentor, ids.PASS_ASK, "UANA", button_value(first.args, ids.PASS_ASK), first)

    assert QUEUED in str(requests_to(mentor, "DUANA")[-1].args["blocks"])
    [told] = [call for call in posted_to(mentor, "DUQUEUE") if "has room now" in call.args["text"]]
    assert "Someone who offers *SQL* has room now" in told.args["text"]


def test_accepting_a_request_frees_a_pending_place_while_her_capacity_has_room(mentor):
    only_sql_mentor(mentor)
    for n, asker in enumerate(ASKERS):
        ask(mentor, f"How do I tune SQL query number {n}?", asker)
    ask(mentor, QUEUED, "UQUEUE")

    first = requests_to(mentor, "DUANA")[0]
    click(mentor, ids.ACCEPT_ASK, "UANA", button_value(first.args, ids.ACCEPT_ASK), first)

    assert QUEUED in str(requests_to(mentor, "DUANA")[-1].args["blocks"])


def test_a_queued_ask_can_be_cancelled_and_never_goes_out(mentor):
    only_sql_mentor(mentor)
    for n, asker in enumerate(ASKERS):
        ask(mentor, f"How do I tune SQL query number {n}?", asker)
    answer = ask(mentor, QUEUED, "UQUEUE")

    before = len(mentor.fake_slack.calls("response_url"))
    cancel = button_value(answer, ids.CANCEL_ASK)
    assert mentor.slack.click(ids.CANCEL_ASK, "UQUEUE", cancel, message=("DUQUEUE", "1.0")).status == 200
    cancelled = mentor.fake_slack.wait_for("response_url", count=before + 1)[before].args
    assert cancelled["text"].startswith("Cancelled your ask about *SQL*")
    assert "have been told" not in cancelled["text"]  # nobody was asked: nobody to tell
    assert "no open asks" in say(mentor, "asks", "UQUEUE")["text"]

    first = requests_to(mentor, "DUANA")[0]
    click(mentor, ids.PASS_ASK, "UANA", button_value(first.args, ids.PASS_ASK), first)

    assert all(QUEUED not in str(call.args) for call in mentor.fake_slack.calls("chat.postMessage"))


def test_a_queued_ask_nobody_had_room_for_closes_at_its_deadline_honestly(mentor):
    only_sql_mentor(mentor)
    for n, asker in enumerate(ASKERS):
        ask(mentor, f"How do I tune SQL query number {n}?", asker)
    ask(mentor, QUEUED, "UQUEUE")

    mentor.clock.advance(hours=49)
    expire_due_asks(mentor.deps)
    mentor.settle()

    [told] = posted_to(mentor, "DUQUEUE")
    assert "Nobody could take your question about *SQL*" in told.args["text"]
    # one click to try again, as for any ask that closed unanswered
    assert button_value(told.args, ids.ASK_AGAIN) and button_value(told.args, ids.ASK_OTHER_SKILL)
    assert all(QUEUED not in str(call.args) for call in requests_to(mentor, "DUANA"))
    assert "no open asks" in say(mentor, "asks", "UQUEUE")["text"]
    assert expire_due_asks(mentor.deps) == 0  # closed once


def test_a_queued_ask_that_closed_and_was_asked_again_tells_the_asker_again_if_it_closes_again(mentor):
    only_sql_mentor(mentor)
    for n, asker in enumerate(ASKERS):
        ask(mentor, f"How do I tune SQL query number {n}?", asker)
    ask(mentor, QUEUED, "UQUEUE")
    mentor.clock.advance(hours=49)
    expire_due_asks(mentor.deps)  # the three close after widening to nobody; the queued one closes
    mentor.settle()
    [told] = posted_to(mentor, "DUQUEUE")
    where = ("DUQUEUE", told.response["ts"])

    again = click_for_answer(mentor, ids.ASK_AGAIN, "UQUEUE", button_value(told.args, ids.ASK_AGAIN), where)
    mentor.settle()
    [request] = [call for call in requests_to(mentor, "DUANA") if QUEUED in str(call.args["blocks"])]
    click(mentor, ids.PASS_ASK, "UANA", button_value(request.args, ids.PASS_ASK), request)  # nobody else
    twice = click_for_answer(mentor, ids.ASK_AGAIN, "UQUEUE", button_value(told.args, ids.ASK_AGAIN), where)

    assert "I've asked 1 person who can help with *SQL*" in again["text"]
    closed = [call for call in posted_to(mentor, "DUQUEUE") if "Nobody could take" in call.args["text"]]
    assert len(closed) == 2  # the second close is told too, with its own buttons
    assert button_value(closed[1].args, ids.ASK_AGAIN) != button_value(told.args, ids.ASK_AGAIN)
    assert "Done already" in twice["text"]


def test_a_mentor_back_from_a_pause_by_the_home_tabs_resume_takes_the_queued_ask(mentor):
    only_sql_mentor(mentor)
    say(mentor, "offer SQL", "UBEN")
    say(mentor, "pause", "UBEN")
    for n, asker in enumerate(ASKERS):
        ask(mentor, f"How do I tune SQL query number {n}?", asker)
    assert "is busy right now, so your question is in line" in ask(mentor, QUEUED, "UQUEUE")["text"]

    publishes = len(mentor.fake_slack.calls("views.publish"))
    assert mentor.slack.click(ids.RESUME_ROUNDS, "UBEN", "").status == 200  # on the Home tab
    mentor.fake_slack.wait_for("views.publish", count=publishes + 1)  # redrawn once resumed
    mentor.settle()

    assert QUEUED in str([call.args["blocks"] for call in requests_to(mentor, "DUBEN")])


def test_two_mentors_freeing_up_at_once_send_the_queued_ask_once(mentor):
    for user_id in ("UANA", "UBEN"):
        say(mentor, "offer SQL", user_id)
    for n, asker in enumerate(ASKERS):
        ask(mentor, f"How do I tune SQL query number {n}?", asker)  # to both: three requests each
    ask(mentor, QUEUED, "UQUEUE")
    ana, ben = requests_to(mentor, "DUANA")[0], requests_to(mentor, "DUBEN")[1]

    clicks = [
        threading.Thread(
            target=mentor.slack.click,
            args=(ids.PASS_ASK, user_id, button_value(request.args, ids.PASS_ASK)),
            kwargs={"message": (request.args["channel"], request.response["ts"])},
        )
        for user_id, request in (("UANA", ana), ("UBEN", ben))
    ]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()
    mentor.settle()

    sent = [call for call in mentor.fake_slack.calls("chat.postMessage") if QUEUED in str(call.args["blocks"])]
    assert sent and len(sent) == len({call.args["channel"] for call in sent})  # at most once to each
    assert len([call for call in posted_to(mentor, "DUQUEUE") if "has room now" in call.args["text"]]) == 1


def test_a_colleague_who_starts_offering_the_skill_takes_the_queued_ask(mentor):
    only_sql_mentor(mentor)
    for n, asker in enumerate(ASKERS):
        ask(mentor, f"How do I tune SQL query number {n}?", asker)
    ask(mentor, QUEUED, "UQUEUE")

    say(mentor, "offer SQL", "UBEN")
    mentor.settle()

    assert [QUEUED in str(call.args["blocks"]) for call in requests_to(mentor, "DUBEN")] == [True]


def test_find_a_mentor_with_everyone_busy_offers_to_wait_in_line(mentor):
    only_sql_mentor(mentor)
    for n, asker in enumerate(ASKERS):
        ask(mentor, f"How do I tune SQL query number {n}?", asker)
    say(mentor, "learn SQL", "UQUEUE")
    key = button_value(say(mentor, "network", "UQUEUE"), ids.FIND_MENTOR)

    mentor.slack.click(ids.FIND_MENTOR, "UQUEUE", key)
    [opened] = mentor.fake_slack.wait_for("views.open")

    modal = opened.args["view"]
    assert "The 1 person who offers *SQL* is busy right now. Ask anyway" in str(modal["blocks"])
    assert modal["callback_id"] == ids.ASK_VIEW and modal["submit"]["text"] == "Ask"


def test_an_ask_passed_on_while_everyone_else_is_busy_waits_in_line_instead_of_closing(mentor):
    for user_id in ("UANA", "UBEN"):
        say(mentor, "offer SQL", user_id)
    for n, asker in enumerate(ASKERS):
        ask(mentor, f"How do I tune SQL query number {n}?", asker)  # to both: three requests each
    ask(mentor, QUEUED, "UQUEUE")  # in line
    ana = requests_to(mentor, "DUANA")
    click(mentor, ids.PASS_ASK, "UANA", button_value(ana[0].args, ids.PASS_ASK), ana[0])  # UQUEUE's goes to UANA
    mine = requests_to(mentor, "DUANA")[-1]
    assert QUEUED in str(mine.args["blocks"])

    click(mentor, ids.PASS_ASK, "UANA", button_value(mine.args, ids.PASS_ASK), mine)  # UBEN still has three

    assert "in line until" in str(say(mentor, "asks", "UQUEUE")["blocks"])
    assert not [call for call in posted_to(mentor, "DUQUEUE") if "Nobody could take" in call.args["text"]]
