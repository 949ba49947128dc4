"""Edited and deleted articles: the newest edit applied, the deletion, and tickets whose words left.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIONS_BEFORE = (
    "'create', 'claim', 'release', 'verify', 'flag', 'dismiss', 'assign', 'reopen', 'snooze', "
    "'fix_speaker'"
)
_ACTIONS_AFTER = f"{_ACTIONS_BEFORE}, 'gone_from_text', 'back_in_text', 'article_deleted'"


def upgrade() -> None:
    with op.batch_alter_table("article") as batch:
        batch.add_column(sa.Column("edit_ts", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("gone_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_constraint(op.f("ck_audit_event_action"), type_="check")
        batch.create_check_constraint(
            op.f("ck_audit_event_action"), sa.text(f"action IN ({_ACTIONS_AFTER})")
        )


def downgrade() -> None:
    op.execute(
        "DELETE FROM audit_event "
        "WHERE action IN ('gone_from_text', 'back_in_text', 'article_deleted')"
    )
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_constraint(op.f("ck_audit_event_action"), type_="check")
        batch.create_check_constraint(
            op.f("ck_audit_event_action"), sa.text(f"action IN ({_ACTIONS_BEFORE})")
        )
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("gone_at")
    with op.batch_alter_table("article") as batch:
        batch.drop_column("deleted_at")
        batch.drop_column("edited_at")
        batch.drop_column("edit_ts")
