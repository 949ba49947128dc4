"""The LLM backend against a local server speaking the chat-completions protocol."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from bot.config import load_settings
from bot.errors import ConfigError
from bot.extract import build_extractor
from bot.extract.engine import RulesExtractor
from bot.extract.llm import LLMExtractor
from bot.extract.worklist import DEFAULT_MAX_CLAIMS

ARTICLE = (
    "The ferry company cut its timetable by a third in January.\n\n"
    '"We had no choice after fuel prices doubled," said Erik Lund, the company\'s chief executive.'
)


class _State:
    def __init__(self) -> None:
        self.answer: Any = None
        self.status = 200
        self.requests: list[dict[str, Any]] = []


@pytest.fixture
def chat_server() -> Iterator[str]:
    state = _State()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append(
                {"path": self.path, "auth": self.headers.get("Authorization"), **body}
            )
            content = state.answer if isinstance(state.answer, str) else json.dumps(state.answer)
            payload = json.dumps(
                {"choices": [{"message": {"role": "assistant", "content": content}}]}
            )
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    chat_server.state = state  # type: ignore[attr-defined]
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def state() -> _State:
    return chat_server.state  # type: ignore[attr-defined,no-any-return]


def make(url: str) -> LLMExtractor:
    settings = load_settings(
        _env_file=None,
        FACTCHECK_EXTRACTOR="llm",
        FACTCHECK_LLM_URL=url,
        FACTCHECK_LLM_MODEL="test-model",
        FACTCHECK_LLM_API_KEY="sk-test",
    )
    extractor = build_extractor(settings)
    assert isinstance(extractor, LLMExtractor)
    return extractor


def test_answers_are_anchored_and_invented_quotes_dropped(chat_server: str) -> None:
    state().answer = {
        "quotes": [
            {
                "text": "We had no choice after fuel prices doubled,",
                "speaker": "Erik Lund",
                "speaker_title": "chief executive",
            },
            {"text": "Fares will never rise again.", "speaker": "Erik Lund", "speaker_title": None},
        ],
        "claims": [
            {"text": "The ferry company cut its timetable by a third in January.", "score": 0.9}
        ],
    }
    result = make(chat_server).extract(ARTICLE)
    assert [q.text for q in result.quotes] == ["We had no choice after fuel prices doubled,"]
    quote = result.quotes[0]
    assert ARTICLE[quote.start : quote.end] == quote.text
    assert result.claims[0].start == 0
    assert result.claims[0].score == 0.9
    sent = state().requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["model"] == "test-model"
    assert sent["auth"] == "Bearer sk-test"
    assert sent["response_format"] == {"type": "json_object"}


@pytest.mark.parametrize("answer", ["not json at all", "```json\n[1, 2]\n```"])
def test_bad_answers_fall_back_to_rules(chat_server: str, answer: str) -> None:
    state().answer = answer
    result = make(chat_server).extract(ARTICLE)
    assert result == RulesExtractor().extract(ARTICLE)
    assert result.quotes[0].speaker == "Erik Lund"


def test_server_error_and_unreachable_fall_back(chat_server: str) -> None:
    state().status = 500
    state().answer = {}
    assert make(chat_server).extract(ARTICLE).quotes[0].speaker == "Erik Lund"
    down = make("http://127.0.0.1:9/v1")
    assert down.extract(ARTICLE).quotes[0].speaker == "Erik Lund"


def test_llm_needs_url_and_model() -> None:
    settings = load_settings(_env_file=None, FACTCHECK_EXTRACTOR="llm")
    with pytest.raises(ConfigError, match="FACTCHECK_LLM_URL"):
        build_extractor(settings)


def test_the_models_claims_get_the_same_budget(chat_server: str) -> None:
    sentences = [
        f"Ferry route {n} carried {n * 1000 + 17} passengers in {2000 + n}, "
        f"{n + 2} percent more than the harbour board of district {n * 3} forecast."
        for n in range(1, 31)
    ]
    state().answer = {
        "quotes": [],
        "claims": [{"text": text, "score": n / 40} for n, text in enumerate(sentences, 1)],
    }
    result = make(chat_server).extract("\n\n".join(sentences))
    tickets = [claim for claim in result.claims if claim.ticket]
    assert 0 < len(tickets) <= DEFAULT_MAX_CLAIMS < len(result.claims)
    assert min(c.score for c in tickets) > max(c.score for c in result.claims if not c.ticket)
