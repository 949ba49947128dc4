"""Before `factcheck run` touches the database: is the token good, and is the database there?

The tokens are checked first (their shape, then `auth.test`, and in Socket Mode
`apps.connections.open` with the app-level token), so a bad token or an unreachable Slack ends
the process with one line and exit code 2 before any migration runs. A database
that is not reachable yet is waited for, one log line per attempt, while /healthz answers 503:
in a deploy the bot often starts before its database.
"""

from __future__ import annotations

import logging
import re
import threading
import urllib.error
from typing import Final

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from bot.config import README_SLACK_APP, Settings
from bot.errors import ConfigError

logger = logging.getLogger(__name__)

SLACK_CHECK_TIMEOUT_S: Final = 15
#: slack_sdk logs a failed call itself; here the failure is the one line we print instead.
_QUIET: Final = logging.getLogger("bot.startup.auth_test")
_QUIET.setLevel(logging.CRITICAL + 1)
_BOT_TOKEN: Final = re.compile(r"^xoxb-[A-Za-z0-9-]+$")
_APP_TOKEN: Final = re.compile(r"^xapp-[A-Za-z0-9-]+$")

MALFORMED_TOKEN: Final = (
    "{name} is malformed: it should start with {prefix} and hold only letters, digits and "
    f"dashes (see {README_SLACK_APP})"
)
TOKEN_REFUSED: Final = (
    "SLACK_BOT_TOKEN was refused by Slack ({error}): install the app again or copy its "
    f"current Bot User OAuth Token (see {README_SLACK_APP})"
)
APP_TOKEN_REFUSED: Final = (
    "SLACK_APP_TOKEN was refused by Slack ({error}): generate a new app-level token with the "
    f"connections:write scope (see {README_SLACK_APP})"
)
SLACK_UNREACHABLE: Final = (
    "Slack did not answer at {url} ({reason}); check the network, or SLACK_API_URL"
)
DATABASE_WAITING: Final = "database not reachable at %s (%s); trying again in %g s"
DATABASE_READY: Final = "database reachable at %s"


def check_slack_token(settings: Settings, *, socket_mode: bool) -> str:
    """Raise ConfigError (one line) unless Slack accepts the bot token, and in Socket Mode the
    app token too; returns the team id.

    The app token can only be tried by asking for a Socket Mode URL; the one asked for here is
    left unused (Slack lets it expire), and the handler asks for its own when it connects.
    """
    assert settings.slack_bot_token is not None  # require_slack() ran first
    if not _BOT_TOKEN.match(settings.slack_bot_token.get_secret_value()):
        raise ConfigError(MALFORMED_TOKEN.format(name="SLACK_BOT_TOKEN", prefix="xoxb-"))
    app_token = settings.slack_app_token
    if socket_mode and app_token is not None and not _APP_TOKEN.match(app_token.get_secret_value()):
        raise ConfigError(MALFORMED_TOKEN.format(name="SLACK_APP_TOKEN", prefix="xapp-"))
    # One attempt, no retry handlers: a refusal or an unreachable Slack is one line at once.
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=SLACK_CHECK_TIMEOUT_S,
        retry_handlers=[],
        logger=_QUIET,
    )
    try:
        answer = client.auth_test()
    except SlackApiError as error:
        raise ConfigError(TOKEN_REFUSED.format(error=error.response.get("error"))) from None
    except (urllib.error.URLError, OSError) as error:
        raise _unreachable(settings, error) from None
    if socket_mode and app_token is not None:
        try:
            client.apps_connections_open(app_token=app_token.get_secret_value())
        except SlackApiError as error:
            refused = APP_TOKEN_REFUSED.format(error=error.response.get("error"))
            raise ConfigError(refused) from None
        except (urllib.error.URLError, OSError) as error:
            raise _unreachable(settings, error) from None
    return str(answer.get("team_id") or "")


def _unreachable(settings: Settings, error: OSError) -> ConfigError:
    reason = getattr(error, "reason", None) or error
    return ConfigError(SLACK_UNREACHABLE.format(url=settings.slack_api_url, reason=reason))


def database_location(engine: Engine) -> str:
    """Where the database is, for a log line: host:port/name, or the SQLite file (no password)."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return f"{url.host}:{url.port or 5432}/{url.database}"


def _first_line(error: BaseException) -> str:
    cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def wait_for_database(engine: Engine, *, retry_seconds: float, stop: threading.Event) -> bool:
    """Try `SELECT 1` until it answers (True) or `stop` is set (False); one line per failure."""
    where = database_location(engine)
    while not stop.is_set():
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except (DBAPIError, OSError) as error:
            logger.warning(DATABASE_WAITING, where, _first_line(error), retry_seconds)
            stop.wait(retry_seconds)
            continue
        logger.info(DATABASE_READY, where)
        return True
    return False
