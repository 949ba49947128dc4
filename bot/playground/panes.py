"""What one person sees, drawn from the local Slack's state: a channel with its threads, their DM
with the bot, their App Home and the modal in front of them. Pure reads of the stand-in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from bot.localslack.web_api import Ephemeral, SlackStandIn
from bot.playground.blocks_html import blocks_html, message_body_html, text_html
from bot.playground.mrkdwn_html import Reader, escape, reader_time
from bot.playground.workspace import CHANNELS, PEOPLE
from bot.render.ids import MESSAGE_SHORTCUT_NAME

ONLY_YOU: Final = "Only visible to you"
HOME_WAITING: Final = "Opening Home… (the bot publishes it when you open the tab)"
CHANNEL_EMPTY: Final = (
    "Nothing here yet. As the reporter, paste an article below (at least a few paragraphs, "
    "or a link) and the desk answers in its thread."
)
DM_EMPTY: Final = "No direct messages yet. Reminders and escalations arrive here."
REPLY_IN_THREAD: Final = "Reply in thread"
SHORTCUT_HINT: Final = "The message shortcut, as in the ⋯ menu of a message in Slack"


@dataclass(frozen=True)
class Pane:
    """Which part of the workspace the page shows: a channel, the DM with the bot, or Home."""

    kind: str
    channel: str | None = None

    @classmethod
    def parse(cls, raw: str) -> Pane:
        """``channel:C0DESK``, ``dm`` or ``home``; anything else is the desk channel."""
        kind, _, channel = raw.partition(":")
        if kind == "channel" and channel in dict(CHANNELS):
            return cls("channel", channel)
        if kind in ("dm", "home"):
            return cls(kind)
        return cls("channel", CHANNELS[0][0])


def reader_for(slack: SlackStandIn, user: str, now: datetime) -> Reader:
    """How ``user`` reads text: everyone's names, channel names, their own time zone."""
    with slack.lock:
        names = {u.id: u.real_name for u in slack.users.values()}
        channels = {c.id: c.name for c in slack.channels.values() if not c.is_im}
        zone = ZoneInfo(slack.users[user].tz) if user in slack.users else ZoneInfo("UTC")
    archive = f"https://{slack.team_domain}.slack.com/archives/"
    return Reader(users=names, channels=channels, zone=zone, now=now, archive_url=archive)


def _ts_key(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return int(seconds), int(micros or 0)


def _when(ts: str, reader: Reader) -> str:
    moment = datetime.fromtimestamp(_ts_key(ts)[0], UTC)
    return reader_time(moment, reader)


def _author(message: Mapping[str, Any], slack: SlackStandIn, reader: Reader) -> tuple[str, bool]:
    if message.get("bot_id"):
        return slack.bot_name, True
    user = str(message.get("user") or "")
    return reader.users.get(user, user or "someone"), False


def _reactions(message: Mapping[str, Any]) -> str:
    items = [
        f'<span class="reaction">{text_html(":" + str(r.get("name")) + ":", _PLAIN)} '
        f"{int(r.get('count', 0))}</span>"
        for r in message.get("reactions") or []
    ]
    return f'<div class="reactions">{"".join(items)}</div>' if items else ""


_PLAIN = Reader()


def message_html(
    message: Mapping[str, Any],
    slack: SlackStandIn,
    reader: Reader,
    *,
    container: str,
    thread: str = "",
) -> str:
    """One message (or ephemeral) with its author, time, body and reactions; ``thread`` after."""
    author, is_app = _author(message, slack, reader)
    ts = str(message.get("ts", ""))
    tag = '<span class="app-tag">APP</span>' if is_app else ""
    edited = '<span class="edited">(edited)</span>' if message.get("edited") else ""
    ephemeral = container.startswith('data-container="ephemeral"')
    note = f'<div class="only-you">{ONLY_YOU}</div>' if ephemeral else ""
    shortcut = (
        f'<button type="button" class="shortcut" data-shortcut="1" '
        f'title="{SHORTCUT_HINT}">{escape(MESSAGE_SHORTCUT_NAME)}</button>'
        if not is_app and not ephemeral
        else ""
    )
    css = "msg ephemeral" if ephemeral else "msg"
    initial = escape(author[:1].upper() or "?")
    return (
        f'<article class="{css}" {container}>'
        f'<div class="avatar{" app" if is_app else ""}" aria-hidden="true">{initial}</div>'
        f'<div class="msg-main">{note}<div class="msg-head"><b class="who">{escape(author)}</b>'
        f'{tag}<time class="when">{escape(_when(ts, reader))}</time>{edited}{shortcut}</div>'
        f'<div class="msg-body">{message_body_html(message, reader)}</div>'
        f"{_reactions(message)}{thread}</div></article>"
    )


def _message_container(channel: str, ts: str) -> str:
    return f'data-container="message" data-channel="{escape(channel)}" data-ts="{escape(ts)}"'


def _ephemeral_container(ephemeral: Ephemeral) -> str:
    ts = str(ephemeral.message.get("ts", ""))
    return (
        f'data-container="ephemeral" data-channel="{escape(ephemeral.channel)}" '
        f'data-ts="{escape(ts)}"'
    )


def _timeline(
    messages: Sequence[Mapping[str, Any]],
    ephemerals: Sequence[Ephemeral],
    slack: SlackStandIn,
    reader: Reader,
    channel: str,
    threads: Mapping[str, list[Mapping[str, Any]]] | None = None,
    thread_ephemerals: Mapping[str, list[Ephemeral]] | None = None,
) -> str:
    items: list[tuple[tuple[int, int], str]] = []
    for message in messages:
        ts = str(message["ts"])
        thread = ""
        replies = (threads or {}).get(ts, [])
        private = (thread_ephemerals or {}).get(ts, [])
        if replies or private:
            inner = _timeline(replies, private, slack, reader, channel)
            count = len(replies)
            label = f"{count} {'reply' if count == 1 else 'replies'}"
            thread = (
                f'<details class="thread" data-thread="{escape(ts)}" open>'
                f'<summary>{label}</summary><div class="thread-body">{inner}</div>'
                f'<button type="button" class="reply-btn" data-reply="{escape(ts)}">'
                f"{REPLY_IN_THREAD}</button></details>"
            )
        elif not message.get("bot_id"):
            thread = (
                f'<button type="button" class="reply-btn" data-reply="{escape(ts)}">'
                f"{REPLY_IN_THREAD}</button>"
            )
        html = message_html(
            message, slack, reader, container=_message_container(channel, ts), thread=thread
        )
        items.append((_ts_key(ts), html))
    for ephemeral in ephemerals:
        ts = str(ephemeral.message.get("ts", "0"))
        html = message_html(
            ephemeral.message, slack, reader, container=_ephemeral_container(ephemeral)
        )
        items.append((_ts_key(ts), html))
    return "".join(html for _, html in sorted(items, key=lambda item: item[0]))


def channel_html(slack: SlackStandIn, channel: str, user: str, reader: Reader) -> str:
    """A channel as ``user`` sees it: messages in order, threads open beneath their parent,
    and the ephemerals only ``user`` was shown."""
    everything = slack.messages_in(channel, include_replies=True)
    top: list[Mapping[str, Any]] = []
    threads: dict[str, list[Mapping[str, Any]]] = {}
    for message in everything:
        parent = message.get("thread_ts")
        if parent and parent != message["ts"]:
            threads.setdefault(str(parent), []).append(message)
            if message.get("subtype") == "thread_broadcast":
                top.append(message)
        else:
            top.append(message)
    loose: list[Ephemeral] = []
    in_threads: dict[str, list[Ephemeral]] = {}
    known = {str(m["ts"]) for m in top}
    for ephemeral in slack.ephemerals_to(user, channel=channel):
        parent = ephemeral.message.get("thread_ts")
        if parent and str(parent) in known:
            in_threads.setdefault(str(parent), []).append(ephemeral)
        else:
            loose.append(ephemeral)
    if not top and not loose:
        return f'<p class="empty">{escape(CHANNEL_EMPTY)}</p>'
    return _timeline(top, loose, slack, reader, channel, threads, in_threads)


def dm_html(slack: SlackStandIn, user: str, reader: Reader) -> str:
    """``user``'s direct messages with the bot (reminders, escalations, answers)."""
    dm = slack.im_channel_for(user)
    html = channel_html(slack, dm, user, reader)
    if 'class="empty"' in html:
        return f'<p class="empty">{escape(DM_EMPTY)}</p>'
    return html


def dm_count(slack: SlackStandIn, user: str) -> int:
    """How many messages the bot has sent ``user`` directly."""
    return len(slack.dms_to(user))


def home_html(slack: SlackStandIn, user: str, reader: Reader) -> str:
    """``user``'s App Home as the bot last published it."""
    view = slack.last_view_published_for(user)
    if view is None:
        return f'<p class="empty">{escape(HOME_WAITING)}</p>'
    return (
        f'<div class="home" data-container="view" data-view-id="{escape(str(view["id"]))}">'
        f"{blocks_html(view.get('blocks'), reader)}</div>"
    )


def modal_state(slack: SlackStandIn, user: str, reader: Reader) -> dict[str, Any] | None:
    """The modal in front of ``user`` (id, hash, drawn parts, field errors), or None."""
    stack = slack.modal_stack(user)
    if not stack:
        return None
    view = stack[-1]
    view_id = str(view["id"])
    submit = view.get("submit")
    return {
        "id": view_id,
        "hash": str(view.get("hash", "")),
        "title": text_html(view.get("title"), reader),
        "submit": text_html(submit, reader) if submit else "",
        "close": text_html(view.get("close"), reader) if view.get("close") else "Close",
        "body": (
            f'<div data-container="view" data-view-id="{escape(view_id)}">'
            f"{blocks_html(view.get('blocks'), reader)}</div>"
        ),
        "errors": slack.modal_errors(view_id),
    }


def people_html(current: str) -> str:
    """The switch between people, with each one's desk role."""
    buttons = []
    for person in PEOPLE:
        pressed = "true" if person.id == current else "false"
        buttons.append(
            f'<button type="button" class="person" data-person="{escape(person.id)}" '
            f'aria-pressed="{pressed}"><b>{escape(person.real_name)}</b> '
            f'<span class="role">{escape(person.role)}</span></button>'
        )
    return "".join(buttons)


def sidebar_html(pane: Pane, dms: int) -> str:
    """Channels, the DM with the bot (with how many messages it holds) and App Home."""
    rows = []
    for channel_id, name in CHANNELS:
        current = pane.kind == "channel" and pane.channel == channel_id
        rows.append(
            f'<button type="button" class="nav{" current" if current else ""}" '
            f'data-pane="channel:{escape(channel_id)}"># {escape(name)}</button>'
        )
    badge = f' <span class="badge">{dms}</span>' if dms else ""
    rows.append('<div class="nav-head">Direct messages</div>')
    rows.append(
        f'<button type="button" class="nav{" current" if pane.kind == "dm" else ""}" '
        f'data-pane="dm">factcheck{badge}</button>'
    )
    rows.append('<div class="nav-head">Apps</div>')
    rows.append(
        f'<button type="button" class="nav{" current" if pane.kind == "home" else ""}" '
        f'data-pane="home">factcheck · Home</button>'
    )
    return '<div class="nav-head">Channels</div>' + "".join(rows)
