"""A local Socket Mode server: hands out ws:// URLs, says hello, delivers envelopes, checks acks.

Contract: :meth:`SocketModeServer.deliver` sends one envelope on the newest open connection and
blocks until the app acknowledges it (an ack frame with the same ``envelope_id``) or
``ack_timeout`` (3 s, as Slack) passes, in which case it raises ``AssertionError``. Acks are
matched under one condition variable shared by all connection threads.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from bot.localslack.serving import ServedInThread
from bot.localslack.web_api import SlackStandIn

#: Slack requires an ack within 3 seconds.
ACK_TIMEOUT_SECONDS = 3.0
_ACCEPTS_RESPONSE = {"slash_commands": True, "events_api": False}
_INTERACTIVE_WITH_RESPONSE = {"view_submission", "block_suggestion"}


@dataclass(frozen=True)
class Ack:
    """An app's acknowledgement of one envelope."""

    envelope_id: str
    envelope_type: str
    payload: dict[str, Any] | None
    elapsed: float


@dataclass(frozen=True)
class Envelope:
    """One envelope the server sent."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    accepts_response_payload: bool


class SocketModeServer(ServedInThread[Server]):
    """Slack's Socket Mode endpoint on 127.0.0.1, attached to a :class:`SlackStandIn`.

    Once started, ``apps.connections.open`` on the stand-in (with the app token) answers a
    ``ws://127.0.0.1:PORT/link/?ticket=...`` URL; each ticket connects once.
    """

    DESCRIPTION = "the Socket Mode server"

    def __init__(self, slack: SlackStandIn, *, ack_timeout: float = ACK_TIMEOUT_SECONDS) -> None:
        super().__init__()
        self.slack = slack
        self.ack_timeout = ack_timeout
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._tickets: set[str] = set()
        self._connections: list[ServerConnection] = []
        self._draining: set[int] = set()
        self._send_locks: dict[int, threading.Lock] = {}
        self._acks: dict[str, dict[str, Any]] = {}
        self.envelopes: list[Envelope] = []
        self.acks: list[Ack] = []
        self.connects = 0

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> SocketModeServer:
        """Listen on a free port and attach to the stand-in; returns self."""
        server = serve(
            self._handle,
            "127.0.0.1",
            0,
            process_request=self._check_ticket,
            close_timeout=1,
        )
        self._serve_in_thread(server, server.serve_forever, "socket-mode-server")
        self.slack.attach_socket_mode(self)
        return self

    def stop(self) -> None:
        """Close every connection and the listening socket; detach from the stand-in."""
        self.slack.attach_socket_mode(None)
        super().stop()

    def _close(self, server: Server) -> None:
        server.shutdown()

    @property
    def port(self) -> int:
        """The TCP port of the websocket server."""
        return int(self._running().socket.getsockname()[1])

    def connection_url(self) -> str:
        """Mint a one-time ticket URL (what apps.connections.open answers)."""
        ticket = secrets.token_hex(16)
        with self._lock:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.slack.app_id}"

    # ----------------------------------------------------------------- websocket side

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        tickets = parse_qs(urlsplit(request.path).query).get("ticket", [])
        with self._lock:
            if tickets and tickets[0] in self._tickets:
                self._tickets.discard(tickets[0])
                return None
        return Response(
            int(HTTPStatus.UNAUTHORIZED), "Unauthorized", Headers(), b"invalid or used ticket\n"
        )

    def _handle(self, connection: ServerConnection) -> None:
        with self._changed:
            self._connections.append(connection)
            self._send_locks[id(connection)] = threading.Lock()
            self.connects += 1
            count = len(self._connections)
        hello = {
            "type": "hello",
            "num_connections": count,
            "debug_info": {
                "host": "applink-local",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.slack.app_id},
        }
        try:
            self._send(connection, hello)
            with self._changed:
                self._changed.notify_all()
            for raw in connection:
                self._receive(raw)
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                if connection in self._connections:
                    self._connections.remove(connection)
                self._send_locks.pop(id(connection), None)
                self._draining.discard(id(connection))
                self._changed.notify_all()

    def _send(self, connection: ServerConnection, frame: Mapping[str, Any]) -> None:
        lock = self._send_locks.get(id(connection))
        if lock is None:
            raise ConnectionError("connection closed")
        with lock:
            connection.send(json.dumps(frame))

    def _receive(self, raw: str | bytes) -> None:
        try:
            frame = json.loads(raw)
        except json.JSONDecodeError:
            return
        if isinstance(frame, dict) and "envelope_id" in frame:
            with self._changed:
                self._acks[str(frame["envelope_id"])] = frame
                self._changed.notify_all()

    # ----------------------------------------------------------------- test side

    def _live(self) -> list[ServerConnection]:
        return [c for c in self._connections if id(c) not in self._draining]

    def wait_connected(self, timeout: float = 5.0) -> None:
        """Wait until an app holds an open connection that was not told to disconnect."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self._live():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no Socket Mode connection within {timeout}s")
                self._changed.wait(remaining)

    def wait_drained(self, timeout: float = 10.0) -> None:
        """Wait until every connection told to disconnect has been closed by the app.

        slack_sdk's builtin client reads its new connection only after the old one closed
        (about 3 s later); Slack would retry envelopes meanwhile, so deliver after this.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while any(id(c) in self._draining for c in self._connections):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"old Socket Mode connections still open after {timeout}s")
                self._changed.wait(remaining)

    @property
    def open_connections(self) -> int:
        """How many app connections are open and live now."""
        with self._lock:
            return len(self._live())

    def deliver(
        self,
        envelope_type: str,
        payload: Mapping[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        connect_timeout: float = 5.0,
    ) -> Ack:
        """Send an envelope (``events_api``, ``slash_commands``, ``interactive``); await the ack.

        Returns the :class:`Ack` (its ``payload`` is the response body a slash command or view
        submission acked with). Raises ``AssertionError`` when no ack arrives in time.
        """
        if accepts_response_payload is None:
            accepts_response_payload = _ACCEPTS_RESPONSE.get(envelope_type, False) or (
                envelope_type == "interactive" and payload.get("type") in _INTERACTIVE_WITH_RESPONSE
            )
        self.wait_connected(connect_timeout)
        envelope_id = str(uuid.uuid4())
        frame: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": dict(payload),
            "type": envelope_type,
            "accepts_response_payload": accepts_response_payload,
        }
        if envelope_type == "events_api":
            frame["retry_attempt"] = retry_attempt
            frame["retry_reason"] = retry_reason
        with self._lock:
            connection = self._live()[-1]
            self.envelopes.append(
                Envelope(envelope_id, envelope_type, dict(payload), accepts_response_payload)
            )
        started = time.monotonic()
        self._send(connection, frame)
        deadline = started + self.ack_timeout
        with self._changed:
            while envelope_id not in self._acks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"{envelope_type} envelope {envelope_id} was not acknowledged "
                        f"within {self.ack_timeout}s"
                    )
                self._changed.wait(remaining)
            ack_frame = self._acks.pop(envelope_id)
            body = ack_frame.get("payload")
            ack = Ack(
                envelope_id,
                envelope_type,
                body if isinstance(body, dict) else None,
                time.monotonic() - started,
            )
            self.acks.append(ack)
            return ack

    def disconnect_all(self, reason: str = "refresh_requested") -> None:
        """Send Slack's ``disconnect`` frame to every connection (apps should reconnect).

        Those connections get no more envelopes; :meth:`deliver` waits for the new one.
        """
        with self._lock:
            connections = list(self._connections)
            self._draining.update(id(c) for c in connections)
        for connection in connections:
            frame = {
                "type": "disconnect",
                "reason": reason,
                "debug_info": {"host": "applink-local"},
            }
            try:
                self._send(connection, frame)
            except (ConnectionClosed, ConnectionError):
                continue
