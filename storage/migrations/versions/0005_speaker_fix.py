"""Speakers a checker can trust: what a quote's speaker is, and an audited fix of it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIONS_BEFORE = (
    "'create', 'claim', 'release', 'verify', 'flag', 'dismiss', 'assign', 'reopen', 'snooze'"
)
_ACTIONS_AFTER = f"{_ACTIONS_BEFORE}, 'fix_speaker'"


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("speaker_kind", sa.String(length=16), nullable=True))
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_constraint(op.f("ck_audit_event_action"), type_="check")
        batch.create_check_constraint(
            op.f("ck_audit_event_action"), sa.text(f"action IN ({_ACTIONS_AFTER})")
        )


def downgrade() -> None:
    op.execute("DELETE FROM audit_event WHERE action = 'fix_speaker'")
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_constraint(op.f("ck_audit_event_action"), type_="check")
        batch.create_check_constraint(
            op.f("ck_audit_event_action"), sa.text(f"action IN ({_ACTIONS_BEFORE})")
        )
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("speaker_kind")
