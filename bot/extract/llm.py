"""The optional LLM backend: an OpenAI-compatible chat-completions endpoint, anchored to the text, falling back to the rules."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx

from bot.errors import ConfigError
from bot.extract.layout import paragraphs, sentences
from bot.extract.markup import Plain, to_plain
from bot.extract.types import Claim, Extraction, Extractor, Quote
from bot.extract.worklist import DEFAULT_MAX_CLAIMS, rank_and_budget

if TYPE_CHECKING:
    from bot.config import Settings

logger = logging.getLogger(__name__)

NEEDS_URL = (
    "FACTCHECK_EXTRACTOR=llm needs FACTCHECK_LLM_URL and FACTCHECK_LLM_MODEL "
    "(an OpenAI-compatible endpoint and a model name)"
)
SYSTEM_PROMPT = """You help a newsroom fact-check desk. From the article the user sends, list:
- every direct quotation (the words between quotation marks, copied exactly, without the marks),
  with the speaker's full name as the article gives it and their title, or null;
- every check-worthy factual claim outside quotations (figures, dates, records, comparisons,
  events, what a law, deal or body does, attributed facts), each copied exactly as one sentence
  of the article, with a score from 0 to 1. No opinions, analysis, questions or headlines.
Answer with JSON only: {"quotes": [{"text": str, "speaker": str|null, "speaker_title": str|null}],
"claims": [{"text": str, "score": float}]}"""
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


class LLMError(Exception):
    """The endpoint failed or answered something that is not the JSON we asked for."""


class LLMExtractor:
    """Asks the model, keeps only what can be found verbatim in the text, else uses the fallback."""

    def __init__(
        self,
        *,
        url: str,
        model: str,
        api_key: str | None,
        fallback: Extractor,
        max_claims: int = DEFAULT_MAX_CLAIMS,
        timeout: float = 20.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.url = url.rstrip("/") + "/chat/completions"
        self.model = model
        self.api_key = api_key
        self.fallback = fallback
        self.max_claims = max_claims
        self.timeout = timeout
        self.client = client

    @classmethod
    def from_settings(cls, settings: Settings, *, fallback: Extractor) -> LLMExtractor:
        if not settings.llm_url or not settings.llm_model:
            raise ConfigError(NEEDS_URL)
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        return cls(
            url=settings.llm_url,
            model=settings.llm_model,
            api_key=key,
            fallback=fallback,
            max_claims=settings.max_claims,
        )

    def extract(self, text: str) -> Extraction:
        try:
            answer = self._ask(text)
            return anchor(text, answer, max_claims=self.max_claims)
        except (httpx.HTTPError, LLMError) as error:
            logger.warning("LLM extractor failed (%s); using the rules engine", error)
            return self.fallback.extract(text)

    def _ask(self, text: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {
            "model": self.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": text},
            ],
        }
        if self.client is not None:
            response = self.client.post(self.url, json=body, headers=headers, timeout=self.timeout)
        else:
            with httpx.Client(timeout=self.timeout) as client:
                response = client.post(self.url, json=body, headers=headers)
        if response.status_code != 200:
            raise LLMError(f"the endpoint answered {response.status_code}")
        try:
            content = response.json()["choices"][0]["message"]["content"]
            parsed = json.loads(_FENCE.sub("", content.strip()))
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise LLMError(f"the answer is not the JSON asked for ({error})") from None
        if not isinstance(parsed, dict):
            raise LLMError("the answer is not a JSON object")
        return parsed


def _find(text: str, plain_text: str, wanted: str, after: int) -> tuple[int, int] | None:
    wanted = wanted.strip().strip("\"“”‘’'").strip()
    if not wanted:
        return None
    for haystack in (text, plain_text):
        at = haystack.find(wanted, after if haystack is text else 0)
        if at < 0:
            at = haystack.find(wanted)
        if at >= 0:
            return (at, at + len(wanted)) if haystack is text else (-1 - at, len(wanted))
    return None


def anchor(
    text: str, answer: dict[str, Any], *, max_claims: int = DEFAULT_MAX_CLAIMS
) -> Extraction:
    """Turn the model's lists into spans of `text`; anything not found verbatim is dropped.

    The claims go through the rules engine's worklist: ranked by the model's score, repeats
    dropped, only the article's budget filed as tickets.
    """
    plain = to_plain(text)
    quotes: list[Quote] = []
    claims: list[Claim] = []
    for item, start, end in _anchored(text, plain, answer.get("quotes")):
        speaker = item.get("speaker") if isinstance(item.get("speaker"), str) else None
        title = item.get("speaker_title") if isinstance(item.get("speaker_title"), str) else None
        quotes.append(Quote(item["text"].strip(), start, end, speaker, title, 0.8))
    for item, start, end in _anchored(text, plain, answer.get("claims")):
        raw = item.get("score", 0.5)
        score = min(1.0, max(0.0, float(raw))) if isinstance(raw, int | float) else 0.5
        claims.append(Claim(item["text"].strip(), start, end, score))
    quotes.sort(key=lambda q: q.start)
    claims.sort(key=lambda c: c.start)
    sentence_count = sum(
        1
        for para in paragraphs(plain.text)
        if not para.skip
        for _ in sentences(plain.text, para.start, para.end)
    )
    budgeted = rank_and_budget(
        claims,
        quotes=quotes,
        chars=len(plain.text),
        sentences=sentence_count,
        max_claims=max_claims,
    )
    return Extraction(claims=budgeted, quotes=quotes)


def _anchored(text: str, plain: Plain, items: Any) -> Iterator[tuple[dict[str, Any], int, int]]:
    """The items of one list that carry a ``text`` found in `text`, with its span; each is
    looked for after the previous one first, as the model lists them in order."""
    cursor = 0
    for item in items or []:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        span = _locate(text, plain.text, item["text"], cursor, plain.span)
        if span is None:
            continue
        start, cursor = span
        yield item, start, cursor


def _locate(
    text: str, plain_text: str, wanted: str, after: int, mapper: Any
) -> tuple[int, int] | None:
    found = _find(text, plain_text, wanted, after)
    if found is None:
        return None
    if found[0] >= 0:
        return found
    start = -1 - found[0]
    result: tuple[int, int] = mapper(start, start + found[1])
    return result
