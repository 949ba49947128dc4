"""Fetching a pasted link: public web pages only, bounded in time, size and redirects, main text by trafilatura.

Every hop is resolved once, by `resolve`, and the connection goes to the address that passed the
private-network check, with the URL's host in the Host header and as the TLS server name (so
the certificate is still checked for that name). Resolving again to connect would let a DNS
server answer a public address for the check and a private one for the connection
("DNS rebinding").

UserError
 └── FetchError     every refusal or failure, worded for the reporter who pasted the link
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit

import httpx

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
USER_AGENT = "factcheck-bot/0.1 (+newsroom fact-check desk)"

_HTML_TYPES = ("text/html", "application/xhtml+xml")


#: host, port -> the addresses a connection may go to (tests pass their own).
Resolver = Callable[[str, int], list[str]]


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


def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses from the system resolver, in its order of preference."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def vetted_address(url: str, *, resolve: Resolver = system_resolver, allow_private: bool) -> str:
    """The one address to connect to for `url`: its literal IP, or the first address `resolve`
    gives; refused when any address is private (unless `allow_private`, for tests)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(NOT_HTTP.format(url=url))
    host = parts.hostname
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = resolve(host, _port(parts))
        except (OSError, UnicodeError) as error:
            raise FetchError(UNRESOLVED.format(url=url, reason=error)) from None
    if not addresses:
        raise FetchError(UNRESOLVED.format(url=url, reason="no address"))
    if not allow_private and not all(_is_public(address) for address in addresses):
        raise FetchError(PRIVATE.format(url=url))
    return addresses[0]


def check_public(url: str, *, resolve: Resolver = system_resolver) -> None:
    """Refuse a URL whose host resolves to any private, loopback or link-local address."""
    vetted_address(url, resolve=resolve, allow_private=False)


def _pinned(http: httpx.Client, url: str, address: str, timeout: float) -> httpx.Request:
    """A GET for `url` sent to `address`, with the URL's host as Host header and TLS name."""
    parts = urlsplit(url)
    return http.build_request(
        "GET",
        httpx.URL(url).copy_with(host=address),
        headers={"Host": parts.netloc.rpartition("@")[2], "User-Agent": USER_AGENT},
        extensions={"sni_hostname": parts.hostname} if parts.scheme == "https" else {},
        timeout=timeout,
    )


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS setup, built once per process: loading the CA bundle takes ~0.15 s,
    and every Services (one per test desk) makes a client."""
    return httpx.create_ssl_context()


def link_client(timeout: float = 10.0) -> httpx.Client:
    """The client links are fetched with: redirects followed by hand (each hop re-checked), and
    no connection kept alive, so two names on one address never share a TLS session."""
    return httpx.Client(
        timeout=timeout,
        verify=_tls_context(),
        follow_redirects=False,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


def fetch_article(
    url: str,
    *,
    client: httpx.Client | None = None,
    allow_private: bool = False,
    resolve: Resolver = system_resolver,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
) -> FetchedArticle:
    """Fetch `url` and pull out the article; raises FetchError with a reason a reporter can read.

    Redirects are followed by hand (at most five) so every hop is resolved and checked against
    private networks, then requested from that address; the body is read in chunks and
    abandoned past `max_bytes`. Without `client`, a `link_client` is made for this call.
    """
    own = client is None
    http = client or link_client(timeout)
    try:
        html, final_url = _download(http, url, allow_private, resolve, timeout, max_bytes)
    finally:
        if own:
            http.close()
    return _article(final_url, html)


def _download(
    http: httpx.Client,
    url: str,
    allow_private: bool,
    resolve: Resolver,
    timeout: float,
    max_bytes: int,
) -> tuple[str, str]:
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        address = vetted_address(current, resolve=resolve, allow_private=allow_private)
        try:
            response = http.send(_pinned(http, current, address, timeout), stream=True)
            try:
                location = _redirect_location(response)
                if location is None:
                    return _read_html(response, current, max_bytes), current
            finally:
                response.close()
        except httpx.TimeoutException:
            raise FetchError(TOO_SLOW.format(url=current, seconds=timeout)) from None
        except httpx.TooManyRedirects:
            raise FetchError(TOO_MANY_REDIRECTS.format(url=url, count=MAX_REDIRECTS)) from None
        except httpx.HTTPError as error:
            raise FetchError(UNREACHABLE.format(url=current, reason=type(error).__name__)) from None
        current = urljoin(current, location)
    raise FetchError(TOO_MANY_REDIRECTS.format(url=url, count=MAX_REDIRECTS))


def _redirect_location(response: httpx.Response) -> str | None:
    """Where a redirect points (None when the response is not one)."""
    if not response.is_redirect:
        return None
    location = response.headers.get("location")
    if not location:
        raise FetchError(
            STATUS.format(status=response.status_code, reason="redirect without a location")
        )
    return str(location)


def _read_html(response: httpx.Response, url: str, max_bytes: int) -> str:
    """The page's HTML as text, refused unless it is a successful HTML page within `max_bytes`."""
    if response.status_code >= 400:
        raise FetchError(STATUS.format(status=response.status_code, reason=response.reason_phrase))
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    if content_type.lower() not in _HTML_TYPES:
        raise FetchError(NOT_HTML.format(url=url, content_type=content_type or "no content type"))
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(TOO_LARGE.format(url=url, megabytes=max_bytes / 1e6))
    body = bytearray()
    for chunk in response.iter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise FetchError(TOO_LARGE.format(url=url, megabytes=max_bytes / 1e6))
    return bytes(body).decode(response.encoding or "utf-8", errors="replace")


def _article(url: str, html: str) -> FetchedArticle:
    import trafilatura  # imported here: Services builds the client at start, before any link

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
