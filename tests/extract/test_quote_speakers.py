"""Speaker resolution on short articles written for these tests: titles, surnames, pronouns."""

from __future__ import annotations

from bot.extract import Quote, extract
from bot.extract.names import clean_name, name_runs


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


def test_partial_quote_takes_the_person_opening_its_sentence() -> None:
    text = (
        "Councillor Ruth Adeyemi chaired the session.\n\n"
        "Adeyemi also bemoaned a budget in which schools “lose out every single year” again."
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Ruth Adeyemi"


def test_sentence_subject_does_not_rescue_a_scare_quote() -> None:
    text = (
        "Councillor Ruth Adeyemi chaired the session.\n\n"
        "Adeyemi then visited the “new” library on the hill."
    )
    assert quotes_of(text) == []


def test_quote_paragraph_after_a_cue_in_the_previous_paragraph() -> None:
    text = (
        "Board member Kofi Mensah wrote to colleagues on Friday.\n\n"
        "If anything, Mensah argued in his letter, the vote shows the rules must change.\n\n"
        "“Is it wise to keep giving one officer this much power over the agenda?”"
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Kofi Mensah"


def test_more_speech_verbs_mark_a_cue() -> None:
    text = (
        "Senator Dana Voss left the chamber early.\n\n"
        "“That would have shown good faith,” Voss fumed on Tuesday."
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Dana Voss"


def test_speech_verb_pattern_matches_whole_words_only() -> None:
    from bot.extract.quotes import _VERB, _trie_pattern

    assert _trie_pattern({"said", "says", "say", "sighed"}) == "s(?:a(?:id|y(?:s)?)|ighed)"
    found = [m.group(0) for m in _VERB.finditer("she said, then sayso, says and pointed out")]
    assert found == ["said", "says", "pointed out"]


def test_mrs_title_picks_the_namesake_of_her_gender() -> None:
    text = (
        "Anna Petrov spoke first, and she thanked the volunteers. "
        "Her husband, Ivan Petrov, said he would not run again.\n\n"
        "“We owe this town our thanks,” Mrs. Petrov said."
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Anna Petrov"


def speaker_of(text: str) -> str | None:
    (quote,) = quotes_of(text)
    return quote.speaker


def test_joined_initials_are_part_of_the_name() -> None:
    text = (
        "“The network has grown faster than anyone expected,” said K.T. Rowe, a fellow at the "
        "Harbour Institute."
    )
    assert speaker_of(text) == "K.T. Rowe"


def test_and_inside_an_appositive_does_not_start_a_new_subject() -> None:
    text = (
        "Aldo Ferri, a retired teacher who voted for Mara Quill and Idris Vale, said that "
        "given the field: “There is only one choice left for me.”"
    )
    assert speaker_of(text) == "Aldo Ferri"


def test_organisation_after_a_preposition_in_an_appositive_is_not_the_speaker() -> None:
    text = (
        "Lena Varga, technology analyst at Northgate Capital Partners, agreed: “They have a "
        "great brand and a large platform.”"
    )
    assert speaker_of(text) == "Lena Varga"


def test_full_name_before_an_appositive_beats_a_name_inside_it() -> None:
    text = (
        "Idris Vale, a pollster who works with a liberal group, the Forward Fund, said the "
        "race was “close and getting closer.”"
    )
    assert speaker_of(text) == "Idris Vale"
    text = "The harbour board’s spokesman, Idris Vale, said the pier was “safe for now.”"
    assert speaker_of(text) == "Idris Vale"


def test_ordinal_rank_between_unit_and_name() -> None:
    text = "“I was hoping for a better choice,” said Air Force 2nd Lt. Mara Quill."
    assert speaker_of(text) == "Mara Quill"


def test_name_runs_skip_function_words_and_clean_titles_once() -> None:
    text = "The board met. But Sen. Mara Quill said Monday that President Idris Vale agreed."
    found = [(run.title, run.name) for run in name_runs(text)]
    assert found == [("Sen.", "Mara Quill"), ("President", "Idris Vale")]


def test_object_pronouns_do_not_vote_for_the_gender_of_the_subject_before_them() -> None:
    text = (
        "Dana Whitfield opened the session on Monday.\n\n"
        "Tom Reyes spoke after the budget debate. Reyes thanked her twice for the invitation.\n\n"
        "“We are ready to sign the plan this week,” he said."
    )
    assert speaker_of(text) == "Tom Reyes"


def test_colon_line_names_the_source_after_from() -> None:
    text = (
        "The survey covered all fifty states.\n\n"
        "What that means for the vote - More from Rowe: “The state population is only a "
        "starting point.”"
    )
    assert speaker_of(text) == "Rowe"


def test_participle_phrase_before_the_subject_is_skipped() -> None:
    text = (
        "Reached by telephone, Tomas Brandt denied the report, explaining that he was "
        "“taking a day off.”"
    )
    assert speaker_of(text) == "Tomas Brandt"


def test_preposition_opening_a_sentence_is_not_a_person() -> None:
    text = (
        "Admiral Idris Vale keeps a map of the coast in his office. Behind his desk, shelves "
        "are stacked with books.\n\n"
        "“Those who are ready fare better,” he said."
    )
    assert speaker_of(text) == "Idris Vale"


def test_pronoun_contraction_is_not_a_name() -> None:
    text = (
        "I'm old enough to remember President Ivo Marek declaring that “we need to shift to "
        "plentiful coal.”"
    )
    assert speaker_of(text) == "Ivo Marek"


def test_lone_surname_with_an_appositive_is_a_sentence_subject() -> None:
    text = (
        "Ferri, a former union leader, had close ties to the port authority. But on Sunday "
        "he finally endorsed the plan.\n\n"
        "“We need someone who fights hard,” he said."
    )
    assert speaker_of(text) == "Ferri"


def test_title_word_after_an_initial_is_a_surname() -> None:
    text = (
        "“You did feel that it was stifling,” Representative Aldo T. King, Republican of "
        "Vermont, said of the years before the network."
    )
    assert speaker_of(text) == "Aldo T. King"


def test_city_state_and_day_belong_to_the_opening_phrase() -> None:
    text = (
        "At a rally in Portsmouth, N.H., on Tuesday, Senator Mara Quill of Vermont endorsed "
        "the governor, saying that she would “make an outstanding president.”"
    )
    assert speaker_of(text) == "Mara Quill"


def test_verb_right_after_a_quote_mid_paragraph_names_the_speaker_after_it() -> None:
    text = (
        "If the mill closes, as Mayor Tom Brandt has warned, "
        "“who will pay the pensions?” asked Vera Lind, a union organiser. "
        "“Nobody has answered that.”"
    )
    found = quotes_of(text)
    assert [q.speaker for q in found] == ["Vera Lind", "Vera Lind"]


def test_called_after_a_comma_is_active_when_an_object_comes_before_the_quote() -> None:
    text = (
        "The county approved the rail timetable on Monday. "
        "Nadia Kerr, who chairs the transport committee, called the new timetable "
        "“a gift to commuters.”\n\n"
        "The line runs through Harwick, often called “the gateway to the valley” by locals."
    )
    speakers = {q.text: q.speaker for q in quotes_of(text)}
    assert speakers["a gift to commuters."] == "Nadia Kerr"
    assert speakers.get("the gateway to the valley") is None


def test_month_word_inside_a_name_is_part_of_it_but_a_date_is_not() -> None:
    assert [run.name for run in name_runs("Columnist Li Jun wrote to Theresa May.")] == [
        "Li Jun",
        "Theresa May",
    ]
    assert [run.name for run in name_runs("Ana Reyes Jan. 5 and Ana Reyes March 3")] == [
        "Ana Reyes",
        "Ana Reyes",
    ]
    text = "The paper ran a column on Monday. “The tariffs will hurt both sides,” wrote columnist Li Jun."
    (quote,) = quotes_of(text)
    assert quote.speaker == "Li Jun"


def test_weekday_after_a_name_is_no_part_of_it() -> None:
    text = "“We will open the bridge in May,” said Mayor Lena Varga Tuesday."
    (quote,) = quotes_of(text)
    assert quote.speaker == "Lena Varga"


def test_abbreviation_inside_parentheses_does_not_end_the_sentence() -> None:
    text = (
        "Rep. Tomas Berg (R-Wisc.) spoke before introducing Ingrid Sol on Thursday. "
        "“Nobody expected the vote to pass,” he said."
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Tomas Berg"


def test_a_name_seen_after_in_with_no_title_or_speech_verb_is_a_place() -> None:
    text = (
        "Tomas Berg campaigned in North Harbour on Friday. "
        "Later, North Harbour voted for his rival.\n\n"
        "“We will win here next time,” he said."
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Tomas Berg"


def test_pronoun_prefers_the_subject_its_sentence_opens_with() -> None:
    text = (
        "Ivan Petrov said on Monday that, if the figures hold, Tomas Berg broke the rules, "
        "which he called “a serious breach of trust.”"
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Ivan Petrov"


def test_pronoun_prefers_the_speaker_of_a_reporting_clause() -> None:
    text = (
        "The debate was held on Monday night.\n\n"
        "Tomas Berg won the debate easily, Ivan Petrov said. “He was sharp all night,” he said."
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Ivan Petrov"


def test_name_in_an_opening_phrase_is_not_the_sentence_subject() -> None:
    text = (
        "On her last visit to Port Elsa, Lena Varga spoke to the crowd.\n\n"
        "“We built this town together,” she said."
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Lena Varga"


def test_a_verb_between_two_names_makes_the_second_an_object() -> None:
    text = (
        "Mrs. Orla Penn and Mrs. Ilse Penn shared the stage on Friday.\n\n"
        "Mrs. Orla Penn praised Mrs. Ilse Penn's record on schools, saying she had "
        "“a steady hand and a good heart.”"
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Orla Penn"


def test_an_opening_subordinate_clause_holds_no_subject() -> None:
    text = (
        "Dana Roe and Piet Kral met in Leeds.\n\n"
        "Ever since Kral endorsed the plan in May, Roe has been its loudest voice, visiting "
        "every depot with one message: “Keep the buses running.”"
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Dana Roe"


def test_a_conjunction_before_a_bare_name_is_no_opening_clause() -> None:
    text = (
        "As Wim Baars, a tax lawyer at the Harbour Institute, recently put it, "
        "“Nobody reads the small print.”"
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Wim Baars"


def test_a_name_that_modifies_a_noun_gives_way_to_the_name_in_apposition() -> None:
    text = "“We are anxious,” said another Radio Nord listener, Pia Lund. “It is getting closer.”"
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Pia Lund", "Pia Lund"]
    assert quotes[0].speaker_title == "another Radio Nord listener"


def test_a_colon_cue_skips_the_opening_phrase_to_its_subject() -> None:
    text = (
        "Tomas Alder toured the farms of Lenby County on Monday.\n\n"
        "Asked which Lenby County town he would carry, he demurred: “Ask me in November.”"
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Tomas Alder"
