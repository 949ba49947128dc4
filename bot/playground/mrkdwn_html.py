"""Slack mrkdwn as safe HTML: every character of the source is escaped before any tag is added.

Handles what the desk sends and people type: *bold*, _italic_, ~strike~, `code`, ```pre```,
> quotes, <url|links> (http, https and mailto only), <@U> mentions, <#C> channels,
<!here>-style broadcasts, <!date^...> dates in the reader's zone, and a few :emoji:.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_CODE_BLOCK = re.compile(r"```\n?(.+?)```", re.S)
_CODE = re.compile(r"`([^`\n]+)`")
_TOKEN = re.compile(r"<([^<>\n]+)>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])")
_EMOJI_NAME = re.compile(r":([a-z0-9_+\-]+):")
_DATE_TOKEN = re.compile(r"\{(\w+)\}")
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_ARCHIVE_PATH = re.compile(r"^([A-Z0-9]+)/p(\d{7,})")

#: The emoji the desk uses, and a few people type; others stay as `:name:`.
EMOJI = {
    "warning": "⚠️",
    "white_check_mark": "✅",
    "heavy_check_mark": "✔️",
    "x": "❌",
    "eyes": "👀",
    "bell": "🔔",
    "alarm_clock": "⏰",
    "mag": "🔍",
    "memo": "📝",
    "newspaper": "📰",
    "triangular_flag_on_post": "🚩",
    "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳",
    "tada": "🎉",
    "wave": "👋",
    "thumbsup": "👍",
    "+1": "👍",
    "pushpin": "📌",
    "link": "🔗",
    "sparkles": "✨",
    "bar_chart": "📊",
    "calendar": "📅",
    "inbox_tray": "📥",
    "speech_balloon": "💬",
    "zzz": "💤",
}


@dataclass(frozen=True)
class Reader:
    """Who reads the text: names for mentions, and the zone and moment dates are shown in."""

    users: Mapping[str, str] = field(default_factory=dict)
    channels: Mapping[str, str] = field(default_factory=dict)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: The local workspace's permalink prefix (``https://team.slack.com/archives/``): links
    #: under it lead to the message on the page instead of out to Slack.
    archive_url: str = ""


def escape(text: str) -> str:
    """HTML-escape text for element content and quoted attributes."""
    return html.escape(text, quote=True)


def unslack(text: str) -> str:
    """Undo Slack's own escaping (``&amp; &lt; &gt;``) to get the characters a person sees."""
    return _ENTITY.sub(lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m.group(1)], text)


def emojify(text: str) -> str:
    """Known ``:name:`` codes as their emoji (the text must already be escaped)."""
    return _EMOJI_NAME.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)


def plain_html(text: str) -> str:
    """A plain_text object's text: escaped, emoji codes shown."""
    return emojify(escape(text))


def safe_href(url: str) -> str | None:
    """The URL if a browser may follow it (http, https, mailto), else None."""
    candidate = url.strip()
    return candidate if candidate.lower().startswith(_LINK_SCHEMES) else None


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _clock(moment: datetime, seconds: bool = False) -> str:
    hour = moment.hour % 12 or 12
    tail = f":{moment.second:02d}" if seconds else ""
    return f"{hour}:{moment.minute:02d}{tail} {'AM' if moment.hour < 12 else 'PM'}"


def _pretty(day: date, today: date) -> str | None:
    return {0: "today", -1: "yesterday", 1: "tomorrow"}.get((day - today).days)


def _ago(moment: datetime, now: datetime) -> str:
    seconds = int((now - moment).total_seconds())
    span = abs(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if span >= size:
            count = span // size
            words = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"{words} ago" if seconds >= 0 else f"in {words}"
    return "just now"


def format_date(stamp: int, pattern: str, reader: Reader) -> str:
    """Slack's ``<!date^stamp^pattern|fallback>`` as the reader would see it."""
    moment = datetime.fromtimestamp(stamp, UTC).astimezone(reader.zone)
    today = reader.now.astimezone(reader.zone).date()
    day = moment.date()
    long_date = f"{moment:%B} {_ordinal(moment.day)}, {moment.year}"
    short_date = f"{moment:%b} {moment.day}, {moment.year}"
    values = {
        "date_num": f"{moment:%Y-%m-%d}",
        "date": long_date,
        "date_short": short_date,
        "date_long": f"{moment:%A}, {long_date}",
        "date_pretty": _pretty(day, today) or long_date,
        "date_short_pretty": _pretty(day, today) or short_date,
        "date_long_pretty": _pretty(day, today) or f"{moment:%A}, {long_date}",
        "time": _clock(moment),
        "time_secs": _clock(moment, seconds=True),
        "ago": _ago(moment, reader.now),
    }
    return _DATE_TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), pattern)


def _token_html(inner: str, reader: Reader) -> str:
    """One ``<...>`` construct as HTML."""
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        user = target[1:]
        name = reader.users.get(user) or unslack(label) or user
        return f'<span class="mention">@{escape(name)}</span>'
    if target.startswith("#"):
        channel = target[1:]
        name = reader.channels.get(channel) or unslack(label) or channel
        return f'<span class="mention">#{escape(name)}</span>'
    if target.startswith("!date^"):
        parts = target.split("^")
        try:
            shown = format_date(int(parts[1]), parts[2], reader)
        except (IndexError, ValueError, OverflowError, OSError):
            shown = unslack(label)
        return f'<time class="date">{escape(shown)}</time>'
    if target.startswith("!subteam^"):
        return f'<span class="mention">{escape(unslack(label) or "@group")}</span>'
    if target.startswith("!"):
        return f'<span class="mention">@{escape(target[1:])}</span>'
    url = unslack(target)
    shown = escape(unslack(label) if label else url)
    local = permalink(url, reader)
    if local is not None:
        channel, ts = local
        return (
            f'<a href="#" class="permalink" data-goto-channel="{escape(channel)}" '
            f'data-goto-ts="{escape(ts)}">{shown}</a>'
        )
    href = safe_href(url)
    if href is None:
        return shown
    return f'<a href="{escape(href)}" target="_blank" rel="noopener noreferrer">{shown}</a>'


def permalink(url: str, reader: Reader) -> tuple[str, str] | None:
    """(channel, ts) of a permalink into the local workspace, else None."""
    if not reader.archive_url or not url.startswith(reader.archive_url):
        return None
    match = _ARCHIVE_PATH.match(url.removeprefix(reader.archive_url))
    if match is None:
        return None
    digits = match.group(2)
    return match.group(1), f"{digits[:-6]}.{digits[-6:]}"


def _inline(text: str) -> str:
    """Escape one line of plain text and apply bold, italic, strike and emoji."""
    out = escape(text)
    out = _BOLD.sub(r"<b>\1</b>", out)
    out = _ITALIC.sub(r"<i>\1</i>", out)
    out = _STRIKE.sub(r"<s>\1</s>", out)
    return emojify(out)


def mrkdwn_html(source: str, reader: Reader) -> str:
    """Slack mrkdwn as HTML that shows every character of ``source`` and runs none of it."""
    stash: list[str] = []

    def keep(fragment: str) -> str:
        stash.append(fragment)
        return f"\ue000{len(stash) - 1}\ue001"

    text = source.replace("\ue000", "").replace("\ue001", "")
    text = _CODE_BLOCK.sub(lambda m: keep(f"<pre>{escape(unslack(m.group(1)))}</pre>"), text)
    text = _CODE.sub(lambda m: keep(f"<code>{escape(unslack(m.group(1)))}</code>"), text)
    text = _TOKEN.sub(lambda m: keep(_token_html(m.group(1), reader)), text)
    lines: list[str] = []
    quote: list[str] = []
    for raw in unslack(text).split("\n"):
        if raw.startswith(">"):
            quote.append(_inline(raw[1:].removeprefix(" ")))
            continue
        if quote:
            lines.append(f"<blockquote>{'<br>'.join(quote)}</blockquote>")
            quote = []
        lines.append(_inline(raw))
    if quote:
        lines.append(f"<blockquote>{'<br>'.join(quote)}</blockquote>")
    joined = ""
    for index, line in enumerate(lines):
        joined += line
        next_is_quote = index + 1 < len(lines) and lines[index + 1].startswith("<blockquote>")
        if index + 1 < len(lines) and not line.startswith("<blockquote>") and not next_is_quote:
            joined += "<br>"
    return _PLACEHOLDER.sub(lambda m: stash[int(m.group(1))], joined)


def reader_time(moment: datetime, reader: Reader) -> str:
    """A message's time as the reader's clock shows it (``Today 9:41 AM``, ``Dec 7 9:41 AM``)."""
    local = moment.astimezone(reader.zone)
    today = reader.now.astimezone(reader.zone).date()
    day = (_pretty(local.date(), today) or f"{local:%b} {local.day}").capitalize()
    return f"{day} {_clock(local)}"
