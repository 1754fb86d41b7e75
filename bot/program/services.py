"""Program use cases, for its admins: the settings, the figures, the chart and the CSV export.
Who is an admin is Slack's to say (handlers.permissions); these only read and write the
program. Each is handed the unit of work (bot.unit_of_work); the caller owns the transaction,
a reading one for the figures, the chart and the export."""

from dataclasses import dataclass

from bot.program.charts import program_chart
from bot.program.export import figures_csv, relationships_csv
from bot.program.messages import GAPS_SHOWN
from bot.program.model import FixedSettings, Period, ProgramFigures, ProgramSettings
from bot.unit_of_work import UnitOfWork

CHART_MONTHS = 12


@dataclass(frozen=True)
class Export:
    """The CSV export's two files: the program's figures, and one anonymous row per relationship."""

    figures: str
    relationships: str


def settings(work: UnitOfWork, team_id: str) -> ProgramSettings:
    """The workspace's settings, each at its default until admins save one."""
    return work.program.settings(team_id)


def save_settings(
    work: UnitOfWork, team_id: str, settings: ProgramSettings, fixed: FixedSettings = FixedSettings()
) -> ProgramSettings:
    """The settings modal's submission, read by bot.program.forms.settings_from_form; the
    settings as they apply now: what was saved, with the values the deployment `fixed` over it
    (issue 19: the confirmation never states a value that does not apply)."""
    kept = fixed.kept(settings, work.program.settings(team_id))
    work.program.save_settings(team_id, kept)
    return fixed.applied(kept)


def applied_settings(work: UnitOfWork, team_id: str, fixed: FixedSettings = FixedSettings()) -> ProgramSettings:
    """The workspace's settings as they apply now: the values the deployment `fixed` over its own."""
    return fixed.applied(work.program.settings(team_id))


def figures(work: UnitOfWork, team_id: str, period: Period) -> ProgramFigures:
    """The program's figures over `period`, aggregates only (bot.program.model)."""
    return work.program.figures(team_id, period)


def chart(work: UnitOfWork, team_id: str, period: Period) -> bytes:
    """The admins' chart, as PNG: the skills wanted most beyond what is offered, and follow-ups
    sent and loops closed in each of the CHART_MONTHS months up to the period's end."""
    demand = work.program.skill_demand(team_id, GAPS_SHOWN)
    months = work.program.loops_by_month(team_id, CHART_MONTHS, period.end)
    return program_chart(demand, months)


def export(work: UnitOfWork, team_id: str, period: Period) -> Export:
    """The period's figures, and the relationships that began in it with members as
    pseudonyms valid in this export only; no question or note is ever in it."""
    return Export(
        figures_csv(work.program.figures(team_id, period)),
        relationships_csv(work.program.relationships(team_id, period)),
    )
