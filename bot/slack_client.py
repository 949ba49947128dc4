"""The one Web API client the bot uses: pointed at SLACK_API_URL, retrying what Slack asks us to."""

from __future__ import annotations

import random
import time

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryState
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse

from bot.config import Settings


def _jitter() -> float:
    """Up to a second, so replicas refused together do not all retry together."""
    return random.random()  # noqa: S311 - spreading retries, not a secret


class _ScaledJitter(Jitter):
    """Up to one second of jitter, times `scale`."""

    def __init__(self, scale: float) -> None:
        self.scale = scale

    def recalculate(self, duration: float) -> float:
        return duration + _jitter() * self.scale


class _RateLimitRetry(RateLimitErrorRetryHandler):
    """Waits the Retry-After Slack sent plus up to a second of jitter, all times `scale`."""

    def __init__(self, *, max_retry_count: int, scale: float) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.scale = scale

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error or RuntimeError("a 429 retry without a response")
        state.next_attempt_requested = True
        asked = [v for k, v in response.headers.items() if k.lower() == "retry-after"]
        seconds = (int(asked[0][0]) if asked and asked[0] else 1) + _jitter()
        time.sleep(seconds * self.scale)
        state.increment_current_attempt()


def build_web_client(
    settings: Settings, *, token: str | None = None, retry_pause_scale: float = 1.0
) -> WebClient:
    """A WebClient that honours Retry-After on 429 and retries transient 5xx and connection errors.

    `retry_pause_scale` multiplies every pause between retries: 1 in production; 0 in tests
    where Slack's refusals are part of the scene but the waiting is not what they check.
    """
    secret = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    backoff = BackoffRetryIntervalCalculator(
        backoff_factor=0.5 * retry_pause_scale, jitter=_ScaledJitter(retry_pause_scale)
    )
    return WebClient(
        token=token or secret,
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
            _RateLimitRetry(max_retry_count=3, scale=retry_pause_scale),
            ServerErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
        ],
    )


#: The dispatcher's own calls: short, and never repeated inside the SDK (it retries itself).
DELIVERY_TIMEOUT_SECONDS = 10


def build_delivery_client(client: WebClient) -> WebClient:
    """`client` without the SDK's connection-error retries, for the outbox dispatcher.

    The SDK retries a dropped connection by sending the request again, which for
    chat.postMessage posts a second copy when Slack had already accepted the first. The
    dispatcher instead records the attempt as uncertain and looks in the thread before it
    posts again. A short 5xx or 429 is still retried here, as `client` does (Slack did not
    take the message); a longer outage is the outbox's: the row waits with a backoff.
    """
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=min(client.timeout, DELIVERY_TIMEOUT_SECONDS),
        retry_handlers=[
            handler
            for handler in client.retry_handlers
            if not isinstance(handler, ConnectionErrorRetryHandler)
        ],
    )
