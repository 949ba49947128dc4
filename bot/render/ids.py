"""Routing ids shared by the manifest, the renderers and the listeners, defined once."""

from __future__ import annotations

SLASH_COMMAND = "/factcheck"
MESSAGE_SHORTCUT_CALLBACK = "factcheck_message"
MESSAGE_SHORTCUT_NAME = "Fact-check this message"
