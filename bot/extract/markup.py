"""Slack mrkdwn as pasted, read as plain text, with a map back to the offsets of the original."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# One alternation so the text is scanned once; each branch is a kind of markup Slack adds.
_MARKUP = re.compile(
    r"<(?P<link>(?:https?|mailto):[^|>\s]+)(?:\|(?P<label>[^>\n]*))?>"  # <https://x|label>
    r"|<(?P<ref>[@#!][^|>\s]+)(?:\|(?P<reflabel>[^>\n]*))?>"  # <@U123>, <#C1|name>
    r"|&(?P<entity>amp|lt|gt|quot|#39|nbsp);"
    r"|(?<![\w*_~])(?P<mark>[*_~])(?=[^\s*_~])(?P<marked>[^\n*_~]*?[^\s*_~])(?P=mark)(?![\w*_~])"
)
# Every kind of markup starts with one of these characters; jumping between them is much faster
# than letting the alternation above try every position of a long article.
_TRIGGERS = "<&*_~"
_TRIGGER = re.compile(f"[{_TRIGGERS}]")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "#39": "'", "nbsp": " "}


@dataclass(frozen=True)
class Plain:
    """Plain text plus, when markup was removed, where each of its characters came from."""

    text: str
    starts: list[int] | None = None  # starts[i]: offset in the original of plain char i
    ends: list[int] | None = None  # ends[i]: offset just after plain char i in the original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a plain-text span to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else self.ends[-1]
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _markup(given: str) -> Iterator[re.Match[str]]:
    """The matches of `_MARKUP` in `given`, as `finditer` would give them."""
    pos = 0
    while True:
        trigger = _TRIGGER.search(given, pos)
        if trigger is None:
            return
        match = _MARKUP.match(given, trigger.start())
        if match is None:
            pos = trigger.start() + 1
        else:
            yield match
            pos = match.end()


def to_plain(given: str) -> Plain:
    """Unwrap links, entities and `*bold*`/`_italic_`/`~strike~` markers; keep everything else."""
    if not any(trigger in given for trigger in _TRIGGERS):
        return Plain(given)  # most pasted text: `in` finds no trigger faster than any scan
    matches = list(_markup(given))
    if not matches:
        return Plain(given)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def verbatim(a: int, b: int) -> None:
        pieces.append(given[a:b])
        starts.extend(range(a, b))
        ends.extend(range(a + 1, b + 1))

    last = 0
    for match in matches:
        verbatim(last, match.start())
        last = match.end()
        if match.group("link") is not None:
            label = match.group("label")
            group = "label" if label else "link"
            verbatim(match.start(group), match.end(group))
        elif match.group("ref") is not None:
            group = "reflabel" if match.group("reflabel") else "ref"
            verbatim(match.start(group), match.end(group))
        elif match.group("entity") is not None:
            pieces.append(_ENTITIES[match.group("entity")])
            starts.append(match.start())
            ends.append(match.end())
        else:
            verbatim(match.start("marked"), match.end("marked"))
    verbatim(last, len(given))
    return Plain("".join(pieces), starts, ends)
