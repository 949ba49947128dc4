"""`factcheck playground`: the real bot, a local Slack and a page that plays the people."""
