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


def test_pronoun_skips_a_name_that_only_modifies_the_next_one() -> None:
    text = (
        "Tomas Alder is running for mayor.\n\n"
        "Alder campaign strategist Lena Moss spoke on Sunday. "
        "“We expected the vote to be close, and it was,” she said."
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Lena Moss"


def test_pronoun_gender_comes_from_the_nearest_person_before_each_pronoun() -> None:
    text = (
        "Ingrid Sol questioned Tomas Berg, and he refused to answer.\n\n"
        "Sol insisted on a vote.\n\n"
        "“Nobody should be shut out of the room,” she said."
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Ingrid Sol"


def test_pronoun_ignores_organisations_and_the_x_phrases() -> None:
    text = (
        "Priya Nandan has led the union for a decade. "
        "The Supreme Court ruled against her members last year, and the Workers Party "
        "backed her appeal.\n\n"
        "“We will go on fighting this ruling,” she said."
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Priya Nandan"


def test_pronoun_finds_a_bare_surname_used_as_subject() -> None:
    text = (
        "The debate was short.\n\n"
        "Okonkwo admitted that his answer was rehearsed. "
        "“I practised it in the car,” he said."
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Okonkwo"


def test_unresolved_pronoun_cue_keeps_a_short_quote() -> None:
    text = "“Stop the car,” she shouted."
    (quote,) = quotes_of(text)
    assert quote.text == "Stop the car,"
    assert quote.speaker is None
