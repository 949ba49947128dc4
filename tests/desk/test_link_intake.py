"""Link intake over real HTTP: a pasted link or `/factcheck ingest URL` is fetched from a local news site."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator, Mapping
from typing import Final

import pytest

from bot.extract.fetch import NO_TEXT, NOT_HTML, STATUS
from bot.localslack.blockkit import visible_text
from bot.localslack.web_api import CAROL, DESK
from bot.render.messages import INGEST_STARTED
from bot.render.thread import FETCH_FAILED
from tests.desk.helpers import Desk, articles, thread_replies, tickets

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


PAGES: Final[Mapping[str, tuple[int, str, str]]] = {
    "/story": (200, "text/html; charset=utf-8", STORY),
    "/story?id=7&ref=desk": (200, "text/html; charset=utf-8", STORY),
    "/empty": (200, "text/html; charset=utf-8", EMPTY_PAGE),
    "/data.json": (200, "application/json", '{"story": "not a web page"}'),
}


class _NewsSite(http.server.BaseHTTPRequestHandler):
    """A tiny newsroom site: a story, a missing page, a JSON file and an empty page."""

    def do_GET(self) -> None:
        status, content_type, body = PAGES.get(
            self.path, (404, "text/html; charset=utf-8", "<html><body>Not here</body></html>")
        )
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    """The news site on a free loopback port, in a thread; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NewsSite)
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="news-site", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _reply_text(desk: Desk, ts: str) -> str:
    replies = desk.slack.wait_for(
        lambda: thread_replies(desk.slack, ts), description="thread reply", timeout=10
    )
    desk.slack.wait_for_call("reactions.remove")  # the intake has finished
    return "\n".join(visible_text(r.get("blocks") or []) or r.get("text", "") for r in replies)


def _assert_story_ingested(desk: Desk, url: str, text: str) -> None:
    rows = tickets(desk)
    assert rows, text
    assert f"#1–#{len(rows)}" in text
    assert "Ines Carvalho" in text
    assert "$310 million" in text
    (article,) = articles(desk)
    assert (article.source_url, article.title) == (url, TITLE)
    assert "14 of the bridge's 22 support cables" in article.text


# What Slack sends for a pasted link: in <...>, with the label after |, and & escaped as &amp;.
PASTED = [
    ("<{site}/story|Harbour bridge>", "{site}/story"),
    ("<{site}/story>", "{site}/story"),
    ("<{site}/story?id=7&amp;ref=desk>", "{site}/story?id=7&ref=desk"),
]


@pytest.mark.parametrize(("pasted", "url"), PASTED, ids=["with-label", "bare", "query"])
def test_a_pasted_link_is_read_and_split_into_tickets(
    desk: Desk, site: str, pasted: str, url: str
) -> None:
    message = desk.driver.say(CAROL, DESK, pasted.format(site=site))
    _assert_story_ingested(desk, url.format(site=site), _reply_text(desk, message["ts"]))


UNREADABLE = [
    ("/gone", STATUS.format(status=404, reason="Not Found")),
    ("/data.json", NOT_HTML.format(url="{url}", content_type="application/json")),
    ("/empty", NO_TEXT.format(url="{url}")),
]


@pytest.mark.parametrize(("path", "reason"), UNREADABLE, ids=["404", "not-html", "empty"])
def test_an_unreadable_link_says_why_and_makes_no_tickets(
    desk: Desk, site: str, path: str, reason: str
) -> None:
    url = site + path
    message = desk.driver.say(CAROL, DESK, f"<{url}|the story>")
    text = _reply_text(desk, message["ts"])
    assert text == FETCH_FAILED.format(url=f"<{url}>", reason=reason.format(url=url))
    assert tickets(desk) == []
    (article,) = articles(desk)
    assert article.intake_status == "failed"
    assert article.failure_reason


def test_ingest_command_reads_the_link(desk: Desk, site: str) -> None:
    url = f"{site}/story"
    delivery = desk.driver.command(CAROL, "/factcheck", f"ingest <{url}>", channel=DESK)
    assert delivery.acked
    answer = desk.slack.wait_for(lambda: desk.slack.responses(delivery.response_url))
    assert answer[0].text == INGEST_STARTED
    anchor = desk.slack.wait_for(lambda: desk.slack.messages_in(DESK), description="anchor")[0]
    _assert_story_ingested(desk, url, _reply_text(desk, anchor["ts"]))


def test_ingest_command_with_a_missing_page_says_why(desk: Desk, site: str) -> None:
    url = f"{site}/gone"
    delivery = desk.driver.command(CAROL, "/factcheck", f"ingest {url}", channel=DESK)
    assert delivery.acked
    anchor = desk.slack.wait_for(lambda: desk.slack.messages_in(DESK), description="anchor")[0]
    text = _reply_text(desk, anchor["ts"])
    assert text == FETCH_FAILED.format(
        url=f"<{url}>", reason=STATUS.format(status=404, reason="Not Found")
    )
    assert tickets(desk) == []
