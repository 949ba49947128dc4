"""Earlier checks as the desk finds them: full-text candidates on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete
from sqlmodel import Session, col

from bot.match.index import PUBLIC_TEAM, index_entries
from bot.match.loading import load_encoder
from bot.match.matcher import Matcher, TextEncoder, is_confident
from storage.db import session_scope
from storage.models import MatchEntry
from tests.factories import T0


def make_entry(session: Session, text: str, *, team: str = "T1", kind: str = "claim") -> int:
    entry = MatchEntry(team=team, kind=kind, text=text, created_at=T0)
    index_entries(session, [entry])
    assert entry.id is not None
    return entry.id


def test_a_repeated_claim_is_found_first(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_entry(session, "The council approved a $48 million road repair budget on Tuesday.")
        wanted = make_entry(
            session, "Unemployment fell to 3.9 percent in April, the lowest since 2000."
        )
        weaker = make_entry(session, "Unemployment rose in the county last winter.")
    with session_scope(engine) as session:
        [matches] = Matcher().find(
            session, team="T1", texts=["Unemployment fell to 3.9% in April: lowest since 2000"]
        )
    assert [match.entry.id for match in matches] == [wanted, weaker]
    assert is_confident(matches[0])
    assert not is_confident(matches[1])


def test_another_workspace_is_never_matched_but_published_checks_are(engine: Engine) -> None:
    claim = "Crime in the city doubled over the last five years."
    with session_scope(engine) as session:
        make_entry(session, claim, team="T_OTHER")
        public = make_entry(session, claim, team=PUBLIC_TEAM, kind="published")
    with session_scope(engine) as session:
        [matches] = Matcher().find(session, team="T1", texts=[claim])
    assert [match.entry.id for match in matches] == [public]


def test_query_syntax_in_a_claim_is_just_words(engine: Engine) -> None:
    with session_scope(engine) as session:
        wanted = make_entry(session, "Taxes rose NEAR the border AND fell elsewhere.")
    hostile = 'taxes" OR NEAR(rose) AND -fell * ^border: & | ! ( )'
    with session_scope(engine) as session:
        [matches] = Matcher().find(session, team="T1", texts=[hostile])
        [nothing] = Matcher().find(session, team="T1", texts=["the and of !!! ???"])
    assert [match.entry.id for match in matches] == [wanted]
    assert nothing == []


def test_a_new_entry_is_searchable_in_the_same_transaction(engine: Engine) -> None:
    with session_scope(engine) as session:
        wanted = make_entry(session, "The treaty bans ballistic missile tests.")
        [matches] = Matcher().find(session, team="T1", texts=["ballistic missile tests banned"])
    assert [match.entry.id for match in matches] == [wanted]


@pytest.fixture(scope="module")
def encoder() -> TextEncoder:
    loaded = load_encoder()
    if loaded is None:
        pytest.skip("the semantic extra (and its model wheel) is not installed")
    return loaded


def test_a_paraphrase_with_no_shared_word_is_found_by_meaning(
    engine: Engine, encoder: TextEncoder
) -> None:
    matcher = Matcher(encoder)
    texts = [
        "The senator voted against the bill that funds new schools.",
        "A new study shows that coffee lowers the risk of heart disease.",
        "The company laid off two thousand workers last spring.",
    ]
    with session_scope(engine) as session:
        entries = [MatchEntry(team="T1", kind="claim", text=t, created_at=T0) for t in texts]
        for entry, vector in zip(entries, matcher.embed(texts), strict=True):
            entry.embedding = vector
        index_entries(session, entries)
    with session_scope(engine) as session:
        [matches] = matcher.find(
            session, team="T1", texts=["Drinking espresso is good for your cardiac health"]
        )
    assert matches[0].entry.text == texts[1]


def test_an_entry_deleted_after_the_index_saw_it_is_skipped(
    engine: Engine, encoder: TextEncoder
) -> None:
    matcher = Matcher(encoder)
    texts = ["The bridge cost $310 million.", "The bridge opened in May."]
    with session_scope(engine) as session:
        entries = [MatchEntry(team="T1", kind="claim", text=t, created_at=T0) for t in texts]
        for entry, vector in zip(entries, matcher.embed(texts), strict=True):
            entry.embedding = vector
        index_entries(session, entries)
        gone = entries[0].id
    with session_scope(engine) as session:
        matcher.find(session, team="T1", texts=["How much did the bridge cost?"])
        session.execute(delete(MatchEntry).where(col(MatchEntry.id) == gone))
    with session_scope(engine) as session:
        [matches] = matcher.find(session, team="T1", texts=["How much did the bridge cost?"])
    assert [match.entry.text for match in matches] == [texts[1]]
