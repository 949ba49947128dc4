"""Scoring the engine on annotated files in the format of the shared eval set (quotes, claims, CT24)."""

from __future__ import annotations

import json
import re
import string
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import BadInput
from bot.extract.claims import DEFAULT_THRESHOLD, score_sentence
from bot.extract.engine import extract
from bot.extract.names import SUFFIXES, TITLE_WORDS
from bot.extract.types import ClaimScorer, Extraction

_TRIM = string.whitespace + string.punctuation + "“”‘’„«»‚‹›—–…"
_SCORED_SPEAKERS = {"mention", "coref", "name-expansion"}
_HONORIFICS = TITLE_WORDS | {"mr", "mrs", "ms", "dr", "the"}


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read a JSONL file; a missing or malformed file is a one-line BadInput."""
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise BadInput(f"{path}:{number}: not JSON ({error.msg})") from None
            if not isinstance(row, dict):
                raise BadInput(f"{path}:{number}: each line must be a JSON object")
            rows.append(row)
    return rows


def detect_format(rows: list[dict[str, Any]]) -> str:
    """'quotes', 'claims' (sentences grouped by doc) or 'ct24' (ungrouped sentences)."""
    if not rows:
        return "empty"
    first = rows[0]
    if "quotes" in first and "text" in first:
        return "quotes"
    if "label" in first and "text" in first:
        return "claims" if first.get("doc") else "ct24"
    raise BadInput("unknown format: expected quote articles or labelled claim sentences")


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without whitespace, punctuation or quote marks at either end."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def name_tokens(name: str | None) -> list[str]:
    """A name as comparable words: no titles, suffixes, middle initials or punctuation."""
    if not name:
        return []
    words = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?", name.lower())
    words = [w.rstrip(".") for w in words]
    while len(words) > 1 and words[0] in _HONORIFICS:
        words = words[1:]
    words = [w for w in words if w not in SUFFIXES]
    if len(words) > 2:
        words = [words[0]] + [w for w in words[1:-1] if len(w) > 1] + [words[-1]]
    return [re.sub(r"['’]s$", "", w) for w in words]


@dataclass
class PRF:
    """Counts for precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    """Right out of total."""

    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class QuoteReport:
    """Quote spans and speakers over a file of annotated articles."""

    articles: int = 0
    chars: int = 0
    seconds: float = 0.0
    exact: PRF = field(default_factory=PRF)
    overlap: PRF = field(default_factory=PRF)
    surname: Accuracy = field(default_factory=Accuracy)
    full_name: Accuracy = field(default_factory=Accuracy)
    pronoun_surname: Accuracy = field(default_factory=Accuracy)
    pronoun_full_name: Accuracy = field(default_factory=Accuracy)
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds if self.seconds else 0.0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_article(
    row: dict[str, Any], result: Extraction, report: QuoteReport, *, keep_misses: bool = False
) -> None:
    """Add one article's exact and overlap matches and speaker accuracy to the report."""
    text = row["text"]
    scored = []
    dont_care = [tuple(span) for span in row.get("ignore_spans", [])]
    for gold in row["quotes"]:
        span = trim_span(text, gold["start"], gold["end"])
        if span[0] >= span[1]:
            continue
        if gold.get("scored", True):
            scored.append((span, gold))
        else:
            dont_care.append(span)
    predictions = []
    for quote in result.quotes:
        span = trim_span(text, quote.start, quote.end)
        if span[0] >= span[1]:
            continue
        hits_gold = any(_overlaps(span, g) for g, _ in scored)
        if not hits_gold and any(_overlaps(span, (a, b)) for a, b in dont_care):
            continue
        predictions.append((span, quote))
    gold_spans = {g for g, _ in scored}
    exact_hits = sum(1 for span, _ in predictions if span in gold_spans)
    report.exact.tp += exact_hits
    report.exact.fp += len(predictions) - exact_hits
    report.exact.fn += len(gold_spans) - exact_hits
    # One-to-one overlap matching, largest overlaps first.
    pairs = []
    for gi, (g, _) in enumerate(scored):
        for pi, (p, _) in enumerate(predictions):
            if _overlaps(g, p):
                pairs.append((min(g[1], p[1]) - max(g[0], p[0]), gi, pi))
    pairs.sort(reverse=True)
    used_gold: set[int] = set()
    used_pred: dict[int, int] = {}
    for _, gi, pi in pairs:
        if gi in used_gold or pi in used_pred.values():
            continue
        used_gold.add(gi)
        used_pred[gi] = pi
    report.overlap.tp += len(used_gold)
    report.overlap.fp += len(predictions) - len(used_gold)
    report.overlap.fn += len(scored) - len(used_gold)
    for gi, pi in used_pred.items():
        gold = scored[gi][1]
        predicted = predictions[pi][1].speaker
        want, got = name_tokens(gold.get("speaker")), name_tokens(predicted)
        surname_ok = bool(want) and bool(got) and want[-1] == got[-1]
        # A gold name of one word ("Mr. Garin" -> garin) has no first name to compare: judge the surname.
        full_ok = bool(want) and (want == got or (len(want) == 1 and surname_ok))
        resolution = gold.get("speaker_resolution")
        if resolution in _SCORED_SPEAKERS:
            report.surname.add(surname_ok)
            report.full_name.add(full_ok)
        elif resolution == "coref-pronoun":
            report.pronoun_surname.add(surname_ok)
            report.pronoun_full_name.add(full_ok)
        if keep_misses and resolution in _SCORED_SPEAKERS | {"coref-pronoun"} and not full_ok:
            report.misses.append(
                {
                    "id": row.get("id"),
                    "quote": gold["quote"][:80],
                    "gold": gold.get("speaker"),
                    "mention": gold.get("speaker_mention"),
                    "got": predicted,
                    "resolution": resolution,
                }
            )
    if keep_misses:
        for span, _quote in predictions:
            if span not in gold_spans:
                report.misses.append(
                    {"id": row.get("id"), "false_span": text[span[0] : span[1]][:100]}
                )
        predicted_spans = {span for span, _ in predictions}
        for g, _gold in scored:
            if g not in predicted_spans:
                report.misses.append({"id": row.get("id"), "missed_span": text[g[0] : g[1]][:100]})


def evaluate_quotes(
    rows: Iterable[dict[str, Any]],
    engine: Callable[[str], Extraction] = extract,
    *,
    keep_misses: bool = False,
) -> QuoteReport:
    """Run the engine on every article and score quotes and speakers."""
    report = QuoteReport()
    for row in rows:
        started = time.perf_counter()
        result = engine(row["text"])
        report.seconds += time.perf_counter() - started
        report.articles += 1
        report.chars += len(row["text"])
        score_article(row, result, report, keep_misses=keep_misses)
    return report


@dataclass
class ClaimReport:
    """Check-worthiness over labelled sentences."""

    sentences: int = 0
    threshold: float = DEFAULT_THRESHOLD
    scorer: str = "rules"
    prf: PRF = field(default_factory=PRF)
    mean_average_precision: float | None = None
    docs: int = 0
    seconds: float = 0.0
    chars: int = 0

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds if self.seconds else 0.0


def average_precision(ranked_labels: list[int]) -> float:
    """Average precision of a ranked list of 0/1 labels."""
    hits = 0
    total = 0.0
    for rank, label in enumerate(ranked_labels, 1):
        if label:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def evaluate_claims(
    rows: Iterable[dict[str, Any]],
    scorer: Callable[[str], float] = score_sentence,
    *,
    threshold: float | None = None,
) -> ClaimReport:
    """F1 of the check-worthy class at the threshold, and MAP over docs when sentences have one."""
    report = ClaimReport(threshold=DEFAULT_THRESHOLD if threshold is None else threshold)
    rows = list(rows)
    scores = []
    for row in rows:
        started = time.perf_counter()
        scores.append(scorer(row["text"]))
        report.seconds += time.perf_counter() - started
    _tally(report, rows, scores)
    return report


def evaluate_claim_scorer(
    rows: Iterable[dict[str, Any]],
    scorer: ClaimScorer,
    *,
    threshold: float | None = None,
    batch: int = 256,
) -> ClaimReport:
    """As `evaluate_claims`, for a batch scorer (the semantic one) at its ticket threshold."""
    report = ClaimReport(
        threshold=scorer.ticket_threshold if threshold is None else threshold, scorer=scorer.name
    )
    rows = list(rows)
    scores: list[float] = []
    started = time.perf_counter()
    for first in range(0, len(rows), batch):
        scores += scorer.score([row["text"] for row in rows[first : first + batch]])
    report.seconds = time.perf_counter() - started
    _tally(report, rows, scores)
    return report


def _tally(report: ClaimReport, rows: list[dict[str, Any]], scores: list[float]) -> None:
    by_doc: dict[str, list[tuple[float, int]]] = {}
    for row, score in zip(rows, scores, strict=True):
        report.chars += len(row["text"])
        report.sentences += 1
        label = int(row["label"])
        predicted = score >= report.threshold
        if predicted and label:
            report.prf.tp += 1
        elif predicted:
            report.prf.fp += 1
        elif label:
            report.prf.fn += 1
        if row.get("doc"):
            by_doc.setdefault(str(row["doc"]), []).append((score, label))
    if by_doc:
        precisions = [
            average_precision([label for _, label in sorted(items, key=lambda x: -x[0])])
            for items in by_doc.values()
        ]
        report.mean_average_precision = sum(precisions) / len(precisions)
        report.docs = len(by_doc)


def iter_side_by_side(name: str, reports: list[ClaimReport]) -> Iterator[str]:
    """Several scorers' figures on one claims file, one line each, for comparing them."""
    yield f"{name}: {reports[0].sentences:,} sentences" if reports else name
    for report in reports:
        prf = report.prf
        line = (
            f"  {report.scorer:<9} threshold {report.threshold:.2f}  P {prf.precision:.3f}"
            f"  R {prf.recall:.3f}  F1 {prf.f1:.3f}  (tp {prf.tp}, fp {prf.fp}, fn {prf.fn})"
        )
        if report.mean_average_precision is not None:
            line += f"  MAP {report.mean_average_precision:.3f} ({report.docs} docs)"
        yield line + f"  {report.chars_per_second:,.0f} chars/s"


def iter_report_lines(name: str, report: QuoteReport | ClaimReport) -> Iterator[str]:
    """The figures of one report as aligned lines for the terminal."""
    if isinstance(report, QuoteReport):
        yield f"{name}: {report.articles} articles, {report.chars:,} chars"
        for label, prf in (("quotes exact", report.exact), ("quotes overlap", report.overlap)):
            yield (
                f"  {label:<26} P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}"
                f"  (tp {prf.tp}, fp {prf.fp}, fn {prf.fn})"
            )
        for label, acc in (
            ("speaker surname", report.surname),
            ("speaker full name", report.full_name),
            ("pronoun speaker surname", report.pronoun_surname),
            ("pronoun speaker full name", report.pronoun_full_name),
        ):
            yield f"  {label:<26} {acc.value:.3f}  ({acc.right}/{acc.total})"
        yield (
            f"  {'speed (quotes + claims)':<26} {report.chars_per_second:,.0f} chars/s"
            f"  ({report.chars_per_second / 1e6:.2f} MB/s)"
        )
    else:
        prf = report.prf
        yield f"{name}: {report.sentences:,} sentences, threshold {report.threshold:.2f}"
        yield (
            f"  {'claims':<26} P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}"
            f"  (tp {prf.tp}, fp {prf.fp}, fn {prf.fn})"
        )
        if report.mean_average_precision is not None:
            yield f"  {'claims MAP':<26} {report.mean_average_precision:.3f}  ({report.docs} docs)"
        yield f"  {'speed (claim scoring)':<26} {report.chars_per_second:,.0f} chars/s"
