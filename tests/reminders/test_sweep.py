"""The sweep's rules with an injected clock: due times, intervals, snooze, escalation, quiet hours, nudges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from bot.clock import next_local_time, quiet_until, snooze_until
from bot.localslack.web_api import ALICE, BOB, CAROL, DESK, SlackStandIn
from bot.outbox import deliver_owed
from bot.reminders import ReminderSweeper, SweepReport
from bot.render import ids
from bot.render.reminders import (
    ACTION_SNOOZE_HOUR,
    ACTION_SNOOZE_MORNING,
    ESCALATION_HEADER,
    render_nudge,
)
from bot.services import Services
from bot.slack_client import build_web_client
from bot.workflow import (
    DeskPolicy,
    claim_ticket,
    dismiss_ticket,
    release_ticket,
    snooze_ticket,
    verify_ticket,
)
from storage.db import session_scope
from storage.models import ReminderDelivery, Ticket
from tests.factories import T0, make_article, make_member, make_ticket
from tests.reminders.conftest import ManualClock, desk_settings

INTERVAL = timedelta(hours=4)
# Past the outbox's first backoff (FACTCHECK_OUTBOX_RETRY_SECONDS, 2 s by default).
OUTBOX_RETRY = timedelta(seconds=5)
POLICY = DeskPolicy(reminder_interval=INTERVAL)


def claimed(engine: Engine, holders: dict[str, int], *, now: datetime = T0) -> dict[str, list[int]]:
    """`holders[user]` tickets claimed by each user at `now`, all from one article in DESK."""
    result: dict[str, list[int]] = {}
    with session_scope(engine) as session:
        article = make_article(session, channel=DESK, permalink="https://desk.example/a/1")
        for user, count in holders.items():
            for _ in range(count):
                ticket = make_ticket(session, article)
                assert ticket.id is not None
                claim_ticket(ticket.id, session=session, actor=user, now=now, policy=POLICY)
                result.setdefault(user, []).append(ticket.id)
    return result


def reminded_ids(message: dict[str, Any]) -> list[int]:
    """Ticket ids a reminder DM lists, read from its block ids."""
    found = (ids.ticket_id_of_block(str(b.get("block_id", ""))) for b in message["blocks"])
    return sorted(
        {
            tid
            for tid, b in zip(found, message["blocks"], strict=True)
            if tid and b["type"] == "section"
        }
    )


def ticket(engine: Engine, ticket_id: int) -> Ticket:
    with session_scope(engine) as session:
        found = session.get(Ticket, ticket_id)
        assert found is not None
        return found


def test_nothing_is_sent_before_a_ticket_is_due(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    claimed(engine, {ALICE: 2})
    clock.set(T0 + INTERVAL - timedelta(seconds=1))
    report = ReminderSweeper(make_services()).sweep()
    assert report.tickets_reminded == 0
    assert slack.calls("chat.postMessage") == []


def test_one_dm_per_checker_lists_all_their_due_tickets(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    held = claimed(engine, {ALICE: 3, BOB: 2})
    clock.set(T0 + INTERVAL)
    report = ReminderSweeper(make_services()).sweep()

    assert (report.tickets_reminded, report.reminder_messages) == (5, 2)
    assert len(slack.calls("chat.postMessage")) == 2
    [to_alice] = slack.dms_to(ALICE)
    [to_bob] = slack.dms_to(BOB)
    assert reminded_ids(to_alice) == held[ALICE]
    assert reminded_ids(to_bob) == held[BOB]
    buttons = {
        e["action_id"] for b in to_alice["blocks"] if b["type"] == "actions" for e in b["elements"]
    }
    assert buttons == {
        ids.ACTION_VERIFY,
        ids.ACTION_FLAG,
        ids.ACTION_RELEASE,
        ACTION_SNOOZE_HOUR,
        ACTION_SNOOZE_MORNING,
    }
    assert "held 4h 0m" in str(to_alice["blocks"])
    assert "https://desk.example/a/1" in str(to_alice["blocks"])
    first = ticket(engine, held[ALICE][0])
    assert (first.reminders_sent, first.next_reminder_at) == (1, T0 + 2 * INTERVAL)


def test_a_quote_in_a_reminder_dm_and_its_escalation_names_its_speaker(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    with session_scope(engine) as session:
        article = make_article(session, channel=DESK)
        quote = make_ticket(
            session, article, kind="quote", text="Every ward gets its share.", speaker="Maria Lopez"
        )
        assert quote.id is not None
        claim_ticket(quote.id, session=session, actor=ALICE, now=T0, policy=POLICY)
    clock.set(T0 + INTERVAL)
    ReminderSweeper(make_services(escalate_after=1, editors=BOB)).sweep()
    [dm] = slack.dms_to(ALICE)
    assert f"*#{quote.id}* · quote · *Maria Lopez*" in str(dm["blocks"])
    [escalation] = slack.dms_to(BOB)
    assert "quote of *Maria Lopez*" in str(escalation["blocks"])


def reminders_sent_to(slack: SlackStandIn, user: str) -> int:
    return len([c for c in slack.calls("chat.postMessage") if c.args.get("channel") == user])


def test_the_next_reminder_comes_one_interval_later_and_replaces_the_last(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    claimed(engine, {ALICE: 1})
    sweeper = ReminderSweeper(make_services())
    for moment, expected in [
        (T0 + INTERVAL, 1),
        (T0 + INTERVAL + timedelta(minutes=1), 1),
        (T0 + 2 * INTERVAL - timedelta(seconds=1), 1),
        (T0 + 2 * INTERVAL, 2),
        (T0 + 3 * INTERVAL, 3),
    ]:
        clock.set(moment)
        sweeper.sweep()
        assert reminders_sent_to(slack, ALICE) == expected, moment
        # One live reminder: the DM she sees is the newest; the one before was deleted.
        [live] = slack.dms_to(ALICE)
        to_alice = [c for c in slack.calls("chat.postMessage") if c.args.get("channel") == ALICE]
        assert live["ts"] == to_alice[-1].response["ts"]
    assert len(slack.calls("chat.delete")) == 2


def test_an_older_reminder_stays_while_it_names_a_ticket_the_new_one_does_not(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    held = claimed(engine, {ALICE: 2})
    sweeper = ReminderSweeper(make_services())
    clock.set(T0 + INTERVAL)
    sweeper.sweep()  # one DM naming both
    with session_scope(engine) as session:
        snooze_ticket(
            held[ALICE][1],
            session=session,
            actor=ALICE,
            now=clock(),
            until=T0 + 3 * INTERVAL,
            policy=POLICY,
        )
    clock.set(T0 + 2 * INTERVAL)
    sweeper.sweep()  # names only the first: the snoozed one is reminded of by the older DM
    assert len(slack.dms_to(ALICE)) == 2
    assert slack.calls("chat.delete") == []


def test_reminders_stop_when_a_ticket_is_verified_flagged_dismissed_or_released(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    held = claimed(engine, {ALICE: 4})[ALICE]
    with session_scope(engine) as session:
        now = T0 + timedelta(hours=1)
        verify_ticket(
            held[0],
            session=session,
            actor=ALICE,
            now=now,
            policy=POLICY,
            sources=["https://stats.example/unemployment"],
            verdict="Accurate",
        )
        dismiss_ticket(held[1], session=session, actor=ALICE, now=now, policy=POLICY)
        release_ticket(held[2], session=session, actor=ALICE, now=now, policy=POLICY)
    clock.set(T0 + INTERVAL)
    ReminderSweeper(make_services()).sweep()
    [dm] = slack.dms_to(ALICE)
    assert reminded_ids(dm) == [held[3]]


def test_a_snoozed_ticket_waits_until_the_snooze_ends(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    snoozed, other = claimed(engine, {ALICE: 2})[ALICE]
    with session_scope(engine) as session:
        snooze_ticket(
            snoozed,
            session=session,
            actor=ALICE,
            now=T0 + timedelta(hours=3),
            policy=POLICY,
            until=T0 + timedelta(hours=6),
        )
    sweeper = ReminderSweeper(make_services())
    clock.set(T0 + INTERVAL)
    sweeper.sweep()
    clock.set(T0 + timedelta(hours=6))
    sweeper.sweep()
    assert [reminded_ids(dm) for dm in slack.dms_to(ALICE)] == [[other], [snoozed]]


def test_snooze_choices_follow_the_checkers_time_zone(
    make_services: Callable[..., Services],
) -> None:
    settings = make_services(quiet_hours="20-08").settings
    new_york = ReminderSweeper(make_services()).zones.zone_of(ALICE)
    # T0 is 09:00 UTC = 04:00 in New York: "till morning" is 08:00 there the same day.
    assert snooze_until(T0, "morning", zone=new_york, settings=settings) == datetime(
        2026, 3, 3, 13, 0, tzinfo=UTC
    )
    assert snooze_until(T0, "hour", zone=new_york, settings=settings) == T0 + timedelta(hours=1)
    # Without quiet hours the morning starts at 09:00; after it, tomorrow's.
    plain = make_services().settings
    noon_ny = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)
    assert snooze_until(noon_ny, "morning", zone=new_york, settings=plain) == datetime(
        2026, 3, 4, 14, 0, tzinfo=UTC
    )


def held_by_alice_with_two_editors(
    make_services: Callable[..., Services], engine: Engine, *, escalate_after: int
) -> tuple[int, ReminderSweeper]:
    """One ticket Alice holds; Bob an editor by the settings, Carol by the roster."""
    [held] = claimed(engine, {ALICE: 1})[ALICE]
    with session_scope(engine) as session:
        make_member(session, CAROL, role="editor")
    return held, ReminderSweeper(make_services(escalate_after=escalate_after, editors=BOB))


def test_escalation_after_n_reminders_goes_to_each_editor_once(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    held, sweeper = held_by_alice_with_two_editors(make_services, engine, escalate_after=3)
    escalations: list[int] = []
    for n in range(1, 6):
        clock.set(T0 + n * INTERVAL)
        escalations.append(sweeper.sweep().escalations)
    assert escalations == [0, 0, 1, 0, 0]
    header = ESCALATION_HEADER.format(tickets="1 ticket", reminders=3)
    for editor in (BOB, CAROL):
        [message] = slack.dms_to(editor)
        assert header in str(message["blocks"])
        assert f"#{held}" in message["text"]
        assert f"<@{ALICE}>" in str(message["blocks"])
    assert reminders_sent_to(slack, ALICE) == 5
    assert ticket(engine, held).escalated


def test_escalation_without_editors_goes_to_the_digest_channel(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    claimed(engine, {ALICE: 2})
    sweeper = ReminderSweeper(make_services(escalate_after=1, digest_channel=DESK))
    clock.set(T0 + INTERVAL)
    report = sweeper.sweep()
    assert (report.escalations, report.escalation_messages) == (2, 1)
    [message] = [m for m in slack.messages_in(DESK) if m.get("bot_id")]
    assert "2 tickets still open after 1 reminders" in str(message["blocks"])


def test_escalation_without_editors_or_digest_channel_goes_to_the_tickets_channel(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    claimed(engine, {ALICE: 1})
    sweeper = ReminderSweeper(make_services(escalate_after=1))
    clock.set(T0 + INTERVAL)
    report = sweeper.sweep()
    assert (report.escalations, report.escalation_messages) == (1, 1)
    [message] = [m for m in slack.messages_in(DESK) if m.get("bot_id")]
    assert "1 ticket still open after 1 reminders" in str(message["blocks"])


def test_a_refused_escalation_is_retried_not_lost(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    claimed(engine, {ALICE: 1})
    services = make_services(escalate_after=1, editors=BOB)
    sweeper = ReminderSweeper(services)
    clock.set(T0 + INTERVAL)
    # The DM to Alice goes through; the escalation to Bob is refused once.
    report = SweepReport()
    sweeper.send_reminders(report)
    slack.error_next("chat.postMessage", "internal_error")
    sweeper.send_escalations(report)
    assert deliver_owed(services).retried == 1
    assert slack.dms_to(BOB) == []
    clock.advance(OUTBOX_RETRY)
    sweeper.send_escalations(report)
    assert deliver_owed(services).sent == 1
    assert len(slack.dms_to(BOB)) == 1
    clock.advance(OUTBOX_RETRY)
    sweeper.sweep()
    assert len(slack.dms_to(BOB)) == 1


def test_an_escalation_refused_for_one_editor_is_retried_for_that_editor_only(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    held, sweeper = held_by_alice_with_two_editors(make_services, engine, escalate_after=1)
    clock.set(T0 + INTERVAL)
    report = SweepReport()
    sweeper.send_reminders(report)
    # Bob (from the settings) comes first: Slack refuses him once and accepts Carol.
    slack.error_next("chat.postMessage", "internal_error")
    sweeper.send_escalations(report)
    deliver_owed(sweeper.services)
    assert (len(slack.dms_to(BOB)), len(slack.dms_to(CAROL))) == (0, 1)
    # Both are owed their message from the start: the ticket is escalated once.
    assert (report.escalations, report.escalation_messages) == (1, 2)
    assert ticket(engine, held).escalated
    clock.advance(OUTBOX_RETRY)
    sweeper.sweep()
    assert (len(slack.dms_to(BOB)), len(slack.dms_to(CAROL))) == (1, 1)
    clock.advance(OUTBOX_RETRY)
    sweeper.sweep()
    assert (len(slack.dms_to(BOB)), len(slack.dms_to(CAROL))) == (1, 1)
    assert report.escalation_messages == 2


def test_quiet_hours_hold_each_checkers_dm_until_their_morning(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    # Due 16:00 UTC: 11:00 in New York (Alice may be told), 21:30 in Kolkata (Carol may not).
    start = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    held = claimed(engine, {ALICE: 1, CAROL: 1}, now=start)
    sweeper = ReminderSweeper(make_services(quiet_hours="20-08"))
    clock.set(start + INTERVAL)
    report = sweeper.sweep()
    assert (report.tickets_reminded, report.deferred_quiet) == (1, 1)
    assert len(slack.dms_to(ALICE)) == 1
    assert slack.dms_to(CAROL) == []
    carol_morning = datetime(2026, 3, 4, 2, 30, tzinfo=UTC)  # 08:00 in Kolkata
    assert ticket(engine, held[CAROL][0]).next_reminder_at == carol_morning

    clock.set(carol_morning - timedelta(minutes=1))
    sweeper.sweep()
    assert slack.dms_to(CAROL) == []
    clock.set(carol_morning)
    sweeper.sweep()
    assert [reminded_ids(dm) for dm in slack.dms_to(CAROL)] == [held[CAROL]]
    # Each checker's zone was asked once and cached.
    asked = [str(call.args.get("user")) for call in slack.calls("users.info")]
    assert sorted(asked) == sorted([ALICE, CAROL])


def test_quiet_hours_arithmetic_across_zones_and_midnight() -> None:
    from zoneinfo import ZoneInfo

    from bot.config import QuietHours

    quiet = QuietHours(20, 8)
    berlin, la = ZoneInfo("Europe/Berlin"), ZoneInfo("America/Los_Angeles")
    late = datetime(2026, 3, 3, 22, 0, tzinfo=UTC)  # 23:00 Berlin, 14:00 Los Angeles
    assert quiet_until(late, berlin, quiet) == datetime(2026, 3, 4, 7, 0, tzinfo=UTC)
    assert quiet_until(late, la, quiet) is None
    early = datetime(2026, 3, 4, 5, 0, tzinfo=UTC)  # 06:00 Berlin: still quiet, same morning
    assert quiet_until(early, berlin, quiet) == datetime(2026, 3, 4, 7, 0, tzinfo=UTC)
    assert quiet_until(late, berlin, None) is None
    # Across a DST change (Berlin, 29 March 2026): 08:00 local is 06:00 UTC after it.
    assert next_local_time(
        datetime(2026, 3, 28, 22, 0, tzinfo=UTC), datetime(2026, 1, 1, 8).time(), berlin
    ) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def test_a_reminder_refused_with_429_is_sent_on_a_later_sweep_once(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    held = claimed(engine, {ALICE: 2})[ALICE]
    sweeper = ReminderSweeper(make_services())
    clock.set(T0 + INTERVAL)
    # The client retries 429 three times itself; the fourth refusal reaches the sweep.
    slack.rate_limit_next("chat.postMessage", times=4, retry_after=0)
    first = sweeper.sweep()
    assert (first.tickets_reminded, first.refused) == (0, 2)
    assert slack.dms_to(ALICE) == []
    assert ticket(engine, held[0]).reminders_sent == 0
    second = sweeper.sweep()
    assert second.tickets_reminded == 2
    assert [reminded_ids(dm) for dm in slack.dms_to(ALICE)] == [held]
    with session_scope(engine) as session:
        assert len(list(session.scalars(select(ReminderDelivery)))) == 2


def test_unclaimed_tickets_get_one_nudge_a_working_day_none_at_night_none_once_taken(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    article_ts = slack.post_as_user(ALICE, DESK, "https://news.example/budget")["ts"]
    with session_scope(engine) as session:
        article = make_article(session, channel=DESK, ts=article_ts)  # pasted at T0, 09:00
        open_ids = [make_ticket(session, article).id for _ in range(5)]
    sweeper = ReminderSweeper(make_services(quiet_hours="20-08"))

    def nudges() -> list[str]:
        thread = slack.messages_in(DESK, thread_ts=article_ts)
        return [m["text"] for m in thread if m.get("bot_id")]

    clock.set(T0 + INTERVAL - timedelta(seconds=1))
    sweeper.sweep()
    assert nudges() == []
    clock.set(T0 + INTERVAL)  # 13:00: an interval after the paste
    sweeper.sweep()
    sweeper.sweep()
    assert nudges() == [render_nudge(5)]
    assert "5 claims still unclaimed" in nudges()[0]
    for later in (2 * INTERVAL, 3 * INTERVAL, 4 * INTERVAL, 5 * INTERVAL):  # 17:00 ... 05:00
        clock.set(T0 + later)
        sweeper.sweep()
    assert len(nudges()) == 1  # not again the same day, and none at night

    with session_scope(engine) as session:
        for ticket_id in open_ids[:4]:
            assert ticket_id is not None
            claim_ticket(ticket_id, session=session, actor=BOB, now=clock(), policy=POLICY)
    clock.set(T0 + timedelta(hours=23))  # 08:00 the next morning: the next working day
    sweeper.sweep()
    assert nudges()[-1] == render_nudge(1)
    assert len(nudges()) == 2
    with session_scope(engine) as session:
        assert open_ids[4] is not None
        claim_ticket(open_ids[4], session=session, actor=BOB, now=clock(), policy=POLICY)
    clock.set(T0 + timedelta(days=2))
    report = sweeper.sweep()
    assert report.nudges == 0
    assert len(nudges()) == 2


def test_an_evening_article_is_nudged_the_next_morning_not_at_night(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    evening = T0 + timedelta(hours=10)  # 19:00
    article_ts = slack.post_as_user(ALICE, DESK, "https://news.example/late")["ts"]
    with session_scope(engine) as session:
        article = make_article(session, channel=DESK, ts=article_ts, created_at=evening)
        make_ticket(session, article, now=evening)
    sweeper = ReminderSweeper(make_services(quiet_hours="20-08"))
    clock.set(evening + INTERVAL)  # 23:00
    assert sweeper.sweep().nudges == 0
    clock.set(T0 + timedelta(hours=23))  # 08:00
    assert sweeper.sweep().nudges == 1


def test_a_ticket_edited_out_of_its_article_or_a_deleted_article_is_not_nudged(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    from storage.edits import mark_article_deleted, mark_gone_from_text

    edited_ts = slack.post_as_user(ALICE, DESK, "https://news.example/edited")["ts"]
    deleted_ts = slack.post_as_user(ALICE, DESK, "https://news.example/deleted")["ts"]
    with session_scope(engine) as session:
        edited = make_article(session, channel=DESK, ts=edited_ts)
        kept, cut = make_ticket(session, edited), make_ticket(session, edited)
        deleted = make_article(session, channel=DESK, ts=deleted_ts)
        make_ticket(session, deleted)
        mark_gone_from_text(session, [cut], actor=ALICE, now=T0, edit_ts="1.2")
        assert deleted.id is not None
        mark_article_deleted(session, article_id=deleted.id, actor=ALICE, now=T0)
    sweeper = ReminderSweeper(make_services())
    clock.set(T0 + INTERVAL)
    assert sweeper.sweep().nudges == 1
    nudged = [m["text"] for m in slack.messages_in(DESK, thread_ts=edited_ts) if m.get("bot_id")]
    assert nudged == [render_nudge(1)]  # the ticket still in the story, not the one cut
    assert [m for m in slack.messages_in(DESK, thread_ts=deleted_ts) if m.get("bot_id")] == []
    with session_scope(engine) as session:
        assert kept.id is not None
        claim_ticket(kept.id, session=session, actor=BOB, now=clock(), policy=POLICY)
    clock.set(T0 + timedelta(days=2))
    assert sweeper.sweep().nudges == 0  # only the edited-out ticket is unclaimed


def test_a_snooze_clicked_while_the_dm_was_on_its_way_is_kept(engine: Engine) -> None:
    from storage.reminders import acquire_due_reminders, record_reminders_sent

    [held] = claimed(engine, {ALICE: 1})[ALICE]
    due = T0 + INTERVAL
    with session_scope(engine) as session:
        leased = acquire_due_reminders(
            session, now=due, owner="a", lease=timedelta(minutes=10), limit=10
        )
    later = due + timedelta(hours=20)
    with session_scope(engine) as session:
        snooze_ticket(held, session=session, actor=ALICE, now=due, policy=POLICY, until=later)
    with session_scope(engine) as session:
        assert (
            record_reminders_sent(session, reminders=leased, owner="a", now=due, interval=INTERVAL)
            == 1
        )
    assert (ticket(engine, held).reminders_sent, ticket(engine, held).next_reminder_at) == (
        1,
        later,
    )


@pytest.mark.parametrize("slack_took_it", [True, False], ids=["posted", "not-posted"])
def test_a_reminder_whose_answer_was_lost_reaches_the_checker_once(
    make_services: Callable[..., Services],
    engine: Engine,
    slack: SlackStandIn,
    clock: ManualClock,
    slack_took_it: bool,
) -> None:
    """Issue 11, failure 4: a dropped connection escaped the sweep with the tickets leased.
    Handed back now, and the next sweep looks in the DM before sending: one DM either way."""
    held = claimed(engine, {ALICE: 2})[ALICE]
    sweeper = ReminderSweeper(make_services())
    clock.set(T0 + INTERVAL)
    slack.drop_next("chat.postMessage", after=slack_took_it)
    first = sweeper.sweep()
    assert (first.tickets_reminded, first.refused) == (0, 2)
    assert all(ticket(engine, t).next_reminder_at == clock() for t in held)
    assert len(slack.dms_to(ALICE)) == (1 if slack_took_it else 0)

    second = sweeper.sweep()
    assert second.tickets_reminded == 2
    assert [reminded_ids(dm) for dm in slack.dms_to(ALICE)] == [held]
    assert len(slack.calls("conversations.history")) == 1
    assert all(ticket(engine, t).reminders_sent == 1 for t in held)
    clock.advance(timedelta(minutes=30))
    assert sweeper.sweep().tickets_reminded == 0
    assert len(slack.dms_to(ALICE)) == 1


def test_the_next_reminder_is_due_an_interval_after_delivery(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn
) -> None:
    """Issue 11, failure 10: after a 429 wait the next reminder was counted from the sweep's
    start, so a checker could be reminded twice within seconds and escalated early."""
    held = claimed(engine, {ALICE: 1})[ALICE]
    swept = T0 + INTERVAL
    waited = timedelta(minutes=20)  # the DM goes out this long after the sweep began

    def clock() -> datetime:
        return swept + waited if slack.calls("chat.postMessage") else swept

    settings = desk_settings(slack)
    services = Services(
        settings=settings, engine=engine, client=build_web_client(settings), clock=clock
    )
    slack.rate_limit_next("chat.postMessage", times=1, retry_after=0)
    assert ReminderSweeper(services).sweep().tickets_reminded == 1
    assert ticket(engine, held[0]).next_reminder_at == swept + waited + INTERVAL
