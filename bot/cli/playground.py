"""`factcheck playground`: the whole desk in a browser, with a local Slack and no tokens."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Final

from bot.logging_setup import configure_logging

logger = logging.getLogger(__name__)

DEFAULT_PORT: Final = 3000
DEFAULT_DATABASE: Final = "factcheck-playground.db"
READY: Final = (
    "factcheck playground: open {url} (act as the reporter, the checkers and the editor). "
    "Desk data: {database}, emptied at each start. Ctrl-C stops it."
)
PORT_TAKEN: Final = "port {port} on 127.0.0.1 is taken; choose another with --port N"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Start the real bot against a built-in local Slack and serve a page at "
        "http://127.0.0.1:PORT/ where you paste an article and act as reporter, checkers and "
        "editor. Binds 127.0.0.1 only and never contacts Slack. The desk starts empty each "
        "time (the local Slack keeps its messages in memory)."
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="page port (default 3000; 0: any free)"
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(DEFAULT_DATABASE),
        help=f"SQLite file for the desk, emptied at start (default {DEFAULT_DATABASE})",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    configure_logging("INFO")
    # A line per scheduler tick, or per click the page delivers, would bury the bot's own log.
    for chatty in ("apscheduler", "httpx"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    from bot.playground.desk import Playground
    from bot.playground.page import PageServer

    playground = Playground(args.db.resolve())
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("received %s; stopping the playground", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        playground.start()
        try:
            page = PageServer(playground, args.port).start()
        except OSError:
            print(f"factcheck: {PORT_TAKEN.format(port=args.port)}")
            return 2
        try:
            logger.info(READY.format(url=page.url, database=playground.database))
            stop.wait()
        finally:
            page.stop()
    finally:
        playground.stop()
        logger.info("factcheck playground stopped")
    return 0
