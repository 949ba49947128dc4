"""The page at http://127.0.0.1:N/: static HTML, CSS and JavaScript, and a small JSON API the
script polls (what a person sees) and posts to (what a person does).

Only loopback: the server binds 127.0.0.1, refuses other Host headers (DNS rebinding), and
takes actions only as `application/json` posts, which another site cannot send without a
preflight this server never answers.
"""

from __future__ import annotations

import hashlib
import json
import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from bot.localslack.serving import ServedInThread
from bot.playground.blocks_html import FILE_PATH
from bot.playground.desk import LOOPBACK, TIME_JUMPS, Container, Playground
from bot.playground.mrkdwn_html import escape
from bot.playground.panes import (
    Pane,
    channel_html,
    dm_count,
    dm_html,
    home_html,
    modal_state,
    people_html,
    reader_for,
    sidebar_html,
)
from bot.playground.workspace import PEOPLE

logger = logging.getLogger(__name__)

FILE_PREFIX: Final = FILE_PATH.format(id="")
STATIC: Final = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/playground.css": ("playground.css", "text/css; charset=utf-8"),
    "/playground.js": ("playground.js", "text/javascript; charset=utf-8"),
    "/sample-article.txt": ("sample-article.txt", "text/plain; charset=utf-8"),
}
BAD_REQUEST: Final = "The page sent something the playground does not understand."
_PEOPLE_IDS: Final = {p.id for p in PEOPLE}


class BadRequest(Exception):
    """A request the page should never send; answered 400 with a short message."""


def _text(body: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = body.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise BadRequest(f"missing {key}")
    return value


def _person(body: dict[str, Any]) -> str:
    user = _text(body, "as")
    if user not in _PEOPLE_IDS:
        raise BadRequest("unknown person")
    return user


def clock_html(playground: Playground) -> str:
    """The desk clock as the page shows it: desk time and how far ahead of real time it is."""
    settings = playground.settings
    zone = settings.zone if settings is not None else None
    now = playground.time().astimezone(zone)
    ahead = playground.time.offset
    hours = ahead.total_seconds() / 3600
    shift = f" (+{hours:.0f}h)" if hours >= 1 else ""
    return escape(f"{now:%a %d %b %H:%M} {now.tzname()}{shift}")


def screen(playground: Playground, user: str, pane: Pane) -> dict[str, Any]:
    """Everything the page draws for ``user`` looking at ``pane``, with a version to skip redraws."""
    slack = playground.slack
    reader = reader_for(slack, user, playground.time())
    if pane.kind == "dm":
        body, title = dm_html(slack, user, reader), "factcheck (direct messages)"
    elif pane.kind == "home":
        body, title = home_html(slack, user, reader), "factcheck · Home"
    else:
        assert pane.channel is not None
        body = channel_html(slack, pane.channel, user, reader)
        title = "# " + reader.channels.get(pane.channel, pane.channel)
    state: dict[str, Any] = {
        "people": people_html(user),
        "sidebar": sidebar_html(pane, dm_count(slack, user)),
        "title": escape(title),
        "clock": clock_html(playground),
        "pane": body,
        "modal": modal_state(slack, user, reader),
        "composer": pane.kind != "home",
        "channel": pane.channel or (slack.im_channel_for(user) if pane.kind == "dm" else ""),
    }
    digest = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]
    state["version"] = digest
    return state


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FactcheckPlayground/1"

    @property
    def playground(self) -> Playground:
        return self.server.playground  # type: ignore[attr-defined, no-any-return]

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'",
        )
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8")

    def _host_ok(self) -> bool:
        address: Any = self.server.server_address
        port = int(address[1])
        return self.headers.get("Host", "") in (f"{LOOPBACK}:{port}", f"localhost:{port}")

    def do_GET(self) -> None:
        if not self._host_ok():
            self._send(421, b"wrong host", "text/plain")
            return
        parts = urlsplit(self.path)
        if parts.path in STATIC:
            name, content_type = STATIC[parts.path]
            data = resources.files("bot.playground").joinpath("static", name).read_bytes()
            self._send(200, data, content_type)
        elif parts.path == "/play/state":
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            user = query.get("as", "")
            if user not in _PEOPLE_IDS:
                self._json(400, {"ok": False, "error": BAD_REQUEST})
                return
            state = screen(self.playground, user, Pane.parse(query.get("pane", "")))
            self._json(200, {"ok": True, **state})
        elif parts.path.startswith(FILE_PREFIX):
            self._shared_image(parts.path.removeprefix(FILE_PREFIX))
        else:
            self._send(404, b"not found", "text/plain")

    def _shared_image(self, file_id: str) -> None:
        """An image the bot shared in the local Slack (the weekly report's chart)."""
        slack = self.playground.slack
        content = slack.file_content(file_id) if file_id.isalnum() else None
        kind = slack.file_mimetype(file_id) if content is not None else ""
        if content is None or not kind.startswith("image/"):
            self._send(404, b"not found", "text/plain")
            return
        self._send(200, content, kind)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        if not self._host_ok():
            self._send(421, b"wrong host", "text/plain")
            return
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            self._json(415, {"ok": False, "error": BAD_REQUEST})
            return
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(body, dict):
                raise BadRequest("not an object")
            notice = self._perform(urlsplit(self.path).path, body)
        except (BadRequest, ValueError) as error:
            logger.info("playground: bad request to %s: %s", self.path, error)
            self._json(400, {"ok": False, "error": BAD_REQUEST})
            return
        except Exception:
            logger.exception("playground: %s failed", self.path)
            self._json(500, {"ok": False, "error": "That failed; the terminal has the details."})
            return
        self._json(200, {"ok": True, "notice": notice})

    def _perform(self, path: str, body: dict[str, Any]) -> str | None:
        playground = self.playground
        if path == "/play/say":
            thread_ts = _text(body, "thread_ts", required=False) or None
            return playground.say(
                _person(body), _text(body, "channel"), _text(body, "text"), thread_ts
            )
        if path == "/play/act":
            where = body.get("container")
            if not isinstance(where, dict):
                raise BadRequest("missing container")
            container = Container(
                kind=_text(where, "kind"),
                channel=_text(where, "channel", required=False),
                ts=_text(where, "ts", required=False),
                view_id=_text(where, "view_id", required=False),
            )
            value = body.get("value")
            return playground.act(
                _person(body),
                container,
                _text(body, "action_id"),
                str(value) if value is not None else None,
                block_id=_text(body, "block_id", required=False) or None,
            )
        if path == "/play/shortcut":
            return playground.shortcut(_person(body), _text(body, "channel"), _text(body, "ts"))
        if path == "/play/submit":
            values = body.get("values")
            if not isinstance(values, dict):
                raise BadRequest("missing values")
            return playground.submit(_person(body), _text(body, "view_id"), values)
        if path == "/play/close":
            playground.close(_person(body), _text(body, "view_id"))
            return None
        if path == "/play/home":
            return playground.open_home(_person(body))
        if path == "/play/time":
            to = _text(body, "to")
            if to not in TIME_JUMPS:
                raise BadRequest("unknown jump")
            return playground.jump(to)
        raise BadRequest(f"no such action {path}")

    def log_message(self, format: str, *args: Any) -> None:
        """Polling would flood the terminal; failures are logged where they happen."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class PageServer(ServedInThread[ThreadingHTTPServer]):
    """Serves the page for a running :class:`Playground` on 127.0.0.1:``port`` (0: any free)."""

    DESCRIPTION = "the playground page"

    def __init__(self, playground: Playground, port: int) -> None:
        super().__init__()
        self.playground = playground
        self.requested_port = port

    def start(self) -> PageServer:
        server = _Server((LOOPBACK, self.requested_port), _Handler)
        server.playground = self.playground  # type: ignore[attr-defined]
        self._serve_in_thread(
            server, lambda: server.serve_forever(poll_interval=0.2), "playground-page"
        )
        return self

    def _close(self, server: ThreadingHTTPServer) -> None:
        server.shutdown()
        server.server_close()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/``."""
        return f"http://{LOOPBACK}:{self._running().server_address[1]}/"
