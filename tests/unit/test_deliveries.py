"""Every kind of message has one renderer, and the kinds stored before there was a DeliveryKind
still name theirs; an ask's outcome names the DMs it calls for."""

import importlib.util
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bot.asks.model import Ask, AskStatus, Notification
from bot.asks.ranking import RankedMentor
from bot.asks.services import Accepted, AskRouted, Expired, Passed, direct_messages, on_screen
from bot.deliveries import DeliveryKind, Urgency, urgency
from bot.followups.model import Purpose
from bot.members.model import Skill, tombstone
from jobs.deliveries import HOOKS, RENDERERS
from jobs.slack_errors import NO_ACCESS, PERMANENT, UNREACHABLE


def test_every_kind_has_exactly_one_renderer():
    assert sorted(RENDERERS) == sorted(DeliveryKind)


def test_each_follow_up_purpose_is_the_kind_its_rows_were_stored_as():
    kinds = {purpose: purpose.kind for purpose in Purpose}

    assert len(set(kinds.values())) == len(Purpose)
    assert all(kind.value == purpose.value for purpose, kind in kinds.items())  # rows queued before kinds existed
    assert all(kind.name.startswith("FOLLOWUP_") for kind in kinds.values())


def test_every_kind_fits_the_column_it_is_stored_in():
    assert max(len(kind.value) for kind in DeliveryKind) <= 16  # deliveries.purpose is String(16)


def test_an_unreachable_member_is_a_permanent_error_and_not_a_lost_access():
    assert UNREACHABLE < PERMANENT and NO_ACCESS < PERMANENT
    assert not UNREACHABLE & NO_ACCESS  # an ask marks a member gone only for the first kind


def test_an_ask_outcome_calls_for_new_dms_to_whom_it_says():
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    ask = Ask(1, "T1", "UASK", "A question", Skill("sql", "SQL"), AskStatus.OPEN, now)
    matched = replace(ask, status=AskStatus.MATCHED, mentor_id="UBEN")
    closed = replace(ask, status=AskStatus.UNANSWERED)
    mine = Notification("UANA", "DUANA", "1.1")
    ranked = (RankedMentor("UANA", 1.0, ()), RankedMentor("UBEN", 0.5, ()))
    rows = [
        (AskRouted(ask, ranked), (("UANA", DeliveryKind.ASK_REQUEST), ("UBEN", DeliveryKind.ASK_REQUEST))),
        (AskRouted(closed), ()),  # the asker's own reply says nobody could take it
        (Accepted(matched, "UBEN", mine, ()), (("UASK,UBEN", DeliveryKind.ASK_INTRODUCTION),)),
        (Accepted(replace(matched, mentor_id=tombstone("AB12")), "UBEN", mine, ()), ()),  # forgotten: nobody to meet
        (Passed(ask, mine, ranked[1:], unanswered=False), (("UBEN", DeliveryKind.ASK_REQUEST),)),
        (Passed(closed, mine, (), unanswered=True), (("UASK", DeliveryKind.ASK_UNANSWERED),)),
        (Expired(ask, ranked[:1], (), unanswered=False), (("UANA", DeliveryKind.ASK_REQUEST),)),
        (Expired(closed, (), (mine,), unanswered=True), (("UASK", DeliveryKind.ASK_UNANSWERED),)),
    ]

    assert [direct_messages(outcome) for outcome, _ in rows] == [expected for _, expected in rows]
    # The asker waits on screen for a new ask's best candidate only; widening and passing on
    # happen while nobody watches.
    assert [on_screen(outcome) for outcome, _ in rows] == [(("UANA", DeliveryKind.ASK_REQUEST),)] + [()] * 7


def test_the_kinds_with_hooks_are_kinds_the_outbox_renders():
    assert set(HOOKS) <= set(RENDERERS)


def test_the_urgency_migration_gives_rows_already_queued_the_urgency_of_their_kind():
    path = Path(__file__).parents[2] / "alembic" / "versions" / "0016_delivery_urgency.py"
    spec = importlib.util.spec_from_file_location("delivery_urgency", path)
    assert spec and spec.loader
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    scheduled = {kind.value for kind in DeliveryKind if urgency(kind) is Urgency.SCHEDULED}

    assert set(migration.SCHEDULED_KINDS) == scheduled
    assert (migration.REPLY, migration.SCHEDULED) == (Urgency.REPLY, Urgency.SCHEDULED)
