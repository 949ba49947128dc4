"""Storage tests: schema, intake, reminders and digest figures on SQLite and PostgreSQL."""
