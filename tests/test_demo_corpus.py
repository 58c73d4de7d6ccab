"""The built-in sample corpus: what `make demo` and the golden tests rely on (no model needed)."""

import json
import re
from collections import defaultdict
from datetime import date
from importlib import resources

from newsgraph.stages.form import detect_form, detect_tokenized

from conftest import TEST_DATA


def corpus():
    text = resources.files("newsgraph.demo").joinpath("corpus.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def story(record):
    return record["id"].rsplit("-", 1)[0]


def test_corpus_is_large_and_varied_enough():
    records = corpus()
    assert len(records) >= 12
    assert len({r["id"] for r in records}) == len(records)
    stories = defaultdict(list)
    for r in records:
        stories[story(r)].append(r)
    assert len(stories) >= 3
    for members in stories.values():
        assert len({m["source"] for m in members}) >= 3
        assert len({m["published"] for m in members}) >= 3
        forms = {detect_form(m["text"]) for m in members}
        assert forms == {"raw", "caseless"}
    for r in records:
        date.fromisoformat(r["published"])


def test_caseless_articles_are_in_research_corpus_form():
    for r in corpus():
        if detect_form(r["text"]) == "caseless":
            assert r["text"] == r["text"].lower()
            assert not re.search("[\"'“”‘’]", r["text"])
            assert detect_tokenized(r["text"])


def test_annotations_point_into_the_corpus():
    texts = {r["id"]: r["text"] for r in corpus()}
    notes = json.loads((TEST_DATA / "demo_annotations.json").read_text("utf-8"))
    for article_id, note in notes.items():
        if article_id == "conflicts":
            continue
        for key, field in (
            ("statements", "content"),
            ("times", "text"),
            ("quantities", "text"),
            ("places", "text"),
        ):
            for item in note.get(key, []):
                assert item[field] in texts[article_id], (article_id, item[field])
    assert len(notes["conflicts"]) >= 3 * 3
