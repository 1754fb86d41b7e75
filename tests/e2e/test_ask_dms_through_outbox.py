"""Every ask DM goes through the outbox: the candidates' requests, the pair's introduction,
the asker's "nobody could take it" and the edits of the candidates' DMs (passed, taken,
closed) are queued with the use case and sent by the outbox, paced, looked up before a
retry, once; its hooks do what follows each."""

from datetime import timedelta

import pytest

from bot import ids
from bot.rounds.model import RoundKind
from jobs import outbox
from jobs.asks import expire_due_asks
from jobs.outbox import LEASE, METADATA_EVENT, drain
from storage import models
from tests.support.fake_slack import DEFAULT_TEAM, default_user
from tests.support.members import ask, button_value, click, option_value, posted_to, say

NOBODY = "Nobody could take your question about *SQL*"


@pytest.fixture
def asks(workspace):
    """tests/e2e/conftest.py's workspace (UANA, UBEN, UCAT, then UEVE, for SQL)."""
    return workspace


def sent(mentor) -> None:
    """Wait for the work requests handed on, then send whatever the outbox holds."""
    mentor.settle()
    drain(mentor.deps)


def requests(mentor) -> dict:
    """The candidates' request DMs Slack took, by channel."""
    posted = [call for call in mentor.fake_slack.calls("chat.postMessage") if call.response.get("ok")]
    return {call.args["channel"]: call for call in posted if "has a question about" in call.args["text"]}


def updates(mentor) -> dict[str, str]:
    """The last text each DM was updated to, by channel (edits Slack refused left out)."""
    edits = [call for call in mentor.fake_slack.calls("chat.update") if call.response.get("ok")]
    return {call.args["channel"]: call.args["text"] for call in edits}


def candidate(mentor, ask_id: str, user_id: str) -> models.AskCandidate:
    with mentor.store.transaction() as repositories:
        return repositories.session.get_one(models.AskCandidate, (int(ask_id), user_id))


def test_a_request_from_the_outbox_can_be_taken_and_the_pair_meets_in_a_group_dm(asks):
    answer = ask(asks)
    assert "I've asked 3 people who can help with *SQL*" in answer["text"]
    sent(asks)

    posted = requests(asks)
    assert list(posted) == ["DUANA", "DUBEN", "DUCAT"]
    assert all(METADATA_EVENT in str(call.args["metadata"]) for call in posted.values())
    ben = posted["DUBEN"]
    ask_id = button_value(ben.args, ids.ACCEPT_ASK)
    assert candidate(asks, ask_id, "UBEN").message_ts == ben.response["ts"]  # recorded by the request's hook

    click(asks, ids.ACCEPT_ASK, "UBEN", ask_id, ben)
    sent(asks)

    [group] = [call for call in asks.fake_slack.calls("conversations.open") if "," in call.args["users"]]
    assert group.args["users"] == "UASK,UBEN"
    [intro] = posted_to(asks, "DUASKUBEN")
    assert "<@UASK>, meet <@UBEN>" in intro.args["text"]
    with asks.store.transaction() as repositories:
        assert repositories.session.get_one(models.Ask, int(ask_id)).group_channel == "DUASKUBEN"
    # The introduction's hook: the mentor's DM says they're helping, the others' who is.
    edited = updates(asks)
    assert set(edited) == {"DUANA", "DUBEN", "DUCAT"}
    assert "You're helping <@UASK>" in edited["DUBEN"]
    assert "<@UBEN> is helping <@UASK>" in edited["DUANA"] and "<@UBEN> is helping" in edited["DUCAT"]

    sent(asks)
    assert len(posted_to(asks, "DUASKUBEN")) == 1 and len(asks.fake_slack.calls("chat.update")) == 3


def deactivate(mentor, user_id: str) -> None:
    """Deactivated in Slack, unheard by Mentor: Slack answers `user_disabled` for them."""
    mentor.fake_slack.users[user_id] = {**mentor.fake_slack.users[user_id], "deleted": True}


@pytest.mark.parametrize("unreachable", ["deactivated", "a bot"])
def test_a_candidate_slack_cannot_reach_is_passed_over_for_the_next_best(asks, unreachable):
    if unreachable == "deactivated":
        deactivate(asks, "UBEN")
    else:
        asks.fake_slack.errors_for[("chat.postMessage", "DUBEN")] = "cannot_dm_bot"

    ask(asks)
    sent(asks)

    assert list(requests(asks)) == ["DUANA", "DUCAT", "DUEVE"]  # UDAN takes no questions (capacity 0)
    ask_id = button_value(requests(asks)["DUANA"].args, ids.ACCEPT_ASK)
    assert candidate(asks, ask_id, "UBEN").status == "closed"
    with asks.store.transaction() as repositories:
        assert repositories.session.get_one(models.Member, (DEFAULT_TEAM, "UBEN")).deactivated
        assert repositories.outbox.counts(DEFAULT_TEAM) == {"sent": 3, "failed": 1}
    assert posted_to(asks, "DUASK") == []  # the asker was told at once who was asked; nothing else


def test_an_ask_nobody_can_be_reached_for_tells_the_asker_once(asks):
    for user_id in ("UANA", "UBEN", "UCAT", "UEVE"):
        deactivate(asks, user_id)

    ask(asks)
    sent(asks)
    sent(asks)
    asks.clock.advance(hours=100)
    assert expire_due_asks(asks.deps) == 0  # closed already
    sent(asks)

    assert requests(asks) == {}
    [told] = posted_to(asks, "DUASK")
    assert NOBODY in told.args["text"]


def test_an_ask_nobody_takes_is_widened_once_then_the_asker_is_told_once(asks):
    ask(asks)
    sent(asks)

    asks.clock.advance(hours=49)
    assert expire_due_asks(asks.deps) == 1
    sent(asks)
    assert list(requests(asks)) == ["DUANA", "DUBEN", "DUCAT", "DUEVE"]

    asks.clock.advance(hours=49)
    assert expire_due_asks(asks.deps) == 1
    sent(asks)
    [told] = posted_to(asks, "DUASK")
    assert NOBODY in told.args["text"]
    assert set(updates(asks)) == {"DUANA", "DUBEN", "DUCAT", "DUEVE"}  # each request closed

    assert expire_due_asks(asks.deps) == 0
    sent(asks)
    assert len(posted_to(asks, "DUASK")) == 1


def test_not_this_time_passes_the_ask_to_the_next_candidate_through_the_outbox(asks):
    ask(asks)
    sent(asks)
    ana = requests(asks)["DUANA"]

    click(asks, ids.PASS_ASK, "UANA", button_value(ana.args, ids.PASS_ASK), ana)
    sent(asks)

    assert list(requests(asks)) == ["DUANA", "DUBEN", "DUCAT", "DUEVE"]
    assert "passed" in updates(asks)["DUANA"]


def test_an_ask_given_its_skill_by_the_asker_reaches_the_candidates_through_the_outbox(asks):
    answer = ask(asks, "Any tips on writing faster sequel queries?")
    pick = option_value(answer, ids.SELECT_ASK_SKILL, "SQL")

    assert asks.slack.click(ids.SELECT_ASK_SKILL, "UASK", option=pick).status == 200
    sent(asks)

    assert list(requests(asks)) == ["DUANA", "DUBEN", "DUCAT"]


def asked_and_posted_by_a_dying_sender(asks, monkeypatch) -> dict:
    """UASK asks; a sender claims UANA's request (the best-ranked, sent first), Slack takes it,
    and the sender dies before writing that down. Returns Slack's answer to that post."""
    monkeypatch.setattr(outbox, "kick", lambda deps, job=None: None)  # nothing is sent but by the test
    ask(asks)
    asks.settle()
    with asks.store.transaction() as repositories:
        [claim] = repositories.outbox.claim(asks.clock(), asks.clock() + LEASE, 1)
    assert claim.recipient == "UANA"
    client = asks.deps.client_for(DEFAULT_TEAM)
    metadata = {"event_type": METADATA_EVENT, "event_payload": {"delivery": claim.id}}
    return client.chat_postMessage(channel="DUANA", text="<@UASK> has a question about *SQL*", metadata=metadata)


def test_a_request_a_crashed_sender_posted_is_found_recorded_and_updated(asks, monkeypatch):
    """The sender dies after Slack took UANA's request but before it wrote that down: the
    next sender finds it by its metadata, posts it no second time, and records it, so it is
    updated when UBEN takes the ask."""
    lost = asked_and_posted_by_a_dying_sender(asks, monkeypatch)

    asks.clock.advance(seconds=LEASE.total_seconds() + 1)
    assert drain(asks.deps) == 2  # UBEN's and UCAT's; UANA's was there already

    assert len(posted_to(asks, "DUANA")) == 1
    ben = requests(asks)["DUBEN"]
    click(asks, ids.ACCEPT_ASK, "UBEN", button_value(ben.args, ids.ACCEPT_ASK), ben)
    sent(asks)
    [edit] = [call for call in asks.fake_slack.calls("chat.update") if call.args["channel"] == "DUANA"]
    assert edit.args["ts"] == lost["ts"] and "<@UBEN> is helping" in edit.args["text"]


def from_the_outbox(call) -> bool:
    """Whether a message Slack took was posted by the outbox: it carries its delivery's id."""
    return (call.args.get("metadata") or {}).get("event_type") == METADATA_EVENT


def fails_once(mentor, method: str, channel: str) -> None:
    """Slack answers `method` for `channel` with a passing error until the next drain is due."""
    mentor.fake_slack.errors_for[(method, channel)] = "internal_error"


def retried(mentor, method: str, channel: str) -> None:
    """Slack is well again; the outbox's backoff has passed and its sender runs."""
    del mentor.fake_slack.errors_for[(method, channel)]
    mentor.clock.advance(minutes=5)
    drain(mentor.deps)


def test_every_new_ask_dm_carries_its_delivery_so_a_retry_finds_it(asks):
    """The candidates' requests, the widened request, the pair's introduction and the asker's
    "nobody could take it" are all the outbox's."""
    ask(asks)
    asks.clock.advance(hours=49)
    assert expire_due_asks(asks.deps) == 1
    sent(asks)
    eve = requests(asks)["DUEVE"]  # widened
    click(asks, ids.ACCEPT_ASK, "UEVE", button_value(eve.args, ids.ACCEPT_ASK), eve)
    sent(asks)
    [intro] = posted_to(asks, "DUASKUEVE")
    eve_and_before = [call for call in asks.fake_slack.calls("chat.postMessage") if call.response.get("ok")]

    assert "I've asked" in ask(asks, "How do I speed up a slow #sql query?")["text"]
    for _ in range(2):  # widened if anyone is left, then closed
        asks.clock.advance(hours=49)
        expire_due_asks(asks.deps)
        sent(asks)
    [nobody] = posted_to(asks, "DUASK")

    assert NOBODY in nobody.args["text"] and "<@UASK>, meet <@UEVE>" in intro.args["text"]
    posted = [call for call in asks.fake_slack.calls("chat.postMessage") if call.response.get("ok")]
    assert len(posted) > len(eve_and_before) and all(from_the_outbox(call) for call in posted)


def test_the_taken_edits_survive_a_slack_failure_and_are_made_once(asks):
    ask(asks)
    sent(asks)
    posted = requests(asks)
    ben = posted["DUBEN"]
    fails_once(asks, "chat.update", "DUANA")

    click(asks, ids.ACCEPT_ASK, "UBEN", button_value(ben.args, ids.ACCEPT_ASK), ben)
    sent(asks)
    assert "DUANA" not in updates(asks) and "<@UBEN> is helping" in updates(asks)["DUCAT"]

    retried(asks, "chat.update", "DUANA")
    edit = [call for call in asks.fake_slack.calls("chat.update") if call.args["channel"] == "DUANA"][-1]
    assert edit.response["ok"] and edit.args["ts"] == posted["DUANA"].response["ts"]
    assert "<@UBEN> is helping <@UASK>" in edit.args["text"]

    asks.clock.advance(hours=1)
    drain(asks.deps)
    done = [call for call in asks.fake_slack.calls("chat.update") if call.response.get("ok")]
    assert sorted(call.args["channel"] for call in done) == ["DUANA", "DUBEN", "DUCAT"]  # each once


def test_a_cancelled_asks_close_edits_survive_a_slack_failure(asks):
    ask(asks)
    sent(asks)
    fails_once(asks, "chat.update", "DUCAT")
    mine = say(asks, "asks", "UASK")
    assert asks.slack.click(ids.CANCEL_ASK, "UASK", button_value(mine, ids.CANCEL_ASK)).status == 200
    sent(asks)
    assert set(updates(asks)) == {"DUANA", "DUBEN"}

    retried(asks, "chat.update", "DUCAT")

    edited = updates(asks)
    assert set(edited) == {"DUANA", "DUBEN", "DUCAT"}
    assert edited["DUCAT"] == edited["DUANA"]  # the same closing words for everyone


def test_a_pass_edit_lost_by_a_crashed_sender_is_made_by_the_next(asks, monkeypatch):
    """The sender dies while Slack edits UANA's request after her "Not this time": the edit
    was claimed, never recorded. Once its lease runs out, the next sender makes it again
    (chat.update of the same message is harmless to repeat), and nothing is posted twice."""
    ask(asks)
    sent(asks)
    ana = requests(asks)["DUANA"]
    monkeypatch.setattr(outbox, "kick", lambda deps, job=None: None)  # nothing is sent but by the test
    click(asks, ids.PASS_ASK, "UANA", button_value(ana.args, ids.PASS_ASK), ana)
    with asks.store.transaction() as repositories:
        claimed = repositories.outbox.claim(asks.clock(), asks.clock() + LEASE, 10)
    # ...the sender that claimed them dies here, having sent nothing.
    assert {claim.recipient for claim in claimed} == {"UANA", "UEVE"}

    assert drain(asks.deps) == 0  # still leased
    asks.clock.advance(seconds=LEASE.total_seconds() + 1)
    drain(asks.deps)

    assert "passed" in updates(asks)["DUANA"]
    assert len(posted_to(asks, "DUEVE")) == 1 and len(posted_to(asks, "DUANA")) == 1


def test_a_request_slack_rate_limits_waits_its_turn_and_goes_once(asks):
    asks.fake_slack.retry_after = 1
    asks.fake_slack.rate_limited["chat.postMessage"] = 1

    ask(asks)
    sent(asks)

    refused = [call for call in asks.fake_slack.calls("chat.postMessage") if not call.response.get("ok")]
    assert [call.response["error"] for call in refused] == ["ratelimited"]
    posted = requests(asks)
    assert list(posted) == ["DUANA", "DUBEN", "DUCAT"] and all(from_the_outbox(c) for c in posted.values())
    assert [len(posted_to(asks, channel)) for channel in posted] == [1, 1, 1]


def test_a_question_asked_while_a_rounds_dms_wait_reaches_its_best_candidate_first(asks):
    """The day-before notices of a coffee round are queued (hundreds, in a big workspace, and
    paced under Slack's limits); a question asked then still reaches a mentor first."""
    joined = [f"UJOIN{n}" for n in range(6)]
    for user_id in joined:
        asks.fake_slack.users[user_id] = default_user(user_id, DEFAULT_TEAM)
        say(asks, "join coffee", user_id)
    sent(asks)
    with asks.store.transaction() as repositories:
        held_on = (asks.deps.clock() + timedelta(days=1)).date()
        assert repositories.rounds.queue_notices(DEFAULT_TEAM, RoundKind.COFFEE, held_on, asks.deps.clock()) == 6
    before = len(asks.fake_slack.calls("chat.postMessage"))

    answer = ask(asks)
    sent(asks)

    assert "I've asked 3 people" in answer["text"]
    posted = [call.args["channel"] for call in asks.fake_slack.calls("chat.postMessage")[before:]]
    assert len(posted) == 3 + 6
    assert posted[:3] == ["DUANA", "DUBEN", "DUCAT"]  # the request, then the others, then the round


def test_a_request_a_crashed_sender_posted_for_an_ask_since_cancelled_loses_its_buttons(asks, monkeypatch):
    """The sender dies after Slack took UANA's request, before it wrote that down; the asker
    then cancels. The next sender, with nothing left to send, still finds UANA's copy by its
    metadata and redraws it, so she is not left with an "I can help" for a closed ask."""
    lost = asked_and_posted_by_a_dying_sender(asks, monkeypatch)
    # The asker cancels.
    mine = say(asks, "asks", "UASK")
    assert asks.slack.click(ids.CANCEL_ASK, "UASK", button_value(mine, ids.CANCEL_ASK)).status == 200
    asks.settle()

    asks.clock.advance(seconds=LEASE.total_seconds() + 1)
    drain(asks.deps)

    assert len(posted_to(asks, "DUANA")) == 1 and requests(asks) == {"DUANA": posted_to(asks, "DUANA")[0]}
    edits = [call for call in asks.fake_slack.calls("chat.update") if call.args["channel"] == "DUANA"]
    assert edits and all(edit.args["ts"] == lost["ts"] for edit in edits)
    assert ids.ACCEPT_ASK not in str(edits[-1].args["blocks"])
