"""Issue 11, failure 9: the signature is checked before the body is parsed, the body is capped,
and a malformed body is a 400 with one log line, never a 500 with a traceback."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from urllib.parse import urlsplit

import pytest

from bot.localslack.signing import FORM, JSON, EventSender, signed_headers
from bot.web import BAD_SIGNATURE, MALFORMED_BODY, MAX_BODY_BYTES, close_server, serve_wsgi
from tests.desk.helpers import Desk, articles
from tests.waiting import wait_until

#: (name, body, content type) of what the fault test sent; each one used to be a 500.
MALFORMED = [
    ("non-json", b"this is not json", JSON),
    ("json-array", b'[{"type": "event_callback"}]', JSON),
    ("payload-garbage", b"payload=%7Bnot-json", FORM),
    ("payload-array", b"payload=%5B1%2C2%5D", FORM),
    ("binary", bytes(range(256)) * 4, FORM),
    ("binary-json", b"\xff\xfe{}", JSON),
]


#: Where a request's own failure would be logged (not threads left over from other tests).
REQUEST_LOGGERS = ("waitress", "bot.web", "bot.bolt", "slack_bolt")


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    mine = [r for r in caplog.records if r.name.startswith(REQUEST_LOGGERS)]
    assert [r.getMessage() for r in mine if r.exc_info or r.levelno >= logging.ERROR] == []
    assert any(r.name == "bot.web" for r in mine)  # the one line saying why


@pytest.fixture
def sender(desk: Desk, caplog: pytest.LogCaptureFixture) -> EventSender:
    """Signed requests to the running bot, with its log captured from INFO."""
    caplog.set_level(logging.INFO)
    assert desk.driver.sender is not None
    return desk.driver.sender


def test_malformed_signed_bodies_are_400_without_traceback(
    desk: Desk, sender: EventSender, caplog: pytest.LogCaptureFixture
) -> None:
    answers = {name: sender.post(body, kind) for name, body, kind in MALFORMED}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 400)
    assert {r.json()["error"] for r in answers.values()} == {MALFORMED_BODY}
    _no_tracebacks(caplog)
    assert articles(desk) == []


def test_malformed_unsigned_bodies_are_401_before_parsing(
    sender: EventSender, caplog: pytest.LogCaptureFixture
) -> None:
    for name, body, kind in MALFORMED:
        unsigned = sender._client.post(sender.url, content=body, headers={"Content-Type": kind})
        forged = sender.post(body, kind, forge=True)
        assert (name, unsigned.status_code, forged.status_code) == (name, 401, 401)
        assert forged.json()["error"] == BAD_SIGNATURE
    _no_tracebacks(caplog)


def test_oversized_body_is_refused_before_it_is_read(desk: Desk) -> None:
    """30 MB announced, one kilobyte sent: the answer comes without waiting for the rest."""
    url = urlsplit(desk.url)
    announced = 30 * MAX_BODY_BYTES
    headers = signed_headers("wrong", b"", content_type=JSON)
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    request = (
        f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n{head}"
        f"Content-Length: {announced}\r\n\r\n"
    ).encode() + b"x" * 1024
    with socket.create_connection((url.hostname, url.port), timeout=10) as conn:
        conn.sendall(request)
        status_line = conn.makefile("rb").readline()
    assert status_line.split()[1] == b"413"


def test_a_body_just_under_the_cap_still_reaches_the_signature_check(sender: EventSender) -> None:
    body = b"x" * (MAX_BODY_BYTES - 10)
    response = sender.post(body, FORM, forge=True)
    assert response.status_code == 401


def test_the_server_still_stops_when_its_wake_up_pipe_is_already_gone() -> None:
    """Waitress closes its trigger pipe itself when reading it fails (CI saw EBADF on stop);
    stopping the bot then closes the listener directly instead of raising."""
    server = serve_wsgi(lambda environ, start: [], host="127.0.0.1", port=0)

    def run() -> None:
        # Closing the listener from outside, as the fallback must, may end the loop with EBADF.
        with contextlib.suppress(OSError):
            server.run()

    serving = threading.Thread(target=run, daemon=True)
    serving.start()
    port = server.effective_port
    server.trigger.pull_trigger(server.trigger.close)  # what waitress does on a failed pipe
    wait_until(lambda: server.trigger._closed, timeout=5, description="the pipe closed")

    close_server(server)
    serving.join(timeout=5)

    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
