"""Slack's v0 request signing, and a sender that posts signed requests to a bot over HTTP."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def signature(signing_secret: str, timestamp: str | int, body: bytes | str) -> str:
    """``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}`` keyed by the signing secret."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    base = b"v0:" + str(timestamp).encode("ascii") + b":" + raw
    digest = hmac.new(signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return f"v0={digest}"


def signed_headers(
    signing_secret: str,
    body: bytes | str,
    *,
    content_type: str,
    timestamp: int | None = None,
    retry_num: int | None = None,
    retry_reason: str | None = None,
) -> dict[str, str]:
    """The headers Slack sends with a request body (signature, timestamp, optional retry)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(signing_secret, stamp, body),
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    return headers


def form_body(fields: Mapping[str, str]) -> bytes:
    """Form-encode fields as Slack does for slash commands."""
    return urlencode(fields).encode("utf-8")


def interactive_body(payload: Mapping[str, Any]) -> bytes:
    """``payload=<json>`` form body, as Slack sends interactions and shortcuts."""
    return urlencode({"payload": json.dumps(payload)}).encode("utf-8")


def event_body(payload: Mapping[str, Any]) -> bytes:
    """JSON body, as Slack sends Events API callbacks."""
    return json.dumps(payload).encode("utf-8")


class EventSender:
    """Posts signed requests to a running bot's ``/slack/events`` over real HTTP.

    ``url`` is the bot's full events URL (``http://127.0.0.1:PORT/slack/events``). Each method
    returns the bot's :class:`httpx.Response` (status 200 and the ack body, or 401 when the
    signature is refused). ``forge=True`` signs with a wrong secret; ``timestamp=`` lets a test
    send a stale request; ``retry_num``/``retry_reason`` add Slack's retry headers.
    """

    def __init__(self, url: str, signing_secret: str, *, timeout: float = 10.0) -> None:
        self.url = url
        self.signing_secret = signing_secret
        self._client = httpx.Client(timeout=timeout)

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()

    def __enter__(self) -> EventSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        forge: bool = False,
        timestamp: int | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> httpx.Response:
        """Sign ``body`` and POST it."""
        secret = self.signing_secret + "-forged" if forge else self.signing_secret
        headers = signed_headers(
            secret,
            body,
            content_type=content_type,
            timestamp=timestamp,
            retry_num=retry_num,
            retry_reason=retry_reason,
        )
        return self._client.post(self.url, content=body, headers=headers)

    def event(self, payload: Mapping[str, Any], **options: Any) -> httpx.Response:
        """Deliver an ``event_callback`` (or ``url_verification``) as JSON."""
        return self.post(event_body(payload), JSON, **options)

    def command(self, fields: Mapping[str, str], **options: Any) -> httpx.Response:
        """Deliver a slash command as a form body."""
        return self.post(form_body(fields), FORM, **options)

    def interactive(self, payload: Mapping[str, Any], **options: Any) -> httpx.Response:
        """Deliver block_actions, view_submission or a shortcut as ``payload=<json>``."""
        return self.post(interactive_body(payload), FORM, **options)
