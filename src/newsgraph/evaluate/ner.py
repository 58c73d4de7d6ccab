"""`newsgraph eval ner`: exact-span entity scores, cased and lowercased, from the contract.

Each gold document is fed to a pipeline as an article (tokens joined by spaces, one sentence
per line), once as written and once lowercased, and scored from the contract's entity
mentions, each typed by its entity. CoNLL-2003 is the measure; WNUT-17 (social-media text,
six types folded onto four) is a robustness check.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..analyze import default_pipeline, pipeline_name
from ..article import ENTITY_TYPES, Article
from ..contract import analysis_to_dict
from ..errors import InputError
from .conll import TYPE_NAMES, WNUT_TYPES, GoldDocument, read_conll
from .scoring import Tally

DATASETS = {
    "conll2003": {"dev": "eng.testa", "train": "eng.train", "test": "eng.testb"},
    "wnut17": {
        "dev": "emerging.dev.conll",
        "train": "wnut17train.conll",
        "test": "emerging.test.annotated",
    },
}
FORMS: dict[str, Callable[[str], str]] = {"cased": lambda t: t, "lowercased": str.lower}


@dataclass
class FormScores:
    form: str
    by_type: dict[str, Tally] = field(default_factory=lambda: {t: Tally() for t in ENTITY_TYPES})
    overall: Tally = field(default_factory=Tally)
    untyped: Tally = field(default_factory=Tally)


def predicted_spans(text: str, pipeline: str) -> set[tuple[int, int, str]]:
    run = default_pipeline(pipeline, until="entities")  # mentions are all that is scored
    record = analysis_to_dict(run(Article.from_text(text)))
    return {
        (m["start"], m["end"], entity["type"])
        for entity in record["entities"]
        for m in entity["mentions"]
    }


def score_form(
    documents: Iterable[GoldDocument], form: str, *, pipeline: str, progress: bool
) -> FormScores:
    scores = FormScores(form)
    convert = FORMS[form]
    documents = list(documents)
    for doc in tqdm(
        documents,
        desc=f"ner {form}",
        unit="doc",
        disable=not progress,
        file=sys.stderr,
        leave=False,
    ):
        predicted = predicted_spans(convert(doc.text), pipeline)
        scores.overall.add(doc.spans, predicted)
        scores.untyped.add({s[:2] for s in doc.spans}, {s[:2] for s in predicted})
        for kind in ENTITY_TYPES:
            scores.by_type[kind].add(
                {s for s in doc.spans if s[2] == kind}, {s for s in predicted if s[2] == kind}
            )
    return scores


def dataset_of(data: Path) -> str:
    """Which gold set a folder (or file) holds."""
    for name, files in DATASETS.items():
        if data.is_file() and data.name in files.values():
            return name
        if data.is_dir() and any((data / f).is_file() for f in files.values()):
            return name
    raise InputError(
        f"{data}: no CoNLL-2003 (eng.testa) or WNUT-17 (emerging.dev.conll) files here; pass "
        "--data ../shared/data/conll2003 or ../shared/data/wnut17"
    )


def gold_file(data: Path, dataset: str, split: str) -> Path:
    path = data / DATASETS[dataset][split] if data.is_dir() else data
    if not path.is_file():
        raise InputError(f"{path}: not found; the {split} portion of {dataset} is not here")
    return path


def evaluate_ner(
    data: Path,
    *,
    split: str = "dev",
    limit: int | None = None,
    progress: bool = True,
    pipeline: str | None = None,
) -> dict:
    dataset = dataset_of(data)
    path = gold_file(data, dataset, split)
    if dataset == "wnut17":
        documents = list(read_conll(path, types=WNUT_TYPES, sentences_per_document=25))
    else:
        documents = list(read_conll(path, types=TYPE_NAMES))
    documents = documents[:limit]
    chosen = pipeline_name(pipeline)
    results = {
        "dataset": f"{dataset} {split} ({path.name})",
        "pipeline": chosen,
        "documents": len(documents),
        "entities": sum(len(d.spans) for d in documents),
        "forms": {},
    }
    for form in FORMS:
        scores = score_form(documents, form, pipeline=chosen, progress=progress)
        results["forms"][form] = {
            "overall": scores.overall.as_dict(),
            "untyped": scores.untyped.as_dict(),
            **{kind: tally.as_dict() for kind, tally in scores.by_type.items()},
        }
    return results


def format_table(results: dict) -> str:
    lines = [
        f"NER, exact span and type: {results['dataset']}, pipeline {results['pipeline']}, "
        f"{results['documents']} documents, {results['entities']} gold entities",
        f"{'form':<11} {'type':<8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}",
    ]
    for form, rows in results["forms"].items():
        for kind in (*ENTITY_TYPES, "overall", "untyped"):
            r = rows[kind]
            lines.append(
                f"{form:<11} {kind:<8} {r['precision']:>6.3f} {r['recall']:>6.3f} "
                f"{r['f1']:>6.3f} {r['gold']:>6} {r['predicted']:>6}"
            )
    lines.append("(untyped: span only, type ignored)")
    return "\n".join(lines)
