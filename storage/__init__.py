"""Persistence for the desk: models, migrations and the only code that writes SQL."""
