"""The desk roster: who checks, who edits, and the editors seeded from the settings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlmodel import Session, col

from storage.db import insert_ignore
from storage.models import RosterMember

SEED_ACTOR = "settings"


def role_of(session: Session, user_id: str) -> str | None:
    """`checker`, `editor`, or None for someone not (or no longer) on the roster."""
    member = session.get(RosterMember, user_id)
    return member.role if member is not None and member.active else None


def add_member(
    session: Session, *, user_id: str, role: str, added_by: str, now: datetime
) -> RosterMember:
    """Put `user_id` on the roster with `role` (re-activating or changing an existing entry)."""
    member = session.get(RosterMember, user_id)
    if member is None:
        member = RosterMember(
            user_id=user_id, role=role, active=True, added_by=added_by, added_at=now
        )
        session.add(member)
    else:
        member.role, member.active, member.added_by, member.added_at = role, True, added_by, now
    session.flush()
    return member


def remove_member(session: Session, *, user_id: str) -> bool:
    """Mark `user_id` inactive; False if they were not an active member."""
    member = session.get(RosterMember, user_id)
    if member is None or not member.active:
        return False
    member.active = False
    session.flush()
    return True


def list_members(session: Session, *, role: str | None = None) -> list[RosterMember]:
    """Active members, editors first, then by user id."""
    statement = select(RosterMember).where(col(RosterMember.active))
    if role is not None:
        statement = statement.where(col(RosterMember.role) == role)
    return list(
        session.scalars(
            statement.order_by(col(RosterMember.role).desc(), col(RosterMember.user_id))
        )
    )


def editor_ids(session: Session) -> list[str]:
    return [member.user_id for member in list_members(session, role="editor")]


def seed_editors(session: Session, *, editors: Iterable[str], now: datetime) -> int:
    """Make every id in FACTCHECK_EDITORS an active editor (run at start); returns how many changed.

    Idempotent, and safe when several replicas start at once: each id is one INSERT ... ON
    CONFLICT DO NOTHING, then one conditional UPDATE for an existing checker or inactive entry.
    Editors already on the roster are left as they are.
    """
    changed = 0
    for user_id in dict.fromkeys(editors):
        inserted = session.scalar(
            insert_ignore(session, RosterMember, conflict=["user_id"])
            .values(user_id=user_id, role="editor", active=True, added_by=SEED_ACTOR, added_at=now)
            .returning(col(RosterMember.user_id))
        )
        promoted = inserted or session.scalar(
            update(RosterMember)
            .where(
                col(RosterMember.user_id) == user_id,
                or_(col(RosterMember.role) != "editor", ~col(RosterMember.active)),
            )
            .values(role="editor", active=True, added_by=SEED_ACTOR, added_at=now)
            .returning(col(RosterMember.user_id))
        )
        changed += promoted is not None
    session.expire_all()
    return changed
