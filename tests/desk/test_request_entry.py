"""Issue 11, failure 9: the signature is checked before the body is parsed, the body is capped,
and a malformed body is a 400 with one log line, never a 500 with a traceback."""

from __future__ import annotations

import logging
import socket
from urllib.parse import urlsplit

import pytest

from bot.localslack.signing import FORM, JSON, signed_headers
from bot.web import BAD_SIGNATURE, MALFORMED_BODY, MAX_BODY_BYTES
from tests.desk.helpers import Desk, articles

MALFORMED = [
    pytest.param(b"this is not json", JSON, id="non-json"),
    pytest.param(b'[{"type": "event_callback"}]', JSON, id="json-array"),
    pytest.param(b"payload=%7Bnot-json", FORM, id="payload-garbage"),
    pytest.param(b"payload=%5B1%2C2%5D", FORM, id="payload-array"),
    pytest.param(bytes(range(256)) * 4, FORM, id="binary"),
    pytest.param(b"\xff\xfe{}", JSON, id="binary-json"),
]


#: Where a request's own failure would be logged (not threads left over from other tests).
REQUEST_LOGGERS = ("waitress", "bot.web", "bot.bolt", "slack_bolt")


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    mine = [r for r in caplog.records if r.name.startswith(REQUEST_LOGGERS)]
    assert [r.getMessage() for r in mine if r.exc_info or r.levelno >= logging.ERROR] == []
    assert any(r.name == "bot.web" for r in mine)  # the one line saying why


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
def test_malformed_signed_body_is_400_without_traceback(
    desk: Desk, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    caplog.set_level(logging.INFO)
    response = desk.driver.sender.post(body, content_type)  # type: ignore[union-attr]
    assert response.status_code == 400
    assert response.json()["error"] == MALFORMED_BODY
    _no_tracebacks(caplog)
    assert articles(desk) == []


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
def test_malformed_unsigned_body_is_401_before_parsing(
    desk: Desk, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    caplog.set_level(logging.INFO)
    sender = desk.driver.sender
    assert sender is not None
    unsigned = sender._client.post(sender.url, content=body, headers={"Content-Type": content_type})
    forged = sender.post(body, content_type, forge=True)
    assert (unsigned.status_code, forged.status_code) == (401, 401)
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


def test_a_body_just_under_the_cap_still_reaches_the_signature_check(desk: Desk) -> None:
    sender = desk.driver.sender
    assert sender is not None
    body = b"x" * (MAX_BODY_BYTES - 10)
    response = sender.post(body, FORM, forge=True)
    assert response.status_code == 401
