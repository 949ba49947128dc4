"""Issue 11: `factcheck run` killed (SIGKILL) at chosen moments; the next process finishes the job.

The stand-in holds one chosen Slack call, the test kills the bot while it waits, lets Slack
handle the call as it would for a client that has gone, and starts a fresh bot on the same
database. Leases are a second long here (settings), so recovery takes one or two clock ticks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from bot.localslack.signing import EventSender
from bot.localslack.web_api import CAROL, DESK, SlackStandIn
from bot.outbox import WORKING_REACTION
from bot.render.digest import DIGEST_TITLE
from bot.render.ids import ticket_id_of_block
from bot.render.thread import chunk_tickets
from storage.db import session_scope
from storage.models import Article, SlackOutbox, Ticket
from storage.outbox import pending_rows
from tests.desk.helpers import ARTICLE
from tests.slack.bot_process import BotProcess
from tests.slack.socket_mode import SocketModeServer
from tests.waiting import wait_until

WAIT = 45.0  # seconds: generous under a loaded CI machine; the tests wait on conditions


def cards_in(message: dict[str, Any]) -> set[int]:
    """The tickets whose cards a thread message shows (read from its block ids)."""
    found = (ticket_id_of_block(str(b.get("block_id", ""))) for b in message.get("blocks") or [])
    return {tid for tid in found if tid}


FAST_RECOVERY = {
    "FACTCHECK_SCHEDULER": "off",
    "FACTCHECK_EXTRACTOR": "rules",  # what is tested is recovery; rules start without a model
    "FACTCHECK_MIN_ARTICLE_CHARS": "200",
    "FACTCHECK_OUTBOX_SECONDS": "0.2",
    "FACTCHECK_OUTBOX_LEASE_SECONDS": "1",
    "FACTCHECK_OUTBOX_RETRY_SECONDS": "0.1",
    "FACTCHECK_INTAKE_LEASE_SECONDS": "1",
}
SPEAKERS = (
    "Maria Lopez, Tom Reyes, Ana Silva, Peter Novak, Grace Kim, Omar Haddad, Lena Fischer, "
    "Ravi Patel, Julia Moreau, Samuel Okoro, Ines Carvalho, Dev Okafor, Hana Sato, Luca Bianchi, "
    "Nora Lind, Pablo Ruiz, Elif Demir, Kofi Mensah, Ida Berg, Yusuf Aydin"
).split(", ")
# Twenty quotes: more cards than one thread message holds, so the thread has two parts.
LONG_ARTICLE = "Council road repairs behind schedule\n\n" + "\n\n".join(
    f'"We counted {100 + i * 7} potholes on ward {i + 1} roads this spring and fixed '
    f'{50 + i} of them," said {name}, a councillor for ward {i + 1}.'
    for i, name in enumerate(SPEAKERS)
)


def _start(slack: SlackStandIn, database_url: str, cwd: Path) -> tuple[BotProcess, str]:
    bot = BotProcess("http", slack, database_url, cwd, env=FAST_RECOVERY)
    return bot, bot.wait_healthy()


def _paste(slack: SlackStandIn, base: str, text: str) -> str:
    from bot.localslack import payloads

    message = slack.post_as_user(CAROL, DESK, text)
    event = payloads.message_event(user=CAROL, channel=DESK, text=text, ts=message["ts"])
    with EventSender(f"{base}/slack/events", slack.signing_secret) as sender:
        sender.event(payloads.event_callback(event, team_id=slack.team_id))
    return str(message["ts"])


def _settled(engine: Engine) -> bool:
    with session_scope(engine) as session:
        owed = pending_rows(session)
        ready = session.scalars(select(Article).where(Article.intake_status == "ready"))  # type: ignore[arg-type]
        return not owed and bool(list(ready))


def _assert_one_card_each(engine: Engine, slack: SlackStandIn, article_ts: str) -> None:
    with session_scope(engine) as session:
        tickets = list(session.scalars(select(Ticket).order_by(Ticket.id)))  # type: ignore[arg-type]
    replies = [m for m in slack.messages_in(DESK, thread_ts=article_ts) if m["ts"] != article_ts]
    assert tickets
    assert len(replies) == len(chunk_tickets(tickets))
    for ticket in tickets:
        homes = [m for m in replies if ticket.id in cards_in(m)]
        assert [m["ts"] for m in homes] == [ticket.card_ts], f"ticket #{ticket.id}"
    assert WORKING_REACTION not in slack.reactions_on(DESK, article_ts)


def test_killed_before_the_tickets_were_stored_the_next_process_ingests(
    slack: SlackStandIn, engine: Engine, database_url: str, tmp_path: Path
) -> None:
    """Failure 2: SIGKILL just after the post left it "processing", without tickets, for good."""
    hold = slack.hold_next("reactions.add")  # the intake's first call, after its claim
    first, base = _start(slack, database_url, tmp_path)
    try:
        ts = _paste(slack, base, ARTICLE)
        assert hold.arrived.wait(timeout=15)
    finally:
        first.kill()
    hold.release()
    second, _ = _start(slack, database_url, tmp_path)
    try:
        wait_until(
            lambda: _settled(engine),
            timeout=WAIT,
            description="the intake resumed and its thread delivered",
        )
    finally:
        second.kill()
    _assert_one_card_each(engine, slack, ts)


def test_killed_between_two_thread_messages_the_next_process_completes_the_thread(
    slack: SlackStandIn, engine: Engine, database_url: str, tmp_path: Path
) -> None:
    """Failure 1: a process killed between two thread messages left the thread half posted.

    The second message reaches Slack after its sender died (the repeat window): the next
    process finds it in the thread and records it instead of posting a second copy.
    """
    hold = slack.hold_next("chat.postMessage", skip=1)
    first, base = _start(slack, database_url, tmp_path)
    try:
        ts = _paste(slack, base, LONG_ARTICLE)
        assert hold.arrived.wait(timeout=15)
    finally:
        first.kill()
    hold.release()
    wait_until(
        lambda: len(slack.messages_in(DESK, thread_ts=ts)) == 3,
        timeout=WAIT,
        description="the held post handled",
    )
    second, _ = _start(slack, database_url, tmp_path)
    try:
        wait_until(lambda: _settled(engine), timeout=WAIT, description="the thread completed")
    finally:
        second.kill()
    _assert_one_card_each(engine, slack, ts)


def test_killed_while_slack_posts_the_digest_the_next_process_does_not_post_it_again(
    slack: SlackStandIn, engine: Engine, database_url: str, tmp_path: Path
) -> None:
    """A replica dies after handing Slack the digest: Slack posts it for a client that has
    gone, and the next process finds it in the channel's history instead of posting it again.

    Slack refused the first attempt, so the row's last word is that refusal, not "uncertain":
    the lease left behind by the dead replica is what tells the next one to look first."""
    digest_due = {
        **FAST_RECOVERY,
        "FACTCHECK_SCHEDULER": "on",
        "FACTCHECK_DIGEST_TIME": "00:00",  # due at once, whatever the hour
        "FACTCHECK_DIGEST_CHANNEL": DESK,
        "FACTCHECK_CHANNELS": DESK,
        "FACTCHECK_WEEKLY_REPORT": "off",
    }
    title = DIGEST_TITLE.split(",")[0]

    def digests() -> list[dict[str, Any]]:
        return [m for m in slack.messages_in(DESK) if m.get("bot_id") and title in str(m)]

    slack.error_next("chat.postMessage", "service_unavailable")
    hold = slack.hold_next("chat.postMessage", skip=1)
    first = BotProcess("http", slack, database_url, tmp_path, env=digest_due)
    try:
        first.wait_healthy()
        assert hold.arrived.wait(timeout=15)
    finally:
        first.kill()
    hold.release()
    wait_until(lambda: len(digests()) == 1, timeout=WAIT, description="the held digest posted")
    second = BotProcess("http", slack, database_url, tmp_path, env=digest_due)
    try:
        second.wait_healthy()
        wait_until(lambda: _owed_nothing(engine), timeout=WAIT, description="the digest recorded")
    finally:
        second.kill()
    [digest] = digests()
    with session_scope(engine) as session:
        [row] = session.scalars(select(SlackOutbox))
    assert (row.status, row.message_ts) == ("sent", digest["ts"])
    assert [c.response.get("ok") for c in slack.calls("chat.postMessage")] == [False, True]
    looks = [c for c in slack.calls("conversations.history") if c.args.get("include_all_metadata")]
    assert looks, "the channel's history was looked at before posting again"


def _owed_nothing(engine: Engine) -> bool:
    with session_scope(engine) as session:
        return not pending_rows(session)


def test_what_was_posted_while_down_or_reconnecting_is_caught_up(
    slack: SlackStandIn, engine: Engine, database_url: str, tmp_path: Path
) -> None:
    """Failure 6: an article posted during a deploy or a Socket Mode reconnect was lost."""
    while_down = slack.post_as_user(CAROL, DESK, ARTICLE)["ts"]  # no event: the bot was down
    with SocketModeServer(slack) as server:
        watched = {**FAST_RECOVERY, "FACTCHECK_CHANNELS": DESK}
        bot = BotProcess("socket", slack, database_url, tmp_path, env=watched)
        try:
            bot.wait_healthy()
            server.wait_connected(timeout=15)
            wait_until(
                lambda: _ready(engine, while_down),
                timeout=WAIT,
                description="the article posted while down",
            )
            # Posted as Slack refreshes the connection: its event never reaches the bot.
            while_away = slack.post_as_user(CAROL, DESK, LONG_ARTICLE)["ts"]
            server.disconnect_all()
            wait_until(
                lambda: _ready(engine, while_away),
                timeout=WAIT,
                description="the article posted while away",
            )
            wait_until(lambda: _settled(engine), timeout=WAIT, description="both threads")
        finally:
            bot.kill()
    with session_scope(engine) as session:
        taken = sorted(a.ts for a in session.scalars(select(Article)))
    assert taken == sorted([while_down, while_away])
    for ts in (while_down, while_away):
        assert WORKING_REACTION not in slack.reactions_on(DESK, ts)
        assert [m for m in slack.messages_in(DESK, thread_ts=ts) if m["ts"] != ts]


def _ready(engine: Engine, ts: str) -> bool:
    with session_scope(engine) as session:
        article = session.scalars(select(Article).where(Article.ts == ts)).one_or_none()  # type: ignore[arg-type]
        return article is not None and article.intake_status == "ready"
