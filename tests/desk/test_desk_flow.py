"""The desk end to end through the stand-in over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from bot.localslack import payloads
from bot.localslack.blockkit import visible_text
from bot.localslack.web_api import ALICE, CAROL, DESK
from bot.render import ids
from bot.render.cards import (
    BUTTON_FLAG,
    BUTTON_VERIFY,
    MENU_RELEASE_TEXT,
    MENU_VERIFY_TEXT,
    STATUS_OPEN,
)
from bot.render.messages import CLAIMED
from tests.desk.helpers import (
    ARTICLE,
    Desk,
    articles,
    assert_block_kit_clean,
    card_message,
    card_with,
    only_card,
    paste,
    thread_replies,
    tickets,
)


def test_paste_claim_verify_updates_the_card(desk: Desk) -> None:
    slack = desk.slack
    article, replies = paste(desk)
    assert len(replies) == 1
    reply = replies[0]
    text = visible_text(reply["blocks"])
    assert "3 claims and 3 quotes" in text
    assert "#1–#6" in text
    assert "Maria Lopez" in text
    assert "mayor of Riverton" in text
    assert STATUS_OPEN.replace("*", "") in text.replace("*", "")
    # Each card shows the sentence before its ticket: the quote's card, the figures before it.
    quote_card = next(
        b
        for b in reply["blocks"]
        if "We have never invested" in b.get("text", {}).get("text", "")
        and b.get("block_id", "").endswith("-card")
    )
    assert "Maria Lopez" in quote_card["text"]["text"]
    assert "_Unemployment in the region fell to 3.1 percent in March" in quote_card["text"]["text"]
    assert slack.calls("reactions.add")
    slack.wait_for_call("reactions.remove")  # the :eyes: goes once the thread is posted
    rows = tickets(desk)
    assert len(rows) == 6
    assert all(t.card_ts == reply["ts"] for t in rows)

    # Claim #1 by its button: the card changes in place, no new message.
    desk.driver.click(ALICE, reply, ids.ACTION_CLAIM, channel=DESK)
    card = slack.wait_for(
        lambda: card_with(desk, reply["ts"], f"<@{ALICE}>"),
        description="card shows the claim",
    )
    assert card is not None
    # What the holder does next is a button; Release moved into the ⋯ menu.
    first_card = [b for b in card["blocks"] if b.get("block_id", "").startswith("ticket-1-")]
    buttons = [
        e["text"]["text"] for b in first_card if b["type"] == "actions" for e in b["elements"]
    ]
    assert buttons == [BUTTON_VERIFY, BUTTON_FLAG]
    menu = [o["text"]["text"] for o in first_card[0]["accessory"]["options"]]
    assert MENU_RELEASE_TEXT in menu
    assert MENU_VERIFY_TEXT not in menu
    assert len(thread_replies(slack, article["ts"])) == 1

    # Claim #2 by command: an ephemeral answer, and the same card message updated.
    delivery = desk.driver.command(ALICE, "/factcheck", "claim #2", channel=DESK)
    assert delivery.acked
    answer = slack.wait_for(lambda: slack.responses(delivery.response_url), description="answer")
    assert answer[0].text == CLAIMED.format(ids="#2")
    assert answer[0].response_type == "ephemeral"
    slack.wait_for(lambda: tickets(desk)[1].status == "claimed")

    # Verify #1 through the modal, from the card's Verify button.
    current = card_message(desk, reply["ts"])
    desk.driver.click(ALICE, current, ids.ACTION_VERIFY, channel=DESK)
    view = slack.wait_for(lambda: slack.views_opened(ALICE), description="verify modal")[-1]
    assert view["callback_id"] == ids.VIEW_VERIFY
    delivery = desk.driver.submit(
        ALICE,
        view,
        {
            ids.BLOCK_VERDICT: {ids.ELEMENT_VERDICT: payloads.select_input("Mostly accurate")},
            ids.BLOCK_SOURCES: {
                ids.ELEMENT_SOURCES: payloads.text_input("https://stats.example.org/budget")
            },
            ids.BLOCK_NOTE: {ids.ELEMENT_NOTE: payloads.text_input("matches the table")},
        },
    )
    assert delivery.acked
    assert not delivery.body
    card = slack.wait_for(
        lambda: card_with(desk, reply["ts"], "Mostly accurate"),
        description="card shows the verdict",
    )
    assert card is not None
    assert "stats.example.org" in visible_text(card["blocks"])
    assert "1 of 6 done" in visible_text(card["blocks"])
    first = tickets(desk)[0]
    assert (first.status, first.verdict, first.sources) == (
        "verified",
        "Mostly accurate",
        ["https://stats.example.org/budget"],
    )

    # The actor's Home is refreshed after their own action (after the card, so wait for it):
    # #1, verified, has left it; #2, still claimed, is in it.
    def home_after_verify() -> str | None:
        home = visible_text(slack.last_view_published_for(ALICE))
        rows = {line.split("*")[1] for line in home.splitlines() if line.startswith("*#")}
        return home if "#2" in rows and "#1" not in rows else None

    slack.wait_for(home_after_verify, description="Alice's Home without the verified #1")
    assert_block_kit_clean(slack)


def test_modal_validation_shows_next_to_the_field(desk: Desk) -> None:
    slack = desk.slack
    _article, replies = paste(desk)
    desk.driver.choose(
        ALICE,
        only_card(replies[0], 3),
        ids.ACTION_TICKET_MENU,
        ids.menu_value(ids.MENU_VERIFY, 3),
        channel=DESK,
    )
    view = slack.wait_for(lambda: slack.views_opened(ALICE))[-1]
    empty = desk.driver.submit(
        ALICE,
        view,
        {
            ids.BLOCK_VERDICT: {ids.ELEMENT_VERDICT: payloads.select_input("Accurate")},
            ids.BLOCK_SOURCES: {ids.ELEMENT_SOURCES: payloads.text_input("www.example.org")},
        },
    )
    assert empty.body["response_action"] == "errors"
    assert ids.BLOCK_SOURCES in empty.body["errors"]
    assert tickets(desk)[2].status == "open"
    # Flag: nothing given at all -> the reason field says so.
    desk.driver.choose(
        ALICE,
        only_card(replies[0], 3),
        ids.ACTION_TICKET_MENU,
        ids.menu_value(ids.MENU_FLAG, 3),
        channel=DESK,
    )
    flag_view = slack.wait_for(
        lambda: [v for v in slack.views_opened(ALICE) if v["callback_id"] == ids.VIEW_FLAG]
    )[-1]
    refused = desk.driver.submit(
        ALICE, flag_view, {ids.BLOCK_REASON: {ids.ELEMENT_REASON: payloads.text_input("")}}
    )
    assert refused.body["response_action"] == "errors"
    assert ids.BLOCK_REASON in refused.body["errors"]
    flagged = desk.driver.submit(
        ALICE,
        flag_view,
        {
            ids.BLOCK_REASON_LABEL: {ids.ELEMENT_REASON_LABEL: payloads.select_input("Misleading")},
            ids.BLOCK_REASON: {ids.ELEMENT_REASON: payloads.text_input("the figure is from 2019")},
        },
    )
    assert flagged.acked
    assert not flagged.body
    row = tickets(desk)[2]
    assert (row.status, row.verdict, row.reason) == (
        "flagged",
        "Misleading",
        "the figure is from 2019",
    )
    assert_block_kit_clean(slack)


def test_retried_and_duplicate_deliveries_change_nothing(desk: Desk) -> None:
    slack = desk.slack
    message, _ = paste(desk)
    event = payloads.message_event(user=CAROL, channel=DESK, text=ARTICLE, ts=message["ts"])
    body = payloads.event_callback(event, team_id=slack.team_id)
    assert desk.driver.sender is not None
    for retry in (1, 2):
        response = desk.driver.sender.event(body, retry_num=retry, retry_reason="http_timeout")
        assert response.status_code == 200
    # A mention is a different message, so its own article; the same words again are a
    # re-paste, which files nothing new (tests/desk/test_earlier_checks.py shows the answer).
    desk.driver.mention(CAROL, DESK, ARTICLE)
    slack.wait_for(
        lambda: [a.intake_status for a in articles(desk)] == ["ready", "ready"],
        description="mention ingested",
    )
    assert len(tickets(desk)) == 6
    # The retried message made no second article, tickets, or thread reply.
    assert len(thread_replies(slack, message["ts"])) == 1
    assert len([a for a in articles(desk) if a.ts == message["ts"]]) == 1
    assert len(slack.calls("reactions.add")) == 2


def test_forged_signature_is_refused_and_stores_nothing(desk: Desk) -> None:
    event = payloads.message_event(user=CAROL, channel=DESK, text=ARTICLE)
    body = payloads.event_callback(event, team_id=desk.slack.team_id)
    assert desk.driver.sender is not None
    forged = desk.driver.sender.event(body, forge=True)
    assert forged.status_code == 401
    assert articles(desk) == []
    assert desk.slack.calls("chat.postMessage") == []
