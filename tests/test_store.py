"""The SQLite store: idempotent ingest, round-trips, atomic articles, search (no model needed)."""

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph import (
    Analysis,
    Article,
    Entity,
    Mention,
    Sentence,
    Source,
    Span,
    Statement,
    analysis_from_dict,
    analysis_to_dict,
)
from newsgraph.errors import StoreError
from newsgraph.store import RECORD_KINDS, Store


def hand_built(text="Mayor Ana Ruiz said the bridge will reopen. She smiled.", id=None):
    article = Article.from_text(text, id=id, source="Wire", published="2024-03-05")
    name = text.find("Ana Ruiz")
    mentions = (Mention(name, name + 8, "Ana Ruiz", "PERSON"),) if name >= 0 else ()
    cut = text.find(".") + 1 or len(text)
    said = text.find("said")
    statements = ()
    if said >= 0:
        statements = (
            Statement(
                id="s1",
                source=Source("e1", "Ana Ruiz", name, name + 8),
                cue=Span(said, said + 4, "said"),
                content=Span(said + 5, cut - 1, text[said + 5 : cut - 1]),
                kind="indirect",
                sentence=0,
            ),
        )
    return Analysis(
        article=article,
        form="raw",
        tokenized=False,
        sentences=(Sentence(0, cut), Sentence(cut + 1, len(text)))
        if cut < len(text)
        else (Sentence(0, len(text)),),
        entities=(Entity("e1", "Ana Ruiz", "PERSON", (), mentions),) if mentions else (),
        statements=statements,
    )


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.db") as opened:
        yield opened


def test_ingest_is_idempotent(store):
    analysis = hand_built()
    assert store.ingest(analysis) == "added"
    before = store.stats()
    assert store.ingest(analysis) == "unchanged"
    assert store.stats() == before
    assert before["articles"] == 1 and before["statements"] == 1 and before["mentions"] == 1


def test_changed_text_under_the_same_id_replaces_the_article(store):
    store.ingest(hand_built(id="a1"))
    assert store.ingest(hand_built("Mayor Ana Ruiz said no.", id="a1")) == "updated"
    assert store.stats()["articles"] == 1
    assert store.analysis("a1")["article"]["text"] == "Mayor Ana Ruiz said no."
    assert [h["article"] for h in store.search("bridge")] == []


def test_store_round_trips_the_contract(store):
    analysis = hand_built()
    store.ingest(analysis)
    stored = store.analysis(analysis.article.id)
    assert stored == analysis_to_dict(analysis)
    assert analysis_to_dict(analysis_from_dict(stored)) == stored


def test_a_failure_mid_article_stores_nothing_of_it(store, monkeypatch):
    store.ingest(hand_built(id="kept"))
    broken = hand_built(id="broken")

    def fail(*_args):
        raise sqlite3.IntegrityError("simulated crash after the article row")

    monkeypatch.setattr(
        store,
        "_insert",
        lambda record, digest: (
            store.db.execute(
                "INSERT INTO articles (id, form, text, text_hash, analysis, "
                "ingested_at) VALUES ('broken', 'raw', '', '', '{}', '')"
            ),
            fail(),
        ),
    )
    with pytest.raises(sqlite3.IntegrityError):
        store.ingest(broken)
    assert store.article_ids() == ["kept"]
    assert not store.contains("broken")


def test_reopening_keeps_what_was_committed(tmp_path):
    path = tmp_path / "t.db"
    with Store(path) as first:
        first.ingest(hand_built(id="one"))
    with Store(path) as second:
        assert second.contains("one")
        assert second.db.execute("SELECT count(*) FROM migrations").fetchone()[0] == 1
        assert second.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_search_finds_sentences_and_tolerates_odd_syntax(store):
    store.ingest(hand_built())
    hits = store.search("bridge")
    assert hits and hits[0]["text"].startswith("Mayor Ana Ruiz") and hits[0]["sentence"] == 0
    assert store.search('reopen" AND (') is not None


def test_ids_can_be_abbreviated_when_unambiguous(store):
    store.ingest(hand_built(id="story-123"))
    store.ingest(hand_built("Another text.", id="story-456"))
    assert store.resolve_id("story-1") == "story-123"
    with pytest.raises(StoreError, match="ambiguous"):
        store.resolve_id("story")
    with pytest.raises(StoreError, match="no article"):
        store.resolve_id("nothing")


def test_readonly_store_refuses_missing_or_foreign_files(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "absent.db", readonly=True)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a newsgraph database"):
        Store(junk, readonly=True)


def test_stats_lists_every_record_kind(store):
    assert list(store.stats()) == list(RECORD_KINDS)


words = st.sampled_from(["Ana", "Ruiz", "said", "the", "bridge", "é", "“quoted”", "\n", "."])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(words, min_size=1, max_size=30).map(" ".join))
def test_any_analysis_round_trips_through_the_store(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("rt") / "t.db"
    analysis = hand_built(text)
    with Store(path) as store:
        store.ingest(analysis)
        assert store.analysis(analysis.article.id) == analysis_to_dict(analysis)
