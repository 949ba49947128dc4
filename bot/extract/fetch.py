"""Fetching a pasted link: public web pages only, bounded in time, size and redirects, main text by trafilatura.

UserError
 └── FetchError     every refusal or failure, worded for the reporter who pasted the link
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
import trafilatura

from bot.errors import UserError

MAX_REDIRECTS = 5
NOT_HTTP = "{url} is not a web link (only http and https are fetched)"
PRIVATE = "{url} points to a private network address; I only fetch public web pages"
UNRESOLVED = "Could not find the server for {url} ({reason})"
STATUS = "The link answered {status} {reason}"
NOT_HTML = "{url} is not a web page ({content_type})"
TOO_SLOW = "{url} took longer than {seconds:g} s"
TOO_LARGE = "{url} is larger than {megabytes:g} MB"
TOO_MANY_REDIRECTS = "{url} redirected more than {count} times"
NO_TEXT = "Found no article text at {url} (paywall?)"
UNREACHABLE = "Could not reach {url} ({reason})"

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
_BARE_LINK = re.compile(r"(?<![<|\w])https?://[^\s<>|\"“”]+")
_TRAILING = ".,;:!?)]}'’\"”"


class FetchError(UserError):
    """The link could not be turned into article text; the message says why, for Slack."""


@dataclass(frozen=True)
class FetchedArticle:
    """The main text of a web page, with what trafilatura found of its metadata."""

    url: str
    title: str | None
    byline: str | None
    published: str | None
    text: str


def find_urls(text: str) -> list[str]:
    """Links in Slack mrkdwn (`<https://x|label>`, `<https://x>`) and bare ones, in order, once each."""
    found: list[tuple[int, str]] = [(m.start(), m.group(1)) for m in _SLACK_LINK.finditer(text)]
    for match in _BARE_LINK.finditer(text):
        url = match.group(0)
        while url and url[-1] in _TRAILING:
            url = url[:-1]
        found.append((match.start(), url))
    seen: set[str] = set()
    urls: list[str] = []
    for _, url in sorted(found):
        url = url.replace("&amp;", "&")
        if url not in seen:
            seen.add(url)
            urls.append(url)
    return urls


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_public(url: str) -> None:
    """Refuse a URL whose host resolves to any private, loopback or link-local address."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(NOT_HTTP.format(url=url))
    host = parts.hostname
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(UNRESOLVED.format(url=url, reason=error)) from None
    for info in infos:
        if not _is_public(str(info[4][0])):
            raise FetchError(PRIVATE.format(url=url))


def fetch_article(
    url: str,
    *,
    client: httpx.Client | None = None,
    allow_private: bool = False,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
) -> FetchedArticle:
    """Fetch `url` and pull out the article; raises FetchError with a reason a reporter can read.

    Redirects are followed by hand (at most five) so every hop is checked against private
    networks before it is requested; the body is read in chunks and abandoned past `max_bytes`.
    """
    own = client is None
    http = client or httpx.Client(timeout=timeout, follow_redirects=False)
    try:
        html, final_url = _download(http, url, allow_private, timeout, max_bytes)
    finally:
        if own:
            http.close()
    return _article(final_url, html)


def _download(
    http: httpx.Client, url: str, allow_private: bool, timeout: float, max_bytes: int
) -> tuple[str, str]:
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise FetchError(NOT_HTTP.format(url=current))
        if not allow_private:
            check_public(current)
        try:
            with http.stream(
                "GET",
                current,
                timeout=timeout,
                follow_redirects=False,
                headers={"User-Agent": "factcheck-bot/0.1 (+newsroom fact-check desk)"},
            ) as response:
                if response.is_redirect:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(
                            STATUS.format(
                                status=response.status_code, reason="redirect without a location"
                            )
                        )
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400:
                    raise FetchError(
                        STATUS.format(status=response.status_code, reason=response.reason_phrase)
                    )
                content_type = response.headers.get("content-type", "").split(";")[0].strip()
                if content_type.lower() not in _HTML_TYPES:
                    raise FetchError(
                        NOT_HTML.format(url=current, content_type=content_type or "no content type")
                    )
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(TOO_LARGE.format(url=current, megabytes=max_bytes / 1e6))
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise FetchError(TOO_LARGE.format(url=current, megabytes=max_bytes / 1e6))
                encoding = response.encoding or "utf-8"
                return bytes(body).decode(encoding, errors="replace"), str(response.url)
        except httpx.TimeoutException:
            raise FetchError(TOO_SLOW.format(url=current, seconds=timeout)) from None
        except httpx.TooManyRedirects:
            raise FetchError(TOO_MANY_REDIRECTS.format(url=url, count=MAX_REDIRECTS)) from None
        except httpx.HTTPError as error:
            raise FetchError(UNREACHABLE.format(url=current, reason=type(error).__name__)) from None
    raise FetchError(TOO_MANY_REDIRECTS.format(url=url, count=MAX_REDIRECTS))


def _article(url: str, html: str) -> FetchedArticle:
    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False)
    if not text or not text.strip():
        raise FetchError(NO_TEXT.format(url=url))
    meta = trafilatura.extract_metadata(html, default_url=url)
    title = getattr(meta, "title", None) if meta is not None else None
    byline = getattr(meta, "author", None) if meta is not None else None
    published = getattr(meta, "date", None) if meta is not None else None
    return FetchedArticle(
        url=url,
        title=str(title) if title else None,
        byline=str(byline) if byline else None,
        published=str(published) if published else None,
        text=text.strip(),
    )
