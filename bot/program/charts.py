"""Charts for program admins, as PNG: skill supply against demand, and loops closed per month.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display), so charts
can be drawn on several threads at once."""

import io
import re
import unicodedata
from functools import cache

from bot.program.disclosure import MIN_PEOPLE, Answers
from bot.program.model import SkillDemand
from bot.text import truncate

WANT_COLOUR, OFFER_COLOUR = "#d1495b", "#1d4e5f"


SENT_COLOUR, CLOSED_COLOUR = "#a7c4cf", "#1d4e5f"


QUIET_COLOUR = "#6b7280"  # for what is not drawn, and why


LABEL_LIMIT = 28


@cache
def _drawable() -> frozenset[int]:
    """The code points the font the chart is drawn in has a glyph for."""
    from matplotlib import font_manager, ft2font

    path = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    return frozenset(ft2font.FT2Font(path).get_charmap())


def _label(text: str) -> str:
    """A skill's label as the chart can draw it. The bundled font has no emoji, and the only
    emoji font a machine tends to have (Noto Color Emoji) is bitmap, which matplotlib cannot
    draw: what has no glyph is left out ("🐍 Python" reads "Python"), and a label of nothing
    else reads as the characters' names ("🚀" reads "rocket")."""
    drawable = _drawable()
    kept = re.sub(r"\s+", " ", "".join(c for c in text if ord(c) in drawable or c.isspace())).strip()
    if not kept:
        names = (unicodedata.name(c, "").casefold() for c in text if unicodedata.category(c).startswith("S"))
        kept = " ".join(name for name in names if name) or "?"
    # A "$" would start matplotlib's math mode: a skill named "$x$" must read as typed.
    return truncate(kept, LABEL_LIMIT).replace("$", r"\$")


def _nothing_yet(axes, text: str) -> None:
    """A panel with nothing to draw says so, instead of an empty axis."""
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes, color=QUIET_COLOUR, fontsize=12)
    axes.set_axis_off()


def program_chart(demand: list[SkillDemand], months: list[tuple[str, int, Answers]]) -> bytes:
    """One PNG with two panels: for the skills wanted most beyond what is offered, how many
    members want and offer each; and for each month (YYYY-MM, follow-ups sent, loops closed),
    follow-ups sent and loops closed, the latter only for a month with answers from enough
    people (bot.program.disclosure)."""
    # Imported here, not at the top: matplotlib is a third of the app's start-up (python -X
    # importtime), paid by every process started, and only the one drawing a chart needs it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(12, 5.5), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    skills, loops = figure.subplots(1, 2, width_ratios=(1, 1.15))
    # Legends sit above their panel, under its title: inside, they covered the last bars.
    legend = {"loc": "lower left", "bbox_to_anchor": (0, 1), "ncols": 2, "frameon": False}
    title = {"loc": "left", "fontweight": "bold", "pad": 26}

    skills.set_title("Skills: demand against supply", **title)
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
        skills.legend(**legend)
        skills.set_xlabel("Members")
        skills.xaxis.get_major_locator().set_params(integer=True)  # counts of people: no 2.5
        skills.spines[["top", "right"]].set_visible(False)
    else:
        _nothing_yet(skills, "No skills listed yet")

    loops.set_title("Closing the loop, by the month help was given", **title)
    if any(sent for _, sent, _ in months):
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
        closed = [answers.shown() for _, _, answers in months]
        shown = [(p, counts.get("closed", 0)) for p, counts in zip(places, closed, strict=True) if counts is not None]
        loops.bar(
            [p + width / 2 for p, _ in shown],
            [count for _, count in shown],
            width,
            color=CLOSED_COLOUR,
            label="Loops closed",
        )
        for p, (_, _, answers) in zip(places, months, strict=True):
            if answers.people and answers.withheld:
                loops.annotate(
                    f"<{MIN_PEOPLE}",
                    (p + width / 2, 0),
                    xytext=(0, 3),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    color=QUIET_COLOUR,
                )
        loops.set_xticks(list(places), labels, rotation=45, ha="right")
        loops.legend(**legend)
        loops.set_xlabel(
            f"Loops closed show for months with {MIN_PEOPLE}+ people's answers (<{MIN_PEOPLE}: fewer).",
            color=QUIET_COLOUR,
        )
        loops.yaxis.get_major_locator().set_params(integer=True)
        loops.spines[["top", "right"]].set_visible(False)
    else:
        _nothing_yet(loops, "No follow-ups sent yet")

    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
