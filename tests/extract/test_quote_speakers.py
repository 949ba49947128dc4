"""Speaker resolution on short articles written for these tests: titles, surnames, pronouns."""

from __future__ import annotations

from bot.extract import Quote, extract
from bot.extract.names import clean_name


def quotes_of(text: str) -> list[Quote]:
    return extract(text).quotes


def test_role_words_inside_a_capitalised_run_are_title_not_name() -> None:
    assert clean_name("Ontario Sen. Mara Quill") == ("Ontario Sen.", "Mara Quill")
    assert clean_name("Harbour Board Chairman Idris Vale") == (
        "Harbour Board Chairman",
        "Idris Vale",
    )
    assert clean_name("Radio Nord's Pia Lund") == ("Radio Nord's", "Pia Lund")
    assert clean_name("Ana Bishop") == ("", "Ana Bishop")


def test_surname_back_reference_finds_name_after_a_state_title() -> None:
    text = (
        "Ontario Sen. Mara Quill opened the hearing on Tuesday.\n\n"
        "“We will not sign this bill as it stands,” Quill said."
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Mara Quill"
