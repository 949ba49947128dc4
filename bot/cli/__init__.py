"""The `factcheck` command: one argparse frame, one module per subcommand, loaded only when named.

`factcheck --help` imports none of the subcommand modules, and `factcheck extract` imports only
`bot.cli.extract` (so not Bolt, SQLAlchemy or the web stack): start-up stays quick.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.errors import ConfigError, UserError

#: A subcommand module's `register(parser)`: sets the description, arguments and `handler`.
Register = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Command:
    """A subcommand as `--help` lists it, and how to load its module when it is the one named."""

    name: str
    help: str
    load: Callable[[], Register]


def _run() -> Register:
    from bot.cli import run

    return run.register


def _playground() -> Register:
    from bot.cli import playground

    return playground.register


def _manifest() -> Register:
    from bot.cli import manifest

    return manifest.register


def _db() -> Register:
    from bot.cli import db

    return db.register


def _tickets() -> Register:
    from bot.cli import tickets

    return tickets.register


def _export() -> Register:
    from bot.cli import export

    return export.register


def _extract() -> Register:
    from bot.cli import extract

    return extract.register


def _evaluate() -> Register:
    from bot.cli import evaluate

    return evaluate.register


def _digest() -> Register:
    from bot.cli import digest

    return digest.register


def _report() -> Register:
    from bot.cli import report

    return report.register


def _match() -> Register:
    from bot.cli import match

    return match.register


def _import() -> Register:
    from bot.cli import import_reviews

    return import_reviews.register


COMMANDS: tuple[Command, ...] = (
    Command("run", "start the bot (migrates the database first)", _run),
    Command(
        "playground",
        "the whole desk in a browser: the real bot, a local Slack, no tokens",
        _playground,
    ),
    Command("manifest", "print the Slack app manifest (JSON)", _manifest),
    Command("db", "database maintenance (migrations)", _db),
    Command("tickets", "list tickets from the database", _tickets),
    Command("export", "export finished tickets (claimreview, csv, json)", _export),
    Command("extract", "list the claims and quotes in an article (offline)", _extract),
    Command("evaluate", "score quote and claim extraction on annotated JSONL files", _evaluate),
    Command("digest", "print today's digest (or post it with --post)", _digest),
    Command("report", "the editors' weekly report (factcheck report weekly)", _report),
    Command(
        "match", "find earlier checks of claims (a JSONL index, or the desk's tickets)", _match
    ),
    Command("import", "import published fact-checks (schema.org ClaimReview JSON-LD)", _import),
)


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """Every subcommand is listed; only the one `argv` names (if any) is loaded and filled in."""
    parser = argparse.ArgumentParser(
        prog="factcheck",
        description="Run the newsroom fact-check desk in Slack, and the tools around it.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    named = argv[0] if argv else None
    for command in COMMANDS:
        sub = subparsers.add_parser(command.name, help=command.help)
        if command.name == named:
            command.load()(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(arguments)
    args = parser.parse_args(arguments)
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
        # Flush the log handlers of a command that logs; `logging` (~12 ms) is not imported
        # for one that does not, such as `extract`.
        logging = sys.modules.get("logging")
        if logging is not None:
            logging.shutdown()


if __name__ == "__main__":
    sys.exit(main())
