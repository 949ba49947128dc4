"""Edited and deleted articles: file what an edit adds, mark what it took out, keep every ticket.

The rules, as a desk would put them:
- an edit is read again like a new paste; a claim or quote that is new is filed (the thread
  names it), one whose words are already a ticket of the article is not;
- a ticket whose words are no longer in the article is marked on its card, never closed or
  deleted (a checker may still need the verdict); an edit that puts them back clears the mark;
- an edit that changes nothing check-worthy (a typo) only updates the stored text, silently;
- changes Slack makes itself (a link unfurled, a reply counted) and edits of messages that are
  not articles do nothing;
- a deleted article keeps its tickets; the thread and the cards say it was deleted.

Each Slack edit is applied once, however often it is delivered: its event ts must be newer than
the last one applied, checked in the transaction that files its tickets (storage/edits.py).
An edit is a resumable job: it is written down (storage/edit_jobs.py) before it is read and
extracted, and forgotten in the transaction that applies it, so an edit whose process died is
finished by the next replica's clock (`resume_stalled_edits`), not lost.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlmodel import Session

from bot.desk.intake import ArticleMessage, drafts_of, link_to_fetch, read_article
from bot.desk.meaning import add_meaning
from bot.errors import UserError
from bot.match.desk import (
    NEAR_IDENTICAL,
    IntakeMatches,
    best_matches,
    remember_tickets,
    same_speaker,
)
from bot.match.desk import content_key as words_key
from bot.match.terms import overlap, stems
from bot.outbox import deliver_owed
from bot.render.blocks import SlackMessage
from bot.render.edits import render_article_deleted, render_edit_summary
from bot.render.thread import chunk_tickets, render_fetch_failed
from bot.services import Services
from storage.articles import INTAKE_ACTOR, find_article, get_article
from storage.db import session_scope
from storage.edit_jobs import forget_edit, remember_edit, take_stalled_edits
from storage.edits import (
    apply_article_edit,
    mark_article_deleted,
    mark_back_in_text,
    mark_gone_from_text,
)
from storage.models import ACTIVE_STATUSES, Article, Ticket
from storage.outbox import enqueue, enqueue_thread
from storage.tickets import TicketDraft, create_tickets, tickets_for_article

logger = logging.getLogger(__name__)

_WORDS: Final = re.compile(r"[^\W_]+")
# What Slack leaves of a deleted message that has thread replies (ours always has).
TOMBSTONE: Final = "tombstone"
EDIT_GIVEN_UP: Final = (
    "edit %s of article %s was never applied and is older than FACTCHECK_CATCHUP_HOURS; "
    "giving it up (the next edit of the message brings the article up to date)"
)
EDIT_FAILED: Final = "resuming edit %s of article %s failed; it is tried again after its lease"
# How often an edit that arrived during its article's intake looks again.
INTAKE_POLL_SECONDS: Final = 0.2


@dataclass(frozen=True)
class ArticleEdit:
    """A person edited a top-level message; it is an article only if the desk took it as one."""

    team: str
    channel: str
    ts: str  # the edited message
    edit_ts: str  # the message_changed event's ts: orders edits and names a retried one
    text: str
    previous_text: str
    user: str | None


@dataclass(frozen=True)
class EditPlan:
    """What an edit changes: drafts to file, tickets whose words left, tickets back again."""

    drafts: list[TicketDraft]
    gone: list[Ticket]
    back: list[Ticket]

    @property
    def changes_anything(self) -> bool:
        return bool(self.drafts or self.gone or self.back)


@dataclass(frozen=True)
class EditResult:
    applied: bool  # False: not an article, a repeat or an older edit, or nothing to read
    filed: tuple[int, ...] = ()
    gone: tuple[int, ...] = ()
    back: tuple[int, ...] = ()


def edit_of(team: str, event: Mapping[str, Any]) -> ArticleEdit | None:
    """The person's edit a `message_changed` event carries; None for Slack's own changes.

    Slack sends `message_changed` when it unfurls a link or counts thread replies too: the
    text is then the same as before. A bot's message, a thread reply and a deleted message's
    tombstone are no article edits either.
    """
    message = event.get("message") or {}
    previous = event.get("previous_message") or {}
    if message.get("subtype") or message.get("bot_id"):
        return None
    if message.get("thread_ts") not in (None, message.get("ts")):
        return None
    text, before = str(message.get("text") or ""), str(previous.get("text") or "")
    if text == before or not message.get("ts"):
        return None
    return ArticleEdit(
        team=team,
        channel=str(event.get("channel") or ""),
        ts=str(message["ts"]),
        edit_ts=str(event.get("event_ts") or event.get("ts") or ""),
        text=text,
        previous_text=before,
        user=(message.get("edited") or {}).get("user") or message.get("user"),
    )


def deleted_ts_of(event: Mapping[str, Any]) -> str | None:
    """The message a `message_deleted` event removed, or the one a tombstone replaced."""
    if event.get("subtype") == "message_deleted":
        return str(event.get("deleted_ts") or "") or None
    message = event.get("message") or {}
    if event.get("subtype") == "message_changed" and message.get("subtype") == TOMBSTONE:
        return str(message.get("ts") or "") or None
    return None


def _words(text: str) -> str:
    """The text's words, lower case, one space apart and padded: for whole-word containment."""
    return f" {' '.join(_WORDS.findall(text.lower()))} "


def same_ticket(draft: TicketDraft, ticket: Ticket) -> bool:
    """A draft repeats a ticket: same kind, and each says what the other does, give or take a
    word (a typo fix); a quote only from the same speaker, when both have one."""
    if draft.kind != ticket.kind:
        return False
    if draft.kind == "quote" and not same_speaker(draft.speaker, ticket.speaker):
        return False
    mine, theirs = stems(draft.text), stems(ticket.text)
    if not mine or not theirs:
        return _words(draft.text) == _words(ticket.text)
    return min(overlap(mine, theirs), overlap(theirs, mine)) >= NEAR_IDENTICAL


def plan_edit(tickets: Sequence[Ticket], drafts: Sequence[TicketDraft], text: str) -> EditPlan:
    """Which drafts are new, and which tickets left the article or came back to it.

    A ticket is still in the article when its words are, or when a draft repeats it; a claim
    the extractor leaves out this time (the article's budget) is not "gone" while its words
    are there.
    """
    new: list[TicketDraft] = []
    repeated: set[int] = set()
    for draft in drafts:
        twin = next((t for t in tickets if same_ticket(draft, t)), None)
        if twin is None:
            new.append(draft)
        elif twin.id is not None:
            repeated.add(twin.id)
    words = _words(text)
    present = {t.id for t in tickets if t.id in repeated or _words(t.text) in words}
    gone = [t for t in tickets if t.id not in present and t.gone_at is None]
    back = [t for t in tickets if t.id in present and t.gone_at is not None]
    return EditPlan(new, gone, back)


def _owe_thread_post(
    session: Session, article: Article, message: SlackMessage, *, now: datetime
) -> None:
    """One message in the article's thread, owed in this transaction."""
    enqueue(
        session,
        kind="post",
        channel=article.channel,
        thread_ts=article.thread_ts or article.ts,
        article_id=article.id,
        text=message.text,
        blocks=message.blocks,
        now=now,
    )


def _settled(services: Services, article: Article) -> Article:
    """The article once its intake is no longer running (an edit right after the paste)."""
    deadline = time.monotonic() + services.settings.intake_lease_seconds
    while article.intake_status == "processing" and time.monotonic() < deadline:
        time.sleep(INTAKE_POLL_SECONDS)
        with session_scope(services.engine) as session:
            found = get_article(session, article.id or 0)
        if found is None:
            break
        article = found
    return article


def _new_text(services: Services, article: Article, edit: ArticleEdit) -> str | None:
    """The article's text after the edit; None when the edit leaves the article as it was.

    A link article is its page: an edit that keeps the link (a note added around it) changes
    nothing; a new link is read like a pasted one. A page that cannot be read is said in the
    thread, and the article stays as it was.
    """
    link = link_to_fetch(services.settings, edit.text)
    if link is not None and link == link_to_fetch(services.settings, edit.previous_text):
        return None
    message = ArticleMessage(
        team=edit.team,
        channel=edit.channel,
        ts=edit.ts,
        thread_ts=article.thread_ts or edit.ts,
        user=edit.user,
        text=edit.text,
        via="edit",
    )
    try:
        return read_article(services, message).text
    except UserError as error:
        logger.info("edit of article %s: %s", article.id, error.message)
        failed = render_fetch_failed(link or "", error.message)
        with session_scope(services.engine) as session:
            _owe_thread_post(session, article, failed, now=services.clock())
        deliver_owed(services)
        return None


def apply_edit(services: Services, edit: ArticleEdit) -> EditResult:
    """Bring an article up to date with its edited Slack message, once per edit.

    The edit is written down first (`remember_edit`), so a process dying from here on leaves
    it for `resume_stalled_edits`. Extraction runs before the transaction; the transaction
    first wins the edit (`apply_article_edit`: a retry, a second replica or an older edit
    stops there) and forgets it, then files the new drafts, marks the tickets whose words left
    or came back (each audited, each card owed an update) and owes the thread one summary,
    all together.
    """
    with session_scope(services.engine) as session:
        article = find_article(session, team=edit.team, channel=edit.channel, ts=edit.ts)
        if article is None or article.id is None:
            return EditResult(applied=False)  # not an article: edits of other messages do nothing
        if article.edit_ts is not None and article.edit_ts >= edit.edit_ts:
            return EditResult(applied=False)  # applied already (a Slack retry), or a newer one was
        remember_edit(
            session,
            article_id=article.id,
            edit_ts=edit.edit_ts,
            text=edit.text,
            previous_text=edit.previous_text,
            edited_by=edit.user,
            now=services.clock(),
        )
    article_id = article.id
    article = _settled(services, article)
    if article.intake_status == "processing":
        return EditResult(applied=False)  # kept: a later clock tick applies it after the intake
    if article.intake_status != "ready" or article.deleted_at is not None:
        _forget(services, article_id, edit)
        return EditResult(applied=False)
    text = _new_text(services, article, edit)
    if text is None:
        _forget(services, article_id, edit)
        return EditResult(applied=False)
    drafts = drafts_of(services.extractor.extract(text))
    now = services.clock()
    actor = edit.user or INTAKE_ACTOR
    with session_scope(services.engine) as session:
        won = apply_article_edit(
            session,
            article_id=article_id,
            edit_ts=edit.edit_ts,
            text=text,
            now=now,
            content_key=words_key(text),
        )
        forget_edit(session, article_id=article_id, edit_ts=edit.edit_ts)
        if won is None or won.id is None:
            return EditResult(applied=False)
        plan = plan_edit(tickets_for_article(session, won.id), drafts, text)
        if not plan.changes_anything:
            logger.info("edit %s of article %s: nothing check-worthy changed", edit.edit_ts, won.id)
            return EditResult(applied=True)
        matches = IntakeMatches(
            plan.drafts, best_matches(session, services.matcher, team=won.team, drafts=plan.drafts)
        )
        filed = create_tickets(
            session,
            article_id=won.id,
            channel=won.channel,
            drafts=plan.drafts,
            actor=INTAKE_ACTOR,
            now=now,
            detail={"edit_ts": edit.edit_ts},
        )
        remember_tickets(session, matches, team=won.team, tickets=filed, now=now)
        gone = mark_gone_from_text(session, plan.gone, actor=actor, now=now, edit_ts=edit.edit_ts)
        back = mark_back_in_text(session, plan.back, actor=actor, now=now, edit_ts=edit.edit_ts)
        filed_ids = [t.id for t in filed if t.id is not None]
        _owe_thread_post(session, won, render_edit_summary(filed_ids, gone, back), now=now)
        if filed_ids:
            chunks = chunk_tickets(tickets_for_article(session, won.id))
            parts = [i for i, c in enumerate(chunks, 1) if {t.id for t in c} & set(filed_ids)]
            enqueue_thread(
                session,
                article_id=won.id,
                channel=won.channel,
                thread_ts=won.thread_ts or won.ts,
                parts=parts,
                now=now,
            )
    logger.info(
        "edit %s of article %s: filed %s, gone %s, back %s",
        edit.edit_ts,
        won.id,
        filed_ids,
        gone,
        back,
    )
    deliver_owed(services)
    if filed_ids:
        add_meaning(services, won.id)
    return EditResult(True, tuple(filed_ids), tuple(gone), tuple(back))


def _forget(services: Services, article_id: int, edit: ArticleEdit) -> None:
    with session_scope(services.engine) as session:
        forget_edit(session, article_id=article_id, edit_ts=edit.edit_ts)


def resume_stalled_edits(services: Services) -> int:
    """Apply edits whose process died before applying them (their lease ran out); how many
    this call applied. Each is taken by one replica per lease.

    One that fails again is logged and retried after its lease, without holding up the others;
    one older than the catch-up window (FACTCHECK_CATCHUP_HOURS) is given up, with a warning,
    rather than retried for ever."""
    now = services.clock()
    lease = timedelta(seconds=services.settings.intake_lease_seconds)
    oldest = (now - timedelta(hours=services.settings.catchup_hours)).timestamp()
    with session_scope(services.engine) as session:
        jobs = take_stalled_edits(session, now=now, stale_after=lease)
        articles = {job.article_id: get_article(session, job.article_id) for job in jobs}
    applied = 0
    for job in jobs:
        article = articles[job.article_id]
        if article is None:
            continue  # the article is gone, and its job with it (ON DELETE CASCADE)
        if float(job.edit_ts or 0) < oldest:
            logger.warning(EDIT_GIVEN_UP, job.edit_ts, job.article_id)
            with session_scope(services.engine) as session:
                forget_edit(session, article_id=job.article_id, edit_ts=job.edit_ts)
            continue
        logger.info("resuming edit %s of article %s", job.edit_ts, job.article_id)
        edit = ArticleEdit(
            team=article.team,
            channel=article.channel,
            ts=article.ts,
            edit_ts=job.edit_ts,
            text=job.text,
            previous_text=job.previous_text,
            user=job.edited_by,
        )
        try:
            applied += apply_edit(services, edit).applied
        except Exception:
            logger.exception(EDIT_FAILED, job.edit_ts, job.article_id)
    return applied


def apply_deletion(services: Services, *, team: str, channel: str, ts: str) -> bool:
    """The reporter deleted the article's message: keep its tickets, say so once in the thread.

    False when the message was no article, or its deletion was handled already (a retry, a
    second replica, or both `message_changed` to a tombstone and `message_deleted`).
    """
    now = services.clock()
    with session_scope(services.engine) as session:
        article = find_article(session, team=team, channel=channel, ts=ts)
        if article is None or article.id is None:
            return False
        kept = mark_article_deleted(
            session, article_id=article.id, actor=article.posted_by or INTAKE_ACTOR, now=now
        )
        if kept is None:
            return False
        if kept:
            active = sum(t.status in ACTIVE_STATUSES for t in kept)
            _owe_thread_post(session, article, render_article_deleted(active), now=now)
    logger.info("article %s was deleted in Slack; its %s tickets stay", article.id, len(kept))
    deliver_owed(services)
    return True
