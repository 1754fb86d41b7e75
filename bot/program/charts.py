"""Charts for program admins, as PNG: skill supply against demand, and loops closed per month.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display), so charts
can be drawn on several threads at once."""

import io
import warnings

from bot.program.model import SkillDemand
from bot.text import truncate

WANT_COLOUR, OFFER_COLOUR = "#d1495b", "#1d4e5f"


SENT_COLOUR, CLOSED_COLOUR = "#a7c4cf", "#1d4e5f"


LABEL_LIMIT = 28


# A skill named with an emoji the bundled font lacks is drawn with a box: nothing to log.
warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)


def _label(text: str) -> str:
    # A "$" would start matplotlib's math mode: a skill named "$x$" must read as typed.
    return truncate(text, LABEL_LIMIT).replace("$", r"\$")


def program_chart(demand: list[SkillDemand], months: list[tuple[str, int, int]]) -> bytes:
    """One PNG with two panels: for the skills wanted most beyond what is offered, how many
    members want and offer each; and for each month, follow-ups sent and loops closed."""
    # Imported here, not at the top: matplotlib is a third of the app's start-up (python -X
    # importtime), paid by every process started, and only the one drawing a chart needs it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(12, 5.5), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    skills, loops = figure.subplots(1, 2, width_ratios=(1, 1.15))

    if demand:
        rows = list(reversed(demand))  # the widest gap on top
        positions = range(len(rows))
        height = 0.38
        skills.barh(
            [p + height / 2 for p in positions], [gap.wants for gap in rows], height, color=WANT_COLOUR, label="Want it"
        )
        skills.barh(
            [p - height / 2 for p in positions],
            [gap.offers for gap in rows],
            height,
            color=OFFER_COLOUR,
            label="Offer it",
        )
        skills.set_yticks(list(positions), [_label(gap.label) for gap in rows])
        skills.legend(loc="lower right", frameon=False)
    else:
        skills.text(0.5, 0.5, "No skills listed yet", ha="center", va="center", transform=skills.transAxes)
        skills.set_yticks([])
    skills.set_title("Skills: demand against supply", loc="left", fontweight="bold")
    skills.set_xlabel("Members")

    labels = [label for label, _, _ in months]
    places = range(len(months))
    width = 0.4
    loops.bar(
        [p - width / 2 for p in places],
        [sent for _, sent, _ in months],
        width,
        color=SENT_COLOUR,
        label="Follow-ups sent",
    )
    loops.bar(
        [p + width / 2 for p in places],
        [closed for _, _, closed in months],
        width,
        color=CLOSED_COLOUR,
        label="Loops closed",
    )
    loops.set_xticks(list(places), labels, rotation=45, ha="right")
    loops.set_title("Closing the loop, by the month help was given", loc="left", fontweight="bold")
    loops.legend(loc="upper left", frameon=False)

    for axes in (skills, loops):
        axes.spines[["top", "right"]].set_visible(False)
    skills.xaxis.get_major_locator().set_params(integer=True)  # counts of people: no 2.5
    loops.yaxis.get_major_locator().set_params(integer=True)

    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
