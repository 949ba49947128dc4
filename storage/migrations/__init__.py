"""Alembic migration environment for the desk's schema (one history for SQLite and PostgreSQL)."""
