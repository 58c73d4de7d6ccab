"""Attributed statements: assembly of tagged spans, speakers on the sample corpus and the
sample article, and the `said` command."""

import json
import re
from importlib import resources

import pytest

import newsgraph
from newsgraph.stages.nlp import Token
from newsgraph.stages.statements import RoleSpan, assemble

from conftest import SEED, TEST_DATA


def tokens_of(text):
    """Tokens of a one-sentence-per-line text (no parse: enough for assembly)."""
    found = []
    for sentence, line in enumerate(text.split("\n")):
        offset = sum(len(x) + 1 for x in text.split("\n")[:sentence])
        for m in re.finditer(r"\S+", line):
            i = len(found)
            found.append(
                Token(offset + m.start(), offset + m.end(), m.group(), m.group().lower(),
                      m.group().lower(), "X", "X", "dep", i, sentence)
            )  # fmt: skip
    return found


def span(tokens, role, words, nth=0):
    text = [t.text for t in tokens]
    starts = [i for i in range(len(text)) if text[i : i + len(words)] == words]
    return RoleSpan(role, starts[nth], starts[nth] + len(words), 0.9)


def test_content_joins_the_nearest_cue_and_may_run_across_sentences():
    tokens = tokens_of(
        "the strike will go on until friday .\n"
        "nobody will work , vollmer said .\n"
        "the company said it would sue ."
    )
    spans = [
        span(tokens, "content", "the strike will go on until friday . nobody will work".split()),
        span(tokens, "source", ["vollmer"]),
        span(tokens, "cue", ["said"]),
        span(tokens, "source", "the company".split()),
        span(tokens, "cue", ["said"], nth=1),
        span(tokens, "content", "it would sue".split()),
    ]
    first, second = assemble(tokens, spans)
    assert [t.text for t in tokens[first.source.first : first.source.end]] == ["vollmer"]
    assert [tokens[s.first].sentence for s in first.content] == [0]  # the quote ran on
    assert [t.text for t in tokens[second.source.first : second.source.end]] == ["the", "company"]
    assert [tokens[s.first].text for s in second.content] == ["it"]


def test_an_interrupted_quote_keeps_both_halves_but_a_stray_span_is_left_out():
    tokens = tokens_of("prices rose again in march .\nthe offer , vollmer said , is not serious .")
    spans = [
        span(tokens, "content", "prices rose again in march".split()),
        span(tokens, "content", "the offer".split()),
        span(tokens, "source", ["vollmer"]),
        span(tokens, "cue", ["said"]),
        span(tokens, "content", "is not serious".split()),
    ]
    (draft,) = assemble(tokens, spans)
    assert [tokens[s.first].text for s in draft.content] == ["the", "is"]


def test_a_cue_with_no_content_is_no_statement():
    tokens = tokens_of("the union said .")
    assert assemble(tokens, [span(tokens, "cue", ["said"])]) == []


def demo_records():
    text = resources.files("newsgraph.demo").joinpath("corpus.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def words(text):
    return re.findall(r"\w+", text.lower())


@pytest.fixture(scope="module")
def demo_scores():
    notes = json.loads((TEST_DATA / "demo_annotations.json").read_text("utf-8"))
    found = speakers_right = total = 0
    misses = []
    for record in demo_records():
        gold = notes[record["id"]]["statements"]
        analysis = newsgraph.analyze(record["text"], published=record["published"])
        names = {e.id: {n.lower() for n in (e.name, *e.aliases)} for e in analysis.entities}
        for g in gold:
            total += 1
            start = record["text"].index(g["content"])
            g_span = set(range(start, start + len(g["content"])))
            match = None
            for s in analysis.statements:
                parts = s.parts or (s.content,)
                covered = set().union(*(range(p.start, p.end) for p in parts))
                if len(covered & g_span) >= 0.5 * len(g_span):
                    match = s
                    break
            if match is None:
                misses.append((record["id"], "missed", g["content"][:50]))
                continue
            found += 1
            if g["speaker"] is None:
                right = match.source.entity is None  # an anonymous source stays unresolved
            else:
                right = g["speaker"].lower() in names.get(match.source.entity, ())
            if right:
                speakers_right += 1
            else:
                misses.append((record["id"], g["speaker"], match.source.text))
    return {"total": total, "found": found, "speakers": speakers_right, "misses": misses}


@pytest.mark.model
def test_demo_corpus_statements_are_found(demo_scores):
    assert demo_scores["found"] >= 0.85 * demo_scores["total"], demo_scores["misses"]


@pytest.mark.model
def test_demo_corpus_speakers_are_resolved(demo_scores):
    assert demo_scores["speakers"] >= 0.6 * demo_scores["found"], demo_scores["misses"]


@pytest.fixture(scope="module")
def sample():
    if not SEED.is_file():
        pytest.skip("the sample article in ../shared/seed is not here")
    return newsgraph.analyze(SEED.read_text(encoding="utf-8"), published="2017-10-14")


def speakers(analysis):
    names = {e.id: e.name for e in analysis.entities}
    return [names.get(s.source.entity) for s in analysis.statements]


@pytest.mark.model
def test_sample_statements_have_their_speakers(sample):
    said = speakers(sample)
    assert said.count("Talal Silo") >= 1
    assert said.count("Omar Alloush") >= 3
    assert said.count("Ryan Dillon") >= 1
    assert said.count("Syrian Observatory for Human Rights") >= 1
    lowered = [(n or "").lower() for n in said]
    assert sum("coalition" in n for n in lowered) >= 2
    assert sum("tribal leaders" in n for n in lowered) >= 2
    he = [s for s in sample.statements if s.source.text == "he"]
    names = {e.id: e.name for e in sample.entities}
    assert sum(names.get(s.source.entity) == "Omar Alloush" for s in he) >= 2


def ingest_port_story(run, tmp_path):
    """The sample corpus's port strike story (four articles) in a fresh store."""
    records = [r for r in demo_records() if r["id"].startswith("port-")]
    corpus = tmp_path / "port.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    db = tmp_path / "port.db"
    assert run("-q", "ingest", str(corpus), "--db", str(db)).code == 0
    return db, records


@pytest.mark.model
def test_said_lists_statements_by_and_about_an_entity(run, tmp_path):
    db, records = ingest_port_story(run, tmp_path)
    by = run("said", "--db", str(db), "--by", "vollmer", "--json")
    assert by.code == 0
    lines = [json.loads(line) for line in by.out.splitlines()]
    assert lines and all(line["source"]["name"] == "Katrin Vollmer" for line in lines)
    assert {line["article"] for line in lines} <= {r["id"] for r in records}
    assert all(line["sentence_text"] and line["published"] for line in lines)
    about = run("said", "--db", str(db), "--about", "HDWU")
    assert about.code == 0 and "sentence:" in about.out
    nobody = run("said", "--db", str(db), "--by", "nobody at all")
    assert nobody.code == 0 and "no statements" in nobody.err


def test_decoding_keeps_label_sequences_valid():
    import numpy as np

    from newsgraph.stages.statements import viterbi_bio

    labels = ["O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CNT", "I-CNT"]
    probs = np.full((4, 7), 0.01)
    probs[0, 1] = 0.9  # B-SRC
    probs[1, 6], probs[1, 2] = 0.5, 0.4  # I-CNT cannot follow B-SRC: I-SRC wins
    probs[2, 0] = 0.9
    probs[3, 6], probs[3, 5] = 0.9, 0.05  # a content cannot open with I-CNT
    assert [labels[i] for i in viterbi_bio(probs, labels)] == ["B-SRC", "I-SRC", "O", "B-CNT"]


@pytest.mark.model
def test_timeline_lists_dated_items_in_order_with_their_statements(run, tmp_path):
    db, records = ingest_port_story(run, tmp_path)
    result = run("timeline", "--db", str(db), "--entity", "Katrin Vollmer", "--json")
    assert result.code == 0, result.err
    items = [json.loads(line) for line in result.out.splitlines()]
    assert items and [i["value"] for i in items] == sorted(i["value"] for i in items)
    assert any(s["source"]["name"] == "Katrin Vollmer" for i in items for s in i["statements"])
    readable = run("timeline", "--db", str(db))
    assert readable.code == 0 and "2025-" in readable.out
