"""Editors act from the messages that tell them (escalation DM, digest): Claim, Assign…, Open thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from bot.digest import post_due_digests
from bot.localslack import payloads
from bot.localslack.blockkit import message_block_errors, visible_text
from bot.localslack.web_api import ALICE, CAROL, DESK
from bot.reminders import ReminderSweeper
from bot.render import ids
from bot.render import messages as m
from bot.render.cards import BUTTON_CLAIM, STATUS_CLAIMED
from bot.render.digest import MORE_UNCLAIMED as DIGEST_MORE_UNCLAIMED
from bot.render.reminders import (
    ASSIGN_PLACEHOLDER,
    OPEN_THREAD_LABEL,
    ROW_ASSIGNED,
    ROW_CLAIMED,
)
from bot.workflow import STALE_ASSIGN, STALE_ASSIGN_FINISHED, STALE_HELD_BY
from storage.db import session_scope
from storage.tickets import audit_trail
from tests.desk.helpers import (
    ARTICLE,
    EDITOR,
    Desk,
    articles,
    assert_block_kit_clean,
    paste,
    tickets,
    wait_idle,
)


def test_an_editor_assigns_an_escalated_ticket_from_the_escalation_dm(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk(escalate_after=1, reminder_interval="1h")
    paste(desk)
    desk.slack.wait_for_call("reactions.remove")  # the intake is over: the permalink is known
    delivery = desk.driver.command(ALICE, "/factcheck", "claim 1", channel=DESK)
    assert delivery.acked
    desk.slack.wait_for(lambda: tickets(desk)[0].status == "claimed")

    later = desk.services.clock() + timedelta(hours=2)
    desk.services.clock = lambda: later
    report = ReminderSweeper(desk.services).sweep()
    assert report.escalations == 1
    [escalation] = desk.slack.dms_to(EDITOR)
    assert message_block_errors(escalation["blocks"]) == []
    [row] = [b for b in escalation["blocks"] if b["type"] == "actions"]
    picker, thread = row["elements"]
    assert picker["type"] == "users_select"
    assert picker["placeholder"]["text"] == ASSIGN_PLACEHOLDER
    assert thread["text"]["text"] == OPEN_THREAD_LABEL
    assert thread["url"] == articles(desk)[0].permalink

    # Bob picks Carol: the ticket is hers, she hears it, and Bob sees it done.
    payload = payloads.block_actions(
        user=EDITOR,
        actions=[
            payloads.users_select(ids.ACTION_ASSIGN_PICK, user=CAROL, block_id=row["block_id"])
        ],
        trigger_id=desk.slack.new_trigger_id(EDITOR),
        channel=desk.slack.im_channel_for(EDITOR),
        message=escalation,
        team_id=desk.slack.team_id,
        api_app_id=desk.slack.app_id,
    )
    assert desk.driver.sender is not None
    assert desk.driver.sender.interactive(payload).status_code == 200
    desk.slack.wait_for(lambda: tickets(desk)[0].assignee == CAROL, description="assigned")
    desk.slack.wait_for(lambda: desk.slack.dms_to(CAROL, containing="assigned you #1"))
    done = m.ASSIGNED.format(id=1, assignee=CAROL)
    desk.slack.wait_for(lambda: desk.slack.ephemerals_to(EDITOR, containing=done))
    # The DM itself now says it was handled, in place of the picker.
    settled = ROW_ASSIGNED.format(id=1, assignee=CAROL, editor=EDITOR)
    [dm] = desk.slack.wait_for(
        lambda: desk.slack.dms_to(EDITOR, containing=settled), description="the DM settled"
    )
    assert not [b for b in dm["blocks"] if b["type"] == "actions"]


def _digest(desk: Desk) -> dict[str, Any]:
    """Post the day's digest through the outbox, as the scheduler does, and return it.

    The bot is let finish first: a message still on its way to the channel (the card update
    of a claim just made) is delivered before the digest, which waits behind it, and this desk
    runs no clock to deliver the digest once it has gone."""
    wait_idle(desk)
    assert len(post_due_digests(desk.services, owner="test")) == 1
    digests = desk.slack.wait_for(
        lambda: [m for m in desk.slack.messages_in(DESK) if "Fact-check desk" in str(m)],
        description="the digest",
    )
    message = digests[-1]
    assert message_block_errors(message["blocks"]) == []
    return message


def _listed(message: dict[str, Any], part: str) -> int:
    """The id of the ticket the digest shows in its `part` section (oldest, overdue)."""
    [ticket_id] = [
        ids.ticket_id_of_block(b["block_id"])
        for b in message["blocks"]
        if b.get("block_id", "").endswith(f"-{part}")
    ]
    assert ticket_id is not None
    return ticket_id


def _assigns(desk: Desk, ticket_id: int) -> int:
    with session_scope(desk.services.engine) as session:
        return sum(1 for e in audit_trail(session, ticket_id) if e.action == "assign")


def _holder(desk: Desk, ticket_id: int) -> str | None:
    return next(t.assignee for t in tickets(desk) if t.id == ticket_id)


def _digest_after_a_paste(
    make_desk: Callable[..., Desk],
) -> tuple[Desk, dict[str, Any], int]:
    """A desk with one pasted article, its digest posted, and the digest's oldest unclaimed."""
    desk = make_desk(digest_time="00:00")
    paste(desk)
    desk.slack.wait_for_call("reactions.remove")
    digest = _digest(desk)
    return desk, digest, _listed(digest, "oldest")


def _a_late_pick_changes_nothing(
    desk: Desk,
    digest: dict[str, Any],
    row: str,
    ticket_id: int,
    *,
    pick: str,
    told: str,
    assigns: int,
) -> None:
    """Bob picks `pick` in a digest row the ticket has moved on from: he is told, no one else."""
    desk.driver.choose(EDITOR, digest, ids.ACTION_ASSIGN_PICK, pick, block_id=row)
    desk.slack.wait_for(lambda: desk.slack.ephemerals_to(EDITOR, containing=told))
    assert _assigns(desk, ticket_id) == assigns
    assert desk.slack.dms_to(pick, containing=f"assigned you #{ticket_id}") == []


def _row_settled(desk: Desk, digest: dict[str, Any], row: str, says: str) -> None:
    """The digest in Slack now shows `says` where row `row`'s buttons were, the rest as was."""

    def now() -> dict[str, Any] | None:
        message = desk.slack.message(DESK, digest["ts"])
        return message if message and says in visible_text(message["blocks"]) else None

    settled = desk.slack.wait_for(now, description="the digest row settled")
    assert settled is not None
    assert row not in [b.get("block_id") for b in settled["blocks"]]
    assert len(settled["blocks"]) == len(digest["blocks"])


def _card_says(desk: Desk, text: str) -> bool:
    return text in str(desk.slack.messages_in(DESK, include_replies=True))


def test_an_editor_assigns_the_oldest_unclaimed_ticket_from_the_digest(
    make_desk: Callable[..., Desk],
) -> None:
    desk, digest, oldest = _digest_after_a_paste(make_desk)
    row = ids.assign_block_id(oldest, "oldestactions", None)
    [block] = [b for b in digest["blocks"] if b.get("block_id") == row]
    claim, picker, thread = block["elements"]
    assert claim["text"]["text"] == BUTTON_CLAIM
    assert picker["placeholder"]["text"] == ASSIGN_PLACEHOLDER
    assert thread["url"] == articles(desk)[0].permalink
    more = DIGEST_MORE_UNCLAIMED.format(count=len(tickets(desk)) - 1)
    assert more in visible_text(digest["blocks"])

    # Bob picks Carol: as from the escalation DM, she holds it, hears it, the card says so.
    delivery = desk.driver.choose(EDITOR, digest, ids.ACTION_ASSIGN_PICK, CAROL, block_id=row)
    assert delivery.acked
    desk.slack.wait_for(lambda: _holder(desk, oldest) == CAROL, description="assigned")
    desk.slack.wait_for(lambda: desk.slack.dms_to(CAROL, containing=f"assigned you #{oldest}"))
    done = m.ASSIGNED.format(id=oldest, assignee=CAROL)
    desk.slack.wait_for(lambda: desk.slack.ephemerals_to(EDITOR, containing=done))
    desk.slack.wait_for(lambda: _card_says(desk, STATUS_CLAIMED.format(assignee=CAROL)))
    # Every editor reading the digest sees the row handled: no buttons left on it.
    _row_settled(desk, digest, row, ROW_ASSIGNED.format(id=oldest, assignee=CAROL, editor=EDITOR))

    # Later Bob picks Alice in the same, now stale, row: he is told, and nothing changes.
    stale = STALE_ASSIGN.format(id=oldest, now=STALE_HELD_BY.format(assignee=CAROL))
    _a_late_pick_changes_nothing(desk, digest, row, oldest, pick=ALICE, told=stale, assigns=1)
    assert _holder(desk, oldest) == CAROL
    assert_block_kit_clean(desk.slack)


def test_a_checker_claims_from_the_digest_and_later_clicks_change_nothing(
    make_desk: Callable[..., Desk],
) -> None:
    desk, digest, oldest = _digest_after_a_paste(make_desk)
    row = ids.assign_block_id(oldest, "oldestactions", None)

    # Alice claims it from the digest: hers, the card in the thread says so, and she is told.
    assert desk.driver.click(ALICE, digest, ids.ACTION_CLAIM, block_id=row).acked
    desk.slack.wait_for(lambda: _holder(desk, oldest) == ALICE, description="claimed")
    desk.slack.wait_for(lambda: _card_says(desk, STATUS_CLAIMED.format(assignee=ALICE)))
    told = m.CLAIMED.format(ids=f"#{oldest}")
    desk.slack.wait_for(lambda: desk.slack.ephemerals_to(ALICE, containing=told))
    _row_settled(desk, digest, row, ROW_CLAIMED.format(id=oldest, editor=ALICE))

    # Carol's Claim and Bob's Assign… on the same digest come too late: each is told so.
    desk.driver.click(CAROL, digest, ids.ACTION_CLAIM, block_id=row)
    taken = f"#{oldest} is already claimed by <@{ALICE}>"
    desk.slack.wait_for(lambda: desk.slack.ephemerals_to(CAROL, containing=taken))
    stale = STALE_ASSIGN.format(id=oldest, now=STALE_HELD_BY.format(assignee=ALICE))
    _a_late_pick_changes_nothing(desk, digest, row, oldest, pick=CAROL, told=stale, assigns=0)
    assert _holder(desk, oldest) == ALICE


def test_an_editor_hands_on_an_overdue_ticket_from_the_digest(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk(digest_time="00:00", reminder_interval="1h")
    paste(desk)
    desk.slack.wait_for_call("reactions.remove")
    assert desk.driver.command(ALICE, "/factcheck", "claim 1", channel=DESK).acked
    desk.slack.wait_for(lambda: _holder(desk, 1) == ALICE)
    later = desk.services.clock() + timedelta(hours=2)
    desk.services.clock = lambda: later
    digest = _digest(desk)
    assert _listed(digest, "overdue") == 1
    row = ids.assign_block_id(1, "overdueactions", ALICE)
    [block] = [b for b in digest["blocks"] if b.get("block_id") == row]
    picker, thread = block["elements"]
    assert picker["type"] == "users_select"
    assert thread["text"]["text"] == OPEN_THREAD_LABEL

    desk.driver.choose(EDITOR, digest, ids.ACTION_ASSIGN_PICK, CAROL, block_id=row)
    desk.slack.wait_for(lambda: _holder(desk, 1) == CAROL, description="reassigned")
    desk.slack.wait_for(lambda: desk.slack.dms_to(CAROL, containing="assigned you #1"))

    # Carol finishes it; a pick in the old digest row then changes nothing.
    url = "https://stats.example.org/table"
    assert desk.driver.command(CAROL, "/factcheck", f"verify 1 {url}", channel=DESK).acked
    desk.slack.wait_for(lambda: tickets(desk)[0].status == "verified")
    stale = STALE_ASSIGN_FINISHED.format(id=1, status="verified")
    _a_late_pick_changes_nothing(desk, digest, row, 1, pick=ALICE, told=stale, assigns=1)
    assert tickets(desk)[0].status == "verified"


def test_the_digest_an_editor_asks_for_leads_with_what_was_found_wrong(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk()
    headline = "Riverton passes its largest budget"
    paste(desk, f"{headline}\n\n{ARTICLE}")
    desk.slack.wait_for_call("reactions.remove")
    for user, text in [
        (ALICE, "claim 1 2"),
        (ALICE, "flag 1 Misleading: the figure is from 2019"),
        (ALICE, "verify 2 https://stats.example.org/table"),
    ]:
        done = desk.driver.command(user, "/factcheck", text, channel=DESK)
        desk.slack.wait_for(partial(desk.slack.responses, done.response_url), description=text)
    desk.slack.wait_for(lambda: [t.status for t in tickets(desk)[:2]] == ["flagged", "verified"])

    delivery = desk.driver.command(EDITOR, "/factcheck", "digest", channel=DESK)
    [answer] = desk.slack.wait_for(lambda: desk.slack.responses(delivery.response_url))
    blocks = answer.body["blocks"]
    assert message_block_errors(blocks) == []
    shown = visible_text(blocks)
    # Workflow and truth counted apart: one flagged (needs an editor), one verified, and
    # the verdicts Accurate and Misleading.
    assert "*Flagged (needs an editor)*\n1" in shown
    assert "*Verdicts since the last digest*: Accurate 1 · Misleading 1" in shown
    # What was found wrong comes first: verdict, reason, checker, story by its headline, and
    # a button to its thread.
    [wrong] = [b for b in blocks if b.get("block_id") == ids.ticket_block_id(1, "wrong")]
    assert "*Misleading* (flagged): the figure is from 2019" in wrong["text"]["text"]
    assert f"checker <@{ALICE}>" in wrong["text"]["text"]
    assert f"|{headline}>" in wrong["text"]["text"]
    assert wrong["accessory"]["url"] == articles(desk)[0].permalink
    assert shown.index("Found wrong") < shown.index("Oldest unclaimed")
    # Then the oldest unclaimed ticket, with its buttons.
    rows = [b["block_id"] for b in blocks if b["type"] == "actions"]
    assert rows == [ids.assign_block_id(3, "oldestactions", None)]
