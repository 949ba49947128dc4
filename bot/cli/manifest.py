"""`factcheck manifest`: print the app manifest to paste into api.slack.com/apps."""

from __future__ import annotations

import argparse
import json

from bot.errors import BadInput
from bot.manifest import build_manifest
from bot.web import EVENTS_PATH


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print the Slack app manifest as JSON. Socket Mode by default (no public URL "
        "needed); --http URL fills the request URLs for HTTP mode instead."
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--socket", action="store_true", help="Socket Mode (the default)")
    mode.add_argument(
        "--http",
        metavar="URL",
        help=f"public base URL of the bot, e.g. https://bot.example.org (the path {EVENTS_PATH} is added)",
    )
    parser.set_defaults(handler=print_manifest)


def print_manifest(args: argparse.Namespace) -> int:
    request_url = None
    if args.http:
        if not args.http.startswith("https://") and not args.http.startswith("http://"):
            raise BadInput(f"--http needs a URL such as https://bot.example.org, not {args.http!r}")
        request_url = args.http.rstrip("/")
        if not request_url.endswith(EVENTS_PATH):
            request_url += EVENTS_PATH
    print(json.dumps(build_manifest(request_url=request_url), indent=2))
    return 0
