"""`/factcheck` through the running bot: every subcommand, bad input, roles, the error handler."""

from __future__ import annotations

import pytest

from bot import command_grammar as g
from bot import user_input, workflow
from bot.desk.actions import DIGEST_EDITORS_ONLY, REPORT_EDITORS_ONLY
from bot.localslack.blockkit import message_block_errors, visible_text
from bot.localslack.web_api import ALICE, CAROL, DESK, RANDOM
from bot.render import ids
from bot.render import messages as m
from bot.render.cards import BUTTON_CLAIM
from bot.render.weekly import iso_week
from bot.weekly import last_report_week
from tests.desk.helpers import ARTICLE, EDITOR, Desk, paste, tickets


def run(desk: Desk, user: str, text: str, channel: str = DESK) -> str:
    """Run `/factcheck text` and return the one ephemeral answer's visible text."""
    delivery = desk.driver.command(user, "/factcheck", text, channel=channel)
    assert delivery.acked, delivery
    assert not delivery.body, delivery  # ack first, answer via response_url
    answers = desk.slack.wait_for(
        lambda: desk.slack.responses(delivery.response_url), description=f"answer to {text!r}"
    )
    assert len(answers) == 1
    answer = answers[0]
    assert answer.response_type == "ephemeral"
    blocks = answer.body.get("blocks")
    if blocks:
        assert message_block_errors(blocks) == []
    return answer.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("claim", g.MISSING_TICKET_ID),
        ("verify 1 not-a-link", user_input.NOT_A_URL.format(word="not-a-link")),
        ("flag 1", g.MISSING_REASON),
        ("assign 1 maria", user_input.NOT_A_USER.format(word="maria")),
        ("roster promote", g.BAD_ROSTER_ACTION),
    ],
)
def test_bad_input_gets_the_problem_and_the_right_form(
    desk: Desk, text: str, expected: str
) -> None:
    assert run(desk, ALICE, text).startswith(expected)


def test_unknown_subcommand_gets_the_help(desk: Desk) -> None:
    text = run(desk, ALICE, "frobnicate 12")
    assert g.UNKNOWN_SUBCOMMAND.format(word="frobnicate") in text


def test_commands_on_tickets(desk: Desk) -> None:
    paste(desk)
    assert run(desk, ALICE, "claim 1 #2") == m.CLAIMED.format(ids="#1, #2")
    assert "already yours" in run(desk, ALICE, "claim 1")
    assert run(desk, CAROL, "claim 1").startswith("#1 is already claimed by <@U0ALICE>")
    assert run(desk, ALICE, "release #2") == m.RELEASED.format(id=2)
    assert run(desk, ALICE, "verify 1 https://a.example/src checked") == m.VERIFIED.format(
        id=1, verdict="Accurate"
    )
    assert run(desk, ALICE, "flag 3 Misleading: the figure is from 2019") == (
        m.FLAGGED_WITH_VERDICT.format(id=3, verdict="Misleading")
    )
    assert run(desk, ALICE, "dismiss 4 opinion") == m.DISMISSED.format(id=4)
    assert run(desk, ALICE, "show 999") == workflow.NO_TICKET.format(id=999)
    assert "#1" in run(desk, ALICE, "show #1")
    assert "Unclaimed" in run(desk, ALICE, "queue")
    assert m.MINE_EMPTY in run(desk, ALICE, "mine")
    # Roles: editors only for assign, reopen, digest and roster changes; the refusal says why.
    assert run(desk, ALICE, "assign 5 <@U0CAROL|carol>") == workflow.EDITORS_ONLY.format(
        action="assign tickets"
    )
    assert run(desk, ALICE, "reopen 1") == workflow.EDITORS_ONLY.format(action="reopen tickets")
    assert run(desk, ALICE, "digest") == DIGEST_EDITORS_ONLY
    assert run(desk, ALICE, "roster add <@U0CAROL>") == workflow.EDITORS_ONLY.format(
        action="change the roster"
    )
    assert run(desk, EDITOR, "assign 5 <@U0CAROL|carol>") == m.ASSIGNED.format(id=5, assignee=CAROL)
    assert desk.slack.wait_for(lambda: desk.slack.dms_to(CAROL), description="assignment DM")
    assert run(desk, EDITOR, "reopen 1") == m.REOPENED.format(id=1)
    assert run(desk, EDITOR, "roster add <@U0CAROL|carol> checker") == m.ROSTER_ADDED.format(
        user=CAROL, role="checker"
    )
    assert "<@U0CAROL>" in run(desk, ALICE, "roster list")
    assert run(desk, EDITOR, "digest")
    states = {t.id: (t.status, t.assignee) for t in tickets(desk)}
    assert states[1] == ("open", None)
    assert states[5] == ("claimed", CAROL)
    assert states[3][0] == "flagged"
    assert states[4][0] == "dismissed"


def test_ingest_command_posts_an_anchor_and_a_thread(desk: Desk) -> None:
    from tests.desk.helpers import ARTICLE

    assert run(desk, CAROL, "ingest " + ARTICLE) == m.INGEST_STARTED
    desk.slack.wait_for(lambda: len(tickets(desk)) == 6, description="tickets from the command")
    replies = desk.slack.messages_in(DESK, include_replies=True)
    assert any("sent an article for checking" in (r.get("text") or "") for r in replies)


def test_ingest_where_the_bot_is_not_a_member(desk: Desk) -> None:
    from bot.listeners.commands import CANNOT_POST_HERE

    assert run(desk, CAROL, "ingest Some text", channel=RANDOM) == CANNOT_POST_HERE


def test_unexpected_error_is_logged_and_apologised(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    desk.slack.error_next("views.publish", "fatal_error")  # Home publish fails: logged, not fatal
    paste(desk)
    desk.slack.server_error_next("chat.update", times=1)  # retried by the client's handler
    assert run(desk, ALICE, "claim 1") == m.CLAIMED.format(ids="#1")
    desk.slack.wait_for(
        lambda: len(desk.slack.calls("chat.update")) >= 2, description="retried update"
    )


def _answer_blocks(desk: Desk, user: str, text: str) -> list[dict[str, object]]:
    delivery = desk.driver.command(user, "/factcheck", text, channel=DESK)
    [answer] = desk.slack.wait_for(
        lambda: desk.slack.responses(delivery.response_url), description=f"answer to {text!r}"
    )
    blocks = answer.body["blocks"]
    assert message_block_errors(blocks) == []
    return list(blocks)


def test_mine_and_queue_show_due_story_and_a_button_like_the_home(desk: Desk) -> None:
    headline = "Riverton passes its largest budget"
    _message, _replies = paste(desk, f"{headline}\n\n{ARTICLE}")
    desk.slack.wait_for_call("reactions.remove")  # the intake is over: the permalink is known
    assert run(desk, ALICE, "claim 1") == m.CLAIMED.format(ids="#1")

    mine = _answer_blocks(desk, ALICE, "mine")
    [row] = [b for b in mine if "*#1*" in str(b.get("text"))]
    shown = str(row["text"])
    assert "due <!date" in shown
    # The story is named by its first line and links to the article's thread.
    assert "in <http" in shown
    assert f"|{headline}>" in shown
    assert isinstance(row["accessory"], dict)
    assert row["accessory"]["type"] == "overflow"

    queue = _answer_blocks(desk, ALICE, "queue")
    rows = [b for b in queue if b.get("accessory")]
    assert rows
    assert all(f"|{headline}>" in str(b["text"]) for b in rows)
    # A quote's line names its speaker, as its card does.
    assert any("(Maria Lopez):" in str(b["text"]) for b in rows)
    claim_buttons = [b["accessory"] for b in rows]
    assert all(
        isinstance(a, dict)
        and a["action_id"] == ids.ACTION_CLAIM
        and a["text"]["text"] == BUTTON_CLAIM
        for a in claim_buttons
    )
    assert "*#1*" not in str(queue)


def test_a_verdict_carries_its_published_fact_check_but_never_a_slack_link(desk: Desk) -> None:
    paste(desk)
    private = "https://fact.slack.com/archives/C1/p1"
    refused = run(desk, ALICE, f"verify 1 https://a.example/src published={private}")
    assert refused == workflow.REVIEW_URL_PRIVATE.format(url=private)
    assert tickets(desk)[0].status == "open"  # bad input changes nothing
    public = "https://news.example/fact-check/1"
    answer = run(desk, ALICE, f"verify 1 https://a.example/src published={public} checked")
    assert answer == m.VERIFIED.format(id=1, verdict="Accurate")
    first = tickets(desk)[0]
    assert first.review_url == public
    assert first.note == "checked"


def test_an_editor_reads_the_weekly_report_on_demand_and_others_are_told_why_not(
    desk: Desk,
) -> None:
    paste(desk)
    run(desk, ALICE, "claim 1")
    run(desk, ALICE, "verify 1 https://a.example/src checked")
    week = iso_week(desk.services.clock().date())

    delivery = desk.driver.command(EDITOR, "/factcheck", f"report {week}", channel=DESK)
    [answer] = desk.slack.wait_for(lambda: desk.slack.responses(delivery.response_url))
    assert answer.response_type == "ephemeral"
    assert message_block_errors(answer.body["blocks"]) == []
    shown = visible_text(answer.body["blocks"])
    assert f"Week {week}" in shown
    assert "*Finished*\n1 (1 verified" in shown

    assert run(desk, ALICE, "report") == REPORT_EDITORS_ONLY
    assert run(desk, EDITOR, "report 2026-W60").startswith("'2026-W60' is not an ISO week")
    assert run(desk, EDITOR, "report 2026-W48 2026-W49").startswith(g.ONE_WEEK)
    # Without a week: the one the latest Monday report covered.
    last = iso_week(last_report_week(desk.services.settings, desk.services.clock()))
    assert f"Week {last}" in run(desk, EDITOR, "report")
