"""Word lists of lower-cased text, split in C: the claim features and the worklist read every sentence.

A regex `findall` builds a match per word and costs about three times a byte translation and
`split`; each function gives exactly the words its regex would (the regex is named beside it).
ASCII text is lower-cased by the same translation.
"""

from __future__ import annotations

import re
from functools import lru_cache

# `[a-z0-9']+`: every other byte, and every non-ASCII character (encoded as `?`), splits.
_FEATURE_BYTES = bytes(
    ord(chr(c).lower()) if chr(c).lower() in "abcdefghijklmnopqrstuvwxyz0123456789'" else 32
    for c in range(256)
)
# `\w+` on ASCII text: letters, digits and `_`.
_WORD_BYTES = bytes(
    ord(chr(c).lower()) if c < 128 and (chr(c).isalnum() or chr(c) == "_") else 32
    for c in range(256)
)
_WORD = re.compile(r"\w+")
# A character `\w` matches that is not ASCII: where `split_words` and `feature_tokens` differ.
_NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")
# Sentences whose words are kept for the next reader: an article's worth, and more.
_CACHED_SENTENCES = 1024


def feature_tokens(text: str) -> list[str]:
    """`re.findall(r"[a-z0-9']+", text.lower())`: ASCII letters, digits and apostrophes."""
    data = text.encode("ascii") if text.isascii() else text.lower().encode("ascii", "replace")
    return data.translate(_FEATURE_BYTES).decode("ascii").split()


def split_words(text: str) -> list[str]:
    """`re.findall(r"\\w+", text.lower())`; the fast way for ASCII text, where `\\w` is `[a-z0-9_]`."""
    if not text.isascii():
        text = text.lower()
        if not text.isascii():
            return _WORD.findall(text)
    return text.encode("ascii").translate(_WORD_BYTES).decode("ascii").split()


@lru_cache(maxsize=_CACHED_SENTENCES)
def sentence_tokens(text: str) -> tuple[str, ...]:
    """`feature_tokens(text)`, kept per sentence: the claim worklist splits the sentences the
    claim scorer has just split. A tuple of strings, which the garbage collector stops
    visiting; cached sets or lists it would visit on every full collection."""
    return tuple(feature_tokens(text))


def words_match_features(text: str) -> bool:
    """Whether `split_words(text)` gives the words `feature_tokens` does: when the text has no
    `'` (inside a feature word), no `_` and no non-ASCII letter or digit (in a `\\w` word)."""
    return (
        "'" not in text
        and "_" not in text
        and (text.isascii() or not _NON_ASCII_WORD.search(text.lower()))
    )
