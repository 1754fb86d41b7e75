"""Closing the loop: the follow-up state machine, step by step, as the mentee and mentor see it."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.followups.model import (
    MAX_NOTE_LENGTH,
    NOT_YET,
    Delivery,
    FollowUp,
    FollowUpPolicy,
    FollowUpRefused,
    Outcome,
    Purpose,
    add_note,
    answer,
    ask_how_it_went,
    cancel,
    due_step,
    first_due,
    member_zone,
    next_working_time,
    relay_to,
    report_now,
    still_wanted,
    with_redraw,
)
from bot.followups.model import FollowUpStatus as S
from bot.members.model import Skill

UTC = UTC
POLICY = FollowUpPolicy()
MENTEE, MENTOR, STRANGER = "UMENTEE", "UMENTOR", "USTRANGER"
HELPED_AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # a week later, also a Monday, inside working hours
REPORT_TO_MENTOR = Delivery(MENTOR, Purpose.REPORT, "report")


def followup(**overrides) -> FollowUp:
    """A follow-up due now and not yet sent; tests change only what they are about."""
    base = FollowUp(
        id=1,
        team_id="T1",
        ask_id=7,
        mentee_id=MENTEE,
        mentor_id=MENTOR,
        skill=Skill("sql", "SQL"),
        status=S.SCHEDULED,
        due_at=NOW,
        helped_at=HELPED_AT,
    )
    return replace(base, **overrides)


def sent(**overrides) -> FollowUp:
    return followup(**{"status": S.SENT, "cycle": 1, "due_at": NOW + timedelta(days=3), **overrides})


def answered(**overrides) -> FollowUp:
    fields = {"status": S.ANSWERED, "cycle": 1, "outcome": Outcome.HELPED, "answered_at": NOW, "due_at": None}
    return followup(**{**fields, **overrides})


def at(zone: str, *when: int) -> datetime:
    """A local wall time in an IANA zone, as the UTC instant the bot stores."""
    return datetime(*when, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def refusal(attempt) -> str:
    with pytest.raises(FollowUpRefused) as refused:
        attempt()
    return refused.value.reason


# --- working hours -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("zone", "after_utc", "expected_local"),
    [
        pytest.param("UTC", (2026, 11, 23, 10, 30), (2026, 11, 23, 10, 30), id="inside hours stays as is"),
        pytest.param("UTC", (2026, 11, 23, 9, 0), (2026, 11, 23, 9, 0), id="nine sharp is working time"),
        pytest.param("UTC", (2026, 11, 23, 7, 15), (2026, 11, 23, 9, 0), id="early morning waits for nine"),
        pytest.param("UTC", (2026, 11, 23, 17, 0), (2026, 11, 24, 9, 0), id="five sharp moves to the next day"),
        pytest.param("UTC", (2026, 11, 27, 17, 30), (2026, 11, 30, 9, 0), id="friday evening moves to monday"),
        pytest.param("UTC", (2026, 11, 28, 12, 0), (2026, 11, 30, 9, 0), id="saturday moves to monday"),
        pytest.param("UTC", (2026, 11, 29, 23, 59), (2026, 11, 30, 9, 0), id="late sunday moves to monday"),
        pytest.param("America/Los_Angeles", (2026, 11, 23, 16, 0), (2026, 11, 23, 9, 0), id="LA before nine"),
        pytest.param("Asia/Tokyo", (2026, 11, 23, 9, 0), (2026, 11, 24, 9, 0), id="Tokyo evening"),
        pytest.param("Asia/Kolkata", (2026, 11, 23, 3, 0), (2026, 11, 23, 9, 0), id="Kolkata 8:30"),
        pytest.param("Asia/Kolkata", (2026, 11, 23, 11, 15), (2026, 11, 23, 16, 45), id="Kolkata 16:45 stays"),
        pytest.param("Pacific/Auckland", (2026, 11, 27, 22, 0), (2026, 11, 30, 9, 0), id="UTC friday, NZ saturday"),
        pytest.param("Pacific/Auckland", (2026, 11, 29, 21, 0), (2026, 11, 30, 10, 0), id="UTC sunday, NZ monday"),
    ],
)
def test_a_message_waits_for_the_next_weekday_working_hour_in_the_members_zone(zone, after_utc, expected_local):
    on_their_clock = datetime(*after_utc, tzinfo=UTC).astimezone(ZoneInfo(zone))
    due = next_working_time(on_their_clock, ZoneInfo(zone))

    assert (due, due.tzinfo) == (at(zone, *expected_local), UTC)  # always stored in UTC


@pytest.mark.parametrize(
    ("zone", "friday", "monday", "utc_before", "utc_after"),
    [
        pytest.param("Europe/London", (2026, 3, 27, 18), (2026, 3, 30, 9), 9, 8, id="London spring forward"),
        pytest.param("America/New_York", (2026, 3, 6, 18), (2026, 3, 9, 9), 14, 13, id="New York spring forward"),
        pytest.param("Europe/London", (2026, 10, 23, 18), (2026, 10, 26, 9), 8, 9, id="London fall back"),
        pytest.param("America/New_York", (2026, 10, 30, 18), (2026, 11, 2, 9), 13, 14, id="New York fall back"),
    ],
)
def test_a_weekend_across_a_clock_change_still_ends_at_nine_local(zone, friday, monday, utc_before, utc_after):
    friday_evening = at(zone, *friday)
    due = next_working_time(friday_evening, ZoneInfo(zone))

    assert due == at(zone, *monday)
    assert (at(zone, *friday[:3], 9).hour, due.hour) == (utc_before, utc_after)  # nine on friday, nine on monday
    assert first_due(friday_evening - timedelta(days=7), ZoneInfo(zone), POLICY) == due  # helped a week before


@pytest.mark.parametrize(
    ("name", "offset_seconds", "summer_offset"),
    [
        pytest.param("Europe/Berlin", 3600, timedelta(hours=2), id="IANA zone wins and knows daylight saving"),
        pytest.param("Not/A_Zone", 19800, timedelta(hours=5, minutes=30), id="unknown name falls back to the offset"),
        pytest.param("../../etc/passwd", -18000, timedelta(hours=-5), id="malformed name falls back to the offset"),
        pytest.param(None, -18000, timedelta(hours=-5), id="no name uses the offset"),
        pytest.param("Not/A_Zone", None, timedelta(0), id="unknown name and no offset is UTC"),
        pytest.param(None, None, timedelta(0), id="neither is UTC"),
    ],
)
def test_a_members_zone_comes_from_slack(name, offset_seconds, summer_offset):
    assert datetime(2026, 7, 1, 12, 0, tzinfo=member_zone(name, offset_seconds)).utcoffset() == summer_offset


# --- scheduling ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("zone", "helped_local", "due_local"),
    [
        pytest.param("Europe/London", (2026, 3, 27, 16, 30), (2026, 4, 3, 16, 30), id="London into summer time"),
        pytest.param("America/New_York", (2026, 10, 30, 16, 30), (2026, 11, 6, 16, 30), id="New York out of it"),
    ],
)
def test_a_week_later_means_the_same_wall_time_across_a_clock_change(zone, helped_local, due_local):
    assert first_due(at(zone, *helped_local), ZoneInfo(zone), POLICY) == at(zone, *due_local)


def test_with_no_delay_the_first_prompt_is_due_at_once_even_on_a_saturday_night():
    saturday_night = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    assert first_due(saturday_night, ZoneInfo("Europe/Berlin"), FollowUpPolicy(delay=timedelta(0))) == saturday_night


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata", "Pacific/Auckland"])
@pytest.mark.parametrize("helped_hour", [0, 8, 12, 18, 23])
def test_the_first_prompt_comes_a_week_later_in_the_mentees_working_hours(zone, helped_hour):
    helped_at = datetime(2026, 11, 27, helped_hour, 0, tzinfo=UTC)  # a Friday in UTC
    due = first_due(helped_at, ZoneInfo(zone), POLICY)
    local = due.astimezone(ZoneInfo(zone))

    assert local.weekday() < 5 and 9 <= local.hour < 17
    assert helped_at + timedelta(days=7) <= due <= helped_at + timedelta(days=10)


# --- the job -----------------------------------------------------------------------------------------
def test_a_due_follow_up_asks_the_mentee_and_plans_a_reminder_three_days_later():
    step = due_step(followup(), NOW, UTC, POLICY)

    assert (step.after.status, step.after.cycle, step.after.reminders) == (S.SENT, 1, 0)
    assert step.deliveries == (Delivery(MENTEE, Purpose.PROMPT, "prompt:1"),)
    assert step.after.due_at == NOW + timedelta(days=3)


def test_a_reminder_that_would_fall_on_a_sunday_waits_for_monday_morning():
    thursday_afternoon = at("Europe/Berlin", 2026, 12, 3, 16, 0)
    step = due_step(followup(due_at=thursday_afternoon), thursday_afternoon, ZoneInfo("Europe/Berlin"), POLICY)

    assert step.after.due_at == at("Europe/Berlin", 2026, 12, 7, 9, 0)


@pytest.mark.parametrize("state", [followup(due_at=NOW + timedelta(minutes=1)), sent(), followup(due_at=None)])
def test_nothing_happens_before_the_due_time(state):
    assert due_step(state, NOW, UTC, POLICY) is None


def test_the_mentee_is_reminded_twice_and_then_left_alone():
    state, now, sent_keys = followup(), NOW, []
    for _ in range(4):
        step = due_step(state, now, UTC, POLICY)
        sent_keys += [delivery.key for delivery in step.deliveries]
        state, now = step.after, step.after.due_at or now

    assert sent_keys == ["prompt:1", "reminder:1:1", "reminder:1:2"]
    assert (state.status, state.due_at) == (S.UNANSWERED, None)
    assert due_step(state, now + timedelta(days=30), UTC, POLICY) is None


def test_a_snoozed_follow_up_asks_again_in_a_new_cycle_with_fresh_reminders():
    step = due_step(sent(status=S.SNOOZED, reminders=2, snoozes=1, due_at=NOW), NOW, UTC, POLICY)
    reminder = due_step(step.after, step.after.due_at, UTC, POLICY)

    assert (step.after.status, step.after.cycle, step.after.reminders) == (S.SENT, 2, 0)
    assert step.deliveries == (Delivery(MENTEE, Purpose.PROMPT, "prompt:2"),)
    assert reminder.deliveries == (Delivery(MENTEE, Purpose.REMINDER, "reminder:2:1"),)


def test_an_outcome_nobody_added_a_note_to_reaches_the_mentor_when_the_wait_is_over():
    step = due_step(answered(due_at=NOW), NOW, UTC, POLICY)

    assert (step.after.reported, step.after.due_at, step.deliveries) == (True, None, (REPORT_TO_MENTOR,))


def test_a_note_without_an_outcome_still_reaches_the_mentor_when_the_follow_up_closes():
    quiet = sent(reminders=POLICY.max_reminders, due_at=NOW, note="Tried it, more soon")

    step = due_step(quiet, NOW, UTC, POLICY)

    assert step.after.status is S.UNANSWERED and step.after.reported
    assert step.deliveries == (REPORT_TO_MENTOR,)
    assert still_wanted(step.after, Purpose.REPORT, "report")


@pytest.mark.parametrize(
    "state",
    [
        pytest.param(followup(), id="scheduled"),
        pytest.param(sent(due_at=NOW), id="sent"),
        pytest.param(sent(due_at=NOW, reminders=2), id="reminded twice"),
        pytest.param(sent(status=S.SNOOZED, due_at=NOW), id="snoozed"),
        pytest.param(answered(due_at=NOW), id="answered"),
    ],
)
def test_running_the_job_twice_at_the_same_moment_sends_nothing_more(state):
    step = due_step(state, NOW, UTC, POLICY)

    assert step.after.due_at is None or step.after.due_at > NOW
    assert due_step(step.after, NOW, UTC, POLICY) is None


# --- the mentee's answer ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("choice", "reported", "due_at"),
    [
        pytest.param("helped", False, NOW + POLICY.note_wait, id="helped waits for a note"),
        pytest.param("mixed", False, NOW + POLICY.note_wait, id="mixed waits for a note"),
        pytest.param("didnt_help", False, NOW + POLICY.note_wait, id="didnt help waits for a note"),
        pytest.param("not_relevant", True, None, id="not relevant closes quietly"),
    ],
)
def test_an_outcome_is_kept_and_the_mentor_is_not_told_at_once(choice, reported, due_at):
    step = answer(sent(), MENTEE, choice, NOW, UTC, POLICY)

    assert (step.after.status, step.after.outcome, step.after.answered_at) == (S.ANSWERED, Outcome(choice), NOW)
    assert (step.after.reported, step.after.due_at, step.deliveries) == (reported, due_at, ())


@pytest.mark.parametrize("snoozes", [0, POLICY.max_snoozes - 1], ids=["first time", "last time allowed"])
def test_not_yet_asks_again_a_week_later_in_working_hours(snoozes):
    friday_evening = at("Europe/Berlin", 2026, 11, 27, 17, 30)
    step = answer(sent(snoozes=snoozes), MENTEE, NOT_YET, friday_evening, ZoneInfo("Europe/Berlin"), POLICY)

    assert (step.after.status, step.after.snoozes, step.deliveries) == (S.SNOOZED, snoozes + 1, ())
    assert step.after.due_at == at("Europe/Berlin", 2026, 12, 7, 9, 0)


@pytest.mark.parametrize(
    ("state", "choice", "reason"),
    [
        pytest.param(answered(), "mixed", "already_answered", id="a second outcome"),
        pytest.param(answered(), NOT_YET, "already_answered", id="not yet after an outcome"),
        pytest.param(sent(snoozes=POLICY.max_snoozes), NOT_YET, "no_more_snoozes", id="not yet once too often"),
        pytest.param(sent(status=S.SNOOZED), NOT_YET, "already_snoozed", id="not yet twice for one prompt"),
        pytest.param(followup(), "helped", "scheduled", id="before the prompt"),
        pytest.param(sent(status=S.CANCELLED), "helped", "cancelled", id="after cancelling"),
        pytest.param(sent(status=S.UNANSWERED), "helped", "unanswered", id="after giving up"),
        pytest.param(sent(), "It helped", "unknown_choice", id="a label is not a choice"),
        pytest.param(sent(), "", "unknown_choice", id="an empty choice"),
    ],
)
def test_answers_that_make_no_sense_are_refused(state, choice, reason):
    assert refusal(lambda: answer(state, MENTEE, choice, NOW, UTC, POLICY)) == reason


def test_a_note_written_before_the_outcome_goes_to_the_mentor_with_it_at_once():
    with_note = add_note(sent(), MENTEE, "Tried the index", None)
    step = answer(with_note.after, MENTEE, "helped", NOW, UTC, POLICY)

    assert (with_note.after.reported, with_note.deliveries) == (False, ())
    assert (step.after.note, step.after.reported, step.after.due_at) == ("Tried the index", True, None)
    assert step.deliveries == (REPORT_TO_MENTOR,)


# --- notes ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("state", "text", "reason"),
    [
        pytest.param(answered(), None, "empty_note", id="no text"),
        pytest.param(answered(), " \n\t\n ", "empty_note", id="only white space"),
        pytest.param(answered(), "\u200b\u202e", "empty_note", id="only invisible characters"),
        pytest.param(answered(reported=True, note="First"), "Second", "note_already_sent", id="a second note"),
        pytest.param(answered(outcome=Outcome.NOT_RELEVANT, reported=True), "Hm", "answered", id="after not relevant"),
        pytest.param(sent(status=S.CANCELLED), "Late", "cancelled", id="after cancelling"),
    ],
)
def test_a_note_with_nothing_in_it_or_nowhere_to_go_is_refused(state, text, reason):
    assert refusal(lambda: add_note(state, MENTEE, text, None)) == reason


@pytest.mark.parametrize(
    ("state", "reported", "deliveries"),
    [
        pytest.param(sent(), False, (), id="before the outcome it waits for one"),
        pytest.param(answered(due_at=NOW + POLICY.note_wait), True, (REPORT_TO_MENTOR,), id="goes with the outcome"),
        pytest.param(answered(reported=True), True, (Delivery(MENTOR, Purpose.NOTE, "note"),), id="follows the report"),
    ],
)
def test_a_note_reaches_the_mentor_with_the_outcome_or_after_it(state, reported, deliveries):
    step = add_note(state, MENTEE, "It worked", None)

    assert (step.after.note, step.after.reported, step.deliveries) == ("It worked", reported, deliveries)
    assert step.after.due_at == (None if reported else state.due_at)  # the job has nothing left to send


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        pytest.param("x" * (MAX_NOTE_LENGTH + 500), "x" * MAX_NOTE_LENGTH, id="a long note is cut, not lost"),
        pytest.param("fine\x00 thanks\u202e!\r\n\n\n\nline  two\t", "fine thanks!\n\nline two", id="controls go"),
    ],
)
def test_a_note_is_stored_clean(typed, stored):
    assert add_note(answered(), MENTEE, typed, None).after.note == stored


@pytest.mark.parametrize(
    ("before", "given", "after"), [(True, None, True), (False, None, False), (False, True, True), (True, False, False)]
)
def test_sharing_changes_only_when_the_mentee_says_so(before, given, after):
    assert add_note(answered(shared=before), MENTEE, "ok", given).after.shared is after


# --- the other buttons -----------------------------------------------------------------------------
def test_send_without_a_note_tells_the_mentor_now():
    step = report_now(answered(due_at=NOW + POLICY.note_wait), MENTEE)

    assert (step.after.reported, step.after.due_at, step.deliveries) == (True, None, (REPORT_TO_MENTOR,))


@pytest.mark.parametrize(
    ("state", "due_at"),
    [
        pytest.param(followup(due_at=NOW), at("Asia/Tokyo", 2026, 11, 25, 9, 0), id="brought forward"),
        pytest.param(sent(status=S.SNOOZED, due_at=NOW), at("Asia/Tokyo", 2026, 11, 25, 9, 0), id="snooze cut short"),
        pytest.param(followup(due_at=HELPED_AT), HELPED_AT, id="already due, never later"),
    ],
)
def test_ask_how_it_went_brings_the_prompt_forward_to_the_mentees_next_working_hour(state, due_at):
    tuesday_night_in_tokyo = at("Asia/Tokyo", 2026, 11, 24, 21, 0)
    step = ask_how_it_went(state, MENTOR, tuesday_night_in_tokyo, ZoneInfo("Asia/Tokyo"))

    assert (step.after, step.deliveries) == (replace(state, due_at=due_at), ())


def test_once_the_mentor_has_heard_the_pair_write_to_each_other_as_often_as_they_like():
    reported = answered(reported=True, note="It worked")

    assert relay_to(reported, MENTOR, "Glad to hear!") == (MENTEE, "Glad to hear!")
    assert relay_to(reported, MENTOR, "And another thing") == (MENTEE, "And another thing")
    assert relay_to(reported, MENTEE, "Thanks!") == (MENTOR, "Thanks!")


def test_a_quiet_not_relevant_opens_no_conversation():
    quiet = answered(outcome=Outcome.NOT_RELEVANT, reported=True)

    assert refusal(lambda: relay_to(quiet, MENTEE, "hello")) == "answered"


def test_the_prompt_is_redrawn_once_per_change_the_mentee_would_see():
    prompted = sent()
    answering = answer(prompted, MENTEE, "helped", NOW, UTC, POLICY)

    assert with_redraw(answering).deliveries[-1] == Delivery(
        MENTEE, Purpose.UPDATE, f"prompt_update:{prompted.version + 1}"
    )
    reminded = due_step(replace(prompted, due_at=NOW), NOW, UTC, POLICY)
    assert with_redraw(reminded) == reminded  # a reminder changes nothing on the prompt


@pytest.mark.parametrize(
    ("attempt", "reason"),
    [
        pytest.param(lambda: answer(sent(), MENTOR, "helped", NOW, UTC, POLICY), "not_yours", id="mentor answers"),
        pytest.param(lambda: answer(sent(), STRANGER, NOT_YET, NOW, UTC, POLICY), "not_yours", id="stranger snoozes"),
        pytest.param(lambda: add_note(answered(), MENTOR, "fine", None), "not_yours", id="mentor adds a note"),
        pytest.param(lambda: report_now(answered(), STRANGER), "not_yours", id="stranger reports"),
        pytest.param(lambda: ask_how_it_went(followup(), MENTEE, NOW, UTC), "not_the_mentor", id="mentee asks"),
        pytest.param(lambda: relay_to(answered(reported=True), STRANGER, "hi"), "not_yours", id="stranger writes"),
        pytest.param(lambda: report_now(answered(reported=True), MENTEE), "already_reported", id="report twice"),
        pytest.param(lambda: report_now(sent(), MENTEE), "sent", id="report with no outcome"),
        pytest.param(lambda: ask_how_it_went(sent(), MENTOR, NOW, UTC), "mentor:sent", id="ask once asked"),
        pytest.param(lambda: ask_how_it_went(answered(), MENTOR, NOW, UTC), "mentor:answered", id="ask once answered"),
        pytest.param(lambda: relay_to(answered(), MENTOR, "Hi"), "mentor:answered", id="reply before the report"),
        pytest.param(lambda: relay_to(sent(), MENTOR, "Hi"), "mentor:sent", id="reply with no outcome"),
    ],
)
def test_a_button_pressed_by_the_wrong_member_or_at_the_wrong_time_is_refused(attempt, reason):
    assert refusal(attempt) == reason


@pytest.mark.parametrize("status", [S.SCHEDULED, S.SENT, S.SNOOZED])
def test_turning_follow_ups_off_cancels_the_open_ones(status):
    step = cancel(sent(status=status, due_at=NOW))

    assert (step.after.status, step.after.due_at, step.deliveries) == (S.CANCELLED, None, ())


@pytest.mark.parametrize("status", [S.ANSWERED, S.UNANSWERED, S.CANCELLED])
def test_turning_follow_ups_off_leaves_closed_ones_as_they_are(status):
    assert cancel(sent(status=status)) is None


@pytest.mark.parametrize(
    ("state", "purpose", "key", "wanted"),
    [
        pytest.param(sent(), Purpose.PROMPT, "prompt:1", True, id="the current prompt"),
        pytest.param(sent(cycle=2), Purpose.PROMPT, "prompt:1", False, id="a prompt of an older cycle"),
        pytest.param(sent(cycle=2), Purpose.REMINDER, "reminder:2:1", True, id="a reminder of this cycle"),
        pytest.param(sent(cycle=2), Purpose.REMINDER, "reminder:1:2", False, id="a reminder of an older cycle"),
        pytest.param(answered(), Purpose.PROMPT, "prompt:1", False, id="a prompt after the answer"),
        pytest.param(sent(status=S.SNOOZED), Purpose.REMINDER, "reminder:1:1", False, id="a reminder after not yet"),
        pytest.param(sent(status=S.CANCELLED), Purpose.PROMPT, "prompt:1", False, id="a prompt after cancelling"),
        pytest.param(answered(reported=True), Purpose.REPORT, "report", True, id="a report once answered"),
        pytest.param(sent(), Purpose.REPORT, "report", False, id="a report before any answer"),
    ],
)
def test_a_queued_message_goes_out_only_if_it_still_makes_sense(state, purpose, key, wanted):
    assert still_wanted(state, purpose, key) is wanted


def test_a_note_after_the_report_was_queued_travels_once_in_its_own_dm():
    from bot.followups.messages import note_added, report

    queued = due_step(answered(due_at=NOW), NOW, UTC, POLICY).after  # the report leaves without a note
    step = add_note(queued, MENTEE, "Worked on the second try", None)

    assert step.deliveries == (Delivery(MENTOR, Purpose.NOTE, "note"),)
    assert "second try" not in str(report(step.after)) and "second try" in str(note_added(step.after))
