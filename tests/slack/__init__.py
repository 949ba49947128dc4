"""A faithful local Slack for tests: Web API stand-in, signed delivery, Socket Mode server."""
