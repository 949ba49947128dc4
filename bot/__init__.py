"""factcheck-bot: the Slack surface, extraction, scheduling and rendering of the fact-check desk."""
