"""Socket Mode for `factcheck run`: connect, catch up after every reconnect, and stop when Slack
refuses the app-level token.

slack_sdk's client asks apps.connections.open for a new URL whenever its connection ends; if
the token was revoked meanwhile, it logs a traceback and retries for as long as the process
lives, while the desk hears nothing. Here that refusal ends `factcheck run` like any other
token error: one line naming SLACK_APP_TOKEN, exit code 2.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any, Final

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.errors import ConfigError
from bot.startup import APP_TOKEN_REFUSED

logger = logging.getLogger(__name__)

#: apps.connections.open answers meaning this app-level token will never be accepted again.
DEAD_APP_TOKEN: Final = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
        "missing_scope",
    }
)


class _SlackErrorsInOneLine(logging.Filter):
    """The SDK logs a refused call with its traceback; the error's own text says all of it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], SlackApiError):
            record.exc_info = None
            record.exc_text = None
        return True


logger.addFilter(_SlackErrorsInOneLine())


class _ConnectionsClient(WebClient):
    """The WebClient the Socket Mode client asks for its URLs: it notes a dead app token."""

    def __init__(self, refused: threading.Event, **options: Any) -> None:
        super().__init__(**options)
        self.refused = refused
        self.refusal = ""

    def apps_connections_open(self, *, app_token: str, **kwargs: Any) -> SlackResponse:
        try:
            return super().apps_connections_open(app_token=app_token, **kwargs)
        except SlackApiError as error:
            code = str(error.response.get("error") or "")
            if code in DEAD_APP_TOKEN:
                self.refusal = code
                self.refused.set()
            raise


def serve_socket_mode(bolt_app: App, app_token: str, *, reconnected: Callable[[], None]) -> None:
    """Serve until a signal handler raises in this thread; ConfigError (one line) when Slack
    refuses the app token, at the first connection or at any reconnection after it."""
    refused = threading.Event()
    bolt_client = bolt_app.client
    urls = _ConnectionsClient(
        refused,
        base_url=bolt_client.base_url,
        timeout=bolt_client.timeout,
        proxy=bolt_client.proxy,
        retry_handlers=bolt_client.retry_handlers,
        logger=logger,
    )
    handler = SocketModeHandler(bolt_app, app_token, logger=logger, web_client=urls)
    hellos = itertools.count()

    def on_message(_client: Any, message: dict[Any, Any], _raw: str | None) -> None:
        # Slack says hello on every new connection; the first one's catch-up ran at start.
        if message.get("type") == "hello" and next(hellos) > 0:
            logger.info("Socket Mode reconnected; catching up on what was posted meanwhile")
            reconnected()

    handler.client.message_listeners.append(on_message)
    try:
        handler.connect()  # type: ignore[no-untyped-call]
    except SlackApiError as error:  # refused since the check at start
        raise ConfigError(APP_TOKEN_REFUSED.format(error=error.response.get("error"))) from None
    try:
        refused.wait()
        raise ConfigError(APP_TOKEN_REFUSED.format(error=urls.refusal))
    finally:
        handler.close()  # type: ignore[no-untyped-call]
