"""The HTTP face of the bot: Slack's `/slack/events` and the operators' `/healthz`, on waitress.

A request to /slack/events is checked here before Bolt sees it, in the order that costs an
attacker the least of our memory and CPU: its size (from Content-Length, before reading a
byte), then Slack's signature over the raw bytes, then the shape of the body. Only a signed,
well-formed body reaches Bolt, so nothing unsigned is ever parsed and a malformed body is a
400 with one log line, never a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine, text

from bot.work import WorkPool

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

#: Slack's largest payloads (a view_submission of a big modal) are tens of kilobytes.
MAX_BODY_BYTES: Final = 1_000_000

BODY_TOO_LARGE: Final = "request body larger than {limit} bytes"
BAD_SIGNATURE: Final = "missing or invalid Slack signature"
MALFORMED_BODY: Final = "malformed request body"


#: A health probe answers within this; a database slower than that counts as unreachable.
HEALTH_CHECK_SECONDS: Final = 3.0


def _select_one(engine: Engine, answer: list[bool]) -> None:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        logger.warning("health check: database unreachable (%s)", _one_line(error))
        answer.append(False)
        return
    answer.append(True)


def database_reachable(engine: Engine, *, within: float = HEALTH_CHECK_SECONDS) -> bool:
    """`SELECT 1` answered within `within` seconds. The query runs on its own thread so a
    silent database makes the probe say 503 in time; the thread itself ends when
    storage.deadline cuts the connection."""
    answer: list[bool] = []
    probe = threading.Thread(target=_select_one, args=(engine, answer), daemon=True)
    probe.start()
    probe.join(within)
    if not answer:
        logger.warning("health check: the database did not answer within %g s", within)
        return False
    return answer[0]


def _one_line(error: BaseException) -> str:
    first = str(error).strip().splitlines()
    return f"{type(error).__name__}: {first[0]}" if first else type(error).__name__


def _json_object(raw: str) -> bool:
    try:
        return isinstance(json.loads(raw), dict)
    except ValueError:
        return False


def well_formed(content_type: str, body: bytes) -> bool:
    """True for what Slack sends: a JSON object (events), or a UTF-8 form (commands), whose
    `payload` field, when present (interactions), is a JSON object."""
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if content_type.split(";")[0].strip().lower() == "application/json":
        return _json_object(decoded)
    try:
        form = parse_qs(decoded, keep_blank_values=True, strict_parsing=bool(decoded))
    except ValueError:
        return False
    if "payload" in form:
        return len(form["payload"]) == 1 and _json_object(form["payload"][0])
    return True


#: Slack's rule: a request older (or newer) than five minutes may be a replay.
SIGNATURE_MAX_AGE_SECONDS: Final = 300


def signed_by_slack(secret: str, body: bytes, timestamp: str, signature: str) -> bool:
    """Slack's v0 scheme over the raw bytes (slack_sdk's verifier decodes the body as UTF-8
    first, which a binary body would turn into an exception instead of a refusal)."""
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > SIGNATURE_MAX_AGE_SECONDS:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def _declared_length(environ: dict[str, Any]) -> int | None:
    value = str(environ.get("CONTENT_LENGTH") or "0").strip()
    return int(value) if value.isdigit() else None


#: waitress options: refuse a larger body from its Content-Length before reading it.
SERVER_LIMITS: Final[dict[str, Any]] = {"max_request_body_size": MAX_BODY_BYTES}


STARTING: Final = "starting: waiting for the database"


def starting_app(mode: str) -> WSGIApp:
    """What answers while `factcheck run` waits for its database: 503 everywhere (Slack
    retries its requests), so a load balancer or orchestrator sees the bot is not ready."""

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        payload = json.dumps({"ok": False, "mode": mode, "db": "unreachable", "status": STARTING})
        start_response(
            "503 Service Unavailable",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(payload))),
                ("Retry-After", "5"),
            ],
        )
        return [payload.encode()]

    return application


class Handoff:
    """A WSGI app whose target is swapped once start-up is done (`starting_app` until then)."""

    def __init__(self, target: WSGIApp) -> None:
        self.target = target

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        return self.target(environ, start_response)


def build_wsgi_app(
    engine: Engine,
    mode: str,
    bolt_app: App | None,
    *,
    signing_secret: str = "",
    work: WorkPool | None = None,
) -> WSGIApp:
    """Routes the two paths; `bolt_app` is None in Socket Mode, where only /healthz is served.

    `signing_secret` (SLACK_SIGNING_SECRET) is required with `bolt_app`: requests are verified
    with it here, before Bolt parses them. `/healthz` shows `work`'s size and queue depth.
    """
    if bolt_app is not None and not signing_secret:
        raise ValueError("serving Slack's requests needs the signing secret")
    slack_handler = SlackRequestHandler(bolt_app) if bolt_app is not None else None

    def respond(start_response: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
        payload = json.dumps(body).encode()
        start_response(
            status,
            [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
        )
        return [payload]

    def refuse(start_response: StartResponse, status: str, reason: str) -> list[bytes]:
        logger.warning("refused a request to %s: %s", EVENTS_PATH, reason)
        return respond(start_response, status, {"ok": False, "error": reason})

    def slack_request(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        assert slack_handler is not None
        length = _declared_length(environ)
        if length is None:
            return refuse(start_response, "400 Bad Request", MALFORMED_BODY)
        if length > MAX_BODY_BYTES:
            too_large = BODY_TOO_LARGE.format(limit=MAX_BODY_BYTES)
            return refuse(start_response, "413 Payload Too Large", too_large)
        body = environ["wsgi.input"].read(length) if length else b""
        timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""))
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE", ""))
        if not signed_by_slack(signing_secret, body, timestamp, signature):
            return refuse(start_response, "401 Unauthorized", BAD_SIGNATURE)
        if not well_formed(str(environ.get("CONTENT_TYPE", "")), body):
            return refuse(start_response, "400 Bad Request", MALFORMED_BODY)
        environ["wsgi.input"] = io.BytesIO(body)
        return slack_handler(environ, start_response)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            pool = {"work": work.status()} if work is not None else {}
            if database_reachable(engine):
                ok = {"ok": True, "mode": mode, "db": "ok", **pool}
                return respond(start_response, "200 OK", ok)
            return respond(
                start_response,
                "503 Service Unavailable",
                {"ok": False, "mode": mode, "db": "unreachable", **pool},
            )
        if path == EVENTS_PATH and slack_handler is not None:
            if method != "POST":
                return respond(start_response, "405 Method Not Allowed", {"ok": False})
            return slack_request(environ, start_response)
        return respond(start_response, "404 Not Found", {"ok": False, "error": "not_found"})

    return application


def services_app(services: Services, bolt_app: App | None, *, mode: str) -> WSGIApp:
    """The bot's WSGI app for `services`: `/slack/events` for `bolt_app` (None in Socket
    Mode) and `/healthz`."""
    secret = services.settings.slack_signing_secret
    return build_wsgi_app(
        services.engine,
        mode,
        bolt_app,
        signing_secret=secret.get_secret_value() if secret else "",
        work=services.work,
    )


def serve_wsgi(app: WSGIApp, *, host: str, port: int) -> Any:
    """A waitress server for `app` with the bot's options (threads, the body cap)."""
    from waitress.server import create_server

    return create_server(app, host=host, port=port, threads=8, ident="factcheck", **SERVER_LIMITS)


def close_server(server: Any) -> None:
    """Close a waitress server from its own loop thread: pulling its trigger wakes the select()
    at once (instead of after the loop's 1 s timeout) and no socket is closed under it (EBADF).

    A server whose trigger is already gone (waitress closes it when its pipe fails) is closed
    from here instead: closing is idempotent, and shutting down must not raise."""
    trigger = getattr(server, "trigger", None)
    if trigger is None:  # a MultiSocketServer (several addresses) has no trigger of its own
        server.close()
        return
    try:
        trigger.pull_trigger(server.close)
    except OSError as error:
        logger.warning(
            "http server's wake-up pipe was already closed (%s); closing directly", error
        )
        server.close()


def create_http_server(
    services: Services, bolt_app: App | None, *, mode: str, host: str, port: int
) -> Any:
    """The waitress server of `factcheck run` (and of the playground, which runs the same bot):
    `/slack/events` for `bolt_app` (None in Socket Mode) and `/healthz`. Call `run()` to serve."""
    return serve_wsgi(services_app(services, bolt_app, mode=mode), host=host, port=port)
