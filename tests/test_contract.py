"""The JSON contract on real analyses: schema, offsets, both forms, determinism (uses the model)."""

import json
from importlib import resources

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsgraph
from newsgraph import analysis_to_dict

pytestmark = pytest.mark.model

SCHEMA = json.loads(
    resources.files("newsgraph.schema").joinpath("analysis.schema.json").read_text()
)
CASED = (
    "Port Workers Union spokeswoman Maria Kessler said on Tuesday that the strike in "
    "Rotterdam would continue. \u201cWe are not going back,\u201d she told reporters.\n\n"
    "The Dutch government said 400 containers were stuck at the port."
)


def all_spans(record):
    """Every (start, end, text) the contract holds, for the slicing check."""
    for entity in record["entities"]:
        for item in entity["mentions"] + entity["references"]:
            yield item["start"], item["end"], item["text"]
    for kind in ("times", "quantities"):
        for item in record[kind]:
            yield item["start"], item["end"], item["text"]
    for s in record["statements"]:
        for part in (s["cue"], s["content"], *s["content"].get("parts", [])):
            yield part["start"], part["end"], part["text"]
        if s["source"]["text"] is not None:
            yield s["source"]["start"], s["source"]["end"], s["source"]["text"]


def check_contract(record):
    jsonschema.validate(record, SCHEMA)
    text = record["article"]["text"]
    for start, end, span_text in all_spans(record):
        assert 0 <= start < end <= len(text)
        assert text[start:end] == span_text
    for sentence in record["sentences"]:
        assert 0 <= sentence["start"] < sentence["end"] <= len(text)
    ids = [e["id"] for e in record["entities"]]
    assert len(ids) == len(set(ids))


def test_raw_text_follows_the_contract():
    record = analysis_to_dict(newsgraph.analyze(CASED, published="2024-03-05", source="Wire"))
    check_contract(record)
    assert record["article"]["form"] == "raw"
    assert record["article"]["published"] == "2024-03-05"
    assert len(record["sentences"]) == 3
    names = {(e["name"], e["type"]) for e in record["entities"]}
    assert ("Maria Kessler", "PERSON") in names and ("Rotterdam", "LOC") in names


def test_sample_article_follows_the_contract_in_caseless_form(seed_text):
    record = analysis_to_dict(newsgraph.analyze(seed_text, published="2017-10-14"))
    check_contract(record)
    assert record["article"]["form"] == "caseless"
    assert record["article"]["tokenized"] is True
    assert record["article"]["text"] == seed_text
    assert len(record["sentences"]) == len(seed_text.strip().splitlines())
    for key in ("places", "times", "quantities", "statements", "events", "conflicts"):
        assert isinstance(record[key], list)


def test_caseless_form_of_a_text_finds_names_with_display_case():
    lowered = "officials in germany said on monday that john smith had left berlin ."
    record = analysis_to_dict(newsgraph.analyze(lowered))
    check_contract(record)
    names = {e["name"] for e in record["entities"]}
    assert {"Germany", "Berlin"} <= names
    for entity in record["entities"]:
        assert entity["name"][0].isupper()


def test_analyzing_twice_gives_the_same_output():
    first = analysis_to_dict(newsgraph.analyze(CASED))
    second = analysis_to_dict(newsgraph.analyze(CASED))
    assert first == second


def test_article_id_is_given_or_stable():
    assert newsgraph.analyze("Text.", id="given-1").article.id == "given-1"
    assert newsgraph.analyze("Text.").article.id == newsgraph.analyze("Text.").article.id


WORDS = [
    "Berlin",
    "berlin",
    "Angela",
    "Merkel",
    "said",
    "the",
    "U.S.",
    "army",
    "’s",
    "s",
    ",",
    ".",
    "(",
    ")",
    "“",
    "”",
    "\n",
    "\n\n",
    "on",
    "Monday",
    "café",
    "İstanbul",
    "\t",
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40), st.booleans())
def test_every_span_slices_the_input_in_both_forms(words, lower):
    text = " ".join(words)
    if lower:
        text = text.lower()
    check_contract(analysis_to_dict(newsgraph.analyze(text)))
