"""Block Kit as the page draws it: the bot's real cards and modals, and a notice for the rest."""

from __future__ import annotations

from typing import Any

from bot.playground.blocks_html import (
    FILE_SHARED,
    UNSUPPORTED_BLOCK,
    UNSUPPORTED_ELEMENT,
    blocks_html,
    message_body_html,
)
from bot.playground.mrkdwn_html import Reader
from bot.render import ids
from bot.render.cards import BUTTON_CLAIM, MENU_VERIFY_TEXT, render_ticket_card
from bot.render.modals import LABEL_SOURCES, render_verify_modal
from storage.models import Ticket

READER = Reader(users={"U0ALICE": "Alice Checker"})


def ticket(**fields: Any) -> Ticket:
    """An unsaved ticket: the renderers only read it."""
    values: dict[str, Any] = {
        "id": 12,
        "article_id": 1,
        "kind": "claim",
        "text": 'Ridership fell <b onmouseover="x">30%</b> & more',
        "status": "open",
    }
    values.update(fields)
    return Ticket(**values)


def test_a_card_has_its_text_escaped_and_its_buttons() -> None:
    shown = blocks_html(render_ticket_card(ticket()), READER)
    assert "<b onmouseover" not in shown
    assert "&lt;b onmouseover=&quot;x&quot;&gt;30%&lt;/b&gt; &amp; more" in shown
    assert f'data-act="click" data-action-id="{ids.ACTION_CLAIM}"' in shown
    assert f">{BUTTON_CLAIM}</button>" in shown
    assert 'data-act="choose"' in shown
    assert MENU_VERIFY_TEXT in shown
    assert f'data-block-id="{ids.ticket_block_id(12, "actions")}"' in shown


def test_a_modal_draws_inputs_the_script_reads_back() -> None:
    view = render_verify_modal(ticket(status="claimed", assignee="U0ALICE"))
    shown = blocks_html(view["blocks"], READER)
    assert f'data-block-id="{ids.BLOCK_SOURCES}"' in shown
    assert f'data-field="plain_text_input" data-action-id="{ids.ELEMENT_SOURCES}"' in shown
    assert f'data-field="static_select" data-action-id="{ids.ELEMENT_VERDICT}"' in shown
    assert LABEL_SOURCES in shown
    assert f'data-error-for="{ids.BLOCK_SOURCES}"' in shown
    assert " selected>Accurate</option>" in shown


def test_what_the_playground_does_not_draw_is_said_plainly() -> None:
    shown = blocks_html(
        [
            {"type": "video", "title": {"type": "plain_text", "text": "x"}},
            {"type": "actions", "elements": [{"type": "workflow_button", "action_id": "w"}]},
        ],
        READER,
    )
    assert UNSUPPORTED_BLOCK.format(type="video") in shown
    assert UNSUPPORTED_ELEMENT.format(type="workflow_button") in shown


def test_a_message_without_blocks_shows_its_text() -> None:
    shown = message_body_html({"text": "*hello* <@U0ALICE>"}, READER)
    assert "<b>hello</b>" in shown
    assert "@Alice Checker" in shown


def test_a_shared_image_is_drawn_from_the_page_and_other_files_named() -> None:
    chart = {
        "id": "F0001",
        "name": "factcheck-2026-W10.png",
        "title": "Filed and finished <per day>",
        "mimetype": "image/png",
        "alt_txt": 'Bar charts "per day"',
    }
    shown = message_body_html({"text": "", "files": [chart, {"name": "desk.csv"}]}, READER)
    assert '<img src="/play/file/F0001" alt="Bar charts &quot;per day&quot;">' in shown
    assert "<figcaption>Filed and finished &lt;per day&gt;</figcaption>" in shown
    assert FILE_SHARED.format(name="desk.csv") in shown
    # An id that is not Slack's shape is never put in a URL.
    odd = message_body_html({"files": [{**chart, "id": "../x"}]}, READER)
    assert "<img" not in odd


def test_a_shared_file_shows_by_name() -> None:
    shown = message_body_html({"text": "", "files": [{"name": "<desk>.csv"}]}, READER)
    assert FILE_SHARED.format(name="&lt;desk&gt;.csv") in shown
