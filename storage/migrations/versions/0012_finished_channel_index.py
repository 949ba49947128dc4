"""Finished tickets indexed by status, closing time and channel, for one channel's digest.

A channel's digest reads what was finished since the last one; the old (status, closed_at)
index found every channel's and read each row to test its channel: a busy desk's whole day,
for every channel's digest. With the channel in the index only that channel's rows are read.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_ticket_status_closed_at_channel",
        "ticket",
        ["status", "closed_at", "channel"],
        unique=False,
    )
    op.drop_index("ix_ticket_status_closed_at", table_name="ticket")


def downgrade() -> None:
    op.create_index("ix_ticket_status_closed_at", "ticket", ["status", "closed_at"], unique=False)
    op.drop_index("ix_ticket_status_closed_at_channel", table_name="ticket")
