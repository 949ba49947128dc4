"""Word lists of lower-cased text, split in C: the claim features and the worklist read every sentence.

A regex `findall` builds a match per word and costs about three times a byte translation and
`split`; each function gives exactly the words its regex would (the regex is named beside it).
"""

from __future__ import annotations

import re

# `[a-z0-9']+`: every other byte, and every non-ASCII character (encoded as `?`), splits.
_FEATURE_BYTES = bytes(
    c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789'" else 32 for c in range(256)
)
# `\w+` on ASCII text: letters, digits and `_` (lower case only, as the text is lowered).
_WORD_BYTES = bytes(
    c if c < 128 and (chr(c).isalnum() or chr(c) == "_") else 32 for c in range(256)
)
_WORD = re.compile(r"\w+")


def feature_tokens(lower: str) -> list[str]:
    """`re.findall(r"[a-z0-9']+", lower)`: ASCII letters, digits and apostrophes."""
    return lower.encode("ascii", "replace").translate(_FEATURE_BYTES).decode("ascii").split()


def split_words(lower: str) -> list[str]:
    """`re.findall(r"\\w+", lower)`; the fast way for ASCII text, where `\\w` is `[a-z0-9_]`."""
    if lower.isascii():
        return lower.encode("ascii").translate(_WORD_BYTES).decode("ascii").split()
    return _WORD.findall(lower)
