"""The semantic claim scorer: MiniLM embeddings, the weights' SHA-256 check, and which scorer runs."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_settings
from bot.errors import ConfigError
from bot.extract import RulesExtractor, build_extractor
from bot.extract.scoring import SEMANTIC_FALLBACK
from bot.extract.semantic import SemanticUnavailable, load_semantic_scorer
from bot.extract.semantic.scorer import SemanticScorer

REPO = Path(__file__).resolve().parents[2]
CHECK_WORTHY = (
    "Unemployment fell from 7.8 percent in 2012 to 4.1 percent in 2017, according to the "
    "Bureau of Labor Statistics."
)
OPINION = "I think we should all be proud of what this great country can still do together."
ARTICLE = (
    "The city council approved a $48 million budget for road repairs on Tuesday, "
    "twice what it spent in 2021.\n\n"
    "Residents said they hoped the work would finally start this summer."
)


@pytest.fixture(scope="session")
def scorer() -> SemanticScorer:
    """The semantic scorer, loaded once for the session (skips where the extra is missing)."""
    try:
        return load_semantic_scorer()
    except SemanticUnavailable as error:
        pytest.skip(f"the semantic scorer is not installed here: {error}")


@pytest.fixture
def tampered_model(tmp_path: Path) -> Path:
    """A model folder whose weights file is not the pinned one."""
    (tmp_path / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    return tmp_path


def test_check_worthy_sentence_outscores_an_opinion(scorer: SemanticScorer) -> None:
    claim, opinion = scorer.score([CHECK_WORTHY, OPINION])
    assert claim >= scorer.ticket_threshold > opinion
    assert scorer.score([]) == []


def test_encoder_gives_unit_vectors_that_place_paraphrases_together(
    scorer: SemanticScorer,
) -> None:
    vectors = scorer.encoder.encode(
        [
            "The senator voted against the tax bill.",
            "The tax bill was opposed by the senator in the vote.",
            "Heavy rain flooded the football stadium.",
        ]
    )
    assert vectors.shape == (3, 384)
    assert abs(float((vectors**2).sum(axis=1).min()) - 1.0) < 1e-4
    same, other = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > 0.7
    assert other < 0.3


def test_numpy_forward_pass_matches_the_onnx_graph(scorer: SemanticScorer) -> None:
    from bot.extract.semantic.encoder import load_encoder

    texts = [CHECK_WORTHY, "Short one."]
    reference = load_encoder(backend="numpy").encode(texts)
    assert float(abs(scorer.encoder.encode(texts) - reference).max()) < 1e-4


def test_tampered_or_missing_weights_are_refused(tampered_model: Path, tmp_path: Path) -> None:
    encoder = pytest.importorskip("bot.extract.semantic.encoder", reason="semantic extra missing")
    with pytest.raises(SemanticUnavailable, match="SHA-256"):
        encoder.load_encoder(tampered_model)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SemanticUnavailable, match=r"model\.safetensors is missing"):
        encoder.load_encoder(empty)


def test_auto_falls_back_to_rules_with_one_warning(
    tampered_model: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(
        _env_file=None, FACTCHECK_EXTRACTOR="auto", FACTCHECK_SEMANTIC_MODEL_DIR=str(tampered_model)
    )
    with caplog.at_level(logging.WARNING):
        extractor = build_extractor(settings)
    assert isinstance(extractor, RulesExtractor)
    assert extractor.scorer.name == "rules"
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].msg == SEMANTIC_FALLBACK
    assert "\n" not in warnings[0].getMessage()
    assert next(c.text for c in extractor.extract(ARTICLE).claims).startswith("The city council")


def test_forced_semantic_that_cannot_load_stops_the_start(
    tampered_model: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings(
        _env_file=None,
        FACTCHECK_EXTRACTOR="semantic",
        FACTCHECK_SEMANTIC_MODEL_DIR=str(tampered_model),
    )
    with pytest.raises(ConfigError, match="FACTCHECK_EXTRACTOR=semantic"):
        build_extractor(settings)
    monkeypatch.setenv("FACTCHECK_EXTRACTOR", "semantic")
    monkeypatch.setenv("FACTCHECK_SEMANTIC_MODEL_DIR", str(tampered_model))
    article = tampered_model / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(article)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "FACTCHECK_EXTRACTOR=semantic" in err


def test_auto_and_semantic_use_the_model_loaded_once(scorer: SemanticScorer) -> None:
    for mode in ("auto", "semantic"):
        extractor = build_extractor(load_settings(_env_file=None, FACTCHECK_EXTRACTOR=mode))
        assert isinstance(extractor, RulesExtractor)
        assert isinstance(extractor.scorer, SemanticScorer)
        assert extractor.scorer.encoder is scorer.encoder
        claims = extractor.extract(ARTICLE).claims
        assert claims
        assert claims[0].text.startswith("The city council")
    rules = build_extractor(load_settings(_env_file=None, FACTCHECK_EXTRACTOR="rules"))
    assert isinstance(rules, RulesExtractor)
    assert rules.scorer.name == "rules"


def test_rules_mode_imports_nothing_of_the_semantic_layer() -> None:
    code = textwrap.dedent(
        f"""
        import sys
        import bot.app, bot.runtime, bot.cli
        from bot.config import load_settings
        from bot.extract import build_extractor

        settings = load_settings(_env_file=None, FACTCHECK_EXTRACTOR="rules")
        assert build_extractor(settings).extract({ARTICLE!r}).claims
        heavy = {{"numpy", "tokenizers", "onnxruntime", "onnx"}}
        print(sorted(m for m in sys.modules
                     if m.split(".")[0] in heavy or m.startswith("bot.extract.semantic")))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_evaluate_prints_both_scorers_side_by_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sentences = tmp_path / "ct24.jsonl"
    rows = [(CHECK_WORTHY, 1), (OPINION, 0), ("Thank you all for coming tonight.", 0)]
    sentences.write_text(
        "".join(
            f'{{"id": "ct24/x/{i}", "doc": null, "text": "{text}", "label": {label}}}\n'
            for i, (text, label) in enumerate(rows)
        ),
        encoding="utf-8",
    )
    assert main(["evaluate", "--ct24", str(sentences)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "ct24.jsonl (ct24): 3 sentences"
    assert lines[1].split()[0] == "rules"
    assert "F1 1.000" in lines[1]
    assert lines[2].split()[0] == "semantic"
    assert "F1 1.000" in lines[2] or "not available" in lines[2]


def test_fit_script_names_the_missing_data_file(tmp_path: Path) -> None:
    missing = tmp_path / "claims-ct24-dev.jsonl"
    result = subprocess.run(
        [sys.executable, "scripts/fit_claim_head.py", str(missing)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert f"{missing}: no such file" in result.stderr
    assert "../shared/eval/claims-ct24-dev.jsonl" in result.stderr


def test_a_huge_article_has_only_its_rules_best_sentences_scored_by_the_model(
    scorer: SemanticScorer,
) -> None:
    capped = SemanticScorer(scorer.encoder, scorer.head, model_limit=2)
    filler = "Thank you very much for having me here tonight, it is a pleasure."
    scores = capped.score([filler, CHECK_WORTHY, filler, OPINION, filler])
    assert scores[1] == pytest.approx(scorer.score([CHECK_WORTHY])[0], abs=1e-5)
    assert scores[1] >= capped.ticket_threshold
    assert scores.count(0.0) == 3
