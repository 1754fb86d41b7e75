"""Every kind of message has one renderer, and the kinds stored before there was a DeliveryKind
still name theirs."""

from bot.deliveries import DeliveryKind
from bot.followups.model import Purpose
from jobs.outbox import RENDERERS
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
