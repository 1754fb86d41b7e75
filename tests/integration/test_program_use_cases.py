"""The program use cases on the rolled-back repositories: what admins set and get."""

from dataclasses import replace
from datetime import UTC, datetime

from bot.program import services as program_services
from bot.program.export import RELATIONSHIP_COLUMNS
from bot.program.model import Period, ProgramSettings

TEAM = "T1"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_saved_settings_are_the_ones_read_back_and_other_workspaces_keep_the_defaults(repositories):
    chosen = replace(ProgramSettings(), coffee_every_weeks=4, reverse_enabled=False, time_zone="Europe/Paris")

    saved = program_services.save_settings(repositories, TEAM, chosen)

    assert saved == chosen == program_services.settings(repositories, TEAM)
    assert program_services.settings(repositories, "T2") == ProgramSettings()


def test_the_export_has_the_figures_and_a_relationships_file_with_its_columns(repositories):
    export = program_services.export(repositories, TEAM, Period(NOW))

    assert export.figures.startswith("program,figure,value\n")
    assert export.relationships == ",".join(RELATIONSHIP_COLUMNS) + "\n"


def test_the_chart_is_a_png(repositories):
    assert program_services.chart(repositories, TEAM, Period(NOW)).startswith(b"\x89PNG")
