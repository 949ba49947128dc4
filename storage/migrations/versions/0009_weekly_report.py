"""The editors' weekly report: one run per channel and week, delivered by the outbox.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS_BEFORE = "kind IN ('thread', 'card', 'post', 'offers', 'unreact')"
_KINDS_AFTER = "kind IN ('thread', 'card', 'post', 'offers', 'unreact', 'weekly_report')"


def _outbox_kinds(check: str) -> None:
    # SQLite rebuilds the table to change a CHECK: the partial index is dropped first and
    # made again after, so the rebuild cannot lose its WHERE clause.
    op.drop_index("ix_slack_outbox_pending", table_name="slack_outbox")
    with op.batch_alter_table("slack_outbox") as batch:
        batch.drop_constraint(op.f("ck_slack_outbox_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_slack_outbox_kind"), check)
    op.create_index(
        "ix_slack_outbox_pending",
        "slack_outbox",
        ["channel", "id"],
        unique=False,
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )


def upgrade() -> None:
    op.create_table(
        "weekly_report_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("chart", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weekly_report_run")),
        sa.UniqueConstraint(
            "channel", "week_start", name=op.f("uq_weekly_report_run_channel_week_start")
        ),
    )
    op.create_index(
        op.f("ix_weekly_report_run_outbox_id"), "weekly_report_run", ["outbox_id"], unique=False
    )
    _outbox_kinds(_KINDS_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM slack_outbox WHERE kind = 'weekly_report'")
    _outbox_kinds(_KINDS_BEFORE)
    op.drop_index(op.f("ix_weekly_report_run_outbox_id"), table_name="weekly_report_run")
    op.drop_table("weekly_report_run")
