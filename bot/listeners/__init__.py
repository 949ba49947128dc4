"""Bolt listeners, one module per Slack surface, each exposing `register(app, services)`."""
