"""The desk's rules: who may claim, release, verify, flag, dismiss, assign, reopen, snooze and
fix a quote's speaker.

Plain functions, no Slack objects: the listeners, the scheduler and the CLI call them inside
`storage.db.session_scope(engine)` (one transaction per action, state change plus audit row).
Each takes `session`, `actor` (a Slack user id), `now` (aware UTC) and a `DeskPolicy`
keyword-only, returns the changed ticket(s), and raises a `bot.errors.UserError` subclass
whose message the person can act on. Concurrency is handled below this module:
`storage.tickets.transition` is a conditional UPDATE, so a refusal is explained from the
state the winner committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col

from bot import user_input
from bot.clock import format_local_time
from bot.config import Settings
from bot.errors import BadInput, Conflict, NotAllowed, NotFound, UserError
from bot.extract.speakers import speaker_kind
from bot.user_input import (
    NOT_A_ROLE,
    NOT_A_TICKET_ID,
    NOT_A_URL,
    is_http_url,
    is_slack_link,
    ticket_number,
)
from bot.verdicts import DEFAULT_SCALE, VerdictScale
from storage import roster
from storage.matching import seen_before
from storage.models import FINISHED_STATUSES, RosterMember, Ticket
from storage.tickets import get_ticket, transition

# What people read. Tests assert against these.
NO_TICKET = "no ticket #{id}"
ALREADY_CLAIMED = "#{id} is already claimed by <@{assignee}> since {since}"
ALREADY_YOURS = "#{id} is already yours (claimed {since})"
FINISHED = "#{id} is {status}; an editor can reopen it"
NOT_CLAIMED = "#{id} is not claimed by anyone"
HELD_BY_OTHER = "#{id} is claimed by <@{assignee}>; only they or an editor can {action} it"
NOT_ON_ROSTER = (
    "only checkers on the desk's roster can claim tickets; ask an editor to run "
    "`/factcheck roster add @you`"
)
EDITORS_ONLY = "only an editor can {action}"
STALE_ASSIGN = (
    "#{id} changed since this message: {now}. Nothing was changed; "
    "`/factcheck assign {id} @name` hands it on."
)
STALE_HELD_BY = "<@{assignee}> holds it now"
STALE_UNCLAIMED = "nobody holds it now"
STALE_ASSIGN_FINISHED = "#{id} changed since this message: it is {status} now. Nothing was changed."
NOT_FINISHED = "#{id} is {status}, not finished; there is nothing to reopen"
NEED_SOURCE = "verifying #{id} needs at least one source link starting with http:// or https://"
REVIEW_URL_PRIVATE = (
    "{url} is a Slack link; the published fact-check's URL must be a public page (it is exported)"
)
NEED_VERDICT = "verifying #{id} needs a verdict: one of {labels}"
NEED_REASON = "flagging #{id} needs a reason, e.g. `flag {id} Misleading: the figure is from 2019`"
SNOOZE_IN_PAST = "a snooze must end in the future"
NO_IDS = "name at least one ticket, e.g. `claim 12` or `claim 12 13`"
NOT_A_MEMBER = "<@{user}> is not on the roster"
NOT_A_QUOTE = "#{id} is a claim; only quotes have a speaker to fix"
NEED_SPEAKER = "say who spoke: pick a name from the article or type one"
SPEAKER_TOO_LONG = "a speaker is at most {limit} characters (this one has {length})"
MAX_SPEAKER_CHARS = 120


@dataclass(frozen=True)
class DeskPolicy:
    """The settings the rules read; build one with `DeskPolicy.from_settings(settings)`."""

    open_desk: bool = True
    reminder_interval: timedelta = timedelta(hours=4)
    timezone: str = "UTC"
    editors: frozenset[str] = frozenset()
    scale: VerdictScale = field(default=DEFAULT_SCALE)

    @classmethod
    def from_settings(cls, settings: Settings, scale: VerdictScale = DEFAULT_SCALE) -> DeskPolicy:
        return cls(
            open_desk=settings.open_desk,
            reminder_interval=settings.reminder_interval,
            timezone=settings.timezone,
            editors=frozenset(settings.editors),
            scale=scale,
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class ClaimOutcome:
    """One id of a multi-id claim: the claimed ticket, or the refusal to show."""

    ticket_id: int
    ticket: Ticket | None = None
    error: UserError | None = None

    @property
    def ok(self) -> bool:
        return self.ticket is not None


def parse_ticket_id(text: str) -> int:
    """`12` or `#12` -> 12; BadInput otherwise."""
    number = ticket_number(text)
    if number is None:
        raise BadInput(NOT_A_TICKET_ID.format(word=text))
    return number


def is_editor(session: Session, user_id: str, *, policy: DeskPolicy) -> bool:
    return user_id in policy.editors or roster.role_of(session, user_id) == "editor"


def may_claim(session: Session, user_id: str, *, policy: DeskPolicy) -> bool:
    """Open desk: anyone; otherwise only active roster members (and configured editors)."""
    return (
        policy.open_desk
        or user_id in policy.editors
        or roster.role_of(session, user_id) is not None
    )


def _refusal(
    session: Session,
    ticket_id: int,
    *,
    actor: str,
    now: datetime,
    policy: DeskPolicy,
    action: str,
) -> UserError:
    """Explain, from the state now committed, why `action` on `ticket_id` did not happen."""
    ticket = get_ticket(session, ticket_id)
    if ticket is None:
        return NotFound(NO_TICKET.format(id=ticket_id))
    since = format_local_time(ticket.claimed_at or ticket.updated_at, now=now, zone=policy.zone)
    if ticket.status in FINISHED_STATUSES:
        return Conflict(FINISHED.format(id=ticket_id, status=ticket.status))
    if ticket.status == "claimed":
        if action == "claim":
            if ticket.assignee == actor:
                return Conflict(ALREADY_YOURS.format(id=ticket_id, since=since))
            return Conflict(
                ALREADY_CLAIMED.format(id=ticket_id, assignee=ticket.assignee, since=since)
            )
        return NotAllowed(
            HELD_BY_OTHER.format(id=ticket_id, assignee=ticket.assignee, action=action)
        )
    if ticket.status == "open" and action in ("release", "snooze"):
        return Conflict(NOT_CLAIMED.format(id=ticket_id))
    if ticket.status == "open" and not may_claim(session, actor, policy=policy):
        return NotAllowed(NOT_ON_ROSTER)
    # The state moved between our UPDATE and this read (it can only be a race): say so plainly.
    return Conflict(f"#{ticket_id} changed while you acted (it is now {ticket.status}); try again")


def _claim_values(assignee: str, *, now: datetime, policy: DeskPolicy) -> dict[str, Any]:
    due = now + policy.reminder_interval
    return {
        "status": "claimed",
        "assignee": assignee,
        "claim_number": col(Ticket.claim_number) + 1,
        "claimed_at": now,
        "due_at": due,
        "next_reminder_at": due,
        "reminders_sent": 0,
        "escalated": False,
        "lease_owner": None,
        "snoozed_until": None,
        "closed_at": None,
    }


_STOP_REMINDERS: dict[str, Any] = {
    "next_reminder_at": None,
    "lease_owner": None,
    "snoozed_until": None,
}


def claim_ticket(
    ticket_id: int, *, session: Session, actor: str, now: datetime, policy: DeskPolicy
) -> Ticket:
    """`actor` takes an open ticket; due (and first reminder) one reminder interval from now.

    Exactly one of any number of concurrent claimers wins; the others get Conflict naming the
    holder and since when ("#12 is already claimed by <@U123> since 10:42", desk time zone).
    NotAllowed when the desk is closed (FACTCHECK_OPEN_DESK=false) and `actor` is not on the
    roster; NotFound for an unknown id; Conflict for a finished ticket.
    """
    if not may_claim(session, actor, policy=policy):
        raise NotAllowed(NOT_ON_ROSTER)
    ticket = transition(
        session,
        ticket_id,
        action="claim",
        actor=actor,
        now=now,
        from_statuses=("open",),
        values=_claim_values(actor, now=now, policy=policy),
    )
    if ticket is None:
        raise _refusal(session, ticket_id, actor=actor, now=now, policy=policy, action="claim")
    return ticket


def claim_tickets(
    ticket_ids: Sequence[int],
    *,
    session: Session,
    actor: str,
    now: datetime,
    policy: DeskPolicy,
) -> list[ClaimOutcome]:
    """Claim several tickets in one go; each id succeeds or fails on its own (per-id outcome).

    Duplicated ids are claimed once. BadInput when no id is given; NotAllowed (for all) when
    the actor may not claim at all.
    """
    ids = list(dict.fromkeys(ticket_ids))
    if not ids:
        raise BadInput(NO_IDS)
    if not may_claim(session, actor, policy=policy):
        raise NotAllowed(NOT_ON_ROSTER)
    outcomes: list[ClaimOutcome] = []
    for ticket_id in ids:
        try:
            ticket = claim_ticket(ticket_id, session=session, actor=actor, now=now, policy=policy)
        except UserError as error:
            outcomes.append(ClaimOutcome(ticket_id, error=error))
        else:
            outcomes.append(ClaimOutcome(ticket_id, ticket=ticket))
    return outcomes


def _holders(session: Session, actor: str, *, policy: DeskPolicy) -> list[str] | None:
    """None (anyone's ticket) for editors, else only tickets the actor holds."""
    return None if is_editor(session, actor, policy=policy) else [actor]


def release_ticket(
    ticket_id: int, *, session: Session, actor: str, now: datetime, policy: DeskPolicy
) -> Ticket:
    """Hand a claimed ticket back to the queue; the holder or an editor. Reminders stop."""
    ticket = transition(
        session,
        ticket_id,
        action="release",
        actor=actor,
        now=now,
        from_statuses=("claimed",),
        assignee_in=_holders(session, actor, policy=policy),
        values={
            "status": "open",
            "assignee": None,
            "claimed_at": None,
            "due_at": None,
            **_STOP_REMINDERS,
        },
    )
    if ticket is None:
        raise _refusal(session, ticket_id, actor=actor, now=now, policy=policy, action="release")
    return ticket


def validate_sources(sources: Iterable[str], *, ticket_id: int) -> list[str]:
    """Trimmed, de-duplicated http(s) URLs; BadInput naming the first bad one, or if none."""
    cleaned = [s.strip().strip("<>") for s in sources if s and s.strip()]
    for url in cleaned:
        if not is_http_url(url):
            raise BadInput(NOT_A_URL.format(word=url))
    if not cleaned:
        raise BadInput(NEED_SOURCE.format(id=ticket_id))
    return list(dict.fromkeys(cleaned))


def validate_review_url(url: str | None) -> str | None:
    """The published fact-check's URL, checked: public http(s), or None when not given."""
    cleaned = (url or "").strip().strip("<>")
    if not cleaned:
        return None
    if not is_http_url(cleaned):
        raise BadInput(NOT_A_URL.format(word=cleaned))
    if is_slack_link(cleaned):
        raise BadInput(REVIEW_URL_PRIVATE.format(url=cleaned))
    return cleaned


# What each finishing action leaves the ticket as.
_FINISHED_AS: dict[str, str] = {"verify": "verified", "flag": "flagged", "dismiss": "dismissed"}


def _finish(
    ticket_id: int,
    action: str,
    values: dict[str, Any],
    *,
    session: Session,
    actor: str,
    now: datetime,
    policy: DeskPolicy,
    detail: dict[str, Any] | None = None,
) -> Ticket:
    """Close a ticket held by the actor (or any, for an editor); an open one is taken at once.

    `values` are the action's own fields; the audit row's detail is `detail`, else `values`.
    """
    holders = _holders(session, actor, policy=policy)
    common = {"status": _FINISHED_AS[action], "closed_at": now, **_STOP_REMINDERS, **values}
    audit = values if detail is None else detail
    ticket = transition(
        session,
        ticket_id,
        action=action,
        actor=actor,
        now=now,
        from_statuses=("claimed",),
        assignee_in=holders,
        values=common,
        detail=audit,
    )
    if ticket is None and may_claim(session, actor, policy=policy):
        ticket = transition(
            session,
            ticket_id,
            action=action,
            actor=actor,
            now=now,
            from_statuses=("open",),
            values={**common, "assignee": actor, "claimed_at": now},
            detail=audit,
        )
    if ticket is None:
        raise _refusal(session, ticket_id, actor=actor, now=now, policy=policy, action=action)
    return ticket


def _kind_of(session: Session, ticket_id: int) -> str:
    ticket = get_ticket(session, ticket_id)
    if ticket is None:
        raise NotFound(NO_TICKET.format(id=ticket_id))
    return ticket.kind


def _clean(text: str | None) -> str | None:
    """Trimmed free text, or None when nothing but blanks was given."""
    return text.strip() if text and text.strip() else None


def verify_ticket(
    ticket_id: int,
    *,
    session: Session,
    actor: str,
    now: datetime,
    policy: DeskPolicy,
    sources: Sequence[str],
    verdict: str,
    note: str | None = None,
    review_url: str | None = None,
) -> Ticket:
    """Record a verdict with at least one http(s) source; the ticket becomes `verified`.

    `review_url`, when given, is the public page of the published fact-check (exports use it
    as ClaimReview's url): an http(s) URL, never a Slack link.

    The holder or an editor may verify a claimed ticket; anyone who may claim may verify an
    open one directly (it is claimed and verified in one step). BadInput for a missing or
    unknown verdict or no/bad source; reminders stop.
    """
    urls = validate_sources(sources, ticket_id=ticket_id)
    kind = _kind_of(session, ticket_id)
    if not verdict or not verdict.strip():
        raise BadInput(
            NEED_VERDICT.format(id=ticket_id, labels=", ".join(policy.scale.labels(kind)))
        )
    label = policy.scale.parse(verdict, kind=kind)
    values: dict[str, Any] = {"verdict": label, "sources": urls, "note": _clean(note)}
    published = validate_review_url(review_url)
    if published is not None:  # only then: the audit row records what was given
        values["review_url"] = published
    return _finish(
        ticket_id, "verify", values, session=session, actor=actor, now=now, policy=policy
    )


def flag_ticket(
    ticket_id: int,
    *,
    session: Session,
    actor: str,
    now: datetime,
    policy: DeskPolicy,
    reason: str,
    verdict: str | None = None,
    sources: Sequence[str] = (),
    note: str | None = None,
) -> Ticket:
    """Flag a ticket for the editors with a reason (required).

    When `verdict` is not given and the reason starts with a label of the scale
    ("Misleading: the figure is from 2019"), that label is recorded as the verdict and the
    rest as the reason. Sources are optional here but must be http(s) links if given.
    """
    if not reason or not reason.strip():
        raise BadInput(NEED_REASON.format(id=ticket_id))
    kind = _kind_of(session, ticket_id)
    if verdict:
        label: str | None = policy.scale.parse(verdict, kind=kind)
        text = reason.strip()
    else:
        label, text = policy.scale.split_reason(reason, kind=kind)
        text = text or reason.strip()
    urls = validate_sources(sources, ticket_id=ticket_id) if any(s.strip() for s in sources) else []
    audit = {"verdict": label, "reason": text, "sources": urls}
    return _finish(
        ticket_id,
        "flag",
        {**audit, "note": _clean(note)},
        detail=audit,  # the note stays on the ticket only, as it always has
        session=session,
        actor=actor,
        now=now,
        policy=policy,
    )


def dismiss_ticket(
    ticket_id: int,
    *,
    session: Session,
    actor: str,
    now: datetime,
    policy: DeskPolicy,
    reason: str | None = None,
) -> Ticket:
    """Not check-worthy: close the ticket with an optional reason; reminders stop."""
    values = {"reason": _clean(reason)}
    return _finish(
        ticket_id, "dismiss", values, session=session, actor=actor, now=now, policy=policy
    )


@dataclass(frozen=True)
class SeenHolder:
    """Who held a ticket when the message offering Assign… was written (None: nobody)."""

    assignee: str | None


def assign_ticket(
    ticket_id: int,
    *,
    session: Session,
    actor: str,
    now: datetime,
    policy: DeskPolicy,
    assignee: str,
    seen: SeenHolder | None = None,
) -> Ticket:
    """Editor only: give an open or claimed ticket to `assignee`; the due clock restarts.

    With `seen` (a click on a message that showed the ticket), the ticket must still be held
    as the message showed it: unclaimed, or by that holder. The check is part of the one
    conditional UPDATE, so a ticket claimed, assigned or finished since is refused with
    `Conflict` (STALE_ASSIGN) and nothing changes, however the clicks race.
    """
    if not is_editor(session, actor, policy=policy):
        raise NotAllowed(EDITORS_ONLY.format(action="assign tickets"))
    from_statuses: tuple[str, ...] = ("open", "claimed")
    holders: list[str] | None = None
    if seen is not None:
        from_statuses = ("claimed",) if seen.assignee else ("open",)
        holders = [seen.assignee] if seen.assignee else None
    ticket = transition(
        session,
        ticket_id,
        action="assign",
        actor=actor,
        now=now,
        from_statuses=from_statuses,
        values=_claim_values(assignee, now=now, policy=policy),
        assignee_in=holders,
        detail={"assignee": assignee},
    )
    if ticket is None:
        if seen is not None:
            raise _stale_assign(session, ticket_id)
        raise _refusal(session, ticket_id, actor=actor, now=now, policy=policy, action="assign")
    return ticket


def _stale_assign(session: Session, ticket_id: int) -> UserError:
    """Why an Assign… pick on an older message changed nothing: what the ticket is now."""
    ticket = get_ticket(session, ticket_id)
    if ticket is None:
        return NotFound(NO_TICKET.format(id=ticket_id))
    if ticket.status in FINISHED_STATUSES:
        return Conflict(STALE_ASSIGN_FINISHED.format(id=ticket_id, status=ticket.status))
    if ticket.status == "claimed":
        now_held = STALE_HELD_BY.format(assignee=ticket.assignee)
    else:
        now_held = STALE_UNCLAIMED
    return Conflict(STALE_ASSIGN.format(id=ticket_id, now=now_held))


def reopen_ticket(
    ticket_id: int, *, session: Session, actor: str, now: datetime, policy: DeskPolicy
) -> Ticket:
    """Editor only: put a verified, flagged or dismissed ticket back in the open queue.

    The verdict, sources, note and reason are cleared on the ticket; the audit trail keeps
    what they were.
    """
    if not is_editor(session, actor, policy=policy):
        raise NotAllowed(EDITORS_ONLY.format(action="reopen tickets"))
    before = get_ticket(session, ticket_id)
    if before is None:
        raise NotFound(NO_TICKET.format(id=ticket_id))
    ticket = transition(
        session,
        ticket_id,
        action="reopen",
        actor=actor,
        now=now,
        from_statuses=FINISHED_STATUSES,
        values={
            "status": "open",
            "assignee": None,
            "claimed_at": None,
            "due_at": None,
            "closed_at": None,
            "verdict": None,
            "sources": [],
            "note": None,
            "reason": None,
            "review_url": None,
            **_STOP_REMINDERS,
        },
        detail={
            "previous_verdict": before.verdict,
            "previous_sources": before.sources,
            "previous_assignee": before.assignee,
            "previous_reason": before.reason,
        },
    )
    if ticket is None:
        current = get_ticket(session, ticket_id)
        status = current.status if current is not None else "gone"
        raise Conflict(NOT_FINISHED.format(id=ticket_id, status=status))
    return ticket


def fix_speaker(
    ticket_id: int,
    *,
    session: Session,
    actor: str,
    now: datetime,
    policy: DeskPolicy,
    speaker: str,
    title: str | None = None,
) -> Ticket:
    """Correct who said a quote (and their title), whatever its status; exports use it.

    Anyone who may claim fixes an open quote; once claimed, its holder or an editor; once
    finished, an editor. The status does not change; the audit row keeps the old speaker.
    """
    speaker, title = " ".join(speaker.split()), _clean(title)
    if not speaker:
        raise BadInput(NEED_SPEAKER)
    for text in (speaker, title or ""):
        if len(text) > MAX_SPEAKER_CHARS:
            raise BadInput(SPEAKER_TOO_LONG.format(limit=MAX_SPEAKER_CHARS, length=len(text)))
    before = get_ticket(session, ticket_id)
    if before is None:
        raise NotFound(NO_TICKET.format(id=ticket_id))
    if before.kind != "quote":
        raise BadInput(NOT_A_QUOTE.format(id=ticket_id))
    editor = is_editor(session, actor, policy=policy)
    if before.status in FINISHED_STATUSES and not editor:
        raise NotAllowed(EDITORS_ONLY.format(action="fix the speaker of a finished ticket"))
    if before.status == "open" and not may_claim(session, actor, policy=policy):
        raise NotAllowed(NOT_ON_ROSTER)
    ticket = transition(
        session,
        ticket_id,
        action="fix_speaker",
        actor=actor,
        now=now,
        from_statuses=(before.status,),
        assignee_in=[actor] if before.status == "claimed" and not editor else None,
        values={"speaker": speaker, "speaker_title": title, "speaker_kind": speaker_kind(speaker)},
        detail={
            "speaker": speaker,
            "speaker_title": title,
            "previous_speaker": before.speaker,
            "previous_title": before.speaker_title,
        },
    )
    if ticket is None:
        raise _refusal(session, ticket_id, actor=actor, now=now, policy=policy, action="fix")
    return ticket


def snooze_ticket(
    ticket_id: int,
    *,
    session: Session,
    actor: str,
    now: datetime,
    policy: DeskPolicy,
    until: datetime,
) -> Ticket:
    """No reminder for a claimed ticket before `until` (the holder or an editor)."""
    if until <= now:
        raise BadInput(SNOOZE_IN_PAST)
    ticket = transition(
        session,
        ticket_id,
        action="snooze",
        actor=actor,
        now=now,
        from_statuses=("claimed",),
        assignee_in=_holders(session, actor, policy=policy),
        values={"snoozed_until": until, "next_reminder_at": until, "lease_owner": None},
        detail={"until": until.isoformat()},
    )
    if ticket is None:
        raise _refusal(session, ticket_id, actor=actor, now=now, policy=policy, action="snooze")
    return ticket


def add_to_roster(
    user_id: str,
    *,
    session: Session,
    actor: str,
    now: datetime,
    policy: DeskPolicy,
    role: str = "checker",
) -> RosterMember:
    """Editor only: put `user_id` on the desk as `checker` or `editor`."""
    if not is_editor(session, actor, policy=policy):
        raise NotAllowed(EDITORS_ONLY.format(action="change the roster"))
    clean = user_input.role(role)
    if clean is None:
        raise BadInput(NOT_A_ROLE.format(word=role))
    return roster.add_member(session, user_id=user_id, role=clean, added_by=actor, now=now)


def remove_from_roster(
    user_id: str, *, session: Session, actor: str, now: datetime, policy: DeskPolicy
) -> None:
    """Editor only: take `user_id` off the desk (their claimed tickets stay theirs)."""
    if not is_editor(session, actor, policy=policy):
        raise NotAllowed(EDITORS_ONLY.format(action="change the roster"))
    if not roster.remove_member(session, user_id=user_id):
        raise NotFound(NOT_A_MEMBER.format(user=user_id))


def list_roster(*, session: Session) -> list[RosterMember]:
    return roster.list_members(session)


NOTHING_TO_REUSE = "#{id} has no earlier check with a verdict to reuse"
EARLIER_NOT_FINISHED = "#{earlier} (seen before) is {status}: there is no verdict to reuse yet"


def reuse_verdict(
    ticket_id: int,
    *,
    session: Session,
    actor: str,
    now: datetime,
    policy: DeskPolicy,
) -> Ticket:
    """Give a ticket the verdict, sources and state of the earlier desk ticket it repeats.

    Allowed to whoever may verify the ticket (its holder, an editor, or anyone who may claim
    an open one). The audit row names the earlier ticket (`reused_from`).
    """
    seen = seen_before(session, [ticket_id]).get(ticket_id)
    earlier = seen.earlier if seen is not None else None
    if earlier is None or earlier.id is None:
        if get_ticket(session, ticket_id) is None:
            raise NotFound(NO_TICKET.format(id=ticket_id))
        raise BadInput(NOTHING_TO_REUSE.format(id=ticket_id))
    if earlier.status not in ("verified", "flagged") or not earlier.verdict:
        raise Conflict(EARLIER_NOT_FINISHED.format(earlier=earlier.id, status=earlier.status))
    action = "verify" if earlier.status == "verified" else "flag"
    values = {
        "verdict": earlier.verdict,
        "sources": list(earlier.sources),
        "note": earlier.note,
        "reason": earlier.reason,
    }
    audit = {
        "reused_from": earlier.id,
        "verdict": earlier.verdict,
        "sources": list(earlier.sources),
    }
    return _finish(
        ticket_id,
        action,
        values,
        detail=audit,
        session=session,
        actor=actor,
        now=now,
        policy=policy,
    )
