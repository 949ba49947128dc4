"""Issue 11, failure 10: the modals' max_length holds on the server too. A submission is only a
signed request; a 200,000-character note is refused beside its field and nothing is stored."""

from __future__ import annotations

from typing import Any

from bot.desk.submissions import ERROR_TOO_LONG
from bot.localslack import payloads
from bot.localslack.web_api import ALICE, DESK
from bot.render import ids
from bot.render.modals import MAX_NOTE_CHARS, MAX_REASON_CHARS, MAX_SOURCES_CHARS
from tests.desk.helpers import Desk, only_card, paste, tickets

HUGE = 200_000


def open_modal(desk: Desk, card: dict[str, Any], menu: str, callback_id: str) -> dict[str, Any]:
    desk.driver.choose(
        ALICE, only_card(card, 1), ids.ACTION_TICKET_MENU, ids.menu_value(menu, 1), channel=DESK
    )
    return desk.slack.wait_for(
        lambda: [v for v in desk.slack.views_opened(ALICE) if v["callback_id"] == callback_id],
        description=callback_id,
    )[-1]


def max_lengths(view: dict[str, Any]) -> dict[str, int]:
    return {
        block["block_id"]: block["element"]["max_length"]
        for block in view["blocks"]
        if block.get("element", {}).get("type") == "plain_text_input"
    }


def test_an_oversized_verify_note_is_refused_beside_the_field(desk: Desk) -> None:
    _article, replies = paste(desk)
    view = open_modal(desk, replies[0], ids.MENU_VERIFY, ids.VIEW_VERIFY)
    assert max_lengths(view) == {
        ids.BLOCK_SOURCES: MAX_SOURCES_CHARS,
        ids.BLOCK_NOTE: MAX_NOTE_CHARS,
    }
    values = {
        ids.BLOCK_VERDICT: {ids.ELEMENT_VERDICT: payloads.select_input("Accurate")},
        ids.BLOCK_SOURCES: {ids.ELEMENT_SOURCES: payloads.text_input("https://stats.example.org")},
        ids.BLOCK_NOTE: {ids.ELEMENT_NOTE: payloads.text_input("n" * HUGE)},
    }
    refused = desk.driver.submit(ALICE, view, values)
    assert refused.body == {
        "response_action": "errors",
        "errors": {ids.BLOCK_NOTE: ERROR_TOO_LONG.format(limit=MAX_NOTE_CHARS, length=HUGE)},
    }
    first = tickets(desk)[0]
    assert (first.status, first.note, first.sources) == ("open", None, [])

    values[ids.BLOCK_NOTE] = {ids.ELEMENT_NOTE: payloads.text_input("n" * MAX_NOTE_CHARS)}
    assert desk.driver.submit(ALICE, view, values).body in (None, "", {})
    desk.slack.wait_for(lambda: tickets(desk)[0].status == "verified", description="verified")
    assert tickets(desk)[0].note == "n" * MAX_NOTE_CHARS


def test_oversized_flag_reason_and_sources_are_refused(desk: Desk) -> None:
    _article, replies = paste(desk)
    flag = open_modal(desk, replies[0], ids.MENU_FLAG, ids.VIEW_FLAG)
    assert max_lengths(flag) == {ids.BLOCK_REASON: MAX_REASON_CHARS, ids.BLOCK_NOTE: MAX_NOTE_CHARS}
    refused = desk.driver.submit(
        ALICE, flag, {ids.BLOCK_REASON: {ids.ELEMENT_REASON: payloads.text_input("r" * HUGE)}}
    )
    assert refused.body["errors"] == {
        ids.BLOCK_REASON: ERROR_TOO_LONG.format(limit=MAX_REASON_CHARS, length=HUGE)
    }
    verify = open_modal(desk, replies[0], ids.MENU_VERIFY, ids.VIEW_VERIFY)
    many = "\n".join(f"https://stats.example.org/{n}" for n in range(HUGE // 30))
    refused = desk.driver.submit(
        ALICE,
        verify,
        {
            ids.BLOCK_VERDICT: {ids.ELEMENT_VERDICT: payloads.select_input("Accurate")},
            ids.BLOCK_SOURCES: {ids.ELEMENT_SOURCES: payloads.text_input(many)},
        },
    )
    assert list(refused.body["errors"]) == [ids.BLOCK_SOURCES]
    assert tickets(desk)[0].status == "open"
