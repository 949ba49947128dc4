"""The weekly report's chart: a small PNG of filed vs finished per day and the verdict mix.

Drawn with matplotlib's Agg canvas on a `Figure` of its own (no pyplot: nothing global, safe
from any thread). matplotlib comes with the `charts` extra; without it, or if drawing fails,
`weekly_chart_png` returns None and says why once in the log, and the report goes out as
text alone.
"""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass
from typing import Any, Final

logger = logging.getLogger(__name__)

WIDTH_PX: Final = 600
HEIGHT_PX: Final = 300
DPI: Final = 100
FILED_COLOUR: Final = "#1d3557"
FINISHED_COLOUR: Final = "#e9c46a"
# Best verdict first; the wrong ones warm, Unverifiable grey.
VERDICT_COLOURS: Final = {
    "Accurate": "#2a9d8f",
    "Mostly accurate": "#8ab17d",
    "Needs context": "#e9c46a",
    "Misleading": "#f4a261",
    "Inaccurate": "#e76f51",
    "Misquoted": "#e76f51",
    "Misattributed": "#e76f51",
    "Unverifiable": "#a8a8a8",
}
OTHER_COLOUR: Final = "#6c757d"
FILED_LABEL: Final = "Filed"
FINISHED_LABEL: Final = "Finished"
PER_DAY_TITLE: Final = "Tickets per day"
VERDICTS_TITLE: Final = "Verdicts"
NO_VERDICTS: Final = "No verdicts this week"
CHART_UNAVAILABLE: Final = (
    "weekly report chart not drawn (%s); reports go out as text alone. "
    "Install the charts extra: pip install 'factcheck-bot[charts]'"
)
CHART_FAILED: Final = "weekly report chart could not be drawn; this report goes out as text alone"

_warned = threading.Event()


@dataclass(frozen=True)
class WeeklyChart:
    """What the chart shows: one label, filed and finished count per day; (verdict, count)."""

    days: list[str]
    filed: list[int]
    finished: list[int]
    verdicts: list[tuple[str, int]]

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "filed": self.filed,
            "finished": self.finished,
            "verdicts": [[label, count] for label, count in self.verdicts],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WeeklyChart:
        return cls(
            days=[str(day) for day in data.get("days") or []],
            filed=[int(n) for n in data.get("filed") or []],
            finished=[int(n) for n in data.get("finished") or []],
            verdicts=[(str(label), int(n)) for label, n in data.get("verdicts") or []],
        )


def _warn_once(message: str, *args: object, exc_info: bool = False) -> None:
    if not _warned.is_set():
        _warned.set()
        logger.warning(message, *args, exc_info=exc_info)


def weekly_chart_png(chart: WeeklyChart) -> bytes | None:
    """The chart as PNG bytes (600x300), or None when matplotlib is missing or fails."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as error:
        _warn_once(CHART_UNAVAILABLE, error)
        return None
    try:
        figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
        FigureCanvasAgg(figure)
        per_day, mix = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        positions = list(range(len(chart.days)))
        width = 0.4
        per_day.bar(
            [p - width / 2 for p in positions],
            chart.filed,
            width,
            label=FILED_LABEL,
            color=FILED_COLOUR,
        )
        per_day.bar(
            [p + width / 2 for p in positions],
            chart.finished,
            width,
            label=FINISHED_LABEL,
            color=FINISHED_COLOUR,
        )
        per_day.set_xticks(positions, chart.days, fontsize=8)
        per_day.tick_params(axis="y", labelsize=8)
        per_day.yaxis.get_major_locator().set_params(integer=True)
        per_day.set_title(PER_DAY_TITLE, fontsize=10)
        tallest = max([*chart.filed, *chart.finished, 1])
        per_day.set_ylim(0, tallest * 1.3)  # room for the legend above the bars
        per_day.legend(fontsize=8, frameon=False, loc="upper left", ncols=2)
        per_day.spines[["top", "right"]].set_visible(False)

        shown = [(label, count) for label, count in chart.verdicts if count]
        if shown:
            labels = [label for label, _ in reversed(shown)]
            counts = [count for _, count in reversed(shown)]
            colours = [VERDICT_COLOURS.get(label, OTHER_COLOUR) for label in labels]
            mix.barh(labels, counts, color=colours)
            mix.set_xlim(0, max(counts) * 1.2)  # room for each bar's count
            mix.tick_params(axis="both", labelsize=8)
            mix.xaxis.get_major_locator().set_params(integer=True)
            for y, count in enumerate(counts):
                mix.annotate(
                    str(count),
                    (count, y),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=8,
                )
            mix.spines[["top", "right"]].set_visible(False)
        else:
            mix.text(0.5, 0.5, NO_VERDICTS, ha="center", va="center", fontsize=9)
            mix.set_axis_off()
        mix.set_title(VERDICTS_TITLE, fontsize=10)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI)
        return out.getvalue()
    except Exception:
        logger.exception(CHART_FAILED)
        return None
