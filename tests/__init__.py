"""Tests for factcheck-bot: storage on SQLite and PostgreSQL, Slack through a local stand-in."""
