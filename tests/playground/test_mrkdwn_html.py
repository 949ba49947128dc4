"""mrkdwn as the page shows it: formatting Slack draws, and nothing a person typed ever runs."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.playground.mrkdwn_html import Reader, mrkdwn_html

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
READER = Reader(
    users={"U0ALICE": "Alice Checker"},
    channels={"C0DESK": "factcheck-desk"},
    zone=ZoneInfo("America/New_York"),
    now=NOW,
    archive_url="https://factdesk.slack.com/archives/",
)


def html(text: str) -> str:
    return mrkdwn_html(text, READER)


def test_markup_in_text_is_shown_not_run() -> None:
    shown = html('&lt;script&gt;alert("x")&lt;/script&gt; <img src=x onerror=alert(1)>')
    assert "<script" not in shown
    assert "<img" not in shown
    assert "&lt;script&gt;" in shown
    assert "&quot;x&quot;" in shown


def test_bold_italic_strike_code_and_quotes() -> None:
    shown = html("*Claimed* by _someone_ ~late~ `code`\n>a quote")
    assert "<b>Claimed</b>" in shown
    assert "<i>someone</i>" in shown
    assert "<s>late</s>" in shown
    assert "<code>code</code>" in shown
    assert "<blockquote>a quote</blockquote>" in shown


def test_underscores_inside_words_stay_text() -> None:
    assert "<i>" not in html("snake_case_name and 2*3*4")
    assert "<b>" not in html("snake_case_name and 2*3*4")


def test_mentions_channels_and_links() -> None:
    shown = html("<@U0ALICE> in <#C0DESK> read <https://example.org/a?b=1&amp;c=2|the report>")
    assert "@Alice Checker" in shown
    assert "#factcheck-desk" in shown
    assert 'href="https://example.org/a?b=1&amp;c=2"' in shown
    assert 'rel="noopener noreferrer"' in shown
    assert ">the report</a>" in shown


def test_only_web_links_are_followed() -> None:
    shown = html("<javascript:alert(1)|click me> <data:text/html,x>")
    assert "href" not in shown
    assert "click me" in shown


def test_dates_in_the_readers_zone() -> None:
    stamp = int(datetime(2026, 3, 10, 18, 30, tzinfo=UTC).timestamp())
    shown = html(f"due <!date^{stamp}^{{date_short_pretty}} {{time}}|10 Mar 18:30 UTC>")
    assert "today 2:30 PM" in shown  # New York, four hours behind UTC in March (EDT)


def test_broken_date_falls_back() -> None:
    assert "10 Mar 18:30 UTC" in html("<!date^soon^{time}|10 Mar 18:30 UTC>")


def test_permalinks_into_the_workspace_stay_on_the_page() -> None:
    shown = html("<https://factdesk.slack.com/archives/C0DESK/p1773150000000100|the article>")
    assert 'data-goto-channel="C0DESK"' in shown
    assert 'data-goto-ts="1773150000.000100"' in shown
    assert "slack.com" not in shown
