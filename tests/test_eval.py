"""Evaluation plumbing: the CoNLL reader, scoring, and `eval ner` on the real dev set."""

import pytest

from newsgraph.evaluate.conll import document_from, read_conll
from newsgraph.evaluate.scoring import Tally


def test_iob1_spans_with_adjacent_entities_and_offsets():
    sentences = [
        [("EU", "I-ORG"), ("rejects", "O"), ("German", "I-MISC"), ("call", "O")],
        [("Peter", "I-PER"), ("Blackburn", "I-PER"), ("Smith", "B-PER"), ("left", "O")],
    ]
    doc = document_from("d", sentences)
    assert doc.text == "EU rejects German call\nPeter Blackburn Smith left"
    found = {(doc.text[s:e], kind) for s, e, kind in doc.spans}
    assert found == {
        ("EU", "ORG"),
        ("German", "MISC"),
        ("Peter Blackburn", "PERSON"),
        ("Smith", "PERSON"),
    }


def test_reader_splits_documents(tmp_path):
    path = tmp_path / "mini.conll"
    path.write_text(
        "-DOCSTART- -X- O O\n\nParis NNP I-NP I-LOC\nwins VBZ I-VP O\n\n"
        "-DOCSTART- -X- O O\n\nBonn NNP I-NP I-LOC\n"
    )
    docs = list(read_conll(path))
    assert [d.text for d in docs] == ["Paris wins", "Bonn"]
    assert [len(d.spans) for d in docs] == [1, 1]


def test_tally():
    tally = Tally()
    tally.add({1, 2, 3, 4}, {3, 4, 5})
    assert (tally.precision, tally.recall) == (2 / 3, 0.5)
    assert round(tally.f1, 4) == round(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5), 4)
    assert Tally().f1 == 0.0


@pytest.mark.model
@pytest.mark.gold
def test_eval_ner_on_dev_prints_both_forms(run, gold_data):
    result = run("eval", "ner", "--data", str(gold_data / "conll2003"), "--limit", "15")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("NER, exact span and type: conll2003 dev (eng.testa), pipeline")
    overall = {line.split()[0]: float(line.split()[4]) for line in lines if " overall " in line}
    assert set(overall) == {"cased", "lowercased"}
    # The foundation pipeline must stay well above chance on both forms.
    assert overall["cased"] > 0.4 and overall["lowercased"] > 0.35


@pytest.mark.model
@pytest.mark.gold
def test_eval_ner_reads_wnut17_as_a_robustness_check(run, gold_data):
    result = run("eval", "ner", "--data", str(gold_data / "wnut17"), "--limit", "4", "--json")
    assert result.code == 0, result.err
    import json

    scores = json.loads(result.out)
    assert scores["dataset"].startswith("wnut17 dev") and scores["documents"] == 4
    assert scores["forms"]["lowercased"]["untyped"]["gold"] > 20


def test_wnut_types_fold_onto_four():
    from newsgraph.evaluate.conll import WNUT_TYPES

    doc = document_from(
        "w", [[("Apple", "B-corporation"), ("in", "O"), ("Paris", "B-location")]], WNUT_TYPES
    )
    assert {(doc.text[s:e], t) for s, e, t in doc.spans} == {("Apple", "ORG"), ("Paris", "LOC")}


def test_eval_ner_without_data_is_one_clear_line(run, tmp_path):
    result = run("eval", "ner", "--data", str(tmp_path))
    assert result.code == 1 and "no CoNLL-2003" in result.err


@pytest.mark.model
@pytest.mark.gold
def test_eval_attribution_scores_both_forms(run, gold_data):
    import json

    result = run(
        "eval", "attribution", "--data", str(gold_data / "polnear"), "--limit", "3", "--json"
    )
    assert result.code == 0, result.err
    scores = json.loads(result.out)
    assert set(scores["forms"]) == {"raw", "research"}
    for form in scores["forms"].values():
        assert form["statements"]["paired"] > 0
        assert form["source"]["f1"] > 0.3 and form["cue"]["f1"] > 0.3


@pytest.mark.model
@pytest.mark.gold
def test_eval_time_scores_tempeval(run, gold_data):
    result = run("eval", "time", "--data", str(gold_data / "time"), "--limit", "3")
    assert result.code == 0, result.err
    assert result.out.startswith("Time expressions: TempEval-3 platinum (3 documents)")
    strict = next(line for line in result.out.splitlines() if line.startswith("strict"))
    assert float(strict.split()[3]) > 0.5


def test_eval_time_and_attribution_without_data_are_one_clear_line(run, tmp_path):
    assert "no TimeML" in run("eval", "time", "--data", str(tmp_path)).err
    assert "no PolNeAR dev split" in run("eval", "attribution", "--data", str(tmp_path)).err
