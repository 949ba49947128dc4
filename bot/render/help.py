"""The `/factcheck help` message, built from the grammar's table so the two never drift."""

from __future__ import annotations

from bot.command_grammar import HELP_FOOTER, HELP_TITLE, UNKNOWN_SUBCOMMAND, help_lines
from bot.render.blocks import SlackMessage, context, escape, section
from bot.render.limits import trim


def render_help(unknown: str | None = None) -> SlackMessage:
    """Every subcommand with an example; prefixed by what was not understood, if anything."""
    lead = UNKNOWN_SUBCOMMAND.format(word=escape(trim(unknown, 40))) + "\n" if unknown else ""
    text = lead + HELP_TITLE + "\n" + "\n".join(help_lines())
    return SlackMessage(
        text=(lead + HELP_TITLE).replace("*", ""),
        blocks=[section(text), context(HELP_FOOTER)],
    )
