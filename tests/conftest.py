"""Suite-wide fixtures: databases on both engines (tests.db) and the local Slack (bot.localslack, tests.slack)."""

pytest_plugins = ["tests.db", "tests.slack.fixtures"]
