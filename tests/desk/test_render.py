"""Renderers are pure: every card, thread, modal and Home fits Slack's Block Kit limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import user_input
from bot.desk.submissions import (
    ERROR_NO_REASON,
    ERROR_NO_SOURCE,
    flag_errors,
    read_verify,
    verify_errors,
)
from bot.localslack.blockkit import message_block_errors, view_errors, visible_text
from bot.render import ids
from bot.render.cards import STATUS_OPEN, render_ticket_card, status_line
from bot.render.help import render_help
from bot.render.home import HomeData, render_home
from bot.render.limits import split_blocks, trim
from bot.render.modals import render_flag_modal, render_verify_modal
from bot.render.thread import CARDS_PER_MESSAGE, render_thread
from bot.workflow import REVIEW_URL_PRIVATE
from storage.digest_figures import ArticleProgress, CheckerLoad, DigestFigures, OverdueItem
from storage.models import Ticket

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


def ticket(i: int, *, kind: str = "claim", status: str = "open", **extra: object) -> Ticket:
    values: dict[str, object] = {
        "id": i,
        "article_id": 1,
        "kind": kind,
        "text": f"Claim number {i} says <the> GDP & more grew 4% " + "very " * 200,
        "status": status,
        "created_at": NOW,
        "updated_at": NOW,
    }
    if status != "open":
        values.setdefault("assignee", "U0CHECK")
    values.update(extra)
    return Ticket(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "made",
    [
        ticket(1),
        ticket(2, kind="quote", speaker="Hamidreza Azizi", speaker_title="fellow at SWP"),
        ticket(3, kind="quote"),
        ticket(4, status="claimed", due_at=NOW + timedelta(hours=4)),
        ticket(
            5, status="verified", verdict="Accurate", sources=["https://a.example/x"] * 5, note="n"
        ),
        ticket(6, status="flagged", verdict="Misleading", reason="from 2019"),
        ticket(7, status="dismissed", reason="opinion"),
    ],
)
def test_every_card_is_valid_block_kit(made: Ticket) -> None:
    blocks = render_ticket_card(made)
    assert message_block_errors(blocks) == []
    assert len(blocks) <= 3
    text = visible_text(blocks)
    assert f"#{made.id}" in text
    assert "&lt;the&gt;" in text
    assert "&amp;" in text
    if made.status in ("open", "claimed"):
        # Open: Claim. Claimed: what the holder does next, Verify (Flag beside it).
        assert blocks[-1]["elements"][0]["action_id"] in (ids.ACTION_CLAIM, ids.ACTION_VERIFY)
        assert blocks[-1]["elements"][0]["value"] == str(made.id)


def test_card_shows_speaker_title_and_status() -> None:
    quote = ticket(2, kind="quote", speaker="Hamidreza Azizi", speaker_title="fellow at SWP")
    text = visible_text(render_ticket_card(quote))
    assert "Hamidreza Azizi" in text
    assert "fellow at SWP" in text
    assert status_line(ticket(1)) == STATUS_OPEN


def test_a_quote_card_reads_as_a_quotation_without_the_attribution_comma() -> None:
    quote = ticket(3, kind="quote", text="We have waited eight years for this,")
    assert "“We have waited eight years for this”" in visible_text(render_ticket_card(quote))


def test_thread_splits_at_fifty_blocks_and_keeps_each_card_whole() -> None:
    tickets = [ticket(i) for i in range(1, 41)]
    messages = render_thread(tickets)
    assert len(messages) == 3
    assert [len(chunk) for chunk, _ in messages] == [CARDS_PER_MESSAGE, CARDS_PER_MESSAGE, 8]
    for _chunk, message in messages:
        assert len(message.blocks) <= 50
        assert message_block_errors(message.blocks) == []
    header = visible_text(messages[0][1].blocks)
    assert "40 claims and 0 quotes" in header
    assert "#1–#40" in header
    assert "part 2 of 3" in visible_text(messages[1][1].blocks)


def test_split_blocks_never_exceeds_the_limit() -> None:
    groups = [[{"type": "divider"}] * 3 for _ in range(40)]
    messages = split_blocks(groups, first=[{"type": "divider"}], continuation=[{"type": "divider"}])
    assert all(len(m) <= 50 for m in messages)
    assert sum(len(m) for m in messages) == 120 + len(messages)


def test_trim_cuts_at_a_word_and_marks_it() -> None:
    assert trim("short", 10) == "short"
    assert trim("one two three four five six", 15) == "one two three…"


@pytest.mark.parametrize("kind", ["claim", "quote"])
def test_modals_are_valid_and_offer_the_scale(kind: str) -> None:
    made = ticket(123456, kind=kind)
    verify = render_verify_modal(made)
    assert view_errors(verify) == []
    options = [o["value"] for o in verify["blocks"][1]["element"]["options"]]
    assert options[0] == "Accurate"
    assert ("Misquoted" in options) is (kind == "quote")
    flag = render_flag_modal(made)
    assert view_errors(flag) == []


def _state(sources: str) -> dict[str, object]:
    return {
        "private_metadata": '{"ticket_id": 9}',
        "state": {
            "values": {
                ids.BLOCK_VERDICT: {
                    ids.ELEMENT_VERDICT: {
                        "type": "static_select",
                        "selected_option": {"value": "Accurate"},
                    }
                },
                ids.BLOCK_SOURCES: {
                    ids.ELEMENT_SOURCES: {"type": "plain_text_input", "value": sources}
                },
                ids.BLOCK_NOTE: {ids.ELEMENT_NOTE: {"type": "plain_text_input", "value": None}},
            }
        },
    }


def test_verify_submission_validation() -> None:
    good = read_verify(_state("https://a.example/1\nhttps://b.example/2"))
    assert good.ticket_id == 9
    assert good.sources == ["https://a.example/1", "https://b.example/2"]
    assert verify_errors(good) == {}
    assert verify_errors(read_verify(_state("  "))) == {ids.BLOCK_SOURCES: ERROR_NO_SOURCE}
    bad = verify_errors(read_verify(_state("https://a.example/1 www.b.example")))
    assert bad == {ids.BLOCK_SOURCES: user_input.NOT_A_URL.format(word="www.b.example")}


def test_the_verify_modal_takes_a_public_published_fact_check_url() -> None:
    view = render_verify_modal(ticket(4, status="claimed"))
    assert ids.BLOCK_REVIEW_URL in [b.get("block_id") for b in view["blocks"]]
    assert view_errors(view) == []

    def submitted(url: str) -> dict[str, object]:
        state = _state("https://a.example/1")
        values = state["state"]["values"]  # type: ignore[index]
        values[ids.BLOCK_REVIEW_URL] = {
            ids.ELEMENT_REVIEW_URL: {"type": "url_text_input", "value": url}
        }
        return state

    public = read_verify(submitted("https://news.example/fc/4"))
    assert public.review_url == "https://news.example/fc/4"
    assert verify_errors(public) == {}
    private = "https://team.slack.com/archives/C1/p2"
    assert verify_errors(read_verify(submitted(private))) == {
        ids.BLOCK_REVIEW_URL: REVIEW_URL_PRIVATE.format(url=private)
    }


def test_flag_needs_a_reason_or_a_verdict() -> None:
    from bot.desk.submissions import FlagSubmission

    assert flag_errors(FlagSubmission(1, None, None, None)) == {ids.BLOCK_REASON: ERROR_NO_REASON}
    assert flag_errors(FlagSubmission(1, "Misleading", None, None)) == {}


def test_home_for_an_editor_fits_in_a_view() -> None:
    figures = DigestFigures(
        channel=None,
        since=NOW - timedelta(days=1),
        now=NOW,
        open=40,
        claimed=30,
        overdue=2,
        new_articles=3,
        new_tickets=70,
        verified_since=5,
        flagged_since=1,
        dismissed_since=0,
        flagged=[],
        overdue_tickets=[OverdueItem(4, "x", "U0CHECK", NOW - timedelta(hours=1))],
        load=[CheckerLoad("U0CHECK", 30, 2)],
        progress=[ArticleProgress(1, "Iran & Russia", "https://x.slack.com/p1", 4, 10)],
        articles_in_progress=1,
    )
    data = HomeData(
        user_id="U0CHECK",
        now=NOW,
        mine=[ticket(i, status="claimed", due_at=NOW - timedelta(hours=1)) for i in range(1, 40)],
        queue=[ticket(i) for i in range(100, 160)],
        queue_total=60,
        figures=figures,
        is_editor=True,
    )
    view = render_home(data)
    assert view_errors(view) == []
    text = visible_text(view)
    assert "Desk at a glance" in text
    assert "overdue" in text
    assert "…and 45 more" in text


def test_help_is_valid() -> None:
    message = render_help("frob")
    assert message_block_errors(message.blocks) == []
    assert "I don't know `frob`" in visible_text(message.blocks)
