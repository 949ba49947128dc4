"""`factcheck extract` and `factcheck evaluate` on files written here."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.extract import CLAIMS_HEADING
from bot.extract.worklist import DEFAULT_MAX_CLAIMS

ARTICLE = (
    "Exports rose 12 percent in 2023, the statistics office reported on Monday.\n\n"
    "“Demand from Asia carried us,” said Lea Novak, chief economist at Adriatic Bank."
)


def test_extract_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(source), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"claims", "quotes"}
    quote = out["quotes"][0]
    assert {"text", "start", "end", "speaker", "speaker_title"} <= set(quote)
    assert ARTICLE[quote["start"] : quote["end"]] == quote["text"]
    assert quote["speaker"] == "Lea Novak"
    assert {"text", "start", "end", "score"} <= set(out["claims"][0])


def test_extract_table_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(ARTICLE))
    assert main(["extract", "-"]) == 0
    out = capsys.readouterr().out
    assert "QUOTES (1)" in out
    assert "Lea Novak, chief economist at Adriatic Bank" in out


def test_extract_jsonl_keeps_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        "\n".join(
            json.dumps({"id": i, "text": t}) for i, t in [("b", ARTICLE), ("a", "Nothing here.")]
        ),
        encoding="utf-8",
    )
    assert main(["extract", "--jsonl", str(batch)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["b", "a"]
    assert lines[0]["quotes"][0]["speaker"] == "Lea Novak"
    assert lines[1] == {"id": "a", "claims": [], "quotes": []}


def test_extract_jsonl_jobs_give_one_jobs_output_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "in.jsonl"
    texts = [ARTICLE, "Nothing here.", ARTICLE.replace("Lea Novak", "Ana Horvat"), ""] * 7
    batch.write_text(
        "\n".join(json.dumps({"id": f"a{i}", "text": t}) for i, t in enumerate(texts)),
        encoding="utf-8",
    )
    assert main(["extract", "--jsonl", str(batch), "--jobs", "1"]) == 0
    one_job = capsys.readouterr().out
    assert main(["extract", "--jsonl", str(batch), "--jobs", "3"]) == 0
    three_jobs = capsys.readouterr().out
    assert three_jobs == one_job
    lines = [json.loads(line) for line in three_jobs.splitlines()]
    assert [line["id"] for line in lines] == [f"a{i}" for i in range(len(texts))]
    assert [q["speaker"] for q in lines[2]["quotes"]] == ["Ana Horvat"]


def test_extract_jsonl_jobs_write_the_lines_before_a_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text(json.dumps({"id": "ok", "text": ARTICLE}) + "\nnot json\n", encoding="utf-8")
    assert main(["extract", "--jsonl", str(batch), "--jobs", "2"]) == 1
    out, err = capsys.readouterr()
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["ok"]
    assert "line 2: expected a JSON object" in err


def test_missing_file_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "/no/such/article.txt"]) == 1
    assert main(["evaluate", "--quotes", "/no/such/quotes.jsonl"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "factcheck: /no/such/article.txt: no such file",
        "factcheck: /no/such/quotes.jsonl: no such file",
    ]


def test_evaluate_detects_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start = ARTICLE.index("Demand")
    end = ARTICLE.index(",”")
    quotes = tmp_path / "q.jsonl"
    quotes.write_text(
        json.dumps(
            {
                "id": "own/1",
                "text": ARTICLE,
                "ignore_spans": [],
                "quotes": [
                    {
                        "quote": ARTICLE[start:end],
                        "start": start,
                        "end": end + 1,
                        "speaker": "Lea Novak",
                        "speaker_resolution": "mention",
                        "scored": True,
                    }
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    claims = tmp_path / "c.jsonl"
    claims.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {"id": "d/1", "doc": "d", "text": "Exports rose 12 percent in 2023.", "label": 1},
                {"id": "d/2", "doc": "d", "text": "Thank you all for coming tonight.", "label": 0},
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    assert main(["evaluate", "--quotes", str(quotes), "--claims", str(claims)]) == 0
    out = capsys.readouterr().out
    assert "quotes exact               P 1.000  R 1.000  F1 1.000" in out
    assert "speaker surname            1.000  (1/1)" in out
    rules = next(line for line in out.splitlines() if line.startswith("  rules "))
    assert "MAP 1.000 (1 docs)" in rules


def test_extract_json_marks_which_claims_are_tickets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "long.txt"
    source.write_text(
        "\n\n".join(
            f"District {n} spent {n * 7 + 3} million euros on its harbour wall in {1990 + n}, "
            f"according to the council's audit of project number {n * 13}."
            for n in range(1, 31)
        ),
        encoding="utf-8",
    )
    assert main(["extract", str(source), "--json"]) == 0
    claims = json.loads(capsys.readouterr().out)["claims"]
    assert {claim["ticket"] for claim in claims} == {True, False}
    filed = sum(claim["ticket"] for claim in claims)
    assert 0 < filed <= DEFAULT_MAX_CLAIMS
    assert main(["extract", str(source)]) == 0
    heading = CLAIMS_HEADING.format(filed=filed, offered=len(claims) - filed)
    assert heading in capsys.readouterr().out


def test_extract_marks_tickets_under_factcheck_max_claims(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTCHECK_EXTRACTOR", "rules")
    monkeypatch.setenv("FACTCHECK_MAX_CLAIMS", "2")
    source = tmp_path / "long.txt"
    source.write_text(
        "\n\n".join(
            f"{town} spent {n * 7 + 3} million euros on {what} in {1990 + n}, "
            "according to the regional audit office."
            for n, (town, what) in enumerate(
                [
                    ("Riverton", "its harbour wall"),
                    ("Eastport", "a new ferry pier"),
                    ("Millbrook", "flood pumps"),
                    ("Lakeside", "school roofs"),
                    ("Northgate", "a tram depot"),
                ],
                start=1,
            )
        ),
        encoding="utf-8",
    )
    assert main(["extract", str(source), "--json"]) == 0
    claims = json.loads(capsys.readouterr().out)["claims"]
    assert sum(claim["ticket"] for claim in claims) == 2 < len(claims)
