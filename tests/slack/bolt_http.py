"""Serve a slack_bolt App over real HTTP in-process (threaded WSGI), for listener tests."""

from __future__ import annotations

import threading
from socketserver import ThreadingMixIn
from types import TracebackType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


class BoltHttpServer:
    """An App behind ``http://127.0.0.1:PORT/slack/events``; a context manager."""

    def __init__(self, app: App, *, path: str = "/slack/events") -> None:
        self._server = make_server(
            "127.0.0.1",
            0,
            SlackRequestHandler(app, path=path),
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}{path}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="bolt-http",
            daemon=True,
        )

    def __enter__(self) -> BoltHttpServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
