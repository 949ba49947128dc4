"""A local Slack Web API over real HTTP: state in memory, faults on demand, every call recorded.

Concurrency contract: one re-entrant lock guards all state. Each HTTP request is parsed outside
the lock, then handled, recorded and announced (``Condition.notify_all``) inside it, so a test
thread calling :meth:`SlackStandIn.wait_for` sees a call together with its effects, never half of
it. Helpers return copies; mutating them does not change the stand-in.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import itertools
import json
import re
import secrets
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from bot.localslack.blockkit import (
    MAX_MESSAGE_TEXT,
    message_block_errors,
    view_errors,
    visible_text,
)
from bot.localslack.serving import ServedInThread

T = TypeVar("T")

# The local Slack's own credentials: they open nothing anywhere else.
DEFAULT_BOT_TOKEN = "xoxb-test-token"  # noqa: S105
DEFAULT_APP_TOKEN = "xapp-test-token"  # noqa: S105
DEFAULT_SIGNING_SECRET = "test-signing-secret-0123456789abcdef"  # noqa: S105
DEFAULT_TEAM_ID = "T0TEST"
DEFAULT_TEAM_DOMAIN = "factdesk"
# How long a test waits for the bot to do something before it fails. A wait returns as soon
# as the thing happens, so only a failing test waits this long; it is generous because CI
# shares two cores with other suites, where a digest behind a thread's cards took over 5 s.
WAIT_SECONDS = 15.0
DEFAULT_BOT_USER_ID = "U0BOT"
DEFAULT_BOT_ID = "B0BOT"
DEFAULT_APP_ID = "A0TEST"

#: How long a trigger_id may be exchanged for a view, as on Slack.
TRIGGER_TTL_SECONDS = 3.0
#: How many times one response_url answers, as on Slack.
RESPONSE_URL_USES = 5
MAX_MODAL_STACK = 3

_TRIGGER_FORMAT = re.compile(r"^\d+\.\d+\.[0-9a-zA-Z]+$")
_EMOJI_NAME = re.compile(r"^[a-z0-9_+\-']+(::skin-tone-[2-6])?$")
_TRUE = {"1", "true", "True", True}
#: The status recorded for a call whose connection the stand-in closed without answering.
DROP_STATUS = 0
DROP = "connection_dropped"
DROP_AFTER = "connection_dropped_after_processing"
#: A held request goes on by itself after this long, so a forgotten hold cannot hang a test.
HOLD_SECONDS = 30.0


class ApiError(Exception):
    """An ``ok: false`` answer; raised inside method handlers."""

    def __init__(self, error: str, messages: list[str] | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages or []

    def body(self) -> dict[str, Any]:
        """The JSON body Slack sends for this error."""
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": list(self.messages)}
        return body


@dataclass(frozen=True)
class Call:
    """One Web API request as the stand-in saw it."""

    method: str
    args: dict[str, Any]
    token: str | None
    at: float
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        """True when Slack would have answered ``ok: true``."""
        return self.status == 200 and bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        """The ``error`` string of a failed call."""
        error = self.response.get("error")
        return str(error) if error is not None else None


@dataclass(frozen=True)
class Ephemeral:
    """A message only ``user`` saw: from chat.postEphemeral or an ephemeral response_url post."""

    channel: str
    user: str
    message: dict[str, Any]
    via: str
    at: float

    @property
    def text(self) -> str:
        """Everything the user sees, as plain text."""
        return visible_text(self.message)


@dataclass(frozen=True)
class ResponsePost:
    """One POST to a response_url, with what Slack did about it."""

    url: str
    channel: str
    user: str
    body: dict[str, Any]
    at: float
    status: int

    @property
    def response_type(self) -> str:
        """``ephemeral`` (Slack's default) or ``in_channel``."""
        return str(self.body.get("response_type") or "ephemeral")

    @property
    def replace_original(self) -> bool:
        """True when the post replaced the message the interaction came from."""
        return self.body.get("replace_original") in _TRUE

    @property
    def delete_original(self) -> bool:
        """True when the post deleted the message the interaction came from."""
        return self.body.get("delete_original") in _TRUE

    @property
    def text(self) -> str:
        """Everything the post shows, as plain text."""
        return visible_text(self.body)


@dataclass
class Fault:
    """An injected answer for the next ``remaining`` calls of a method."""

    status: int
    error: str
    retry_after: int | None
    remaining: int


@dataclass
class Hold:
    """A request held by :meth:`SlackStandIn.hold_next`: ``arrived`` is set when it comes."""

    skip: int = 0
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self.released.set()


@dataclass
class Channel:
    """A conversation the stand-in knows: public/private channel, IM or MPIM."""

    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    user: str | None = None
    members: set[str] | None = None
    bot_is_member: bool = True
    is_archived: bool = False
    created: int = field(default_factory=lambda: int(time.time()))

    def has_member(self, user: str) -> bool:
        """Members None means everyone in the workspace is in the channel."""
        return self.members is None or user in self.members

    def info(self, team_id: str) -> dict[str, Any]:
        """The ``channel`` object of conversations.info."""
        if self.is_im:
            return {
                "id": self.id,
                "created": self.created,
                "is_archived": False,
                "is_im": True,
                "is_org_shared": False,
                "context_team_id": team_id,
                "user": self.user,
                "is_user_deleted": False,
                "priority": 0,
            }
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private and not self.is_mpim,
            "is_group": self.is_private and not self.is_mpim,
            "is_im": False,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private or self.is_mpim,
            "created": self.created,
            "is_archived": self.is_archived,
            "is_general": self.name == "general",
            "unlinked": 0,
            "name_normalized": self.name,
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
            "is_pending_ext_shared": False,
            "is_member": self.bot_is_member,
            "context_team_id": team_id,
            "shared_team_ids": [team_id],
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "previous_names": [],
        }


@dataclass
class User:
    """A workspace member with a time zone."""

    id: str
    name: str
    real_name: str
    tz: str = "America/New_York"
    is_bot: bool = False
    deleted: bool = False
    email: str | None = None

    def info(self, team_id: str) -> dict[str, Any]:
        """The ``user`` object of users.info, with tz_label and tz_offset computed for now."""
        now = datetime.now(ZoneInfo(self.tz))
        offset = now.utcoffset()
        profile: dict[str, Any] = {
            "real_name": self.real_name,
            "display_name": self.name,
            "real_name_normalized": self.real_name,
            "display_name_normalized": self.name,
            "team": team_id,
        }
        if self.email:
            profile["email"] = self.email
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": now.tzname() or self.tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
        }


@dataclass
class SharedFile:
    """A file uploaded through files.getUploadURLExternal and its upload URL."""

    id: str
    name: str
    length: int
    alt_txt: str | None = None
    title: str | None = None
    content: bytes | None = None
    channels: list[str] = field(default_factory=list)
    created: int = field(default_factory=lambda: int(time.time()))

    @property
    def mimetype(self) -> str:
        """From the bytes, as Slack sniffs them: PNG, JPEG, GIF, PDF or plain text."""
        head = self.content or b""
        for magic, kind in _MAGIC:
            if head.startswith(magic):
                return kind
        return "text/plain" if self.name.endswith(".txt") else "application/octet-stream"

    def info(self, base_url: str, user: str) -> dict[str, Any]:
        """The ``file`` object Slack shows in a message's ``files``."""
        kind = self.mimetype
        answer: dict[str, Any] = {
            "id": self.id,
            "created": self.created,
            "timestamp": self.created,
            "name": self.name,
            "title": self.title or self.name,
            "mimetype": kind,
            "filetype": kind.rsplit("/", 1)[-1].replace("octet-stream", "binary"),
            "user": user,
            "size": len(self.content or b""),
            "mode": "hosted",
            "is_external": False,
            "is_public": bool(self.channels),
            "url_private": f"{base_url}/files/{self.id}/{self.name}",
            "url_private_download": f"{base_url}/files/{self.id}/download/{self.name}",
        }
        if self.alt_txt:
            answer["alt_txt"] = self.alt_txt
        return answer


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"%PDF", "application/pdf"),
)
#: Longest alt text files.getUploadURLExternal takes, as on Slack.
MAX_ALT_TXT = 1000


@dataclass
class _Trigger:
    user: str
    issued: float
    used: bool = False


@dataclass
class _ResponseUrl:
    channel: str
    user: str
    message_ts: str | None
    is_ephemeral: bool
    uses: int = 0


class SocketModeEndpoint(Protocol):
    """What apps.connections.open needs from a Socket Mode server."""

    def connection_url(self) -> str:
        """A fresh ws:// URL a client may connect to."""
        ...


#: What Slack leaves of a deleted message that has thread replies.
TOMBSTONE_SUBTYPE = "tombstone"
TOMBSTONE_TEXT = "This message was deleted."


def _cursor(ts: str, *, key: str = "next_ts") -> str:
    return base64.b64encode(f"{key}:{ts}".encode()).decode()


def _uncursor(cursor: str, *, key: str = "next_ts") -> str:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except ValueError as exc:
        raise ApiError("invalid_cursor") from exc
    if not text.startswith(f"{key}:"):
        raise ApiError("invalid_cursor")
    return text.removeprefix(f"{key}:")


#: The scope users.conversations needs for each conversation type it is asked to list.
TYPE_SCOPES = {
    "public_channel": "channels:read",
    "private_channel": "groups:read",
    "mpim": "mpim:read",
    "im": "im:read",
}


def _ts_key(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return int(seconds), int(micros or 0)


def with_generated_ids(blocks: Any) -> Any:
    """Copy blocks, giving each block a block_id and each element an action_id, as Slack does."""
    blocks = copy.deepcopy(blocks)
    if not isinstance(blocks, list):
        return blocks
    for block in blocks:
        if not isinstance(block, dict):
            continue
        block.setdefault("block_id", secrets.token_urlsafe(4)[:5])
        elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
        for key in ("accessory", "element"):
            if isinstance(block.get(key), dict):
                elements.append(block[key])
        for element in elements:
            if isinstance(element, dict) and element.get("type") != "image":
                element.setdefault("action_id", secrets.token_urlsafe(4)[:5])
    return blocks


def _flag(value: Any) -> bool:
    return value in _TRUE


def _missing(name: str) -> ApiError:
    return ApiError("invalid_arguments", [f"[ERROR] missing required field: {name}"])


_JSON_ARGS = {
    "blocks": "invalid_blocks_format",
    "attachments": "invalid_attachments",
    "view": "invalid_arguments",
    "metadata": "invalid_metadata_format",
}


def parse_body(content_type: str, body: bytes, query: str = "") -> dict[str, Any]:
    """Decode a request body the way Slack does: JSON, form-encoded or multipart, plus query.

    JSON-valued arguments (blocks, attachments, view, metadata) sent as strings are decoded.
    Raises :class:`ApiError` (``invalid_json``, ``json_not_object``, ``invalid_form_data``...).
    """
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";", 1)[0].strip().lower()
    if body:
        if kind == "application/json":
            try:
                decoded = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ApiError("invalid_json") from exc
            if not isinstance(decoded, dict):
                raise ApiError("json_not_object")
            args.update(decoded)
        elif kind == "application/x-www-form-urlencoded":
            try:
                args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            except UnicodeDecodeError as exc:
                raise ApiError("invalid_charset") from exc
        elif kind == "multipart/form-data":
            header = f"Content-Type: {content_type}\r\n\r\n".encode()
            message = BytesParser().parsebytes(header + body)
            if not message.is_multipart():
                raise ApiError("invalid_form_data")
            for part in message.walk():
                if part.is_multipart():
                    continue
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                if isinstance(name, str) and isinstance(payload, bytes):
                    args[name] = payload if part.get_filename() else payload.decode("utf-8")
        else:
            raise ApiError("invalid_post_type")
    for name, error in _JSON_ARGS.items():
        value = args.get(name)
        if isinstance(value, str):
            if value == "" and name != "view":
                args[name] = None
                continue
            try:
                args[name] = json.loads(value)
            except json.JSONDecodeError as exc:
                messages = ["[ERROR] must provide an object [json-pointer:/view]"]
                raise ApiError(error, messages if name == "view" else None) from exc
    return args


class SlackStandIn(ServedInThread[ThreadingHTTPServer]):
    """Slack's Web API, response_urls and (via an attached server) Socket Mode, on 127.0.0.1.

    Start with :meth:`start` (or use as a context manager); point a ``WebClient`` at
    :attr:`api_url`. Seed the workspace with :meth:`add_user` and :meth:`add_channel`.
    """

    DESCRIPTION = "the Slack stand-in"

    def __init__(
        self,
        *,
        bot_token: str = DEFAULT_BOT_TOKEN,
        app_token: str = DEFAULT_APP_TOKEN,
        signing_secret: str = DEFAULT_SIGNING_SECRET,
        team_id: str = DEFAULT_TEAM_ID,
        team_domain: str = DEFAULT_TEAM_DOMAIN,
        team_name: str = "Fact Desk",
        bot_user_id: str = DEFAULT_BOT_USER_ID,
        bot_id: str = DEFAULT_BOT_ID,
        app_id: str = DEFAULT_APP_ID,
        bot_name: str = "factcheck",
        trigger_ttl: float = TRIGGER_TTL_SECONDS,
        message_clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        #: Seconds since the epoch that new message ts start from (the playground's desk clock).
        self.message_clock = message_clock
        self.bot_token = bot_token
        self.app_token = app_token
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.team_domain = team_domain
        self.team_name = team_name
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.bot_name = bot_name
        self.trigger_ttl = trigger_ttl
        self.bot_tokens: set[str] = {bot_token}
        self.app_tokens: set[str] = {app_token}
        #: The bot token's scopes, where the stand-in checks them (users.conversations,
        #: conversations.open, .history and .replies); None grants every scope.
        self.granted_scopes: set[str] | None = None
        #: Most items one page of users.conversations holds, whatever `limit` asks (Slack may
        #: return fewer than asked before the end of the list); None: only `limit` counts.
        self.list_page_cap: int | None = None
        self.lock = threading.RLock()
        self._changed = threading.Condition(self.lock)
        self._last_us = 0
        self._ids = itertools.count(1)
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self._ims: dict[str, str] = {}
        self._messages: dict[str, list[dict[str, Any]]] = {}
        self._deleted: list[tuple[str, dict[str, Any]]] = []
        self._ephemerals: list[Ephemeral] = []
        self._views: dict[str, dict[str, Any]] = {}
        self._view_owner: dict[str, str] = {}
        self._modal_stacks: dict[str, list[str]] = {}
        self._modal_errors: dict[str, dict[str, str]] = {}
        self._home: dict[str, dict[str, Any]] = {}
        self._published: list[tuple[str, dict[str, Any]]] = []
        self._files: dict[str, SharedFile] = {}
        self._upload_urls: dict[str, str] = {}
        self._triggers: dict[str, _Trigger] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._responses: list[ResponsePost] = []
        self._calls: list[Call] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._holds: dict[str, deque[Hold]] = {}
        self._socket_mode: SocketModeEndpoint | None = None
        self.users[bot_user_id] = User(bot_user_id, bot_name, bot_name, "UTC", is_bot=True)
        self._handlers: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "users.info": self._users_info,
            "users.conversations": self._users_conversations,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "reactions.add": self._reactions_add,
            "reactions.remove": self._reactions_remove,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
            "apps.connections.open": self._apps_connections_open,
        }

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> SlackStandIn:
        """Bind a free port on 127.0.0.1 and serve in a daemon thread; returns self."""
        server = _Server(("127.0.0.1", 0), _Handler)
        server.stand_in = self  # type: ignore[attr-defined]
        self._serve_in_thread(
            server, lambda: server.serve_forever(poll_interval=0.05), "slack-stand-in"
        )
        return self

    def _close(self, server: ThreadingHTTPServer) -> None:
        server.shutdown()
        server.server_close()

    @property
    def port(self) -> int:
        """The TCP port the stand-in listens on."""
        return int(self._running().server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """What to pass as ``WebClient(base_url=...)``: ends with ``/api/``."""
        return f"{self.base_url}/api/"

    def attach_socket_mode(self, endpoint: SocketModeEndpoint | None) -> None:
        """Make apps.connections.open hand out URLs of this Socket Mode server."""
        with self.lock:
            self._socket_mode = endpoint

    # ----------------------------------------------------------------- workspace seeding

    def next_ts(self) -> str:
        """A fresh message ts, ``"1732770000.000100"`` style, strictly increasing."""
        with self.lock:
            now_us = int(self.message_clock() * 1_000_000)
            self._last_us = max(now_us, self._last_us + 1)
            return f"{self._last_us // 1_000_000}.{self._last_us % 1_000_000:06d}"

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}0{next(self._ids):08d}"

    def add_user(
        self,
        name: str,
        *,
        id: str | None = None,
        real_name: str | None = None,
        tz: str = "America/New_York",
        email: str | None = None,
        is_bot: bool = False,
    ) -> str:
        """Add a workspace member; returns the user id (``U0...``)."""
        ZoneInfo(tz)
        with self.lock:
            user_id = id or self._new_id("U")
            self.users[user_id] = User(
                user_id, name, real_name or name.title(), tz, is_bot=is_bot, email=email
            )
            return user_id

    def add_channel(
        self,
        name: str,
        *,
        id: str | None = None,
        is_private: bool = False,
        members: set[str] | None = None,
        bot_is_member: bool = True,
    ) -> str:
        """Add a channel (``C0...``); ``members=None`` means everyone is in it."""
        with self.lock:
            channel_id = id or self._new_id("C")
            self.channels[channel_id] = Channel(
                channel_id,
                name.lstrip("#"),
                is_private=is_private,
                members=set(members) if members is not None else None,
                bot_is_member=bot_is_member,
            )
            self._messages.setdefault(channel_id, [])
            return channel_id

    def revoke_token(self, token: str) -> None:
        """Slack no longer knows ``token`` (bot or app-level): calls with it get invalid_auth."""
        with self.lock:
            self.bot_tokens.discard(token)
            self.app_tokens.discard(token)

    def im_channel_for(self, user: str) -> str:
        """The bot's DM channel with ``user`` (``D0...``), created on first use.

        Bots must not build this id themselves: they get it from conversations.open or the
        ``channel`` of a chat.postMessage answer sent with ``channel=<user id>``.
        """
        with self.lock:
            if user not in self.users:
                raise ApiError("user_not_found")
            if user not in self._ims:
                channel_id = self._new_id("D")
                self._ims[user] = channel_id
                self.channels[channel_id] = Channel(
                    channel_id, channel_id, is_im=True, user=user, members={user}
                )
                self._messages[channel_id] = []
            return self._ims[user]

    def post_as_user(
        self,
        user: str,
        channel: str,
        text: str,
        *,
        thread_ts: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Put a person's message into history (as if typed in Slack); returns a copy of it.

        Use its ``ts`` in the event you deliver, so the bot can thread, react and link to it.
        """
        with self._changed:
            channel_id = self._resolve_channel(channel, allow_user=True)
            message: dict[str, Any] = {
                "type": "message",
                "user": user,
                "text": text,
                "ts": self.next_ts(),
                "team": self.team_id,
            }
            if blocks is not None:
                message["blocks"] = blocks
            self._store(channel_id, message, thread_ts)
            self._changed.notify_all()
            return copy.deepcopy(message)

    def edit_as_user(self, user: str, channel: str, ts: str, text: str) -> dict[str, Any]:
        """``user`` edits their message ``ts`` (as in Slack); returns a copy of it before the edit.

        Raises ``KeyError`` when there is no such message of theirs.
        """
        with self._changed:
            channel_id = self._resolve_channel(channel, allow_user=True)
            message = self._find(channel_id, ts)
            if message is None or message.get("user") != user or message.get("bot_id"):
                raise KeyError(f"{user} has no message {ts} in {channel_id}")
            before = copy.deepcopy(message)
            message["text"] = text
            message["edited"] = {"user": user, "ts": f"{int(time.time())}.000000"}
            message.pop("blocks", None)
            self._changed.notify_all()
            return before

    def delete_as_user(self, user: str, channel: str, ts: str) -> dict[str, Any]:
        """``user`` deletes their message ``ts``; returns what is left of it, as Slack does.

        A message with thread replies becomes a tombstone ("This message was deleted.", its
        replies kept); any other is removed. Raises ``KeyError`` when it is not theirs.
        """
        with self._changed:
            channel_id = self._resolve_channel(channel, allow_user=True)
            message = self._find(channel_id, ts)
            if message is None or message.get("user") != user or message.get("bot_id"):
                raise KeyError(f"{user} has no message {ts} in {channel_id}")
            if message.get("reply_count"):
                for key in ("blocks", "edited", "client_msg_id", "team"):
                    message.pop(key, None)
                message.update(
                    subtype=TOMBSTONE_SUBTYPE, text=TOMBSTONE_TEXT, user="USLACKBOT", hidden=True
                )
                left = copy.deepcopy(message)
            else:
                self._remove(channel_id, message)
                left = {}
            self._changed.notify_all()
            return left

    def new_trigger_id(self, user: str) -> str:
        """Mint a trigger_id for ``user`` that views.open/push accept once, within the TTL."""
        with self.lock:
            trigger_id = f"{int(time.time())}.{secrets.randbelow(10**11)}.{secrets.token_hex(16)}"
            self._triggers[trigger_id] = _Trigger(user, time.monotonic())
            return trigger_id

    def new_response_url(
        self,
        *,
        channel: str,
        user: str,
        message_ts: str | None = None,
        is_ephemeral: bool = False,
    ) -> str:
        """Mint a response_url served by the stand-in, tied to the interaction's message."""
        with self.lock:
            url_id = secrets.token_hex(12)
            self._response_urls[url_id] = _ResponseUrl(channel, user, message_ts, is_ephemeral)
            return f"{self.base_url}/response/{self.team_id}/{url_id}"

    # ----------------------------------------------------------------- fault injection

    def fail_next(
        self,
        method: str,
        *,
        times: int = 1,
        status: int = 200,
        error: str = "internal_error",
        retry_after: int | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (``"*"``: any method) with a fault."""
        with self.lock:
            self._faults.setdefault(method, deque()).append(
                Fault(status, error, retry_after, times)
            )

    def rate_limit_next(self, method: str, *, times: int = 1, retry_after: int = 1) -> None:
        """The next calls answer HTTP 429 ``ratelimited`` with ``Retry-After`` seconds."""
        self.fail_next(
            method, times=times, status=429, error="ratelimited", retry_after=retry_after
        )

    def server_error_next(self, method: str, *, times: int = 1, status: int = 500) -> None:
        """The next calls answer an HTTP 5xx."""
        self.fail_next(method, times=times, status=status, error="internal_error")

    def error_next(self, method: str, error: str, *, times: int = 1) -> None:
        """The next calls answer HTTP 200 ``{"ok": false, "error": error}``."""
        self.fail_next(method, times=times, status=200, error=error)

    def drop_next(self, method: str, *, times: int = 1, after: bool = False) -> None:
        """Close the connection of the next calls without an answer (a dropped connection).

        ``after=False``: before doing anything, as when Slack is unreachable. ``after=True``:
        after doing what was asked (a message is posted), so the caller never learns it was.
        """
        self.fail_next(method, times=times, status=DROP_STATUS, error=DROP_AFTER if after else DROP)

    def hold_next(self, method: str, *, skip: int = 0) -> Hold:
        """Hold the call of ``method`` after the next ``skip`` ones until ``release()``.

        The held request waits before it is handled (outside the lock, so everything else
        goes on): a test can kill the caller meanwhile, then release it to be handled as
        Slack would handle a request whose client has gone.
        """
        hold = Hold(skip=skip)
        with self.lock:
            self._holds.setdefault(method, deque()).append(hold)
        return hold

    def _wait_if_held(self, method: str) -> None:
        with self.lock:
            queue = self._holds.get(method)
            hold = queue[0] if queue else None
            if hold is None:
                return
            if hold.skip > 0:
                hold.skip -= 1
                return
            queue.popleft()  # type: ignore[union-attr]
        hold.arrived.set()
        hold.released.wait(timeout=HOLD_SECONDS)

    def _take_fault(self, method: str) -> Fault | None:
        for key in (method, "*"):
            queue = self._faults.get(key)
            if queue:
                fault = queue[0]
                fault.remaining -= 1
                if fault.remaining <= 0:
                    queue.popleft()
                return fault
        return None

    # ----------------------------------------------------------------- recorder and helpers

    def calls(self, method: str | None = None) -> list[Call]:
        """Every call (of ``method``), oldest first."""
        with self.lock:
            return [c for c in self._calls if method is None or c.method == method]

    def messages_in(
        self, channel: str, *, thread_ts: str | None = None, include_replies: bool = False
    ) -> list[dict[str, Any]]:
        """Messages now in a channel, oldest first, with edits applied and deletions gone.

        Without ``thread_ts``: top-level messages (and broadcast replies; every reply with
        ``include_replies``). With ``thread_ts``: that thread, parent first. ``channel`` may be a
        user id, meaning the bot's DM with that user.
        """
        with self.lock:
            channel_id = self._resolve_channel(channel, allow_user=True)
            result = []
            for message in self._messages.get(channel_id, []):
                parent = message.get("thread_ts")
                is_reply = parent is not None and parent != message["ts"]
                if thread_ts is not None:
                    keep = message["ts"] == thread_ts or parent == thread_ts
                else:
                    keep = (
                        include_replies
                        or not is_reply
                        or message.get("subtype") == "thread_broadcast"
                    )
                if keep:
                    result.append(copy.deepcopy(message))
            return result

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The current state of one message (None when absent or deleted)."""
        with self.lock:
            channel_id = self._resolve_channel(channel, allow_user=True)
            found = self._find(channel_id, ts)
            return copy.deepcopy(found) if found else None

    def deleted_messages(self) -> list[tuple[str, dict[str, Any]]]:
        """``(channel, message)`` for every message deleted (chat.delete or delete_original)."""
        with self.lock:
            return list(self._deleted)

    def dms_to(self, user: str, *, containing: str | None = None) -> list[dict[str, Any]]:
        """Messages the bot posted in its DM with ``user`` (threads included), oldest first."""
        with self.lock:
            if user not in self._ims:
                return []
            return [
                message
                for message in self.messages_in(self._ims[user], include_replies=True)
                if message.get("bot_id") == self.bot_id
                and (containing is None or containing in visible_text(message))
            ]

    def ephemerals_to(
        self, user: str, *, channel: str | None = None, containing: str | None = None
    ) -> list[Ephemeral]:
        """Ephemeral messages shown to ``user`` (chat.postEphemeral and response_url)."""
        with self.lock:
            return [
                e
                for e in self._ephemerals
                if e.user == user
                and (channel is None or e.channel == channel)
                and (containing is None or containing in e.text)
            ]

    def responses(self, url: str | None = None) -> list[ResponsePost]:
        """Every POST to a response_url (to ``url``), oldest first."""
        with self.lock:
            return [r for r in self._responses if url is None or r.url == url]

    def views_opened(self, user: str | None = None) -> list[dict[str, Any]]:
        """Modal views opened or pushed (for ``user``), oldest first, as first sent."""
        with self.lock:
            return [
                copy.deepcopy(c.response["view"])
                for c in self._calls
                if c.method in ("views.open", "views.push")
                and c.ok
                and (user is None or self._view_owner.get(c.response["view"]["id"]) == user)
            ]

    def view(self, view_id: str) -> dict[str, Any] | None:
        """The current state of a view (after views.update)."""
        with self.lock:
            found = self._views.get(view_id)
            return copy.deepcopy(found) if found else None

    def last_view_published_for(self, user: str) -> dict[str, Any] | None:
        """The App Home view last published for ``user``, or None."""
        with self.lock:
            found = self._home.get(user)
            return copy.deepcopy(found) if found else None

    def files_shared_in(self, channel: str) -> list[SharedFile]:
        """Files shared in a channel (files.completeUploadExternal), oldest first, with bytes."""
        with self.lock:
            channel_id = self._resolve_channel(channel, allow_user=True)
            return [
                copy.deepcopy(self._files[shared["id"]])
                for message in self._messages.get(channel_id, [])
                for shared in message.get("files") or []
                if shared.get("id") in self._files
            ]

    def file_mimetype(self, file_id: str) -> str:
        with self.lock:
            found = self._files.get(file_id)
            return found.mimetype if found is not None else "application/octet-stream"

    def file_content(self, file_id: str) -> bytes | None:
        """A file's uploaded bytes (None: unknown, or nothing uploaded to its URL yet)."""
        with self.lock:
            found = self._files.get(file_id)
            return found.content if found is not None else None

    # ----------------------------------------------------------------- modals as people see them

    def modal_stack(self, user: str) -> list[dict[str, Any]]:
        """The modals open on ``user``'s screen, bottom first (the last one is in front)."""
        with self.lock:
            stack = self._modal_stacks.get(user) or []
            return [copy.deepcopy(self._views[view_id]) for view_id in stack]

    def modal_errors(self, view_id: str) -> dict[str, str]:
        """Field errors the app last answered for a view (block_id -> message)."""
        with self.lock:
            return dict(self._modal_errors.get(view_id) or {})

    def answer_submission(self, user: str, view_id: str, ack: Any) -> None:
        """Do with ``user``'s modals what Slack does with the app's view_submission ack.

        ``errors`` keeps the view open with messages by its fields; ``update`` replaces it;
        ``push`` puts a new view on top; ``clear`` closes every modal; anything else (an empty
        ack) closes the submitted view and those above it.
        """
        answer = ack if isinstance(ack, Mapping) else {}
        action = answer.get("response_action")
        with self._changed:
            stack = self._modal_stacks.setdefault(user, [])
            self._modal_errors.pop(view_id, None)
            if action == "errors":
                self._modal_errors[view_id] = {
                    str(k): str(v) for k, v in dict(answer.get("errors") or {}).items()
                }
            elif action in ("update", "push") and isinstance(answer.get("view"), Mapping):
                view = dict(answer["view"])
                if action == "update" and view_id in self._views:
                    self._views[view_id].update(
                        title=view.get("title"),
                        submit=view.get("submit"),
                        close=view.get("close"),
                        blocks=with_generated_ids(view.get("blocks", [])),
                        private_metadata=view.get("private_metadata", ""),
                        callback_id=view.get("callback_id", ""),
                        hash=f"{int(time.time())}.{secrets.token_hex(4)}",
                    )
                elif action == "push" and stack:
                    stored = self._new_view(view, root=stack[0], previous=stack[-1])
                    self._view_owner[stored["id"]] = user
                    stack.append(stored["id"])
            elif action == "clear":
                stack.clear()
            elif view_id in stack:
                del stack[stack.index(view_id) :]
            self._changed.notify_all()

    def close_modal(self, user: str, view_id: str) -> None:
        """``user`` pressed Close: the view (and those above) goes, or all with clear_on_close."""
        with self._changed:
            stack = self._modal_stacks.setdefault(user, [])
            if view_id in stack:
                clear = self._views[view_id].get("clear_on_close")
                del stack[0 if clear else stack.index(view_id) :]
            self._modal_errors.pop(view_id, None)
            self._changed.notify_all()

    def wait_for(
        self,
        predicate: Callable[[], T],
        *,
        timeout: float = WAIT_SECONDS,
        description: str = "condition",
    ) -> T:
        """Wait until ``predicate()`` is truthy and return its value; AssertionError on timeout.

        The predicate runs under the stand-in's lock, after every recorded change, so it may
        call any helper here (but must not call the Web API itself: that would wait for the
        lock it holds). Bots answer after ``ack()``: wait, do not sleep.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {description}; "
                        f"calls so far: {[c.method for c in self._calls]}"
                    )
                self._changed.wait(remaining)

    def wait_for_call(
        self,
        method: str,
        *,
        where: Callable[[Call], bool] | None = None,
        count: int = 1,
        timeout: float = WAIT_SECONDS,
    ) -> Call:
        """Wait until ``count`` calls of ``method`` (matching ``where``) happened; the last one."""

        def matching() -> list[Call]:
            return [c for c in self.calls(method) if where is None or where(c)]

        found = self.wait_for(
            lambda: len(matching()) >= count,
            timeout=timeout,
            description=f"{count} call(s) of {method}",
        )
        assert found
        return matching()[count - 1]

    def _assert_one(
        self, find: Callable[[], list[T]], what: str, render: Callable[[T], str], timeout: float
    ) -> T:
        self.wait_for(find, timeout=timeout, description=what)
        found = find()
        assert len(found) == 1, (
            f"expected one {what}, got {len(found)}: {[render(f) for f in found]}"
        )
        return found[0]

    def assert_one_dm(
        self, user: str, *, containing: str | None = None, timeout: float = WAIT_SECONDS
    ) -> dict[str, Any]:
        """Wait for a DM to ``user`` (with ``containing`` in its visible text); exactly one."""
        return self._assert_one(
            lambda: self.dms_to(user, containing=containing),
            f"DM to {user} containing {containing!r}",
            visible_text,
            timeout,
        )

    def assert_one_ephemeral(
        self, user: str, *, containing: str | None = None, timeout: float = WAIT_SECONDS
    ) -> Ephemeral:
        """Wait for an ephemeral to ``user`` (with ``containing``); exactly one."""
        return self._assert_one(
            lambda: self.ephemerals_to(user, containing=containing),
            f"ephemeral to {user} containing {containing!r}",
            lambda e: e.text,
            timeout,
        )

    # ----------------------------------------------------------------- request entry points

    def handle_api(
        self, method: str, headers: Mapping[str, str], body: bytes, query: str
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Answer one Web API request; returns (status, extra headers, JSON body)."""
        token: str | None = None
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            token = auth[7:].strip() or None
        try:
            args = parse_body(headers.get("content-type", ""), body, query)
            parse_error: ApiError | None = None
        except ApiError as exc:
            args, parse_error = {}, exc
        body_token = args.pop("token", None)
        token = token or (str(body_token) if body_token else None)
        extra: dict[str, str] = {}
        self._wait_if_held(method)
        with self._changed:
            fault = self._take_fault(method)
            if fault is not None and fault.error == DROP_AFTER:
                status = DROP_STATUS
                try:
                    response = self._dispatch(method, token, args)
                except ApiError as exc:
                    response = exc.body()
            elif fault is not None:
                status, response = fault.status, {"ok": False, "error": fault.error}
                if fault.retry_after is not None:
                    extra["Retry-After"] = str(fault.retry_after)
            else:
                status = 200
                try:
                    if parse_error is not None:
                        raise parse_error
                    response = self._dispatch(method, token, args)
                except ApiError as exc:
                    response = exc.body()
            if method == "auth.test" and response.get("ok"):
                extra["x-oauth-scopes"] = "chat:write,commands,users:read,reactions:write"
            response = copy.deepcopy(response)
            self._calls.append(Call(method, args, token, time.time(), status, response))
            self._changed.notify_all()
        return status, extra, response

    def _dispatch(self, method: str, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        handler = self._handlers.get(method)
        if handler is None:
            raise ApiError("unknown_method")
        if not token:
            raise ApiError("not_authed")
        if token in self.app_tokens:
            kind = "app"
        elif token in self.bot_tokens:
            kind = "bot"
        else:
            raise ApiError("invalid_auth")
        if (kind == "app") != (method == "apps.connections.open"):
            raise ApiError("not_allowed_token_type")
        response = handler(args, kind)
        return {"ok": True, **response}

    def handle_response_url(self, path: str, body: bytes, content_type: str) -> tuple[int, str]:
        """Answer a POST to a response_url; returns (status, text body) as Slack does."""
        url = f"{self.base_url}{path}"
        url_id = path.rstrip("/").rsplit("/", 1)[-1]
        try:
            if content_type.startswith("application/x-www-form-urlencoded"):
                payload = json.loads(dict(parse_qsl(body.decode())).get("payload", "{}"))
            else:
                payload = json.loads(body.decode() or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return 400, "invalid_payload"
        if not isinstance(payload, dict):
            return 400, "invalid_payload"
        with self._changed:
            target = self._response_urls.get(url_id)
            if target is None:
                return 404, "no_service"
            status, text = self._apply_response(target, payload)
            self._responses.append(
                ResponsePost(url, target.channel, target.user, payload, time.time(), status)
            )
            self._changed.notify_all()
            return status, text

    def handle_upload(self, path: str, body: bytes) -> tuple[int, str]:
        """Answer a POST of a file's bytes to its upload URL; returns (status, text) as Slack does.

        The upload URL is the credential (no token is sent), good for one file.
        """
        upload_id = path.rstrip("/").rsplit("/", 1)[-1]
        self._wait_if_held("upload")
        with self._changed:
            fault = self._take_fault("upload")
            file_id = self._upload_urls.get(upload_id)
            if fault is not None:
                status, text = fault.status or 500, fault.error
            elif file_id is None:
                status, text = 404, "upload_url_not_found"
            else:
                self._files[file_id].content = bytes(body)
                status, text = 200, f"OK - {len(body)}"
            self._calls.append(
                Call(
                    "upload",
                    {"file_id": file_id, "length": len(body)},
                    None,
                    time.time(),
                    status,
                    {"ok": status == 200},
                )
            )
            self._changed.notify_all()
            return status, text

    def _apply_response(self, target: _ResponseUrl, payload: dict[str, Any]) -> tuple[int, str]:
        if target.uses >= RESPONSE_URL_USES:
            return 404, "used_url"
        target.uses += 1
        if _flag(payload.get("delete_original")):
            if target.message_ts and not target.is_ephemeral:
                found = self._find(target.channel, target.message_ts)
                if found is None:
                    return 404, "message_not_found"
                self._remove(target.channel, found)
            return 200, "ok"
        blocks = payload.get("blocks")
        if blocks is not None and message_block_errors(blocks):
            return 400, "invalid_blocks"
        if not payload.get("text") and not blocks and not payload.get("attachments"):
            return 400, "no_text"
        content: dict[str, Any] = {
            k: payload[k] for k in ("text", "blocks", "attachments") if k in payload
        }
        replace = _flag(payload.get("replace_original"))
        if replace and target.message_ts and not target.is_ephemeral:
            found = self._find(target.channel, target.message_ts)
            if found is None:
                return 404, "message_not_found"
            if "blocks" in content:
                content["blocks"] = with_generated_ids(content["blocks"])
            found.update(copy.deepcopy(content))
            return 200, "ok"
        if payload.get("response_type") == "in_channel":
            message = self._bot_message(str(payload.get("text") or ""), payload)
            thread_ts = payload.get("thread_ts")
            self._store(target.channel, message, str(thread_ts) if thread_ts else None)
            return 200, "ok"
        message = {"type": "message", "text": str(payload.get("text") or ""), **content}
        message["ts"] = self.next_ts()
        self._ephemerals.append(
            Ephemeral(target.channel, target.user, message, "response_url", time.time())
        )
        return 200, "ok"

    # ----------------------------------------------------------------- internals

    def _resolve_channel(self, channel: Any, *, allow_user: bool = False) -> str:
        if not channel or not isinstance(channel, str):
            raise ApiError("channel_not_found")
        if channel in self.channels:
            return channel
        if allow_user and channel in self.users:
            return self.im_channel_for(channel)
        name = channel.lstrip("#")
        for candidate in self.channels.values():
            if not candidate.is_im and candidate.name == name:
                return candidate.id
        raise ApiError("channel_not_found")

    def _visible_channel(self, channel: Any, *, allow_user: bool = False) -> Channel:
        found = self.channels[self._resolve_channel(channel, allow_user=allow_user)]
        if found.is_private and not found.bot_is_member:
            raise ApiError("channel_not_found")
        return found

    def _find(self, channel_id: str, ts: Any) -> dict[str, Any] | None:
        for message in self._messages.get(channel_id, []):
            if message["ts"] == ts:
                return message
        return None

    def _remove(self, channel_id: str, message: dict[str, Any]) -> None:
        self._messages[channel_id].remove(message)
        self._deleted.append((channel_id, copy.deepcopy(message)))
        parent_ts = message.get("thread_ts")
        if parent_ts and parent_ts != message["ts"]:
            parent = self._find(channel_id, parent_ts)
            if parent is not None:
                self._refresh_thread(channel_id, parent)

    def _refresh_thread(self, channel_id: str, parent: dict[str, Any]) -> None:
        replies = [
            m
            for m in self._messages[channel_id]
            if m.get("thread_ts") == parent["ts"] and m["ts"] != parent["ts"]
        ]
        if not replies:
            for key in ("reply_count", "reply_users", "reply_users_count", "latest_reply"):
                parent.pop(key, None)
            return
        users = list(dict.fromkeys(str(m.get("user") or m.get("bot_id")) for m in replies))
        parent.update(
            thread_ts=parent["ts"],
            reply_count=len(replies),
            reply_users=users,
            reply_users_count=len(users),
            latest_reply=replies[-1]["ts"],
        )

    def _store(self, channel_id: str, message: dict[str, Any], thread_ts: str | None) -> None:
        if thread_ts:
            parent = self._find(channel_id, thread_ts)
            message["thread_ts"] = thread_ts
            if parent is not None:
                message["parent_user_id"] = parent.get("user")
        self._messages.setdefault(channel_id, []).append(message)
        if thread_ts:
            parent = self._find(channel_id, thread_ts)
            if parent is not None:
                self._refresh_thread(channel_id, parent)

    def _bot_message(self, text: str, args: Mapping[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "user": self.bot_user_id,
            "type": "message",
            "ts": self.next_ts(),
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": text,
            "team": self.team_id,
            "bot_profile": {
                "id": self.bot_id,
                "app_id": self.app_id,
                "name": self.bot_name,
                "icons": {},
                "deleted": False,
                "updated": int(time.time()),
                "team_id": self.team_id,
            },
        }
        if args.get("blocks") is not None:
            message["blocks"] = with_generated_ids(args["blocks"])
        if args.get("attachments") is not None:
            message["attachments"] = [
                {"id": index + 1, **copy.deepcopy(attachment)}
                for index, attachment in enumerate(args["attachments"])
            ]
        if args.get("metadata"):
            message["metadata"] = args["metadata"]
        return message

    def _check_content(self, args: Mapping[str, Any], *, required: bool = True) -> str:
        text = args.get("text")
        text = "" if text is None else str(text)
        blocks = args.get("blocks")
        attachments = args.get("attachments")
        if required and not text and not blocks and not attachments:
            raise ApiError("no_text")
        if len(text) > MAX_MESSAGE_TEXT:
            raise ApiError("msg_too_long")
        if blocks is not None:
            errors = message_block_errors(blocks)
            if errors:
                raise ApiError("invalid_blocks", errors)
        if attachments is not None:
            if not isinstance(attachments, list):
                raise ApiError("invalid_attachments")
            if len(attachments) > 100:
                raise ApiError("too_many_attachments")
            for index, attachment in enumerate(attachments):
                errors = message_block_errors(attachment.get("blocks") or [])
                if errors:
                    pointer = f"/attachments/{index}"
                    raise ApiError(
                        "invalid_attachments",
                        [e.replace("[json-pointer:", f"[json-pointer:{pointer}") for e in errors],
                    )
        return text

    # ----------------------------------------------------------------- methods

    def _auth_test(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        channel = self._visible_channel(args.get("channel"), allow_user=True)
        if channel.is_archived:
            raise ApiError("is_archived")
        if not channel.bot_is_member:
            raise ApiError("not_in_channel")
        text = self._check_content(args)
        message = self._bot_message(text, args)
        thread_ts = args.get("thread_ts") or None
        if thread_ts and _flag(args.get("reply_broadcast")):
            message["subtype"] = "thread_broadcast"
        self._store(channel.id, message, str(thread_ts) if thread_ts else None)
        return {"channel": channel.id, "ts": message["ts"], "message": dict(message)}

    def _chat_post_ephemeral(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        channel = self._visible_channel(args.get("channel"))
        user = args.get("user")
        if not user:
            raise _missing("user")
        if user not in self.users or not channel.has_member(str(user)):
            raise ApiError("user_not_in_channel")
        text = self._check_content(args)
        message = self._bot_message(text, args)
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        self._ephemerals.append(
            Ephemeral(channel.id, str(user), message, "chat.postEphemeral", time.time())
        )
        return {"message_ts": message["ts"]}

    def _own_message(
        self, args: dict[str, Any], ts_arg: str, error: str
    ) -> tuple[str, dict[str, Any]]:
        channel = self._visible_channel(args.get("channel"))
        ts = args.get(ts_arg)
        if not ts:
            raise ApiError("message_not_found")
        message = self._find(channel.id, ts)
        if message is None:
            raise ApiError("message_not_found")
        if message.get("bot_id") != self.bot_id:
            raise ApiError(error)
        return channel.id, message

    def _chat_update(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        channel_id, message = self._own_message(args, "ts", "cant_update_message")
        text = self._check_content(args)
        if "text" in args:
            message["text"] = text
        for key in ("blocks", "attachments", "metadata"):
            if key in args:
                if args[key]:
                    value = copy.deepcopy(args[key])
                    message[key] = with_generated_ids(value) if key == "blocks" else value
                else:
                    message.pop(key, None)
        message["edited"] = {"user": self.bot_id, "ts": f"{int(time.time())}.000000"}
        reply = {k: v for k, v in message.items() if k != "ts"}
        return {
            "channel": channel_id,
            "ts": message["ts"],
            "text": message["text"],
            "message": reply,
        }

    def _chat_delete(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        channel_id, message = self._own_message(args, "ts", "cant_delete_message")
        self._remove(channel_id, message)
        return {"channel": channel_id, "ts": message["ts"]}

    def _chat_get_permalink(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        channel = self._visible_channel(args.get("channel"))
        message = self._find(channel.id, args.get("message_ts"))
        if message is None:
            raise ApiError("message_not_found")
        link = (
            f"https://{self.team_domain}.slack.com/archives/{channel.id}/"
            f"p{message['ts'].replace('.', '')}"
        )
        parent = message.get("thread_ts")
        if parent and parent != message["ts"]:
            link += f"?thread_ts={parent}&cid={channel.id}"
        return {"channel": channel.id, "permalink": link}

    def _require_any_scope(self, *scopes: str) -> None:
        """Answer missing_scope unless the token has one of `scopes` (None grants every scope)."""
        if self.granted_scopes is not None and not set(scopes) & self.granted_scopes:
            raise ApiError("missing_scope")

    def _history_scope(self, channel: Channel) -> None:
        """Reading a conversation needs the history scope of its type, as on Slack."""
        if channel.is_im:
            self._require_any_scope("im:history")
        elif channel.is_mpim:
            self._require_any_scope("mpim:history")
        elif channel.is_private:
            self._require_any_scope("groups:history")
        else:
            self._require_any_scope("channels:history")

    def _conversations_open(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        self._require_any_scope("channels:manage", "groups:write", "im:write", "mpim:write")
        if args.get("channel"):
            channel = self._visible_channel(args["channel"])
            return {"channel": {"id": channel.id}}
        raw = args.get("users")
        users = raw if isinstance(raw, list) else str(raw or "").split(",")
        users = [u.strip() for u in users if u and u.strip()]
        if not users:
            raise ApiError("users_list_not_supplied")
        if len(users) > 8:
            raise ApiError("too_many_users")
        for user in users:
            if user not in self.users:
                raise ApiError("user_not_found")
            if self.users[user].deleted:
                raise ApiError("user_disabled")
        if len(users) == 1:
            existed = users[0] in self._ims
            if not existed and _flag(args.get("prevent_creation")):
                raise ApiError("channel_not_found")
            channel_id = self.im_channel_for(users[0])
        else:
            members = {*users, self.bot_user_id}
            existing = [c for c in self.channels.values() if c.is_mpim and c.members == members]
            existed = bool(existing)
            if existing:
                channel_id = existing[0].id
            else:
                channel_id = self._new_id("G")
                name = "mpdm-" + "--".join(sorted(self.users[u].name for u in members)) + "-1"
                self.channels[channel_id] = Channel(
                    channel_id, name, is_private=True, is_mpim=True, members=members
                )
                self._messages[channel_id] = []
        answer: dict[str, Any] = {"channel": {"id": channel_id}}
        if _flag(args.get("return_im")):
            answer["channel"] = self.channels[channel_id].info(self.team_id)
        if existed:
            answer.update(no_op=True, already_open=True)
        return answer

    def _conversations_info(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        channel = self._visible_channel(args.get("channel"))
        info = channel.info(self.team_id)
        if _flag(args.get("include_num_members")):
            info["num_members"] = (
                len(channel.members) if channel.members is not None else len(self.users)
            )
        return {"channel": info}

    def _page(
        self, messages: list[dict[str, Any]], args: dict[str, Any], *, newest_first: bool
    ) -> dict[str, Any]:
        try:
            limit = int(args.get("limit") or 100)
        except ValueError as exc:
            raise ApiError("invalid_limit") from exc
        limit = max(1, min(limit, 999))
        inclusive = _flag(args.get("inclusive"))
        oldest, latest = args.get("oldest"), args.get("latest")
        try:
            low = _ts_key(str(oldest)) if oldest else (0, 0)
            high = _ts_key(str(latest)) if latest else (2**62, 0)
        except ValueError as exc:
            raise ApiError("invalid_ts_oldest" if oldest else "invalid_ts_latest") from exc

        def in_range(ts: str) -> bool:
            key = _ts_key(ts)
            if inclusive:
                return low <= key <= high
            return low < key < high

        selected = [m for m in messages if in_range(m["ts"])]
        if newest_first:
            selected.reverse()
        if args.get("cursor"):
            start = _ts_key(_uncursor(str(args["cursor"])))
            selected = [
                m
                for m in selected
                if (_ts_key(m["ts"]) <= start if newest_first else _ts_key(m["ts"]) >= start)
            ]
        page = selected[:limit]
        has_more = len(selected) > limit
        page = copy.deepcopy(page)
        if not _flag(args.get("include_all_metadata")):
            for message in page:  # Slack shows message metadata only to those who ask
                message.pop("metadata", None)
        answer: dict[str, Any] = {
            "messages": page,
            "has_more": has_more,
            "response_metadata": {
                "next_cursor": _cursor(selected[limit]["ts"]) if has_more else ""
            },
        }
        return answer

    def _conversations_history(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        channel = self._visible_channel(args.get("channel"))
        self._history_scope(channel)
        if not channel.bot_is_member:
            raise ApiError("not_in_channel")
        top = [
            m
            for m in self._messages[channel.id]
            if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
        ]
        answer = self._page(top, args, newest_first=True)
        answer["pin_count"] = 0
        return answer

    def _conversations_replies(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        channel = self._visible_channel(args.get("channel"))
        self._history_scope(channel)
        ts = args.get("ts")
        if not ts:
            raise _missing("ts")
        message = self._find(channel.id, ts)
        if message is None:
            raise ApiError("thread_not_found")
        root = str(message.get("thread_ts") or message["ts"])
        thread = [
            m for m in self._messages[channel.id] if m["ts"] == root or m.get("thread_ts") == root
        ]
        return self._page(thread, args, newest_first=False)

    def _users_info(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        user = self.users.get(str(args.get("user") or ""))
        if user is None:
            raise ApiError("user_not_found")
        info = user.info(self.team_id)
        if _flag(args.get("include_locale")):
            info["locale"] = "en-US"
        return {"user": info}

    def _users_conversations(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        """The conversations the bot (or `user`) is in, of the asked types, a page at a time."""
        types = [t.strip() for t in str(args.get("types") or "public_channel").split(",")]
        if not all(t in TYPE_SCOPES for t in types):
            raise ApiError("invalid_types")
        granted = self.granted_scopes
        if granted is not None and not {TYPE_SCOPES[t] for t in types} <= granted:
            raise ApiError("missing_scope")
        try:
            limit = max(1, min(int(args.get("limit") or 100), 999))
        except ValueError as exc:
            raise ApiError("invalid_limit") from exc
        if self.list_page_cap is not None:
            limit = min(limit, self.list_page_cap)
        user = str(args.get("user") or self.bot_user_id)

        def listed(channel: Channel) -> bool:
            if channel.is_im:
                kind_of = "im"
            elif channel.is_mpim:
                kind_of = "mpim"
            else:
                kind_of = "private_channel" if channel.is_private else "public_channel"
            if kind_of not in types or (
                _flag(args.get("exclude_archived")) and channel.is_archived
            ):
                return False
            if user == self.bot_user_id:
                return channel.bot_is_member
            return channel.has_member(user) and (not channel.is_private or channel.bot_is_member)

        selected = [c for c in self.channels.values() if listed(c)]
        if args.get("cursor"):
            start = _uncursor(str(args["cursor"]), key="next_id")
            ids = [c.id for c in selected]
            if start not in ids:
                raise ApiError("invalid_cursor")
            selected = selected[ids.index(start) :]
        page, rest = selected[:limit], selected[limit:]
        return {
            "channels": [c.info(self.team_id) for c in page],
            "response_metadata": {
                "next_cursor": _cursor(rest[0].id, key="next_id") if rest else ""
            },
        }

    def _checked_view(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        if view is None:
            raise _missing("view")
        errors = view_errors(view)
        if errors:
            raise ApiError("invalid_arguments", errors)
        if len(json.dumps(view)) > 250_000:
            raise ApiError("view_too_large")
        return dict(view)

    def _exchange_trigger(self, args: dict[str, Any]) -> str:
        trigger_id = args.get("trigger_id") or args.get("interactivity_pointer")
        if not trigger_id or not _TRIGGER_FORMAT.match(str(trigger_id)):
            raise ApiError("invalid_arguments", ["invalid `trigger_id`"])
        trigger = self._triggers.get(str(trigger_id))
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if trigger.used:
            raise ApiError("exchanged_trigger_id")
        if time.monotonic() - trigger.issued > self.trigger_ttl:
            raise ApiError("expired_trigger_id")
        trigger.used = True
        return trigger.user

    def _new_view(
        self, view: dict[str, Any], *, root: str | None = None, previous: str | None = None
    ) -> dict[str, Any]:
        view_id = self._new_id("V")
        external_id = view.get("external_id") or ""
        if external_id and any(v.get("external_id") == external_id for v in self._views.values()):
            raise ApiError("duplicate_external_id")
        stored = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view["type"],
            "title": view.get("title"),
            "submit": view.get("submit"),
            "close": view.get("close"),
            "blocks": with_generated_ids(view.get("blocks", [])),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": external_id,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": root or view_id,
            "previous_view_id": previous,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        self._views[view_id] = stored
        return stored

    def _views_open(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        view = self._checked_view(args)
        user = self._exchange_trigger(args)
        if view["type"] != "modal":
            raise ApiError(
                "invalid_arguments", ["[ERROR] must be a modal [json-pointer:/view/type]"]
            )
        stored = self._new_view(view)
        self._view_owner[stored["id"]] = user
        self._modal_stacks[user] = [stored["id"]]
        return {"view": copy.deepcopy(stored)}

    def _views_push(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        view = self._checked_view(args)
        user = self._exchange_trigger(args)
        stack = self._modal_stacks.get(user) or []
        if not stack:
            raise ApiError("not_found")
        if len(stack) >= MAX_MODAL_STACK:
            raise ApiError("push_limit_reached")
        stored = self._new_view(view, root=stack[0], previous=stack[-1])
        self._view_owner[stored["id"]] = user
        stack.append(stored["id"])
        return {"view": copy.deepcopy(stored)}

    def _views_update(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        view = self._checked_view(args)
        if args.get("view_id"):
            current = self._views.get(str(args["view_id"]))
        elif args.get("external_id"):
            matches = [v for v in self._views.values() if v["external_id"] == args["external_id"]]
            current = matches[0] if matches else None
        else:
            raise _missing("view_id")
        if current is None:
            raise ApiError("not_found")
        if args.get("hash") and args["hash"] != current["hash"]:
            raise ApiError("hash_conflict")
        # views.update replaces the whole view: what is not sent goes back to its default.
        current.update(
            type=view["type"],
            title=copy.deepcopy(view.get("title")),
            submit=copy.deepcopy(view.get("submit")),
            close=copy.deepcopy(view.get("close")),
            blocks=with_generated_ids(view.get("blocks", [])),
            private_metadata=view.get("private_metadata", ""),
            callback_id=view.get("callback_id", ""),
            state={"values": {}},
        )
        current["hash"] = f"{int(time.time())}.{secrets.token_hex(4)}"
        return {"view": copy.deepcopy(current)}

    def _views_publish(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        user = str(args.get("user_id") or "")
        if user not in self.users:
            raise ApiError("invalid_arguments", ["invalid `user_id`"])
        view = self._checked_view(args)
        if view["type"] != "home":
            raise ApiError("invalid_arguments", ["[ERROR] must be home [json-pointer:/view/type]"])
        previous = self._home.get(user)
        if args.get("hash") and (previous is None or args["hash"] != previous["hash"]):
            raise ApiError("hash_conflict")
        stored = self._new_view(view)
        self._home[user] = stored
        self._published.append((user, stored))
        return {"view": copy.deepcopy(stored)}

    def _reaction_target(self, args: dict[str, Any]) -> dict[str, Any]:
        name = args.get("name")
        if not name:
            raise _missing("name")
        if not _EMOJI_NAME.match(str(name)):
            raise ApiError("invalid_name")
        if not args.get("channel") or not args.get("timestamp"):
            raise ApiError("no_item_specified")
        channel = self._visible_channel(args.get("channel"))
        if not re.match(r"^\d+\.\d+$", str(args["timestamp"])):
            raise ApiError("bad_timestamp")
        message = self._find(channel.id, args["timestamp"])
        if message is None:
            raise ApiError("message_not_found")
        return message

    def _reactions_add(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        message = self._reaction_target(args)
        name = str(args["name"])
        reactions: list[dict[str, Any]] = message.setdefault("reactions", [])
        for reaction in reactions:
            if reaction["name"] == name:
                if self.bot_user_id in reaction["users"]:
                    raise ApiError("already_reacted")
                reaction["users"].append(self.bot_user_id)
                reaction["count"] += 1
                return {}
        reactions.append({"name": name, "users": [self.bot_user_id], "count": 1})
        return {}

    def _reactions_remove(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        message = self._reaction_target(args)
        for reaction in message.get("reactions", []):
            if reaction["name"] == args["name"] and self.bot_user_id in reaction["users"]:
                reaction["users"].remove(self.bot_user_id)
                reaction["count"] -= 1
                if not reaction["users"]:
                    message["reactions"].remove(reaction)
                if not message["reactions"]:
                    del message["reactions"]
                return {}
        raise ApiError("no_reaction")

    def _files_get_upload_url_external(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        filename = str(args.get("filename") or "")
        if not filename:
            raise _missing("filename")
        try:
            length = int(args.get("length") or 0)
        except (TypeError, ValueError) as exc:
            raise ApiError("invalid_arguments", ["[ERROR] length must be an integer"]) from exc
        if length <= 0:
            raise ApiError("missing_argument")
        alt_txt = args.get("alt_txt")
        if alt_txt is not None and len(str(alt_txt)) > MAX_ALT_TXT:
            raise ApiError("alt_txt_too_large")
        file_id = self._new_id("F")
        upload_id = secrets.token_urlsafe(12)
        self._files[file_id] = SharedFile(
            file_id, filename, length, str(alt_txt) if alt_txt else None
        )
        self._upload_urls[upload_id] = file_id
        return {"upload_url": f"{self.base_url}/upload/v1/{upload_id}", "file_id": file_id}

    def _files_complete_upload_external(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        listed = args.get("files")
        if isinstance(listed, str):
            try:
                listed = json.loads(listed)
            except json.JSONDecodeError as exc:
                raise ApiError("invalid_arguments", ["[ERROR] files must be a JSON array"]) from exc
        if not isinstance(listed, list) or not listed:
            raise _missing("files")
        found: list[SharedFile] = []
        for item in listed:
            if not isinstance(item, dict) or item.get("id") not in self._files:
                raise ApiError("file_not_found")
            stored = self._files[item["id"]]
            if stored.content is None:
                raise ApiError("file_not_found")  # nothing was sent to the upload URL
            if item.get("title"):
                stored.title = str(item["title"])
            found.append(stored)
        channel_arg = args.get("channel_id") or args.get("channels")
        if channel_arg:
            channel = self._visible_channel(str(channel_arg).split(",")[0], allow_user=True)
            if not channel.bot_is_member:
                raise ApiError("not_in_channel")
            content = {"text": args.get("initial_comment")}
            if not args.get("initial_comment") and args.get("blocks") is not None:
                content = {"blocks": args["blocks"]}  # blocks count only without initial_comment
            text = self._check_content(content, required=False)
            message = self._bot_message(text, content)
            for shared in found:
                shared.channels.append(channel.id)
            message["upload"] = True
            message["files"] = [shared.info(self.base_url, self.bot_user_id) for shared in found]
            thread_ts = args.get("thread_ts") or None
            self._store(channel.id, message, str(thread_ts) if thread_ts else None)
        return {
            "files": [{"id": shared.id, "title": shared.title or shared.name} for shared in found]
        }

    def _apps_connections_open(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        if self._socket_mode is None:
            raise ApiError("internal_error")
        return {"url": self._socket_mode.connection_url()}

    def reactions_on(self, channel: str, ts: str) -> list[str]:
        """Names of the reactions now on a message."""
        message = self.message(channel, ts)
        return [r["name"] for r in (message or {}).get("reactions", [])]


class _Server(ThreadingHTTPServer):
    """Threaded, with a listen backlog deep enough for benchmark bursts."""

    daemon_threads = True
    request_queue_size = 256


class _Handler(BaseHTTPRequestHandler):
    """Routes /api/<method> and /response/... to the stand-in."""

    protocol_version = "HTTP/1.1"
    server_version = "SlackStandIn/1"

    @property
    def stand_in(self) -> SlackStandIn:
        return self.server.stand_in  # type: ignore[attr-defined, no-any-return]

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str, extra: Mapping[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        body = self._body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        if parts.path.startswith("/api/"):
            method = parts.path.removeprefix("/api/").strip("/")
            status, extra, answer = self.stand_in.handle_api(method, headers, body, parts.query)
            if status == DROP_STATUS:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            payload = json.dumps(answer).encode()
            # A caller killed while its request was held has gone: nobody reads the answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(status, payload, "application/json; charset=utf-8", extra)
        elif parts.path.startswith("/upload/v1/") and self.command == "POST":
            status, text = self.stand_in.handle_upload(parts.path, body)
            self._send(status, text.encode(), "text/plain; charset=utf-8", {})
        elif parts.path.startswith("/files/") and self.command == "GET":
            file_id = parts.path.split("/")[2]
            content = self.stand_in.file_content(file_id)
            if content is None:
                self._send(404, b"not found", "text/plain", {})
            else:
                kind = self.stand_in.file_mimetype(file_id)
                self._send(200, content, kind, {"Access-Control-Allow-Origin": "*"})
        elif parts.path.startswith("/response/") and self.command == "POST":
            status, text = self.stand_in.handle_response_url(
                parts.path, body, headers.get("content-type", "")
            )
            self._send(status, text.encode(), "text/html", {})
        else:
            self._send(404, b"not found", "text/plain", {})

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet; the recorder is the log."""


ALICE = "U0ALICE"
BOB = "U0BOB"
CAROL = "U0CAROL"
DESK = "C0DESK"
NEWSROOM = "C0NEWS"
RANDOM = "C0RANDOM"


def seed_default_workspace(slack: SlackStandIn) -> None:
    """Three people in three time zones and three channels (the bot is not in #random)."""
    slack.add_user("alice", id=ALICE, real_name="Alice Checker", tz="America/New_York")
    slack.add_user("bob", id=BOB, real_name="Bob Editor", tz="Europe/Berlin")
    slack.add_user("carol", id=CAROL, real_name="Carol Reporter", tz="Asia/Kolkata")
    slack.add_channel("factcheck-desk", id=DESK)
    slack.add_channel("newsroom", id=NEWSROOM)
    slack.add_channel("random", id=RANDOM, bot_is_member=False)


def start_slack(*, seed: bool = True, **options: Any) -> SlackStandIn:
    """Start a stand-in outside pytest (benchmarks, scripts); call ``stop()`` when done.

    ``options`` go to :class:`SlackStandIn`; ``seed`` adds :func:`seed_default_workspace`.
    """
    slack = SlackStandIn(**options)
    if seed:
        seed_default_workspace(slack)
    return slack.start()
