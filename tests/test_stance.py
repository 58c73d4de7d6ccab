"""FNC-1 stance: the official score, reading the CSVs, and (marked) the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.errors import InputError
from newsgraph.evaluate.fnc import (
    LABELS,
    StancePair,
    class_scores,
    confusion_matrix,
    fnc_score,
    format_table,
    read_split,
    read_stances,
    score_predictions,
    write_predictions,
)
from newsgraph.stance import split_sentences

# ---------------------------------------------------------------- scorer


def test_score_weights_related_and_exact_labels():
    gold = ["agree", "unrelated", "discuss", "disagree"]
    predicted = ["agree", "unrelated", "agree", "unrelated"]
    # 1.0 (exact related) + 0.25 (unrelated right) + 0.25 (related, wrong class) + 0 (missed)
    result = fnc_score(gold, predicted)
    assert result["score"] == 1.5
    assert result["max"] == 3.25
    assert result["null"] == 0.25
    assert result["percent"] == 46.15


def test_score_of_a_related_label_for_an_unrelated_pair_is_zero():
    assert fnc_score(["unrelated", "unrelated"], ["discuss", "unrelated"])["score"] == 0.25


def test_perfect_predictions_score_100_percent():
    gold = ["agree", "disagree", "discuss", "unrelated", "unrelated"]
    assert fnc_score(gold, gold)["percent"] == 100.0


def test_score_rejects_lists_of_different_lengths():
    with pytest.raises(ValueError):
        fnc_score(["agree"], [])


def test_confusion_matrix_and_class_scores():
    gold = ["agree", "agree", "disagree", "discuss", "unrelated"]
    predicted = ["agree", "discuss", "discuss", "discuss", "unrelated"]
    matrix = confusion_matrix(gold, predicted)
    assert matrix == [[1, 0, 1, 0], [0, 0, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    scores = class_scores(matrix)
    assert scores["agree"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "gold": 2}
    assert scores["discuss"]["precision"] == 0.3333
    assert scores["disagree"]["f1"] == 0.0
    assert scores["macro"]["f1"] == round((0.6667 + 0 + 0.5 + 1.0) / 4, 4)


def test_format_table_names_every_class():
    gold = ["agree", "unrelated"]
    table = format_table(score_predictions(gold, ["agree", "discuss"]))
    for label in LABELS:
        assert label in table
    assert "% of max" in table


# ---------------------------------------------------------------- reading


def _write_fnc(folder: Path, stance_rows: str) -> None:
    (folder / "splits").mkdir(parents=True)
    (folder / "train_bodies.csv").write_text(
        'Body ID,articleBody\n1,"The town council met on Tuesday.\nIt voted, 5 to 2."\n'
        "2,A new bakery opened downtown.\n",
        encoding="utf-8",
    )
    (folder / "train_stances.csv").write_text(stance_rows, encoding="utf-8")
    (folder / "splits" / "training_ids.txt").write_text("1\n")
    (folder / "splits" / "hold_out_ids.txt").write_text("2\n")


def test_read_split_selects_pairs_by_body(tmp_path):
    _write_fnc(
        tmp_path,
        "Headline,Body ID,Stance\n"
        '"Council votes, narrowly",1,agree\n'
        "Bakery opens,2,discuss\n"
        "Council votes,2,unrelated\n",
    )
    pairs, bodies = read_split(tmp_path, "holdout")
    assert pairs == [
        StancePair("Bakery opens", 2, "discuss"),
        StancePair("Council votes", 2, "unrelated"),
    ]
    train, _ = read_split(tmp_path, "train")
    assert train == [StancePair("Council votes, narrowly", 1, "agree")]
    assert bodies[1] == "The town council met on Tuesday.\nIt voted, 5 to 2."


def test_reconstructed_stances_are_used_when_the_original_is_absent(tmp_path):
    _write_fnc(tmp_path, "Headline,Body ID,Stance\nBakery opens,2,agree\n")
    (tmp_path / "train_stances.csv").rename(tmp_path / "train_stances.reconstructed.csv")
    pairs, _ = read_split(tmp_path, "holdout")
    assert [p.stance for p in pairs] == ["agree"]


def test_missing_folder_and_files_raise_input_error(tmp_path):
    with pytest.raises(InputError, match="not a folder"):
        read_split(tmp_path / "nowhere", "holdout")
    with pytest.raises(InputError, match="competition_test_bodies.csv is missing"):
        read_split(tmp_path, "test")
    with pytest.raises(InputError, match="unknown split"):
        read_split(tmp_path, "dev")


def test_malformed_rows_raise_input_error(tmp_path):
    path = tmp_path / "stances.csv"
    path.write_text("Headline,Body ID,Stance\nSomething,abc,agree\n", encoding="utf-8")
    with pytest.raises(InputError, match="numeric id"):
        read_stances(path)
    path.write_text("Headline,Body ID,Stance\nSomething,3,maybe\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown stance"):
        read_stances(path)


def test_unlabeled_stances_read_without_a_stance(tmp_path):
    path = tmp_path / "unlabeled.csv"
    path.write_text("Headline,Body ID\nA headline,7\n", encoding="utf-8")
    assert read_stances(path) == [StancePair("A headline", 7, None)]


def test_write_predictions_round_trips(tmp_path):
    pairs = [StancePair('Quotes "inside", and commas', 4, None), StancePair("Plain", 5, None)]
    out = tmp_path / "pred.csv"
    write_predictions(out, pairs, ["discuss", "unrelated"])
    assert read_stances(out) == [
        StancePair('Quotes "inside", and commas', 4, "discuss"),
        StancePair("Plain", 5, "unrelated"),
    ]


def test_split_sentences():
    text = 'He said "it works." Then he left!\n\nA new paragraph starts here. Done'
    assert split_sentences(text) == [
        'He said "it works."',
        "Then he left!",
        "A new paragraph starts here.",
        "Done",
    ]


@pytest.mark.gold
def test_official_holdout_split_sizes(gold_data):
    folder = gold_data / "fnc1"
    if not folder.is_dir():
        pytest.skip("FNC-1 is not in ../shared/data")
    pairs, bodies = read_split(folder, "holdout")
    assert len(pairs) == 9622
    assert len({p.body_id for p in pairs}) == 337


# ---------------------------------------------------------------- the shipped model

BODY = (
    "The city of Lindenfeld will close its main bridge for repairs from next Monday, the "
    "transport office said on Thursday. Engineers found cracks in two of the bridge's steel "
    "supports during an inspection last month. Traffic will be sent over the northern ring "
    "road while the work lasts, which officials expect to take about six weeks. Buses will "
    "keep running on shortened routes."
)


@pytest.mark.model
def test_shipped_model_tells_related_from_unrelated():
    from newsgraph.stance import load_stance_model

    model = load_stance_model()
    predicted = model.predict(
        [
            ("Lindenfeld shuts main bridge for six weeks of repairs", BODY),
            ("Chess champion wins tournament in record time after final game", BODY),
        ]
    )
    assert predicted[0] != "unrelated"
    assert predicted[1] == "unrelated"
    probabilities = model.probabilities([("Bridge in Lindenfeld to close for repairs", BODY)])
    assert set(probabilities[0]) == set(LABELS)
    assert abs(sum(probabilities[0].values()) - 1.0) < 1e-6
    assert probabilities[0]["unrelated"] < 0.5


@pytest.mark.model
def test_shipped_model_reports_progress():
    from newsgraph.stance import load_stance_model

    seen: list[int] = []
    load_stance_model().predict([("Bridge repairs", BODY)] * 3, batch_size=1, progress=seen.append)
    assert sum(seen) == 3


@pytest.mark.model
def test_stance_command_writes_fnc_predictions(run, tmp_path):
    import csv

    headlines, bodies, out = tmp_path / "h.csv", tmp_path / "b.csv", tmp_path / "p.csv"
    with headlines.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Headline", "Body ID"])
        writer.writerow(["Harbour crane operators walk out over pay", 7])
        writer.writerow(["Rare orchid found flowering on a motorway verge", 7])
    with bodies.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Body ID", "articleBody"])
        writer.writerow(
            [
                7,
                "Crane operators at the harbour stopped work on Monday in a dispute over pay, "
                "their union said. The port operator said talks would resume on Friday.",
            ]
        )
    result = run(
        "stance", "--headlines", str(headlines), "--bodies", str(bodies), "--out", str(out)
    )
    assert result.code == 0, result.err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["Body ID"] for r in rows] == ["7", "7"]
    assert rows[1]["Stance"] == "unrelated" and rows[0]["Stance"] != "unrelated"
    missing = run(
        "stance",
        "--headlines",
        str(tmp_path / "none.csv"),
        "--bodies",
        str(bodies),
        "--out",
        str(out),
    )
    assert missing.code != 0 and "Traceback" not in missing.err


@pytest.mark.model
@pytest.mark.gold
def test_eval_stance_scores_the_holdout(run, gold_data):
    result = run("eval", "stance", "--data", str(gold_data / "fnc1"), "--limit", "40", "--json")
    assert result.code == 0, result.err
    import json

    scores = json.loads(result.out)
    assert scores["pairs"] == 40 and 0 < scores["fnc"]["percent"] <= 100
