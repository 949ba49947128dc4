"""Request signing matches Slack's published example and slack_sdk's verifier."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.localslack import payloads
from bot.localslack.signing import (
    FORM,
    event_body,
    interactive_body,
    signature,
    signed_headers,
)

# The worked example from Slack's public docs, "Verifying requests from Slack".
DOCS_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DOCS_TIMESTAMP = "1531420618"
DOCS_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmib"
    "IGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
DOCS_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def _spec_dir() -> Path:
    configured = os.environ.get("FACTCHECK_SLACK_SPEC")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "shared" / "slack-spec"


def test_docs_example_signature() -> None:
    assert signature(DOCS_SECRET, DOCS_TIMESTAMP, DOCS_BODY) == DOCS_SIGNATURE


def test_shared_test_vector() -> None:
    path = _spec_dir() / "payloads" / "signing" / "slack_docs_signing_test_vector.json"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    vector = json.loads(path.read_text())
    headers = vector["headers"]
    computed = signature(
        vector["signing_secret"], headers["X-Slack-Request-Timestamp"], vector["raw_body"]
    )
    assert computed == headers["X-Slack-Signature"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            event_body(
                payloads.event_callback(payloads.message_event(user="U1", channel="C1", text="hi"))
            ),
            "application/json",
        ),
        (interactive_body({"type": "block_actions", "text": "ünïcödé & = +"}), FORM),
    ],
)
def test_slack_sdk_verifier_accepts_our_signature(body: bytes, content_type: str) -> None:
    secret = "a-secret"
    headers = signed_headers(secret, body, content_type=content_type)
    verifier = SignatureVerifier(secret)
    assert verifier.is_valid_request(body, headers)
    assert not SignatureVerifier("another-secret").is_valid_request(body, headers)


def test_stale_timestamp_is_refused_by_slack_sdk() -> None:
    body = b"token=x"
    headers = signed_headers("s", body, content_type=FORM, timestamp=int(time.time()) - 600)
    assert not SignatureVerifier("s").is_valid_request(body, headers)


def test_retry_headers() -> None:
    headers = signed_headers("s", b"{}", content_type="application/json", retry_num=1)
    assert headers["X-Slack-Retry-Num"] == "1"
    assert headers["X-Slack-Retry-Reason"] == "http_timeout"
