"""The claim scorer: each named feature fires on the sentence shape it names, and the score ranks facts above opinion."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from bot.extract.claims import (
    DEFAULT_THRESHOLD,
    FEATURE_NAMES,
    HAND_SET,
    WEIGHTS,
    RulesScorer,
    features,
    score_features,
    score_sentence,
)


def test_every_feature_has_a_weight_and_hand_set_weights_are_kept() -> None:
    assert set(WEIGHTS) == {"bias", *FEATURE_NAMES}
    for name, value in HAND_SET.items():
        assert WEIGHTS[name] == value
    assert 0.0 < DEFAULT_THRESHOLD < 1.0


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The county spent 4.5 million dollars on new buses in 2019.", {"numeral", "year"}),
        ("Unemployment fell to 3 percent last spring.", {"percent", "change"}),
        ("The ferry costs €12 a ticket.", {"money"}),
        ("It was the largest harvest since the war ended.", {"superlative", "record_since"}),
        ("The treaty bans testing in the northern waters.", {"law_does", "legal_effect"}),
        ("The senate voted to repeal the levy.", {"record"}),
        ("Prices rose by a third, according to the statistics office.", {"attribution"}),
        ("The mayor said the bridge would reopen soon.", {"someone_said"}),
        ("She signed the order on Monday.", {"third_person_past", "date"}),
        ("I voted against the budget twice.", {"first_person_past"}),
        ("The agency has closed four branches.", {"present_perfect"}),
        ("There are eleven hospitals in the province.", {"existential"}),
        ("Several unions are calling for a new vote.", {"reported_speech"}),
    ],
)
def test_factual_shapes_fire_their_features(sentence: str, expected: set[str]) -> None:
    assert expected <= set(features(sentence))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Do you really think that is fair?", {"question", "opinion"}),
        ("I think we should wait and see what happens.", {"first_person_opinion"}),
        ("We will build a better harbour for everyone.", {"future"}),
        ("The plan might work if the weather holds.", {"hedge", "conditional"}),
        ("This suggests the talks are far from over.", {"analysis"}),
        ("The company is likely to appeal the ruling.", {"analysis"}),
        ("Thank you, and good evening.", {"address", "short"}),
        ("We need to invest 2 billion in the grid.", {"number_and_plan", "prescription"}),
        ("We have to bring the rail fares down.", {"obligation"}),
        ("You've got to give the farmers a fair price.", {"obligation"}),
    ],
)
def test_opinion_plan_and_talk_shapes_fire_their_features(
    sentence: str, expected: set[str]
) -> None:
    assert expected <= set(features(sentence))


def test_having_something_is_not_an_obligation() -> None:
    assert "obligation" not in features("We have two ferries to Skye and they need repairs.")
    assert "obligation" not in features("The council has spent 3 million on the harbour.")


def test_that_means_is_not_newsroom_analysis() -> None:
    # In speech "that means" usually carries a figure; only writers' framing verbs count.
    assert "analysis" not in features("That means 40,000 families lose their cover.")


def test_capitalised_words_mid_sentence_count_as_entities_up_to_three() -> None:
    found = features("Officials from Norway, Chile, Kenya and Peru met in Lima.")
    assert found["entities"] == 3.0
    assert "entities" not in features("they met on the quay at dawn.")


def test_facts_score_above_opinion_and_cross_the_default_threshold() -> None:
    facts = [
        "The council approved a 45 million euro budget for road repairs on Tuesday.",
        "Exports of grain doubled between 2010 and 2020, according to the trade ministry.",
        "The agreement bans the transit of weapons through either country's territory.",
        "Several opposition parties are calling for a review of the deal.",
    ]
    opinions = [
        "I think this is a wonderful day for all of us.",
        "What are we going to do about it?",
        "This suggests the government has lost its way.",
        "We must do better, and we will.",
    ]
    for fact in facts:
        assert score_sentence(fact) >= DEFAULT_THRESHOLD, fact
    for opinion in opinions:
        assert score_sentence(opinion) < DEFAULT_THRESHOLD, opinion
    assert min(map(score_sentence, facts)) > max(map(score_sentence, opinions))


def test_score_is_a_probability_and_weights_can_be_swapped() -> None:
    found = features("The port handled 3 million containers in 2023.")
    assert 0.0 < score_features(found) < 1.0
    flat = dict.fromkeys(WEIGHTS, 0.0)
    assert score_features(found, flat) == 0.5


def test_a_score_does_not_depend_on_the_order_its_features_were_found_in() -> None:
    """Features are found in set order, which each process's hash seed decides: two replicas
    must score (and so rank, and give the ticket to) the same sentence the same, to the last bit.
    A running sum of these weights in two orders differs in its last bit."""
    found = dict.fromkeys(
        """number percent statistic hedge change economy title first_person future numeral
        many_numbers entities first_person_opinion subject_named number_and_topic
        number_and_plan""".split(),
        1.0,
    )
    found["log_words"] = 0.44443897916644026
    assert score_features(found) == score_features(dict(reversed(found.items())))
    sentence = "Mayor Ines Duarte will present a 4 percent rise in bus fares to the council."
    assert RulesScorer().score([sentence]) == [score_sentence(sentence)]


def test_empty_and_odd_input_do_not_raise() -> None:
    for text in ["", "   ", "???", "1,2,3", "’’ — …"]:
        assert 0.0 <= score_sentence(text) <= 1.0


def _tuning_script() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "scripts" / "tune_claims.py"
    spec = importlib.util.spec_from_file_location("tune_claims", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tuning_script_fits_weights_that_separate_a_toy_set(tmp_path: Path) -> None:
    tune = _tuning_script()
    facts = [f"The district built {n} new schools in 20{n:02d}." for n in range(10, 40)]
    talk = [f"I think we should talk about item {chr(97 + n % 26)} tonight." for n in range(30)]
    lines = [
        json.dumps({"id": f"x/{i}", "text": text, "label": label})
        for i, (text, label) in enumerate([(t, 1) for t in facts] + [(t, 0) for t in talk])
    ]
    path = tmp_path / "toy.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = tune.load(path)
    weights = tune.train(rows, 0.01)
    assert set(weights) == {"bias", *FEATURE_NAMES}
    assert weights["analysis"] == HAND_SET["analysis"]
    threshold, f1 = tune.best_threshold(tune._scores(rows, weights))
    assert f1 == 1.0
    assert 0.0 < threshold < 1.0
    assert {tune.fold_of(row[0]) for row in rows} == set(range(5))


def test_tuning_script_finds_the_weights_table_it_rewrites() -> None:
    tune = _tuning_script()
    source = Path(tune._CLAIMS_PY).read_text(encoding="utf-8")
    assert len(tune._TABLE.findall(source)) == 1
