"""The local news site pasted links point to, served through httpx.MockTransport.

Desks built by tests/desk/conftest.py fetch links with `news_site_client()` and resolve every
host to a public address, so the fetcher's checks run as in production and no server is
started. A test may add a page with `monkeypatch.setitem(PAGES, path, (status, type, body))`.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Final

import httpx

NEWS_SITE: Final = "https://news.riverton.example"
#: A public address (example.com's): what the desk's resolver answers for any host.
PUBLIC_ADDRESS: Final = "93.184.216.34"
NOT_HERE: Final = (404, "text/html; charset=utf-8", "<html><body>Not here</body></html>")

TITLE = "Harbour bridge repairs will cost $310 million, council says"
STORY = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{TITLE} | The Riverton Ledger</title>
  <meta property="og:title" content="{TITLE}">
  <meta name="author" content="Priya Natarajan">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/city">City</a> <a href="/sport">Sport</a></nav>
  <article>
    <h1>{TITLE}</h1>
    <p class="byline">By Priya Natarajan</p>
    <p>Repairs to the Harbour Bridge will cost $310 million over four years, the city council
    said on Monday, almost double the estimate published in 2021. The bridge carries about
    48,000 vehicles a day and has been closed to lorries since February.</p>
    <p>"We cannot keep patching a structure that was built for half this traffic," said Ines
    Carvalho, the council's head of infrastructure. "The steel deck will be replaced in full by
    the end of 2027."</p>
    <p>The transport union's spokesman, Dev Okafor, called the timetable "wildly optimistic."
    Inspectors found corrosion on 14 of the bridge's 22 support cables last autumn, according to
    a report by the state roads agency.</p>
  </article>
  <footer>Copyright The Riverton Ledger. All rights reserved.</footer>
</body>
</html>
"""
EMPTY_PAGE = "<!doctype html><html><head><title>Loading</title></head><body></body></html>"


PAGES: Final[MutableMapping[str, tuple[int, str, str]]] = {
    "/story": (200, "text/html; charset=utf-8", STORY),
    "/story?id=7&ref=desk": (200, "text/html; charset=utf-8", STORY),
    "/empty": (200, "text/html; charset=utf-8", EMPTY_PAGE),
    "/data.json": (200, "application/json", '{"story": "not a web page"}'),
}


def resolve_public(_host: str, _port: int) -> list[str]:
    """Every host is public: the desk's fetcher vets it and sends the request to the transport."""
    return [PUBLIC_ADDRESS]


def _answer(request: httpx.Request) -> httpx.Response:
    target = request.url.raw_path.decode("ascii")
    status, content_type, body = PAGES.get(target, NOT_HERE)
    return httpx.Response(status, headers={"Content-Type": content_type}, text=body)


def news_site_client() -> httpx.Client:
    """An httpx client whose every request is answered from PAGES, by path and query."""
    return httpx.Client(transport=httpx.MockTransport(_answer))
