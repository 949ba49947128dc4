"""Earlier checks to match new claims against, with a full-text index on each engine.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite: an external-content FTS5 table kept in step with match_entry by triggers, so the
# index changes in the same transaction as the row. PostgreSQL: a stored tsvector column the
# database keeps in step itself, with a GIN index (ranking reads it instead of re-parsing text).
_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE match_entry_fts USING fts5("
    "text, title, content='match_entry', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER match_entry_fts_insert AFTER INSERT ON match_entry BEGIN "
    "INSERT INTO match_entry_fts(rowid, text, title) VALUES (new.id, new.text, new.title); END",
    "CREATE TRIGGER match_entry_fts_delete AFTER DELETE ON match_entry BEGIN "
    "INSERT INTO match_entry_fts(match_entry_fts, rowid, text, title) "
    "VALUES ('delete', old.id, old.text, old.title); END",
    "CREATE TRIGGER match_entry_fts_update AFTER UPDATE OF text, title ON match_entry BEGIN "
    "INSERT INTO match_entry_fts(match_entry_fts, rowid, text, title) "
    "VALUES ('delete', old.id, old.text, old.title); "
    "INSERT INTO match_entry_fts(rowid, text, title) VALUES (new.id, new.text, new.title); END",
)
_POSTGRES_FTS = (
    "ALTER TABLE match_entry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english'::regconfig, text || ' ' || coalesce(title, ''))) STORED",
    "CREATE INDEX ix_match_entry_fts ON match_entry USING gin (search_vector)",
)


def upgrade() -> None:
    op.create_table(
        "match_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("source_key", sa.String(length=64), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("speaker", sa.String(), nullable=True),
        sa.Column("verdict", sa.String(length=64), nullable=True),
        sa.Column("publisher", sa.String(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("embedding", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('claim', 'quote', 'published')", name=op.f("ck_match_entry_kind")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
            name=op.f("fk_match_entry_ticket_id_ticket"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_entry")),
        sa.UniqueConstraint("team", "source_key", name=op.f("uq_match_entry_team_source_key")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_match_entry_ticket_id")),
    )
    op.create_table(
        "match_term",
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("docs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_match_term")),
    )
    op.create_table(
        "ticket_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["match_entry.id"],
            name=op.f("fk_ticket_match_entry_id_match_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
            name=op.f("fk_ticket_match_ticket_id_ticket"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_match")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_ticket_match_ticket_id")),
    )
    op.create_index(op.f("ix_ticket_match_entry_id"), "ticket_match", ["entry_id"], unique=False)
    with op.batch_alter_table("article") as batch:
        batch.add_column(sa.Column("content_key", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_article_content_key"), ["content_key"], unique=False)
    statements = _SQLITE_FTS if op.get_bind().dialect.name == "sqlite" else _POSTGRES_FTS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("article") as batch:
        batch.drop_index(batch.f("ix_article_content_key"))
        batch.drop_column("content_key")
    op.drop_table("ticket_match")
    op.drop_table("match_term")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS match_entry_fts")
    op.drop_table("match_entry")
