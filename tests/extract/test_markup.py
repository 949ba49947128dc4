"""Slack markup read as plain text: the trigger-jumping scanner finds what a full scan finds."""

from __future__ import annotations

import pytest

from bot.extract.markup import _MARKUP, _markup, to_plain


@pytest.mark.parametrize(
    "given",
    [
        "no markup at all, just words and “quotes”",
        "a *bold* and _italic_ and ~struck~ word",
        "see <https://example.org/a_b|the report> &amp; <@U123> in <#C1|desk>",
        "snake_case_name and 2*3*4 stay as they are",
        "*bold*_italic_ &lt;tag&gt; &#39;",
    ],
)
def test_scanner_finds_the_same_markup_as_a_full_scan(given: str) -> None:
    assert [m.span() for m in _markup(given)] == [m.span() for m in _MARKUP.finditer(given)]


def test_text_without_markup_is_returned_as_is() -> None:
    plain = to_plain("“We will reopen it,” Maria Okafor said.")
    assert plain.starts is None
    assert plain.span(3, 7) == (3, 7)
