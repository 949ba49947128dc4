"""Global middleware, run before every listener on both transports (HTTP and Socket Mode).

- Only our workspace: a request whose team (or, for an org-wide install, enterprise) is not
  the one `auth.test` named for our token is acknowledged and dropped, before any listener
  runs, so nothing is stored and nothing is posted. A leaked signing secret or an app
  installed elsewhere must not act on our desk.
- Lone surrogates: JSON may carry "\\ud800" escapes that no database or Slack call can encode;
  every string in the body is cleaned once here, so the article is kept (with U+FFFD).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, Final

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse

from bot.services import Services

logger = logging.getLogger(__name__)

#: Any surrogate code point in a str is a lone one: json.loads joins the valid pairs.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
#: How a surrogate reaches us in a raw HTTP body: a JSON escape (UTF-8 cannot carry one), as
#: is or percent-encoded in an interactive payload's form field.
_ESCAPED_SURROGATE: Final = re.compile(r"(?:\\|%5[cC])[uU][dD][89a-fA-F]")
FOREIGN_WORKSPACE: Final = "ignored a request from team %s (enterprise %s): this bot serves %s"


def same_workspace(context: BoltContext) -> bool:
    """True when the request comes from the workspace (or org) our token was issued for."""
    ours = context.authorize_result
    if ours is None or not (ours.team_id or ours.enterprise_id):
        return False
    if ours.team_id and context.team_id == ours.team_id:
        return ours.enterprise_id is None or context.enterprise_id in (None, ours.enterprise_id)
    return bool(
        ours.enterprise_id
        and context.is_enterprise_install
        and context.enterprise_id == ours.enterprise_id
    )


def without_lone_surrogates(value: Any) -> Any:
    """`value` with every str cleaned: a lone surrogate becomes U+FFFD, the rest is kept."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = without_lone_surrogates(item)
    elif isinstance(value, list):
        value[:] = [without_lone_surrogates(item) for item in value]
    return value


def may_hold_surrogates(raw_body: str) -> bool:
    """Whether a body needs `without_lone_surrogates`: an HTTP body without a surrogate escape
    cannot hold one, so the walk over every string (a card message's payload is thousands)
    is skipped before the ack. Socket Mode hands Bolt no raw body (""): always walked."""
    return not raw_body or _ESCAPED_SURROGATE.search(raw_body) is not None


def register(app: App, _services: Services) -> None:
    @app.use
    def only_our_workspace(
        req: BoltRequest, context: BoltContext, body: dict[str, Any], next_: Callable[[], None]
    ) -> BoltResponse | None:
        if not same_workspace(context):
            ours = context.authorize_result
            logger.warning(
                FOREIGN_WORKSPACE,
                context.team_id,
                context.enterprise_id,
                ours.team_id if ours else "?",
            )
            return BoltResponse(status=200, body="")
        if may_hold_surrogates(req.raw_body):
            without_lone_surrogates(body)
        next_()
        return None
