"""FNC-1 stance evaluation: read the headline/body CSVs, score with the official weighted rule.

The folder holds ``train_bodies.csv`` and ``train_stances.csv`` (or
``train_stances.reconstructed.csv``), the official body-disjoint split in
``splits/training_ids.txt`` / ``splits/hold_out_ids.txt``, and optionally the competition test
files ``competition_test_bodies.csv`` / ``competition_test_stances.csv``.

Splits: ``holdout`` = train pairs whose body is in ``hold_out_ids.txt`` (the usual dev set),
``train`` = those in ``training_ids.txt``, ``test`` = the competition test pairs.

The score (re-implemented from the FNC-1 description): +0.25 when gold and prediction agree on
related vs unrelated, +0.75 more when a related gold label is predicted exactly. It is reported
raw and as a percentage of the maximum (every pair right).
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = [
    "LABELS",
    "StancePair",
    "class_scores",
    "confusion_matrix",
    "evaluate_stance",
    "fnc_score",
    "format_table",
    "predict_stances",
    "read_bodies",
    "read_split",
    "read_stances",
    "score_predictions",
    "write_predictions",
]

LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
RELATED = frozenset(LABELS[:3])
SPLITS = ("holdout", "train", "test")


@dataclass(frozen=True)
class StancePair:
    """One row of a stances file; ``stance`` is None in an unlabeled file."""

    headline: str
    body_id: int
    stance: str | None


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise InputError(f"{path} is missing")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader)


def read_bodies(path: Path) -> dict[int, str]:
    """``Body ID -> articleBody`` from an FNC bodies CSV."""
    bodies: dict[int, str] = {}
    for n, row in enumerate(_rows(path), 2):
        try:
            bodies[int(row["Body ID"])] = row["articleBody"]
        except (KeyError, TypeError, ValueError):
            raise InputError(
                f"{path}:{n}: expected columns 'Body ID,articleBody' with a numeric id"
            ) from None
    return bodies


def read_stances(path: Path) -> list[StancePair]:
    """The rows of an FNC stances CSV (``Headline,Body ID[,Stance]``), in file order."""
    pairs = []
    for n, row in enumerate(_rows(path), 2):
        try:
            headline, body_id = row["Headline"], int(row["Body ID"])
        except (KeyError, TypeError, ValueError):
            raise InputError(
                f"{path}:{n}: expected columns 'Headline,Body ID[,Stance]' with a numeric id"
            ) from None
        stance = (row.get("Stance") or "").strip() or None
        if stance is not None and stance not in LABELS:
            raise InputError(f"{path}:{n}: unknown stance {stance!r} (expected {LABELS})")
        pairs.append(StancePair(headline, body_id, stance))
    return pairs


def _ids(path: Path) -> set[int]:
    if not path.is_file():
        raise InputError(f"{path} is missing (the official FNC-1 split)")
    try:
        return {int(line) for line in path.read_text().split()}
    except ValueError:
        raise InputError(f"{path}: expected one numeric body id per line") from None


def read_split(data: Path, split: str) -> tuple[list[StancePair], dict[int, str]]:
    """Labelled pairs and bodies of one split (`SPLITS`) of an FNC-1 folder."""
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
    if not data.is_dir():
        raise InputError(f"{data} is not a folder (expected the FNC-1 data)")
    if split == "test":
        bodies = read_bodies(data / "competition_test_bodies.csv")
        pairs = read_stances(data / "competition_test_stances.csv")
    else:
        stances = data / "train_stances.csv"
        if not stances.is_file():
            stances = data / "train_stances.reconstructed.csv"
        if not stances.is_file():
            raise InputError(f"{data} has neither train_stances.csv nor its reconstruction")
        bodies = read_bodies(data / "train_bodies.csv")
        name = "hold_out_ids.txt" if split == "holdout" else "training_ids.txt"
        keep = _ids(data / "splits" / name)
        pairs = [p for p in read_stances(stances) if p.body_id in keep]
    missing = sorted({p.body_id for p in pairs if p.body_id not in bodies})
    if missing:
        raise InputError(f"{data}: {len(missing)} body ids have no body (first: {missing[0]})")
    if any(p.stance is None for p in pairs):
        raise InputError(f"{data}: the {split} stances have rows without a Stance")
    return pairs, bodies


# ---------------------------------------------------------------- scoring


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Official FNC-1 score: raw, maximum, null (all ``unrelated``) and percent of maximum."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")

    def points(g: str, p: str) -> float:
        if (g in RELATED) != (p in RELATED):
            return 0.0
        return 1.0 if g in RELATED and g == p else 0.25

    score = sum(points(g, p) for g, p in zip(gold, predicted, strict=True))
    best = sum(points(g, g) for g in gold)
    null = sum(points(g, "unrelated") for g in gold)
    return {
        "score": score,
        "max": best,
        "null": null,
        "percent": round(100 * score / best, 2) if best else 0.0,
    }


def confusion_matrix(gold: Iterable[str], predicted: Iterable[str]) -> list[list[int]]:
    """Counts ``[gold][predicted]`` in `LABELS` order."""
    index = {label: i for i, label in enumerate(LABELS)}
    matrix = [[0] * len(LABELS) for _ in LABELS]
    for g, p in zip(gold, predicted, strict=True):
        matrix[index[g]][index[p]] += 1
    return matrix


def class_scores(matrix: list[list[int]]) -> dict[str, dict[str, float]]:
    """Per-class precision, recall, F1 and gold count, plus the macro-F1 over the four."""
    out: dict[str, dict[str, float]] = {}
    for i, label in enumerate(LABELS):
        correct = matrix[i][i]
        gold = sum(matrix[i])
        predicted = sum(row[i] for row in matrix)
        p = correct / predicted if predicted else 0.0
        r = correct / gold if gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out[label] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
                      "gold": gold}  # fmt: skip
    out["macro"] = {"f1": round(sum(out[k]["f1"] for k in LABELS) / len(LABELS), 4)}
    return out


def score_predictions(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """FNC score, per-class scores, confusion matrix and accuracy of one set of predictions."""
    matrix = confusion_matrix(gold, predicted)
    correct = sum(matrix[i][i] for i in range(len(LABELS)))
    return {
        "fnc": fnc_score(gold, predicted),
        "classes": class_scores(matrix),
        "confusion": matrix,
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "pairs": len(gold),
    }


# ---------------------------------------------------------------- running the model


def predict_stances(
    pairs: Sequence[StancePair], bodies: dict[int, str], progress: bool = False
) -> list[str]:
    """The shipped model's label for each pair, in order (the CLI's ``newsgraph stance``).

    Raises `InputError` when a pair names a body that is not in `bodies`. ``progress`` prints a
    counter on stderr.
    """
    from ..stance import load_stance_model

    missing = sorted({p.body_id for p in pairs if p.body_id not in bodies})
    if missing:
        raise InputError(f"{len(missing)} Body IDs have no body (first: {missing[0]})")
    done = 0

    def hook(count: int) -> None:
        nonlocal done
        done += count
        print(f"\rstance {done}/{len(pairs)}", end="", file=sys.stderr, flush=True)

    predicted = load_stance_model().predict(
        [(p.headline, bodies[p.body_id]) for p in pairs], progress=hook if progress else None
    )
    if progress:
        print(file=sys.stderr)
    return predicted


def evaluate_stance(
    data: Path, split: str = "holdout", limit: int | None = None, progress: bool = False
) -> dict[str, Any]:
    """Run the shipped stance model on one split of an FNC-1 folder and score it.

    ``limit`` keeps the first N pairs (a quick look; the score is then not comparable).
    ``progress`` prints a counter on stderr. Returns `score_predictions`' dict plus ``split``,
    ``seconds`` and ``pairs_per_second``.
    """
    pairs, bodies = read_split(data, split)
    pairs = pairs[:limit] if limit is not None else pairs
    started = time.perf_counter()
    predicted = predict_stances(pairs, bodies, progress)
    seconds = time.perf_counter() - started
    results = score_predictions([p.stance or "" for p in pairs], predicted)
    results.update(
        split=split,
        seconds=round(seconds, 1),
        pairs_per_second=round(len(pairs) / seconds, 1) if seconds else 0.0,
    )
    return results


def format_table(results: dict[str, Any]) -> str:
    """A plain-text report: FNC score, per-class P/R/F1 and the confusion matrix."""
    fnc = results["fnc"]
    lines = [
        f"FNC-1 {results.get('split', '')}: {results['pairs']} pairs",
        f"score {fnc['score']:.2f} / {fnc['max']:.2f} = {fnc['percent']:.2f}% of max "
        f"(all-unrelated {100 * fnc['null'] / fnc['max'] if fnc['max'] else 0:.2f}%), "
        f"accuracy {100 * results['accuracy']:.2f}%",
        "",
        f"{'class':<10} {'P':>7} {'R':>7} {'F1':>7} {'gold':>7}",
    ]
    for label in LABELS:
        row = results["classes"][label]
        lines.append(
            f"{label:<10} {100 * row['precision']:>7.2f} {100 * row['recall']:>7.2f} "
            f"{100 * row['f1']:>7.2f} {row['gold']:>7}"
        )
    lines.append(
        f"{'macro F1':<10} {'':>7} {'':>7} {100 * results['classes']['macro']['f1']:>7.2f}"
    )
    lines += ["", "gold \\ predicted " + " ".join(f"{label:>9}" for label in LABELS)]
    for label, row in zip(LABELS, results["confusion"], strict=True):
        lines.append(f"{label:<16} " + " ".join(f"{n:>9}" for n in row))
    if "pairs_per_second" in results:
        lines += ["", f"{results['seconds']} s, {results['pairs_per_second']} pairs/s"]
    return "\n".join(lines)


def write_predictions(path: Path, pairs: Sequence[StancePair], predicted: Sequence[str]) -> None:
    """An FNC-format CSV (``Headline,Body ID,Stance``), rows in the order of `pairs`."""
    if len(pairs) != len(predicted):
        raise ValueError(f"{len(pairs)} pairs but {len(predicted)} predictions")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Headline", "Body ID", "Stance"])
        for pair, stance in zip(pairs, predicted, strict=True):
            writer.writerow([pair.headline, pair.body_id, stance])
