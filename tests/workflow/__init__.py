"""Rules tests: the desk's actions, refusals and races on SQLite and PostgreSQL."""
