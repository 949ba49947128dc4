"""The daily digest: figures on a prepared desk, Slack's limits on a huge one, once per channel and day."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert

from bot.cli import main
from bot.digest import compose_digest, post_due_digests
from bot.localslack.web_api import ALICE, BOB, DESK, NEWSROOM, SlackStandIn
from bot.outbox import deliver_owed
from bot.render import ids
from bot.render.digest import (
    ALSO_FOUND_WRONG,
    FLAGGED_TITLE,
    MORE_IN_QUEUE,
    TICKETS_WITH_BUTTONS,
    digest_as_text,
)
from bot.render.limits import MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT
from bot.render.reminders import OPEN_THREAD_LABEL
from bot.services import Services
from bot.workflow import (
    DeskPolicy,
    claim_ticket,
    dismiss_ticket,
    flag_ticket,
    verify_ticket,
)
from storage.db import session_scope
from storage.models import Ticket
from tests.factories import T0, make_article, make_ticket
from tests.reminders.conftest import ManualClock

POLICY = DeskPolicy(reminder_interval=timedelta(hours=4))
SOURCE = ["https://stats.example/table"]
DAY2 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def prepare_desk(engine: Engine) -> dict[str, int]:
    """Two articles in progress in DESK and one finished, with a day of work before DAY2."""
    with session_scope(engine) as session:
        old = T0 - timedelta(days=3)
        budget = make_article(
            session, channel=DESK, title="Budget speech", permalink="https://x.example/p/1", now=T0
        )
        health = make_article(session, channel=DESK, title="Health bill", now=T0)
        done = make_article(session, channel=DESK, title="Old story", now=old)
        elsewhere = make_article(session, channel=NEWSROOM, title="Elsewhere", now=T0)
        b = [make_ticket(session, budget, now=T0).id for _ in range(4)]
        h = [make_ticket(session, health, now=T0).id for _ in range(3)]
        d = make_ticket(session, done, now=old).id
        make_ticket(session, elsewhere, now=T0)
        ids = [i for i in [*b, *h, d] if i is not None]
        b1, b2, b3, b4, h1, h2, h3, d1 = ids
        at = T0 + timedelta(hours=1)
        for ticket_id in (b1, b2, b3, b4, h2):
            claim_ticket(ticket_id, session=session, actor=ALICE, now=at, policy=POLICY)
        verify_ticket(
            b1,
            session=session,
            actor=ALICE,
            now=at,
            policy=POLICY,
            sources=SOURCE,
            verdict="Accurate",
        )
        verify_ticket(
            b2,
            session=session,
            actor=ALICE,
            now=at,
            policy=POLICY,
            sources=SOURCE,
            verdict="Inaccurate",
        )
        flag_ticket(
            b3,
            session=session,
            actor=ALICE,
            now=at,
            policy=POLICY,
            reason="Misleading: the figure is from 2019",
        )
        # h2 changes hands: Bob holds it, due in the future at DAY2.
        dismiss_ticket(d1, session=session, actor=ALICE, now=old, policy=POLICY)
        session.execute(
            Ticket.__table__.update()  # type: ignore[attr-defined]
            .where(Ticket.id == h2)
            .values(assignee=BOB, due_at=DAY2 + timedelta(hours=2))
        )
    return {"b4": b4, "b3": b3, "b2": b2, "h2": h2, "h1": h1, "h3": h3}


def test_digest_figures_on_a_prepared_desk(
    make_services: Callable[..., Services], engine: Engine
) -> None:
    t = prepare_desk(engine)
    settings = make_services().settings
    with session_scope(engine) as session:
        message = compose_digest(session, settings=settings, channel=DESK, now=DAY2)
    text = digest_as_text(message)
    # Since a day before (no digest yet): DESK's articles and tickets created at T0.
    for expected in [
        "*New articles*: 2",
        "*New tickets*: 7",
        "*Verified*: 2",
        "*Flagged (needs an editor)*: 1",
        "*Open*: 2",
        "*Claimed*: 2",
        "*Overdue*: 1",
        "*Dismissed*: 0",
    ]:
        assert expected in text, (expected, text)
    # Truth apart from workflow: finished work by verdict, in the scale's order.
    assert "*Verdicts since the last digest*: Accurate 1 · Misleading 1 · Inaccurate 1" in text
    # What was found wrong: the flagged ticket and the one verified Inaccurate, each with its
    # verdict, why, its source, its checker and its story.
    story = "in <https://x.example/p/1|Budget speech>"
    assert (
        f"• *#{t['b3']}* Unemployment fell to 3% last year. · *Misleading* (flagged): "
        "the figure is from 2019"
    ) in text
    assert (
        f"• *#{t['b2']}* Unemployment fell to 3% last year. · *Inaccurate*\n"
        f"   source <{SOURCE[0]}|stats.example> · checker <@{ALICE}> · {story}"
    ) in text
    # The ticket that has waited longest, and for how long.
    assert f"*Oldest unclaimed*: *#{t['h1']}*, waiting 1d 0h" in text
    # Editors act from it: Claim, Assign… and Open thread on the oldest unclaimed ticket,
    # Assign… and Open thread on each overdue one, Open thread on what was found wrong.
    assert "…and 1 more unclaimed: `/factcheck queue`" in text
    rows = {b["block_id"]: b["elements"] for b in message.blocks if b["type"] == "actions"}
    # (Health bill has no thread link yet: no Open thread button.)
    claim, pick = rows[ids.assign_block_id(t["h1"], "oldestactions", None)]
    assert (claim["action_id"], claim["value"]) == (ids.ACTION_CLAIM, str(t["h1"]))
    assert (pick["type"], pick["action_id"]) == ("users_select", ids.ACTION_ASSIGN_PICK)
    pick, thread = rows[ids.assign_block_id(t["b4"], "overdueactions", ALICE)]
    assert pick["action_id"] == ids.ACTION_ASSIGN_PICK
    assert thread["url"] == "https://x.example/p/1"
    wrong = [b for b in message.blocks if b.get("block_id", "").endswith("-wrong")]
    assert [b["accessory"]["url"] for b in wrong] == ["https://x.example/p/1"] * 2
    assert f"*#{t['b4']}* <@{ALICE}> · due Tue 3 Mar 14:00" in text
    assert f"<@{ALICE}>: 1 claimed, 1 overdue" in text
    assert f"<@{BOB}>: 1 claimed" in text
    assert "`▓▓▓▓▓▓▓▓░░ 3/4` <https://x.example/p/1|Budget speech>" in text
    assert "`░░░░░░░░░░ 0/3` Health bill" in text
    assert "Old story" not in text
    assert "Elsewhere" not in text
    assert MORE_IN_QUEUE in text
    assert "2 open, 2 claimed, 1 overdue" in message.text


def test_the_digest_names_pasted_stories_by_headline_and_quotes_by_speaker(
    make_services: Callable[..., Services], engine: Engine
) -> None:
    headline = "Riverton passes its largest budget"
    with session_scope(engine) as session:
        pasted = make_article(
            session,
            channel=DESK,
            title=None,
            text=f"{headline}\n\nThe council approved $48 million on Tuesday.",
            now=T0,
        )
        pasted_id = pasted.id
        said = {"kind": "quote", "speaker": "Maria Lopez", "text": "Every ward gets its share."}
        waiting = make_ticket(session, pasted, now=T0, **said).id
        late = make_ticket(session, pasted, now=T0, **said).id
        assert late is not None
        claim_ticket(late, session=session, actor=ALICE, now=T0, policy=POLICY)
    settings = make_services().settings
    with session_scope(engine) as session:
        text = digest_as_text(compose_digest(session, settings=settings, channel=DESK, now=DAY2))
    assert f"`░░░░░░░░░░ 0/2` {headline}" in text
    assert f"Article {pasted_id}" not in text
    assert f"*Oldest unclaimed*: *#{waiting}* (Maria Lopez)" in text
    assert f"*#{late}* <@{ALICE}> · due Tue 3 Mar 13:00: *Maria Lopez*: Every ward" in text


def test_a_digest_channel_gets_the_whole_desk(
    make_services: Callable[..., Services], engine: Engine
) -> None:
    prepare_desk(engine)
    settings = make_services(digest_channel="C0EDITORS").settings
    with session_scope(engine) as session:
        text = digest_as_text(
            compose_digest(session, settings=settings, channel="C0EDITORS", now=DAY2)
        )
    assert "*Open*: 3" in text
    assert "Elsewhere" in text


def test_a_huge_desk_fits_slacks_limits(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn
) -> None:
    with session_scope(engine) as session:
        articles = [
            make_article(
                session,
                channel=DESK,
                title=f"Story {n} " + "x" * 150,
                permalink=f"https://x.example/p/{n}",
                now=T0,
            ).id
            for n in range(300)
        ]
        rows: list[dict[str, Any]] = []
        for n in range(6000):
            status = ("open", "claimed", "flagged", "claimed")[n % 4]
            rows.append(
                {
                    "article_id": articles[n % len(articles)],
                    "kind": "claim",
                    "text": f"Claim {n} " + "y" * 400,
                    "status": status,
                    "assignee": None if status == "open" else f"U0CHK{n % 120:04d}",
                    "claimed_at": T0 if status != "open" else None,
                    "due_at": T0 if status == "claimed" else None,
                    "closed_at": T0 + timedelta(hours=1) if status == "flagged" else None,
                    "reason": "Misleading: " + "z" * 300 if status == "flagged" else None,
                    "sources": [],
                    "created_at": T0,
                    "updated_at": T0,
                }
            )
        session.execute(insert(Ticket), rows)
    services = make_services(digest_channel=DESK)
    with session_scope(engine) as session:
        message = compose_digest(session, settings=services.settings, channel=DESK, now=DAY2)
    assert len(message.blocks) <= MAX_MESSAGE_BLOCKS
    for block in message.blocks:
        if "text" in block and block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION_TEXT
    text = digest_as_text(message)
    # 1,500 flagged: the first five with Open thread, as many more as fit listed, the rest
    # counted, none dropped silently.
    assert FLAGGED_TITLE in text
    with_button = [b for b in message.blocks if b.get("block_id", "").endswith("-wrong")]
    assert len(with_button) == TICKETS_WITH_BUTTONS
    assert all(b["accessory"]["text"]["text"] == OPEN_THREAD_LABEL for b in with_button)
    also = next(
        b["text"]["text"]
        for b in message.blocks
        if b.get("text", {}).get("text", "").startswith(ALSO_FOUND_WRONG)
    )
    listed = also.count("\n• ")
    assert listed >= 3
    assert f"…and {1500 - TICKETS_WITH_BUTTONS - listed} more" in also
    # 3,000 overdue: five with Assign…, the rest listed and counted; 1,500 unclaimed: the
    # oldest with Claim and Assign…, the others one command away.
    pickers = [
        e
        for b in message.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["type"] == "users_select"
    ]
    assert len(pickers) == TICKETS_WITH_BUTTONS + 1
    assert "…and 1499 more unclaimed: `/factcheck queue`" in text
    assert MORE_IN_QUEUE in text
    # The stand-in applies Slack's Block Kit checks.
    services.client.chat_postMessage(channel=DESK, text=message.text, blocks=message.blocks)


def _digests(slack: SlackStandIn, channel: str = DESK) -> list[dict[str, Any]]:
    return [
        m for m in slack.messages_in(channel) if m.get("bot_id") and "Fact-check desk" in str(m)
    ]


def test_the_digest_goes_out_once_at_digest_time_and_a_missed_one_once_on_return(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    services = make_services(digest_channel=DESK, digest_time="09:00", timezone="Europe/Berlin")
    nine_berlin = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    clock.set(nine_berlin - timedelta(seconds=1))
    assert post_due_digests(services, owner="a") == []
    clock.set(nine_berlin)
    assert len(post_due_digests(services, owner="a")) == 1
    assert post_due_digests(services, owner="b") == []
    assert len(_digests(slack)) == 1

    # Down through the next morning's digest time; back at 15:00: the missed one, once.
    clock.set(nine_berlin + timedelta(days=1, hours=6))
    assert len(post_due_digests(services, owner="b")) == 1
    assert post_due_digests(services, owner="a") == []
    [_, second] = _digests(slack)
    assert "Since Tue 3 Mar 09:00" in str(second["blocks"])
    # Not back until after midnight: that day's digest is not sent late the next day.
    clock.set(nine_berlin + timedelta(days=2, hours=-1))
    assert post_due_digests(services, owner="a") == []


def test_two_replicas_at_digest_time_post_one_digest(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    services = make_services(channels=f"{DESK},{NEWSROOM}")
    clock.set(T0)
    start = threading.Barrier(4)
    results: list[int] = []

    def replica(name: str) -> None:
        start.wait()
        results.append(len(post_due_digests(services, owner=name)))

    threads = [threading.Thread(target=replica, args=(f"r{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 2
    assert len(_digests(slack, DESK)) == 1
    assert len(_digests(slack, NEWSROOM)) == 1


def test_a_refused_digest_is_retried_later(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    services = make_services(digest_channel=DESK)
    clock.set(T0)
    slack.error_next("chat.postMessage", "internal_error")
    # Owed once: the refusal leaves it in the outbox, not claimable again by another replica.
    assert len(post_due_digests(services, owner="a")) == 1
    assert _digests(slack) == []
    clock.set(T0 + timedelta(minutes=5))
    assert post_due_digests(services, owner="b") == []
    assert deliver_owed(services).sent == 1
    assert len(_digests(slack)) == 1
    clock.set(T0 + timedelta(minutes=20))
    assert post_due_digests(services, owner="b") == []
    assert deliver_owed(services).sent == 0
    assert len(_digests(slack)) == 1


def test_a_digest_slack_posted_but_never_acknowledged_is_not_posted_again(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    services = make_services(digest_channel=DESK)
    clock.set(T0)
    # Slack posts the digest; the connection drops before the dispatcher hears so.
    slack.drop_next("chat.postMessage", after=True)
    assert len(post_due_digests(services, owner="a")) == 1
    [posted] = _digests(slack)
    # The retry looks in the channel's history; Slack refuses that look once.
    slack.error_next("conversations.history", "service_unavailable")
    clock.set(T0 + timedelta(minutes=5))
    assert deliver_owed(services).retried == 1
    clock.set(T0 + timedelta(minutes=10))
    assert deliver_owed(services).sent == 1
    assert _digests(slack) == [posted]
    looks = [c for c in slack.calls("conversations.history") if c.response.get("ok")]
    assert [c.args.get("channel") for c in looks] == [DESK]
    assert len(slack.calls("chat.postMessage")) == 1
    # The next day's digest goes out as usual: the look found only its own digest.
    clock.set(T0 + timedelta(days=1))
    assert len(post_due_digests(services, owner="b")) == 1
    assert len(_digests(slack)) == 2


def test_cli_prints_and_posts_the_digest(
    engine: Engine,
    database_url: str,
    slack: SlackStandIn,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    prepare_desk(engine)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)
    monkeypatch.setenv("FACTCHECK_CHANNELS", DESK)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    assert main(["digest"]) == 0
    out = capsys.readouterr().out
    assert "Fact-check desk" in out
    assert "*Open*: 2" in out
    assert main(["digest", "--post"]) == 2
    assert "SLACK_BOT_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("SLACK_BOT_TOKEN", slack.bot_token)
    assert main(["digest", "--post", "--channel", NEWSROOM]) == 0
    assert "posted the digest to C0NEWS" in capsys.readouterr().out
    assert len(_digests(slack, NEWSROOM)) == 1
