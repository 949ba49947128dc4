"""Ticket actions from any surface: run one rule in one transaction, then refresh cards and Home."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlmodel import Session

from bot import command_grammar as g
from bot import workflow
from bot.clock import format_local_time, snooze_until
from bot.desk.cards import refresh_ticket_cards
from bot.desk.home import publish_home
from bot.digest import compose_digest
from bot.errors import BadInput, NotAllowed, NotFound, UserError
from bot.extract.markup import to_plain
from bot.extract.names import full_names
from bot.render import messages as m
from bot.render.blocks import SlackMessage, escape, plain_message
from bot.render.cards import render_ticket_card, ticket_line
from bot.render.help import render_help
from bot.render.reminders import render_snoozed
from bot.services import Services
from bot.weekly import compose_weekly_report, last_report_week
from bot.workflow import DeskPolicy
from storage.articles import articles_by_ids, get_article
from storage.db import session_scope
from storage.models import Article, Ticket
from storage.outbox import enqueue
from storage.tickets import (
    audit_trail,
    count_unclaimed,
    get_ticket,
    tickets_for_article,
    tickets_for_checker,
    unclaimed_queue,
)

T = TypeVar("T")

DIGEST_EDITORS_ONLY = "only an editor can ask for the digest"
REPORT_EDITORS_ONLY = "only an editor can ask for the weekly report"
SPEAKER_FIXED = "#{id} is now attributed to {speaker}"


@dataclass(frozen=True)
class Answer:
    """What the actor is told (ephemeral), and which tickets changed."""

    message: SlackMessage
    changed: tuple[int, ...] = ()


def _policy(services: Services) -> DeskPolicy:
    return DeskPolicy.from_settings(services.settings)


def _in_transaction(services: Services, work: Callable[[Session], T]) -> T:
    with session_scope(services.engine) as session:
        return work(session)


def _apply(
    services: Services, rule: Callable[..., T], subject: object, actor: str, **fields: object
) -> T:
    """One workflow rule on ``subject`` by ``actor``, now, under the desk policy, in one
    transaction (every rule takes ``session``, ``actor``, ``now`` and ``policy`` alike)."""
    now, policy = services.clock(), _policy(services)
    return _in_transaction(
        services,
        lambda s: rule(subject, session=s, actor=actor, now=now, policy=policy, **fields),
    )


def after_change(services: Services, actor: str, changed: Sequence[int]) -> None:
    """Every change shows at once: the cards in their threads, and the actor's Home."""
    if changed:
        refresh_ticket_cards(services, changed)
    publish_home(services, actor)


def claim(services: Services, actor: str, ticket_ids: Sequence[int]) -> Answer:
    outcomes = _apply(services, workflow.claim_tickets, ticket_ids, actor)
    claimed = [o.ticket_id for o in outcomes if o.ok]
    refusals = [o.error.message for o in outcomes if o.error is not None]
    if not claimed and len(refusals) == 1:
        failed = next(o for o in outcomes if o.error is not None)
        assert failed.error is not None
        raise failed.error
    return Answer(m.render_claimed(claimed, refusals), tuple(claimed))


def snooze(services: Services, actor: str, ticket_ids: Sequence[int], choice: str) -> Answer:
    """No reminder before `choice` ("hour", or "morning" in the actor's own time zone) for each
    ticket the actor may snooze, in one transaction; the others are refused line by line."""
    now, policy = services.clock(), _policy(services)
    zone = services.zones.zone_of(actor)
    until = snooze_until(now, choice, zone=zone, settings=services.settings)

    def snooze_each(session: Session) -> tuple[list[int], list[str]]:
        snoozed: list[int] = []
        refusals: list[str] = []
        for ticket_id in ticket_ids:
            try:
                workflow.snooze_ticket(
                    ticket_id, session=session, actor=actor, now=now, policy=policy, until=until
                )
            except UserError as error:
                refusals.append(error.message)
            else:
                snoozed.append(ticket_id)
        return snoozed, refusals

    snoozed, refusals = _in_transaction(services, snooze_each)
    until_text = format_local_time(until, now=now, zone=zone)
    lines = [render_snoozed(snoozed, until_text=until_text)] if snoozed else []
    return Answer(plain_message("\n".join([*lines, *refusals])), tuple(snoozed))


def reuse_verdict(services: Services, actor: str, ticket_id: int) -> Answer:
    ticket = _apply(services, workflow.reuse_verdict, ticket_id, actor)
    return Answer(
        plain_message(m.REUSED.format(id=ticket_id, verdict=ticket.verdict)), (ticket_id,)
    )


def release(services: Services, actor: str, ticket_id: int) -> Answer:
    _apply(services, workflow.release_ticket, ticket_id, actor)
    return Answer(plain_message(m.RELEASED.format(id=ticket_id)), (ticket_id,))


def verify(
    services: Services,
    actor: str,
    ticket_id: int,
    *,
    sources: Sequence[str],
    verdict: str = "Accurate",
    note: str | None = None,
    review_url: str | None = None,
) -> Answer:
    ticket = _apply(
        services,
        workflow.verify_ticket,
        ticket_id,
        actor,
        sources=sources,
        verdict=verdict,
        note=note,
        review_url=review_url,
    )
    return Answer(
        plain_message(m.VERIFIED.format(id=ticket_id, verdict=ticket.verdict)), (ticket_id,)
    )


def flag(
    services: Services,
    actor: str,
    ticket_id: int,
    *,
    reason: str,
    verdict: str | None = None,
    note: str | None = None,
) -> Answer:
    ticket = _apply(
        services, workflow.flag_ticket, ticket_id, actor, reason=reason, verdict=verdict, note=note
    )
    text = (
        m.FLAGGED_WITH_VERDICT.format(id=ticket_id, verdict=ticket.verdict)
        if ticket.verdict
        else m.FLAGGED.format(id=ticket_id)
    )
    return Answer(plain_message(text), (ticket_id,))


def dismiss(services: Services, actor: str, ticket_id: int, reason: str | None = None) -> Answer:
    _apply(services, workflow.dismiss_ticket, ticket_id, actor, reason=reason)
    return Answer(plain_message(m.DISMISSED.format(id=ticket_id)), (ticket_id,))


def assign(
    services: Services,
    actor: str,
    ticket_id: int,
    assignee: str,
    *,
    seen: workflow.SeenHolder | None = None,
) -> Answer:
    """`actor` gives the ticket to `assignee`, who is DMed; `seen`: as a clicked message showed it."""
    now, policy = services.clock(), _policy(services)

    def assign_and_tell(session: Session) -> Ticket:
        ticket = workflow.assign_ticket(
            ticket_id,
            session=session,
            actor=actor,
            now=now,
            policy=policy,
            assignee=assignee,
            seen=seen,
        )
        # The new holder hears it from the bot, once: owed with the change itself.
        enqueue(
            session,
            kind="post",
            channel=assignee,
            text=m.ASSIGNED_DM.format(editor=actor, id=ticket_id, line=ticket_line(ticket)),
            now=now,
        )
        return ticket

    _in_transaction(services, assign_and_tell)
    publish_home(services, assignee)
    return Answer(plain_message(m.ASSIGNED.format(id=ticket_id, assignee=assignee)), (ticket_id,))


def reopen(services: Services, actor: str, ticket_id: int) -> Answer:
    _apply(services, workflow.reopen_ticket, ticket_id, actor)
    return Answer(plain_message(m.REOPENED.format(id=ticket_id)), (ticket_id,))


def fix_speaker(
    services: Services, actor: str, ticket_id: int, *, speaker: str, title: str | None = None
) -> Answer:
    ticket = _apply(services, workflow.fix_speaker, ticket_id, actor, speaker=speaker, title=title)
    return Answer(
        plain_message(SPEAKER_FIXED.format(id=ticket_id, speaker=escape(ticket.speaker or ""))),
        (ticket_id,),
    )


def speaker_choices(services: Services, ticket_id: int) -> tuple[Ticket, list[str]]:
    """A quote ticket and who might have said it: the speakers of its article's quotes, then
    the people the article names in full."""

    def read(session: Session) -> tuple[Ticket, list[str]]:
        ticket = get_ticket(session, ticket_id)
        if ticket is None:
            raise NotFound(workflow.NO_TICKET.format(id=ticket_id))
        if ticket.kind != "quote":
            raise BadInput(workflow.NOT_A_QUOTE.format(id=ticket_id))
        article = get_article(session, ticket.article_id)
        speakers = [t.speaker for t in tickets_for_article(session, ticket.article_id) if t.speaker]
        named = full_names(to_plain(article.text).text) if article is not None else []
        return ticket, list(dict.fromkeys([*speakers, *named]))

    return _in_transaction(services, read)


def load_ticket(services: Services, ticket_id: int) -> Ticket:
    """The ticket for a modal; NotFound with the usual message."""
    ticket = _in_transaction(services, lambda s: get_ticket(s, ticket_id))
    if ticket is None:
        raise NotFound(workflow.NO_TICKET.format(id=ticket_id))
    return ticket


def show(services: Services, ticket_id: int) -> Answer:
    def read(session: Session) -> SlackMessage:
        ticket = get_ticket(session, ticket_id)
        if ticket is None:
            raise NotFound(workflow.NO_TICKET.format(id=ticket_id))
        article = get_article(session, ticket.article_id)
        return m.render_show(
            ticket,
            render_ticket_card(ticket, article_text=article.text if article else None),
            audit_trail(session, ticket_id),
            article.permalink if article else None,
        )

    return Answer(_in_transaction(services, read))


def mine(services: Services, actor: str) -> Answer:
    def read(session: Session) -> tuple[list[Ticket], dict[int, Article]]:
        tickets = tickets_for_checker(session, actor, limit=500)
        return tickets, articles_by_ids(session, sorted({t.article_id for t in tickets}))

    tickets, articles = _in_transaction(services, read)
    return Answer(
        m.render_ticket_list(
            m.MINE_TITLE,
            tickets,
            total=len(tickets),
            empty=m.MINE_EMPTY,
            now=services.clock(),
            articles=articles,
        )
    )


def queue(services: Services) -> Answer:
    def read(session: Session) -> tuple[list[Ticket], int, dict[int, Article]]:
        tickets = unclaimed_queue(session, limit=m.LIST_LIMIT)
        articles = articles_by_ids(session, sorted({t.article_id for t in tickets}))
        return tickets, count_unclaimed(session), articles

    tickets, total, articles = _in_transaction(services, read)
    return Answer(
        m.render_ticket_list(
            m.QUEUE_TITLE,
            tickets,
            total=total,
            empty=m.QUEUE_EMPTY,
            now=services.clock(),
            articles=articles,
        )
    )


def digest(services: Services, actor: str, channel: str) -> Answer:
    now, policy = services.clock(), _policy(services)

    def read(session: Session) -> SlackMessage:
        if not workflow.is_editor(session, actor, policy=policy):
            raise NotAllowed(DIGEST_EDITORS_ONLY)
        return compose_digest(session, settings=services.settings, channel=channel, now=now)

    return Answer(_in_transaction(services, read))


def weekly_report(services: Services, actor: str, channel: str, week_start: date | None) -> Answer:
    """The weekly report for this channel's desk, as Monday's post would read (no chart): an
    editor's look at a week before or between the posted ones."""
    now, policy, settings = services.clock(), _policy(services), services.settings

    def read(session: Session) -> SlackMessage:
        if not workflow.is_editor(session, actor, policy=policy):
            raise NotAllowed(REPORT_EDITORS_ONLY)
        week = week_start or last_report_week(settings, now)
        return compose_weekly_report(
            session, settings=settings, channel=channel, week_start=week, now=now
        ).message

    return Answer(_in_transaction(services, read))


def roster(services: Services, actor: str, command: g.RosterCmd) -> Answer:
    if command.action == "list":
        return Answer(
            m.render_roster(_in_transaction(services, lambda s: workflow.list_roster(session=s)))
        )
    assert command.user_id is not None
    user = command.user_id
    if command.action == "add":
        _apply(services, workflow.add_to_roster, user, actor, role=command.role)
        return Answer(plain_message(m.ROSTER_ADDED.format(user=user, role=command.role)))
    _apply(services, workflow.remove_from_roster, user, actor)
    return Answer(plain_message(m.ROSTER_REMOVED.format(user=user)))


def run_command(services: Services, actor: str, channel: str, command: g.Command) -> Answer:
    """One parsed `/factcheck` command (all but ingest, which the listener hands to intake)."""
    match command:
        case g.Help(unknown=unknown):
            return Answer(render_help(unknown))
        case g.ClaimCmd(ticket_ids=ids):
            return claim(services, actor, ids)
        case g.ReleaseCmd(ticket_id=tid):
            return release(services, actor, tid)
        case g.VerifyCmd(ticket_id=tid, url=url, note=note, review_url=review_url):
            return verify(services, actor, tid, sources=[url], note=note, review_url=review_url)
        case g.FlagCmd(ticket_id=tid, reason=reason):
            return flag(services, actor, tid, reason=reason)
        case g.DismissCmd(ticket_id=tid, reason=reason):
            return dismiss(services, actor, tid, reason)
        case g.MineCmd():
            return mine(services, actor)
        case g.QueueCmd():
            return queue(services)
        case g.ShowCmd(ticket_id=tid):
            return show(services, tid)
        case g.AssignCmd(ticket_id=tid, user_id=user):
            return assign(services, actor, tid, user)
        case g.ReopenCmd(ticket_id=tid):
            return reopen(services, actor, tid)
        case g.DigestCmd():
            return digest(services, actor, channel)
        case g.ReportCmd(week_start=week):
            return weekly_report(services, actor, channel, week)
        case g.RosterCmd():
            return roster(services, actor, command)
    raise AssertionError(f"unhandled command {command!r}")  # ingest goes to intake
