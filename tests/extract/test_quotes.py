"""The rules engine on short articles written for these tests, one quoting convention each."""

from __future__ import annotations

import pytest

from bot.extract import Quote, extract


def quotes_of(text: str) -> list[Quote]:
    return extract(text).quotes


def only(text: str) -> Quote:
    found = quotes_of(text)
    assert len(found) == 1, found
    return found[0]


def test_quote_then_name_said() -> None:
    text = (
        "The harbour authority closed the pier on Tuesday.\n\n"
        '"We will reopen it once the divers have finished," Maria Okafor said.'
    )
    quote = only(text)
    assert quote.text == "We will reopen it once the divers have finished,"
    assert text[quote.start : quote.end] == quote.text
    assert quote.speaker == "Maria Okafor"


def test_name_said_colon_quote() -> None:
    text = 'Council leader Tomas Brandt said: "The budget is balanced for the first time in years."'
    quote = only(text)
    assert quote.speaker == "Tomas Brandt"
    assert quote.speaker_title == "Council leader"


def test_said_name_title_after_quote() -> None:
    text = (
        "“Ridership has doubled since the new line opened,” said Priya Raman, "
        "director of planning at the Northern Transit Authority."
    )
    quote = only(text)
    assert quote.speaker == "Priya Raman"
    assert quote.speaker_title == "director of planning at the Northern Transit Authority"


def test_dash_attribution_and_forward_surname() -> None:
    text = (
        "The port deal was signed in March.\n\n"
        "“The terms favour the larger partner,” – Keller.\n\n"
        "Analysts expect more such agreements.\n\n"
        "“Smaller ports will have to merge to survive,” – Johanna Keller, "
        "a senior analyst at the Baltic Shipping Institute."
    )
    first, second = quotes_of(text)
    assert first.speaker == second.speaker == "Johanna Keller"
    assert first.speaker_title == "senior analyst at the Baltic Shipping Institute"


def test_dash_attribution_on_its_own_line() -> None:
    text = (
        "“Water levels are the lowest we have recorded.”\n"
        "– Ana Lindqvist, hydrologist at the River Board.\n"
    )
    quote = only(text)
    assert quote.speaker == "Ana Lindqvist"
    assert quote.speaker_title == "hydrologist at the River Board"


def test_british_single_quotes() -> None:
    text = (
        "The minister defended the plan. 'It is the right decision for the country's future,' "
        "said Oliver Hartley, the transport secretary."
    )
    quote = only(text)
    assert quote.text == "It is the right decision for the country's future,"
    assert quote.speaker == "Oliver Hartley"


def test_split_quote_keeps_speaker_across_the_cue() -> None:
    text = (
        "Dr. Helen Moore runs the clinic.\n\n"
        "“We saw twice as many patients,” she said. “Most of them came from outside the city.”"
    )
    first, second = quotes_of(text)
    assert first.speaker == second.speaker == "Helen Moore"


def test_multi_paragraph_quote() -> None:
    text = (
        "Coach Daniel Reyes spoke after the match.\n\n"
        "“We started slowly and paid for it in the first half.\n\n"
        "“After the break we pressed higher, and the goals came,” Reyes said."
    )
    first, second = quotes_of(text)
    assert first.text.startswith("We started slowly")
    assert second.text.startswith("After the break")
    assert first.speaker == second.speaker == "Daniel Reyes"


def test_partial_quote_inside_a_sentence() -> None:
    text = (
        "Union chief Farah Haddad called the offer “an insult to every nurse on the ward” "
        "and promised further strikes."
    )
    quote = only(text)
    assert quote.text == "an insult to every nurse on the ward"
    assert quote.speaker == "Farah Haddad"


def test_organisation_as_speaker() -> None:
    text = (
        "Norvik Energy issued a statement on Friday.\n\n"
        "“The outage was caused by a storm, not by a fault in the grid,” the statement said."
    )
    quote = only(text)
    assert quote.speaker == "Norvik Energy"


def test_pronoun_refers_back_to_full_name() -> None:
    text = (
        "Senator Grace Whitfield visited the flooded town on Monday. "
        "She met families in the school gym.\n\n"
        "“Nobody here should wait a year for help,” she said."
    )
    quote = only(text)
    assert quote.speaker == "Grace Whitfield"


def test_surname_refers_back_to_full_name() -> None:
    text = (
        "Marcus Bell, the city treasurer, presented the accounts.\n\n"
        "“The reserve fund is empty,” Bell said."
    )
    quote = only(text)
    assert quote.speaker == "Marcus Bell"
    assert quote.speaker_title == "city treasurer"


@pytest.mark.parametrize(
    "text",
    [
        "The film “Harbour Lights” opens this week across the country.",
        "Critics call the plan a “solution” to nothing at all.",
        "The band played “The Long Road Home” twice during the evening.",
    ],
)
def test_scare_quotes_and_titles_are_not_attributed_quotes(text: str) -> None:
    assert all(q.speaker is None and q.score < 0.5 for q in quotes_of(text))


def test_doubled_apostrophes_as_quote_marks() -> None:
    text = "''Prices will fall next spring,'' said Ivo Petrov, an economist at Danube Bank."
    quote = only(text)
    assert quote.text == "Prices will fall next spring,"
    assert quote.speaker == "Ivo Petrov"


def test_title_of_a_show_after_a_possessive_is_not_a_quote() -> None:
    text = (
        "“The port will reopen next week,” Mayor Lena Varga said on Channel 4’s “Morning Report,” "
        "adding that repairs were on schedule.\n\n"
        'She repeated the point on "Inside City Hall."'
    )
    found = quotes_of(text)
    assert [q.text for q in found] == ["The port will reopen next week,"]


def test_headline_quote_repeated_in_the_body_gives_no_ticket_of_its_own() -> None:
    text = (
        "Varga: ‘Ferries come first.’\n\n"
        "The city will put its ferry fleet ahead of new bridges, Mayor Lena Varga said on Monday.\n\n"
        "“Ferries come first, and bridges can wait until the budget allows,” Varga told reporters."
    )
    found = quotes_of(text)
    assert [q.text for q in found] == [
        "Ferries come first, and bridges can wait until the budget allows,"
    ]
    assert found[0].speaker == "Lena Varga"


def test_headline_quote_the_body_does_not_repeat_is_a_ticket() -> None:
    text = (
        "Varga: ‘No new bridges this decade.’\n\n"
        "The city will put its ferry fleet ahead of new bridges, Mayor Lena Varga said on Monday.\n\n"
        "“Ferries come first,” Varga told reporters."
    )
    found = quotes_of(text)
    assert [(q.text, q.speaker) for q in found] == [
        ("No new bridges this decade.", "Lena Varga"),
        ("Ferries come first,", "Lena Varga"),
    ]


def test_curly_single_quotes_close_before_the_next_opening_mark() -> None:
    text = (
        "The council voted on Monday. "
        "Mayor Lena Varga called the plan ‘reckless’ and said ‘we will fight it in court.’"
    )
    found = quotes_of(text)
    assert [q.text for q in found] == ["reckless", "we will fight it in court."]


def test_repeated_quote_is_kept_where_it_is_attributed() -> None:
    text = (
        "The council met on Monday to vote on the harbour plan.\n\n"
        "“We will not sell the harbour.”\n\n"
        "Residents filled the hall for three hours before the vote was taken.\n\n"
        "“We will not sell the harbour,” said Council leader Tomas Brandt."
    )
    found = quotes_of(text)
    assert len(found) == 1
    assert found[0].speaker == "Tomas Brandt"
    assert found[0].start == text.rindex("We will not")


def test_a_newsletters_list_of_other_stories_files_no_quotes() -> None:
    text = (
        "The council met on Monday. “We will fund the library,” said Mara Quill, the mayor.\n\n"
        "FAREWELL—“Harbour music hall shuts its doors,” by Harbour Times' Ben Sol: "
        "“The hall, home to many first gigs, closes next month.” "
        "http://example.org/hall.\n\n"
        "—“Ferry captain writes a cookbook,” by Harbour Post's Ada Lind "
        "http://example.org/cook."
    )
    assert [(q.text, q.speaker) for q in extract(text).quotes] == [
        ("We will fund the library,", "Mara Quill")
    ]


def test_a_quote_followed_by_by_inside_a_sentence_stays() -> None:
    text = (
        "According to the Harbour Post, Mara Quill said the “rudeness of the remarks,” by the "
        "mayor last week was a shame."
    )
    assert [q.text for q in extract(text).quotes] == ["rudeness of the remarks,"]
