"""Sentence and paragraph splitting on text written for these tests."""

from __future__ import annotations

from bot.extract.layout import sentences


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentences(text, 0, len(text))]


def test_no_sentence_ends_after_joined_initials_or_titles() -> None:
    text = "The report by K.T. Rowe came out. Sen. Mara Quill read it. J. Vale did not."
    assert split(text) == [
        "The report by K.T. Rowe came out.",
        "Sen. Mara Quill read it.",
        "J. Vale did not.",
    ]


def test_a_sentence_ends_after_a_long_word() -> None:
    text = "It was called antidisestablishmentarianism-adjacent. Then it was not."
    assert split(text) == [
        "It was called antidisestablishmentarianism-adjacent.",
        "Then it was not.",
    ]
