"""A local Slack over real HTTP: Web API stand-in, request signing, payloads, a driver for people."""
