"""`factcheck report weekly [--week YYYY-Www] [--channel C] [--post] [--chart FILE]`: the editors' weekly report."""

from __future__ import annotations

import argparse
from pathlib import Path

from slack_sdk.errors import SlackApiError

from bot.config import load_settings
from bot.errors import ConfigError, UserError

NO_CHANNEL = (
    "no channel to post the weekly report to: pass --channel C0123ABCD or set "
    "FACTCHECK_DIGEST_CHANNEL (or FACTCHECK_CHANNELS)"
)
POST_WITHOUT_SLACK = "SLACK_BOT_TOKEN is not set: --post needs the bot's xoxb- token"
NO_CHART = "no chart drawn (is the charts extra installed? pip install 'factcheck-bot[charts]')"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = "Reports for editors, as the desk sends them on schedule."
    commands = parser.add_subparsers(title="reports", metavar="REPORT")
    weekly = commands.add_parser(
        "weekly",
        help="the week's filed and finished tickets, time to verdict, checkers, verdicts",
        description=(
            "Print the weekly report editors get (FACTCHECK_WEEKLY_REPORT, default Monday "
            "09:00); --post posts it now, --chart writes its chart as a PNG. On demand: the "
            "scheduled report still goes out."
        ),
    )
    weekly.add_argument(
        "--week",
        metavar="YYYY-Www",
        help="the ISO week to report on, e.g. 2026-W49 (default: the latest report's week)",
    )
    weekly.add_argument("--channel", help="channel ID (default: the digest channel(s))")
    weekly.add_argument("--post", action="store_true", help="post the report to Slack")
    weekly.add_argument("--chart", type=Path, metavar="FILE", help="write the chart to FILE (PNG)")
    weekly.set_defaults(handler=weekly_report)
    parser.set_defaults(handler=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def weekly_report(args: argparse.Namespace) -> int:
    settings = load_settings()
    # Imported here so `factcheck --help` stays quick.
    from bot.cli.db import open_desk_database
    from bot.digest import digest_channels
    from bot.render.digest import digest_as_text
    from bot.render.weekly_chart import weekly_chart_png
    from bot.runtime import build_services
    from bot.weekly import compose_weekly_report, last_report_week, parse_week, post_weekly_report
    from storage.db import session_scope

    if args.post and settings.slack_bot_token is None:
        raise ConfigError(POST_WITHOUT_SLACK)
    try:
        week_start = parse_week(args.week) if args.week else None
    except ValueError as error:
        raise UserError(str(error)) from None
    open_desk_database(settings).dispose()
    services = build_services(settings)
    try:
        now = services.clock()
        week_start = week_start or last_report_week(settings, now)
        with session_scope(services.engine) as session:
            channels = (
                [args.channel]
                if args.channel
                else digest_channels(session, settings=settings, now=now)
            )
            if args.post and not channels:
                raise UserError(NO_CHANNEL)
            # Without a channel the figures are the whole desk's.
            reports = [
                compose_weekly_report(
                    session, settings=settings, channel=channel, week_start=week_start, now=now
                )
                for channel in channels or [""]
            ]
        if args.chart is not None:
            png = weekly_chart_png(reports[0].chart)
            if png is None:
                raise UserError(NO_CHART)
            args.chart.write_bytes(png)
            print(f"chart written to {args.chart} ({len(png)} bytes)")
        for report in reports:
            if not args.post:
                print(digest_as_text(report.message))
                continue
            try:
                post_weekly_report(services, report)
            except SlackApiError as error:
                raise UserError(
                    f"Slack refused the weekly report for {report.channel}: "
                    f"{error.response.get('error')}"
                ) from None
            print(f"posted the weekly report to {report.channel}")
        return 0
    finally:
        services.engine.dispose()
