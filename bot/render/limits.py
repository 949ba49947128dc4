"""Slack's size limits, and the trimming and splitting that keep every message and view inside them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS: Final = 50
MAX_VIEW_BLOCKS: Final = 100
MAX_MESSAGE_TEXT: Final = 40_000
MAX_SECTION_TEXT: Final = 3000
MAX_CONTEXT_TEXT: Final = 2000
MAX_HEADER_TEXT: Final = 150
MAX_BUTTON_TEXT: Final = 75
MAX_OPTION_TEXT: Final = 75
MAX_OPTION_VALUE: Final = 150
MAX_SELECT_OPTIONS: Final = 100
MAX_MODAL_TITLE: Final = 24
MAX_PRIVATE_METADATA: Final = 3000
# A fallback `text` beside blocks is only for notifications; keep it short.
MAX_FALLBACK_TEXT: Final = 300
# How much of a claim or quote a card shows; a reader wants the sentence, not the paragraph.
CARD_TEXT_CHARS: Final = 280

ELLIPSIS: Final = "…"


def trim(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a word boundary when one is near, with `…`."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: max(limit - len(ELLIPSIS), 0)]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


def split_blocks(
    groups: Sequence[Sequence[Block]],
    *,
    first: Sequence[Block] = (),
    continuation: Sequence[Block] = (),
    limit: int = MAX_MESSAGE_BLOCKS,
) -> list[list[Block]]:
    """Pack `groups` (each kept whole, e.g. one ticket card) into messages of at most `limit` blocks.

    The first message starts with `first`, every later one with `continuation`. A group larger
    than the room left in an empty message is cut to fit (never happens for our cards).
    """
    messages: list[list[Block]] = [list(first)]
    for group in groups:
        current = messages[-1]
        if len(current) + len(group) > limit and len(current) > (
            len(first) if len(messages) == 1 else len(continuation)
        ):
            current = list(continuation)
            messages.append(current)
        room = limit - len(current)
        current.extend(list(group)[:room])
    return messages


def trim_view_blocks(blocks: list[Block], *, tail: Block | None = None) -> list[Block]:
    """At most MAX_VIEW_BLOCKS blocks; when cut, `tail` (e.g. "and 40 more") ends the view."""
    if len(blocks) <= MAX_VIEW_BLOCKS:
        return blocks
    keep = MAX_VIEW_BLOCKS - (1 if tail is not None else 0)
    return blocks[:keep] + ([tail] if tail is not None else [])
