"""`factcheck run`: check the token, wait for the database, migrate, then serve Slack over HTTP
or Socket Mode until SIGTERM."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from types import FrameType
from typing import Any

from bot.config import load_settings
from bot.logging_setup import configure_logging

logger = logging.getLogger(__name__)


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Start the bot. Socket Mode when SLACK_APP_TOKEN is set (or --socket), "
        "else HTTP on PORT (default 3000). GET /healthz answers in both modes."
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--http", action="store_true", help="serve Slack's requests over HTTP")
    mode.add_argument("--socket", action="store_true", help="connect to Slack over Socket Mode")
    parser.add_argument(
        "--port", type=int, help="HTTP port (default: PORT or 3000; 0 picks a free port)"
    )
    all_interfaces = "0.0.0.0"  # noqa: S104 - the bot runs in a container behind Slack's proxy
    parser.add_argument("--host", default=all_interfaces, help="interface (default 0.0.0.0)")
    parser.set_defaults(handler=run)


#: Logged once per bound socket with the port actually bound (so `--port 0` can be found).
LISTENING = "factcheck-bot listening on %s:%s (%s mode)"


class _Stop(SystemExit):
    """Raised in the main thread by SIGTERM/SIGINT so waitress and our loop unwind cleanly."""


def _raise_stop(signum: int, _frame: FrameType | None) -> None:
    logger.info("received %s; shutting down", signal.Signals(signum).name)
    raise _Stop(0)


def run(args: argparse.Namespace) -> int:
    """Check the token (one line, exit 2, before any migration), open the port (503 while
    waiting), wait for the database, migrate, then serve until SIGTERM."""
    settings = load_settings()
    socket_mode = bool(args.socket or (not args.http and settings.slack_app_token is not None))
    settings.require_slack(socket_mode=socket_mode)
    configure_logging(settings.log_level)
    port = settings.port if args.port is None else args.port
    mode = "socket" if socket_mode else "http"

    # Imported here so `factcheck --help` and the light commands stay quick; the token is
    # checked before the database layer (and its log lines) is even imported.
    from bot.startup import check_slack_token, wait_for_database

    check_slack_token(settings, socket_mode=socket_mode)

    from bot.app import create_app
    from bot.runtime import BackgroundJobs, build_services, database_engine, start_background_jobs
    from bot.services import Services
    from bot.web import Handoff, close_server, serve_wsgi, services_app, starting_app

    engine = database_engine(settings)
    entry = Handoff(starting_app(mode))
    server = serve_wsgi(entry, host=args.host, port=port)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    http = threading.Thread(target=server.run, name="http", daemon=True)
    http.start()
    for host, bound_port in _bound_addresses(server):
        logger.info(LISTENING, host, bound_port, mode)
    background = BackgroundJobs()
    services: Services | None = None
    try:
        wait_for_database(engine, retry_seconds=settings.db_retry_seconds, stop=threading.Event())
        services = build_services(settings, engine=engine)
        bolt_app = create_app(services)
        entry.target = services_app(services, None if socket_mode else bolt_app, mode=mode)
        background = start_background_jobs(services)
        if socket_mode:
            from bot.socket_mode import serve_socket_mode

            assert settings.slack_app_token is not None  # require_slack() ran first
            serve_socket_mode(
                bolt_app,
                settings.slack_app_token.get_secret_value(),
                reconnected=background.reconnected,
            )
        else:
            threading.Event().wait()
    except _Stop:
        pass
    finally:
        background.stop()
        close_server(server)
        http.join(timeout=5)
        if services is not None:
            services.work.drain()  # what was acked is answered before the process goes
        engine.dispose()
        logger.info("factcheck-bot stopped")
    return 0


def _bound_addresses(server: Any) -> list[tuple[str, int]]:
    """Where waitress listens: one address, or several when the host resolves to more."""
    listen = getattr(server, "effective_listen", None)  # a MultiSocketServer
    addresses = listen or [(server.effective_host, server.effective_port)]
    return [(f"[{host}]" if ":" in host else host, int(port)) for host, port in addresses]
