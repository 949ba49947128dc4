"""Word lists of lower-cased text, split in C: the claim features and the worklist read every sentence.

A regex `findall` builds a match per word and costs about three times a byte translation and
`split`; each function gives exactly the words its regex would (the regex is named beside it).
ASCII text is lower-cased by the same translation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# `[a-z0-9']+`: every other byte, and every non-ASCII character (encoded as `?`), splits.
_FEATURE_BYTES = bytes(
    ord(chr(c).lower()) if chr(c).lower() in "abcdefghijklmnopqrstuvwxyz0123456789'" else 32
    for c in range(256)
)
# The same with NUL kept: the mark between texts translated together (see `token_texts`).
_FEATURE_BYTES_NUL = b"\x00" + _FEATURE_BYTES[1:]
# `\w+` on ASCII text: letters, digits and `_`.
_WORD_BYTES = bytes(
    ord(chr(c).lower()) if c < 128 and (chr(c).isalnum() or chr(c) == "_") else 32
    for c in range(256)
)
_WORD = re.compile(r"\w+")
# A character `\w` matches that is not ASCII: where `split_words` and `feature_tokens` differ.
_NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")
# Other than ASCII and the non-ASCII marks most text has: curly quotes, dashes, an ellipsis, a
# no-break space, none of them a word character, a digit or a case. A plain range is scanned
# for much faster than `_NON_ASCII_WORD`, which looks each character up.
_UNUSUAL = re.compile("[^\x00-\x7f\u2018\u2019\u201c\u201d\u2013\u2014\u2015\u2026\xa0]")
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


def token_texts(texts: Sequence[str]) -> tuple[list[str], bytes | None] | None:
    """Each text lower-cased with every character outside `[a-z0-9']` a space, so that `split()`
    gives its `feature_tokens`; or None when a text holds the NUL that separates them. With them,
    when all of the texts are `plain`, the texts joined by NUL as ASCII (each mark a `?`).

    The texts are joined and translated at once: one encode and translate per batch of sentences
    instead of one per sentence. Lower-casing the joined text lower-cases each text alike; plain
    text needs none, as the translation lower-cases ASCII letters.
    """
    joined = "\x00".join(texts)
    ascii_text = joined.encode("ascii", "replace") if plain(joined) else None
    data = joined.lower().encode("ascii", "replace") if ascii_text is None else ascii_text
    pieces = data.translate(_FEATURE_BYTES_NUL).decode("ascii").split("\x00")
    return (pieces, ascii_text) if len(pieces) == len(texts) else None


class _SentenceTokens(dict[str, tuple[str, ...]]):
    """`feature_tokens` of recent sentences: the claim worklist splits the sentences the claim
    scorer has just split. Tuples of strings, which the garbage collector stops visiting; cached
    sets or lists it would visit on every full collection. A dict looked up in C (a miss calls
    `__missing__`), which the scorer fills a batch at a time."""

    def __missing__(self, text: str) -> tuple[str, ...]:
        if len(self) >= _CACHED_SENTENCES:
            self.clear()
        words = self[text] = tuple(feature_tokens(text))
        return words

    def remember(self, texts: Sequence[str], words: Sequence[tuple[str, ...]]) -> None:
        """Keep these; forget the older ones once an article's worth, and more, is kept."""
        if len(self) + len(texts) > _CACHED_SENTENCES:
            self.clear()
        self.update(zip(texts, words, strict=True))


_SENTENCE_TOKENS = _SentenceTokens()
# `tuple(feature_tokens(text))`, kept per sentence.
sentence_tokens: Callable[[str], tuple[str, ...]] = _SENTENCE_TOKENS.__getitem__
remember_tokens = _SENTENCE_TOKENS.remember


def plain(text: str) -> bool:
    """Whether every character of `text` is ASCII or one of the usual non-ASCII marks, so that
    it reads as ASCII with each of those marks a `?`."""
    return text.isascii() or not _UNUSUAL.search(text)


def words_match_features(text: str) -> bool:
    """Whether `split_words(text)` gives the words `feature_tokens` does: when the text has no
    `'` (inside a feature word), no `_` and no non-ASCII letter or digit (in a `\\w` word)."""
    return (
        "'" not in text
        and "_" not in text
        and (plain(text) or not _NON_ASCII_WORD.search(text.lower()))
    )
