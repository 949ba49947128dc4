"""Pure Block Kit builders: data in, Slack message and view payloads out."""
