"""Program admins' pure parts: the settings form, periods, the CSV export and the chart."""

import csv
import io
import warnings
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk.models.views import View

from bot.errors import InvalidInput
from bot.ids import SettingsField
from bot.program.charts import program_chart
from bot.program.disclosure import MIN_PEOPLE, NO_ANSWERS, TOO_FEW, Answers, withheld
from bot.program.export import relationships_csv
from bot.program.forms import settings_from_form
from bot.program.messages import settings_modal
from bot.program.model import FixedSettings, Period, ProgramSettings, SettingsFormErrors, SkillDemand, parse_period
from tests.support.forms import settings_form

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_the_defaults_submitted_unchanged_are_the_default_settings():
    assert settings_from_form(settings_form()) == ProgramSettings()


def test_a_full_form_gives_every_setting():
    settings = settings_from_form(
        settings_form(
            CADENCE={"selected_option": {"value": "4"}},
            GROUP_SIZE={"selected_option": {"value": "4"}},
            WEEKDAY={"selected_option": {"value": "4"}},
            HOUR={"selected_option": {"value": "16"}},
            TIME_ZONE={"value": " America/New_York "},
            ASK_TIMEOUT={"value": "168"},
            FOLLOWUP_DAYS={"value": "0"},
            CHANNEL={"selected_conversation": "C0PROGRAM"},
            REVERSE={"selected_options": []},
        )
    )

    assert settings == ProgramSettings(4, 4, 16, "America/New_York", 0, 168, "C0PROGRAM", False, coffee_group_size=4)


@pytest.mark.parametrize(
    "name, element",
    [
        ("CADENCE", {"selected_option": {"value": "3"}}),
        ("CADENCE", {"selected_option": None}),
        ("GROUP_SIZE", {"selected_option": {"value": "7"}}),
        ("GROUP_SIZE", {"selected_option": {"value": "1"}}),
        ("WEEKDAY", {"selected_option": {"value": "5"}}),  # Saturday is not offered
        ("HOUR", {"selected_option": {"value": "24"}}),
        ("TIME_ZONE", {"value": "../../etc/passwd"}),
        ("TIME_ZONE", {"value": "Not/AZone"}),
        ("ASK_TIMEOUT", {"value": "169"}),
        ("ASK_TIMEOUT", {"value": "2.5"}),
        ("FOLLOWUP_DAYS", {"value": "-1"}),
        ("FOLLOWUP_DAYS", {"value": "61"}),
        ("CHANNEL", {"selected_conversation": "U0SOMEONE"}),
    ],
)
def test_each_bad_value_is_named_at_its_own_field(name, element):
    with pytest.raises(SettingsFormErrors) as refused:
        settings_from_form(settings_form(**{name: element}))

    assert list(refused.value.errors) == [getattr(SettingsField, name)]


FIELDS = sorted(value for name, value in vars(SettingsField).items() if name.isupper())
JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=12)
    | st.sampled_from(["2", "Europe/Paris", "C0X", "on"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["value", "text"]), inner, max_size=2),
    max_leaves=5,
)
ELEMENT = st.dictionaries(
    st.sampled_from(["value", "selected_option", "selected_options", "selected_conversation"]), JUNK
)


@given(
    st.dictionaries(
        st.sampled_from(FIELDS), st.one_of(JUNK, st.builds(dict, st.dictionaries(st.sampled_from(FIELDS), ELEMENT)))
    )
)
def test_any_forged_form_gives_settings_or_field_errors_and_nothing_else(values):
    try:
        settings = settings_from_form(values)
    except SettingsFormErrors as refused:
        assert set(refused.errors) <= set(FIELDS)
    else:
        assert settings.coffee_every_weeks in (1, 2, 4)


@pytest.mark.parametrize(
    "settings",
    [ProgramSettings(), ProgramSettings(4, 3, 23, "Asia/Kolkata", 60, 1, "GPRIVATE", False, coffee_group_size=6)],
)
def test_the_modal_shows_the_settings_and_is_valid_block_kit(settings):
    modal = settings_modal(settings)

    View(**modal).validate_json()
    shown = {block["block_id"]: block["element"] for block in modal["blocks"] if block["type"] == "input"}
    assert shown[SettingsField.CADENCE]["initial_option"]["value"] == str(settings.coffee_every_weeks)
    assert shown[SettingsField.HOUR]["initial_option"]["value"] == str(settings.round_hour)
    assert shown[SettingsField.ASK_TIMEOUT]["initial_value"] == str(settings.ask_timeout_hours)
    assert ("initial_options" in shown[SettingsField.REVERSE]) is settings.reverse_enabled
    assert shown[SettingsField.CHANNEL].get("initial_conversation") == settings.program_channel


@pytest.mark.parametrize("text, days", [("", 90), ("30d", 30), ("12w", 84), ("6m", 180), (" 1D ", 1), ("24m", 720)])
def test_a_period_is_read_in_days_weeks_or_months(text, days):
    assert parse_period(text, NOW) == Period(NOW, days)


@pytest.mark.parametrize("text", ["0d", "yesterday", "3y", "800d", "-5d", "5"])
def test_a_period_that_is_not_one_is_refused(text):
    with pytest.raises(InvalidInput):
        parse_period(text, NOW)


def test_a_period_starts_its_days_before_its_end():
    assert Period(NOW, 14).start == NOW - timedelta(days=14)


def test_the_export_names_nobody_and_keeps_formulas_as_text():
    rows = [
        ("ask", "", date(2026, 11, 2), '=HYPERLINK("http://x")', ("UMENTOR", "UMENTEE"), "sent"),
        ("coffee", "eng-nyc", date(2026, 11, 9), "", ("UMENTEE", "UOTHER", "UTHIRD"), "introduced"),
    ]

    table = list(csv.reader(io.StringIO(relationships_csv(rows))))

    assert table[0] == ["kind", "program", "started_on", "skills", "giver", "receiver", "third", "status"]
    assert table[1] == ["ask", "", "2026-11-02", '\'=HYPERLINK("http://x")', "P0001", "P0002", "", "sent"]
    assert table[2] == ["coffee", "eng-nyc", "2026-11-09", "", "P0002", "P0003", "P0004", "introduced"]


def test_the_chart_is_a_png_even_for_awkward_skill_names_and_an_empty_workspace():
    awkward = [SkillDemand("$x^2$ & <!channel>", 5, 1), SkillDemand("C" * 200, 3, 0), SkillDemand("Ünïcödé 🚀", 2, 1)]

    for demand in (awkward, []):
        png = program_chart(demand, [("2026-10", 4, Answers({"closed": 2}, 2)), ("2026-11", 0, Answers())])
        assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_a_value_the_deployment_fixes_is_shown_as_text_and_the_saved_one_is_kept():
    fixed = FixedSettings(ask_timeout_hours=24, followup_days=3)
    saved = ProgramSettings(ask_timeout_hours=72, followup_days=10)

    modal = settings_modal(saved, fixed)

    View(**modal).validate_json()
    fields = {block["block_id"] for block in modal["blocks"] if block["type"] == "input"}
    assert SettingsField.ASK_TIMEOUT not in fields and SettingsField.FOLLOWUP_DAYS not in fields
    chosen = settings_from_form(settings_form(ASK_TIMEOUT={"value": None}, FOLLOWUP_DAYS={"value": None}), fixed)
    kept = fixed.kept(chosen, saved)
    assert (kept.ask_timeout_hours, kept.followup_days) == (72, 10)
    assert (fixed.applied(kept).ask_timeout_hours, fixed.applied(kept).followup_days) == (24, 3)


@pytest.mark.parametrize("people, reason", [(0, NO_ANSWERS), (1, TOO_FEW), (4, TOO_FEW), (5, None), (60, None)])
def test_a_figure_from_answers_shows_from_five_people_and_says_why_below(people, reason):
    answers = Answers({"met": 9, "not_this_time": 1}, people)

    assert withheld(people) == answers.withheld == reason
    assert answers.shown() == (None if reason else {"met": 9, "not_this_time": 1})
    assert answers.read(lambda counts: f"{counts['met']} met") == (reason or "9 met")


def test_the_threshold_is_five_people_and_the_words_say_so():
    assert (MIN_PEOPLE, NO_ANSWERS, TOO_FEW) == (5, "no answers yet", "fewer than 5 answers")


@given(st.dictionaries(st.sampled_from(["a_lot", "something", "not_much"]), st.integers(0, 50)), st.integers(0, 4))
def test_no_count_leaves_the_rule_below_five_people_however_many_answers(counts, people):
    assert Answers(counts, people).shown() is None


def test_emoji_in_skill_names_are_not_drawn_as_boxes():
    demand = [SkillDemand("🐍 Python", 3, 1), SkillDemand("🚀", 2, 1), SkillDemand("Generative AI 🤖", 4, 0)]

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns for each glyph it draws as a box
        png = program_chart(demand, [("2026-11", 2, Answers({"closed": 2}, 2))])

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
