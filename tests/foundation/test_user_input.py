"""What people type is read one way: ticket numbers, links, mentions and roles."""

from __future__ import annotations

import pytest

from bot.user_input import (
    find_links,
    is_http_url,
    role,
    strip_mentions,
    ticket_number,
    unwrap_link,
    user_id,
    without_links,
)


@pytest.mark.parametrize(
    ("word", "number"),
    [("12", 12), ("#12", 12), (" 7 ", 7), ("12,", 12), ("#0", None), ("twelve", None), ("", None)],
)
def test_ticket_numbers(word: str, number: int | None) -> None:
    assert ticket_number(word) == number


def test_a_link_is_http_or_https_with_a_host() -> None:
    assert is_http_url("https://stats.example.org/table?x=1")
    assert not is_http_url("www.example.com")
    assert not is_http_url("ftp://x.example")
    assert not is_http_url("https://")
    assert unwrap_link("<https://x.example/a|the story>") == "https://x.example/a"
    assert unwrap_link("plain") == "plain"


def test_mentions_name_users_and_are_stripped() -> None:
    assert user_id("<@U0ALICE|alice>") == "U0ALICE"
    assert user_id("@W123") == "W123"
    assert user_id("maria") is None
    assert strip_mentions("<@U0BOT> please check this") == "please check this"


def test_roles() -> None:
    assert role(" Editor ") == "editor"
    assert role("boss") is None


def test_links_in_slack_text_wrapped_or_bare_in_order_once() -> None:
    text = (
        "Please check <https://news.example/a?x=1&amp;y=2|this story> and <https://news.example/b> "
        "plus https://news.example/c. Also (https://news.example/d) and <https://news.example/b>."
    )
    assert find_links(text) == [
        "https://news.example/a?x=1&y=2",
        "https://news.example/b",
        "https://news.example/c",
        "https://news.example/d",
    ]


def test_a_quoted_bare_link_stops_at_its_quote() -> None:
    assert find_links('He wrote "https://news.example/a" twice') == ["https://news.example/a"]
    assert without_links("<@U0BOT> <https://news.example/a|story> https://b.example see") == "see"
