"""The HTTP face of the bot: Slack's `/slack/events` and the operators' `/healthz`, on waitress."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine, text

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def database_reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        logger.warning("health check: database unreachable", exc_info=True)
        return False
    return True


def build_wsgi_app(engine: Engine, mode: str, bolt_app: App | None) -> WSGIApp:
    """Routes the two paths; `bolt_app` is None in Socket Mode, where only /healthz is served."""
    slack_handler = SlackRequestHandler(bolt_app) if bolt_app is not None else None

    def respond(start_response: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
        payload = json.dumps(body).encode()
        start_response(
            status,
            [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
        )
        return [payload]

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            if database_reachable(engine):
                return respond(start_response, "200 OK", {"ok": True, "mode": mode, "db": "ok"})
            return respond(
                start_response,
                "503 Service Unavailable",
                {"ok": False, "mode": mode, "db": "unreachable"},
            )
        if path == EVENTS_PATH and slack_handler is not None:
            if method != "POST":
                return respond(start_response, "405 Method Not Allowed", {"ok": False})
            return slack_handler(environ, start_response)
        return respond(start_response, "404 Not Found", {"ok": False, "error": "not_found"})

    return application
