"""The `factcheck` command: one argparse frame, one module per subcommand."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from bot.errors import ConfigError, UserError

# Each module exposes register(subparsers) and sets `handler` on its parser.
COMMAND_MODULES: tuple[str, ...] = (
    "bot.cli.run",
    "bot.cli.manifest",
    "bot.cli.db",
    "bot.cli.tickets",
    "bot.cli.export",
    "bot.cli.extract",
    "bot.cli.evaluate",
    "bot.cli.digest",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factcheck",
        description="Run the newsroom fact-check desk in Slack, and the tools around it.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args))
    except ConfigError as error:
        print(f"factcheck: {error}", file=sys.stderr)
        return 2
    except UserError as error:
        print(f"factcheck: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        logging.shutdown()


if __name__ == "__main__":
    sys.exit(main())
