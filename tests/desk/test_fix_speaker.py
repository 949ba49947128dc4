"""Fix speaker from a quote card's menu, through the stand-in over real HTTP."""

from __future__ import annotations

from typing import Any

from bot.desk.submissions import ERROR_NO_SPEAKER
from bot.localslack import payloads
from bot.localslack.web_api import ALICE, DESK
from bot.render import ids
from bot.render.cards import MENU_FIX_SPEAKER_TEXT, SPEAKER_KIND_LABELS, ticket_title
from storage.db import session_scope
from storage.models import Ticket
from storage.tickets import audit_trail
from tests.desk.helpers import Desk, assert_block_kit_clean, card_with, only_card, paste, tickets
from tests.factories import T0


def _options(view: dict[str, Any]) -> list[str]:
    """The names the modal offers to pick from."""
    for block in view["blocks"]:
        if block.get("block_id") == ids.BLOCK_SPEAKER_PICK:
            return [option["value"] for option in block["element"]["options"]]
    return []


def _open_fix_speaker(desk: Desk, reply: dict[str, Any], ticket_id: int) -> dict[str, Any]:
    desk.driver.choose(
        ALICE,
        only_card(reply, ticket_id),
        ids.ACTION_TICKET_MENU,
        ids.menu_value(ids.MENU_FIX_SPEAKER, ticket_id),
        channel=DESK,
    )
    return desk.slack.wait_for(
        lambda: [
            v for v in desk.slack.views_opened(ALICE) if v["callback_id"] == ids.VIEW_FIX_SPEAKER
        ],
        description="fix speaker modal",
    )[-1]


def test_a_checker_fixes_a_quote_speaker_from_its_card(desk: Desk) -> None:
    _article, replies = paste(desk)
    reply = replies[0]
    quote = next(t for t in tickets(desk) if t.kind == "quote" and t.speaker == "Tom Baker")
    claim = next(t for t in tickets(desk) if t.kind == "claim")
    assert quote.id is not None
    assert claim.id is not None
    # Only quote cards offer it.
    card_text = str(only_card(reply, quote.id)["blocks"])
    assert MENU_FIX_SPEAKER_TEXT in card_text
    assert MENU_FIX_SPEAKER_TEXT not in str(only_card(reply, claim.id)["blocks"])

    view = _open_fix_speaker(desk, reply, quote.id)
    assert {"Maria Lopez", "Tom Baker"} <= set(_options(view))

    refused = desk.driver.submit(ALICE, view, {})
    assert refused.body["response_action"] == "errors"
    assert refused.body["errors"] == {ids.BLOCK_SPEAKER_TEXT: ERROR_NO_SPEAKER}

    done = desk.driver.submit(
        ALICE,
        view,
        {
            ids.BLOCK_SPEAKER_PICK: {ids.ELEMENT_SPEAKER_PICK: payloads.select_input("Tom Baker")},
            ids.BLOCK_SPEAKER_TEXT: {ids.ELEMENT_SPEAKER_TEXT: payloads.text_input("the council")},
            ids.BLOCK_SPEAKER_TITLE: {ids.ELEMENT_SPEAKER_TITLE: payloads.text_input("")},
        },
    )
    assert done.acked
    assert not done.body
    label = SPEAKER_KIND_LABELS["organisation"]
    card = desk.slack.wait_for(
        lambda: card_with(desk, reply["ts"], f"*the council*{label}"),
        description="card shows the fixed speaker",
    )
    assert card is not None
    fixed = next(t for t in tickets(desk) if t.id == quote.id)
    assert (fixed.speaker, fixed.speaker_title, fixed.status) == ("the council", None, "open")
    with session_scope(desk.services.engine) as session:
        (event,) = audit_trail(session, quote.id)[-1:]
    assert (event.action, event.actor, event.detail["previous_speaker"]) == (
        "fix_speaker",
        ALICE,
        "Tom Baker",
    )
    assert_block_kit_clean(desk.slack)


def test_a_picked_name_is_the_speaker_when_nothing_is_typed(desk: Desk) -> None:
    _article, replies = paste(desk)
    quote = next(t for t in tickets(desk) if t.kind == "quote" and t.speaker == "Tom Baker")
    assert quote.id is not None
    view = _open_fix_speaker(desk, replies[0], quote.id)
    done = desk.driver.submit(
        ALICE,
        view,
        {
            ids.BLOCK_SPEAKER_PICK: {
                ids.ELEMENT_SPEAKER_PICK: payloads.select_input("Maria Lopez")
            },
            ids.BLOCK_SPEAKER_TITLE: {
                ids.ELEMENT_SPEAKER_TITLE: payloads.text_input("mayor of Riverton")
            },
        },
    )
    assert done.acked
    assert not done.body
    desk.slack.wait_for(
        lambda: next(t for t in tickets(desk) if t.id == quote.id).speaker == "Maria Lopez",
        description="the fixed speaker is stored",
    )
    fixed = next(t for t in tickets(desk) if t.id == quote.id)
    assert (fixed.speaker_title, fixed.speaker_kind) == ("mayor of Riverton", "person")


def test_a_card_says_what_a_speaker_who_is_no_named_person_is() -> None:
    def title(speaker: str, kind: str | None) -> str:
        row = Ticket(
            id=7,
            article_id=1,
            channel=DESK,
            kind="quote",
            text="x",
            speaker=speaker,
            speaker_kind=kind,
            created_at=T0,
            updated_at=T0,
        )
        return ticket_title(row)

    assert title("the White House", "organisation") == (
        f"*#7* Quote · *the White House*{SPEAKER_KIND_LABELS['organisation']}"
    )
    assert title("a senior official", "unnamed") == (
        f"*#7* Quote · *a senior official*{SPEAKER_KIND_LABELS['unnamed']}"
    )
    assert title("Ann Lee", "person") == "*#7* Quote · *Ann Lee*"
    assert title("Ann Lee", None) == "*#7* Quote · *Ann Lee*"
