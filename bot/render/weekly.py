"""Block Kit for the editors' weekly report, and the figures its chart is drawn from."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from bot.render.blocks import SlackMessage, context, escape, fields_section, header, section
from bot.render.limits import MAX_FALLBACK_TEXT, Block, trim
from bot.render.reminders import format_held
from bot.render.weekly_chart import WeeklyChart
from bot.verdicts import DEFAULT_SCALE, VerdictScale
from storage.weekly_figures import CheckerWeek, WeeklyFigures

# What people read. Tests assert against these.
WEEKLY_TITLE: Final = "Week at the fact-check desk: {first} – {last}"
WEEKLY_SCOPE_DESK: Final = "Week {week}, the whole desk"
WEEKLY_SCOPE_CHANNEL: Final = "Week {week}, articles in <#{channel}>"
WEEKLY_FALLBACK: Final = (
    "Weekly report {first} – {last}: {filed} filed, {finished} finished, "
    "median time to verdict {median}"
)
FIELD_FILED: Final = "Filed"
FIELD_FINISHED: Final = "Finished"
FIELD_MEDIAN: Final = "Median time to verdict"
FIELD_OPEN: Final = "Open now"
FINISHED_DETAIL: Final = "{total} ({verified} verified · {flagged} flagged · {dismissed} dismissed)"
MEDIAN_DETAIL: Final = "{median} (over {count})"
OPEN_DETAIL: Final = "{open} unclaimed · {claimed} claimed"
NO_MEDIAN: Final = "no verdicts"
PER_DAY_TITLE: Final = "*Per day*"
PER_DAY_HEADER: Final = "{day:<10} {filed:>5} {finished:>8}"
VERDICTS_LINE: Final = "*Verdicts*: {counts}"
NO_VERDICTS: Final = "none this week"
CHECKERS_TITLE: Final = "*Per checker*:"
CHECKER_LINE: Final = "• <@{user}>: {finished} finished, {median}, {open} open now"
CHECKER_MEDIAN: Final = "median {median} to verdict"
CHECKER_NO_MEDIAN: Final = "no verdict"
NO_CHECKERS: Final = "Nobody finished or held a ticket this week."
MORE_CHECKERS: Final = "…and {count} more"
CHART_TITLE: Final = "Filed and finished per day, and verdicts, {week}"
CHART_ALT: Final = (
    "Bar charts: tickets filed and finished on each day of {week}, and the week's verdicts"
)
CHART_FILENAME: Final = "factcheck-{week}{suffix}.png"
MEDIAN_NOTE: Final = (
    "Time to verdict runs from filing to the verdict; finished counts tickets verified, "
    "flagged or dismissed this week that are still finished."
)


def iso_week(day: date) -> str:
    """`2026-W49`: the ISO week `day` falls in (how `factcheck report weekly --week` names it)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def chart_title(week_start: date) -> str:
    return CHART_TITLE.format(week=iso_week(week_start))


def chart_alt_text(week_start: date) -> str:
    return CHART_ALT.format(week=iso_week(week_start))


def chart_filename(week_start: date, *, delivery: int | None = None) -> str:
    """`factcheck-2026-W49.png`; with the outbox row's id when the outbox delivers it, so a
    retry can tell whether its earlier attempt was shared."""
    suffix = f"-{delivery}" if delivery is not None else ""
    return CHART_FILENAME.format(week=iso_week(week_start), suffix=suffix)


def _day(day: date) -> str:
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"


def _duration(value: timedelta | None) -> str:
    return format_held(value) if value is not None else NO_MEDIAN


def _checker_line(item: CheckerWeek) -> str:
    return CHECKER_LINE.format(
        user=item.assignee,
        finished=item.finished,
        median=(
            CHECKER_MEDIAN.format(median=format_held(item.median_to_verdict))
            if item.median_to_verdict is not None
            else CHECKER_NO_MEDIAN
        ),
        open=item.open_now,
    )


def weekly_chart(figures: WeeklyFigures, *, scale: VerdictScale = DEFAULT_SCALE) -> WeeklyChart:
    """The chart's figures: each day's filed and finished, then the verdicts in scale order."""
    return WeeklyChart(
        days=[f"{day.strftime('%a')}\n{day.day}" for day in figures.days],
        filed=list(figures.filed),
        finished=list(figures.finished),
        verdicts=scale.ordered(figures.verdicts),
    )


def render_weekly_report(
    figures: WeeklyFigures, *, scale: VerdictScale = DEFAULT_SCALE
) -> SlackMessage:
    """The report: the week's totals, each day, the verdict mix and each checker.

    Seven blocks; the checkers' list is bounded by the figures' limit, the rest counted.
    It reads whole without the chart (which only draws the same figures).
    """
    first, last = figures.days[0], figures.days[-1]
    scope = (
        WEEKLY_SCOPE_CHANNEL.format(week=iso_week(first), channel=figures.channel)
        if figures.channel
        else WEEKLY_SCOPE_DESK.format(week=iso_week(first))
    )
    median = _duration(figures.median_to_verdict)
    if figures.median_to_verdict is not None:
        median = MEDIAN_DETAIL.format(median=median, count=figures.verdicts_timed)
    blocks: list[Block] = [
        header(WEEKLY_TITLE.format(first=_day(first), last=_day(last))),
        context(scope),
        fields_section(
            [
                (FIELD_FILED, figures.total_filed),
                (
                    FIELD_FINISHED,
                    FINISHED_DETAIL.format(
                        total=figures.total_finished,
                        verified=figures.by_state.get("verified", 0),
                        flagged=figures.by_state.get("flagged", 0),
                        dismissed=figures.by_state.get("dismissed", 0),
                    ),
                ),
                (FIELD_MEDIAN, median),
                (
                    FIELD_OPEN,
                    OPEN_DETAIL.format(open=figures.open_now, claimed=figures.claimed_now),
                ),
            ]
        ),
    ]
    rows = [PER_DAY_HEADER.format(day="", filed=FIELD_FILED, finished=FIELD_FINISHED)]
    rows += [
        PER_DAY_HEADER.format(day=_day(day), filed=filed, finished=finished)
        for day, filed, finished in zip(figures.days, figures.filed, figures.finished, strict=True)
    ]
    blocks.append(section(PER_DAY_TITLE + "\n```\n" + "\n".join(rows) + "\n```"))
    counts = " · ".join(f"{escape(label)} {n}" for label, n in scale.ordered(figures.verdicts))
    blocks.append(section(VERDICTS_LINE.format(counts=counts or NO_VERDICTS)))
    if figures.checkers:
        lines = [_checker_line(item) for item in figures.checkers]
        if figures.extra_checkers:
            lines.append(MORE_CHECKERS.format(count=figures.extra_checkers))
        blocks.append(section("\n".join([CHECKERS_TITLE, *lines])))
    else:
        blocks.append(section(NO_CHECKERS))
    blocks.append(context(MEDIAN_NOTE))
    text = WEEKLY_FALLBACK.format(
        first=_day(first),
        last=_day(last),
        filed=figures.total_filed,
        finished=figures.total_finished,
        median=_duration(figures.median_to_verdict),
    )
    return SlackMessage(text=trim(text, MAX_FALLBACK_TEXT), blocks=blocks)
