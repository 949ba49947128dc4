"""Link fetching: refusals worded for Slack, redirects re-checked, size and type limits (through
httpx.MockTransport), and where a connection really goes (a recording loopback server)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator

import httpx
import pytest

from bot.errors import UserError
from bot.extract.fetch import FetchError, fetch_article

PAGE = """<html><head><title>Bridge reopens after repairs</title>
<meta name="author" content="Lena Fischer"><meta property="article:published_time" content="2024-05-02">
</head><body><nav>Home | News</nav><article><h1>Bridge reopens after repairs</h1>
<p>The old river bridge reopened on Thursday after eighteen months of repairs costing 12 million euros.</p>
<p>"Traffic will be back to normal by Monday," said Jonas Weber, the city's chief engineer.</p>
<p>The bridge carries about 30,000 vehicles a day, according to the transport office.</p>
</article><footer>Share this</footer></body></html>"""


#: A public address (example.com's) that a test's resolver answers for any name.
PUBLIC_ADDRESS = "93.184.216.34"


def public(_host: str, _port: int) -> list[str]:
    return [PUBLIC_ADDRESS]


def mock(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def html(body: str = PAGE, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, text=body, headers={"content-type": "text/html; charset=utf-8", **headers}
    )


def test_article_text_title_byline_date() -> None:
    article = fetch_article(
        "https://news.example/bridge",
        resolve=public,
        client=mock(lambda r: html()),
        allow_private=True,
    )
    assert "eighteen months of repairs" in article.text
    assert "Home | News" not in article.text
    assert article.title == "Bridge reopens after repairs"
    assert article.byline == "Lena Fischer"
    assert article.published == "2024-05-02"


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(404), "The link answered 404 Not Found"),
        (
            httpx.Response(200, content=b"%PDF", headers={"content-type": "application/pdf"}),
            "is not a web page (application/pdf)",
        ),
        (html("<html><body><div></div></body></html>"), "Found no article text at"),
    ],
)
def test_failures_are_reasons_a_reporter_can_read(response: httpx.Response, message: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch_article(
            "https://news.example/x",
            resolve=public,
            client=mock(lambda r: response),
            allow_private=True,
        )
    assert message in str(caught.value)
    assert isinstance(caught.value, UserError)


def test_too_large_while_streaming() -> None:
    big = "<html><body>" + "<p>word</p>" * 2000 + "</body></html>"
    with pytest.raises(FetchError, match=r"is larger than 0\.001 MB"):
        fetch_article(
            "https://news.example/big",
            resolve=public,
            client=mock(lambda r: html(big)),
            allow_private=True,
            max_bytes=1000,
        )


def test_timeout() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(FetchError, match="took longer than 10 s"):
        fetch_article(
            "https://news.example/slow", resolve=public, client=mock(slow), allow_private=True
        )


def test_redirects_are_followed_and_limited() -> None:
    def hop(request: httpx.Request) -> httpx.Response:
        step = int(request.url.path.strip("/") or 0)
        if step < 3:
            return httpx.Response(302, headers={"location": f"/{step + 1}"})
        return html()

    article = fetch_article(
        "https://news.example/0", resolve=public, client=mock(hop), allow_private=True
    )
    assert article.url == "https://news.example/3"

    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "/again"})

    with pytest.raises(FetchError, match="redirected more than 5 times"):
        fetch_article(
            "https://news.example/", resolve=public, client=mock(loop), allow_private=True
        )


def test_private_addresses_refused_including_redirect_targets() -> None:
    with pytest.raises(FetchError, match="private network address; I only fetch public web pages"):
        fetch_article("http://127.0.0.1:9/", resolve=public, client=mock(lambda r: html()))
    with pytest.raises(FetchError, match="private network address"):
        fetch_article(
            "http://169.254.169.254/latest/meta-data", resolve=public, client=mock(lambda r: html())
        )
    with pytest.raises(FetchError, match="private network address"):
        fetch_article("http://[::1]/", resolve=public, client=mock(lambda r: html()))

    def to_internal(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"location": "http://10.0.0.5/admin"})

    # The first hop is a public literal address, so no DNS is needed; the redirect is refused.
    with pytest.raises(FetchError, match=r"10\.0\.0\.5/admin points to a private network address"):
        fetch_article("http://93.184.216.34/", resolve=public, client=mock(to_internal))


def test_not_http_refused() -> None:
    with pytest.raises(FetchError, match="is not a web link"):
        fetch_article("file:///etc/passwd")


class RebindingResolver:
    """A DNS server an attacker controls: a public address for the check, loopback after."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, host: str, _port: int) -> list[str]:
        self.asked.append(host)
        return [PUBLIC_ADDRESS] if len(self.asked) == 1 else ["127.0.0.1"]


@pytest.fixture
def recording_server() -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """A local server that records (Host header, path); /moved redirects to second.test."""
    seen: list[tuple[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append((self.headers.get("Host", ""), self.path))
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", f"http://second.test:{port}/article")
                self.end_headers()
                return
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port, seen
    finally:
        server.shutdown()
        server.server_close()


def test_dns_rebinding_cannot_reach_a_private_address(
    recording_server: tuple[int, list[tuple[str, str]]],
) -> None:
    """Issue 11, failure 8: 'localhost' checked as public must not be connected to as 127.0.0.1."""
    port, seen = recording_server
    resolver = RebindingResolver()
    with pytest.raises(FetchError):
        fetch_article(f"http://localhost:{port}/article", resolve=resolver, timeout=1.0)
    assert seen == []
    assert resolver.asked == ["localhost"]


def test_every_hop_goes_to_the_address_it_was_checked_for(
    recording_server: tuple[int, list[tuple[str, str]]],
) -> None:
    port, seen = recording_server
    asked: list[str] = []

    def loopback(host: str, _port: int) -> list[str]:
        asked.append(host)
        return ["127.0.0.1"]

    article = fetch_article(f"http://first.test:{port}/moved", resolve=loopback, allow_private=True)
    assert seen == [(f"first.test:{port}", "/moved"), (f"second.test:{port}", "/article")]
    assert asked == ["first.test", "second.test"]
    assert article.url == f"http://second.test:{port}/article"


def test_https_sends_the_url_host_as_host_header_and_tls_name() -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return html()

    fetch_article("https://news.example/bridge", resolve=public, client=mock(record))
    (request,) = sent
    assert request.url.host == PUBLIC_ADDRESS
    assert request.headers["host"] == "news.example"
    assert request.extensions["sni_hostname"] == "news.example"
