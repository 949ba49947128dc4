"""Logging for operators: one format, and a filter that keeps Slack tokens out of every line."""

from __future__ import annotations

import logging
import re

_SECRET = re.compile(r"\b(xox[abposr]-|xapp-)[A-Za-z0-9-]+")


class RedactTokens(logging.Filter):
    """Rewrites any Slack token in a record to its prefix, whatever logged it (our code or a library)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _SECRET.search(message):
            record.msg = _SECRET.sub(r"\1[redacted]", message)
            record.args = None
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # slack_sdk logs request bodies at DEBUG; keep them out even when our level is DEBUG.
    logging.getLogger("slack_sdk").setLevel(max(logging.INFO, root.level))
