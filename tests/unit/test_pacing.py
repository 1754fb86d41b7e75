"""Pacing Slack calls: at most a tier's calls in any minute, per workspace and method."""

import pytest

from jobs.pacing import MARGIN, Pacer


class FakeTime:
    def __init__(self):
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_minutes_budget_goes_at_once_and_the_next_call_waits_for_the_first_to_age_out():
    time = FakeTime()
    pacer = Pacer({"conversations.open": 50}, clock=time.clock, sleep=time.sleep)

    waits = [pacer.wait("T1", "conversations.open") for _ in range(52)]

    assert waits[:50] == [0.0] * 50
    assert waits[50] == pytest.approx(60 * MARGIN) and waits[51] == 0.0  # the 2nd aged out meanwhile


def test_steady_calls_go_at_the_tiers_rate_and_never_more_than_it_in_any_minute():
    time = FakeTime()
    pacer = Pacer({"conversations.open": 50}, clock=time.clock, sleep=time.sleep)
    starts = []
    for _ in range(500):
        time.now += 0.01  # the work between calls
        pacer.wait("T1", "conversations.open")
        starts.append(time.now)

    assert all(later - earlier >= 60 for earlier, later in zip(starts, starts[50:], strict=False))
    assert 500 / (starts[-1] - starts[0]) * 60 > 0.95 * 50


def test_workspaces_and_methods_have_their_own_budgets_and_unknown_methods_are_not_paced():
    time = FakeTime()
    pacer = Pacer({"conversations.open": 1, "chat.postMessage": 1}, clock=time.clock, sleep=time.sleep)

    pacer.wait("T1", "conversations.open")
    assert pacer.wait("T2", "conversations.open") == 0.0
    assert pacer.wait("T1", "chat.postMessage") == 0.0
    assert pacer.wait("T1", "views.publish") == 0.0
    assert pacer.wait("T1", "conversations.open") == pytest.approx(60 * MARGIN)


def test_a_pacer_taking_a_workspace_over_keeps_to_what_the_last_one_used_of_the_tier():
    time = FakeTime()
    first = Pacer({"conversations.open": 2}, clock=time.clock, sleep=time.sleep)
    first.wait("T1", "conversations.open")
    time.now += 10
    first.wait("T1", "conversations.open")
    time.now += 10
    second = Pacer({"conversations.open": 2}, clock=time.clock, sleep=time.sleep)

    second.restore("T1", first.recent("T1"))

    assert second.delay("T1", ["conversations.open"]) == pytest.approx(60 * MARGIN - 20)
    assert second.delay("T2", ["conversations.open"]) == 0.0
    assert second.wait("T1", "conversations.open") == pytest.approx(60 * MARGIN - 20)


def test_calls_older_than_a_minute_are_not_handed_on():
    time = FakeTime()
    pacer = Pacer({"conversations.open": 2, "chat.postMessage": 2}, clock=time.clock, sleep=time.sleep)
    pacer.wait("T1", "conversations.open")
    time.now += 30
    pacer.wait("T1", "chat.postMessage")
    time.now += 40

    assert pacer.recent("T1") == {"chat.postMessage": [30.0]}


def test_room_is_how_many_calls_of_every_method_may_go_now_without_waiting():
    time = FakeTime()
    pacer = Pacer({"conversations.open": 3, "chat.postMessage": 5}, clock=time.clock, sleep=time.sleep)
    both = ("conversations.open", "chat.postMessage")
    assert pacer.room("T1", both) == 3 and pacer.room("T1", ["users.list"]) is None  # not paced here

    for _ in range(2):
        pacer.wait("T1", "conversations.open")
        pacer.wait("T1", "chat.postMessage")

    assert pacer.room("T1", both) == 1 and pacer.room("T1", ["chat.postMessage"]) == 3
    pacer.wait("T1", "conversations.open")
    assert pacer.room("T1", both) == 0 and pacer.delay("T1", both) > 0
    time.now += 60 * MARGIN + 0.001  # the minute's calls aged out
    assert pacer.room("T1", both) == 3 and pacer.delay("T1", both) == 0
