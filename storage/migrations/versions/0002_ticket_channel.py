"""Ticket carries its article's channel, so per-channel digest figures use active-only indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=32), nullable=True))
    op.execute(
        "UPDATE ticket SET channel = (SELECT article.channel FROM article "
        "WHERE article.id = ticket.article_id)"
    )
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.alter_column("channel", existing_type=sa.String(length=32), nullable=False)
        batch_op.drop_index("ix_ticket_open_article")
        batch_op.drop_index("ix_ticket_claimed_article")
    for status in ("open", "claimed"):
        op.create_index(
            f"ix_ticket_{status}_channel",
            "ticket",
            ["channel", "article_id"],
            unique=False,
            sqlite_where=sa.text(f"status = '{status}'"),
            postgresql_where=sa.text(f"status = '{status}'"),
        )


def downgrade() -> None:
    for status in ("open", "claimed"):
        op.drop_index(f"ix_ticket_{status}_channel", table_name="ticket")
        op.create_index(
            f"ix_ticket_{status}_article",
            "ticket",
            ["article_id"],
            unique=False,
            sqlite_where=sa.text(f"status = '{status}'"),
            postgresql_where=sa.text(f"status = '{status}'"),
        )
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("channel")
