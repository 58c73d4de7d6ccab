"""`newsgraph eval ner`: exact-span entity scores on CoNLL-2003, cased and lowercased.

Each gold document is fed to the default pipeline as an article (tokens joined by spaces,
one sentence per line), once as written and once lowercased, and scored from the contract's
entity mentions, each typed by its entity.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..analyze import default_pipeline
from ..article import ENTITY_TYPES, Article
from ..contract import analysis_to_dict
from ..errors import InputError
from .conll import GoldDocument, read_conll
from .scoring import Tally

SPLITS = {"dev": "eng.testa", "train": "eng.train", "test": "eng.testb"}
FORMS: dict[str, Callable[[str], str]] = {"cased": lambda t: t, "lowercased": str.lower}


@dataclass
class FormScores:
    form: str
    by_type: dict[str, Tally] = field(default_factory=lambda: {t: Tally() for t in ENTITY_TYPES})
    overall: Tally = field(default_factory=Tally)


def predicted_spans(text: str) -> set[tuple[int, int, str]]:
    record = analysis_to_dict(default_pipeline()(Article.from_text(text)))
    return {
        (m["start"], m["end"], entity["type"])
        for entity in record["entities"]
        for m in entity["mentions"]
    }


def score_form(documents: Iterable[GoldDocument], form: str, *, progress: bool) -> FormScores:
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
        predicted = predicted_spans(convert(doc.text))
        scores.overall.add(doc.spans, predicted)
        for kind in ENTITY_TYPES:
            scores.by_type[kind].add(
                {s for s in doc.spans if s[2] == kind}, {s for s in predicted if s[2] == kind}
            )
    return scores


def conll_file(data: Path, split: str) -> Path:
    path = data / SPLITS[split] if data.is_dir() else data
    if not path.is_file():
        raise InputError(
            f"{path}: CoNLL-2003 file not found; pass --data with the folder holding "
            f"{SPLITS[split]} (e.g. ../shared/data/conll2003)"
        )
    return path


def evaluate_ner(
    data: Path, *, split: str = "dev", limit: int | None = None, progress: bool = True
) -> dict:
    path = conll_file(data, split)
    documents = list(read_conll(path))[:limit]
    results = {
        "dataset": f"CoNLL-2003 {split} ({path.name})",
        "documents": len(documents),
        "entities": sum(len(d.spans) for d in documents),
        "forms": {},
    }
    for form in FORMS:
        scores = score_form(documents, form, progress=progress)
        results["forms"][form] = {
            "overall": scores.overall.as_dict(),
            **{kind: tally.as_dict() for kind, tally in scores.by_type.items()},
        }
    return results


def format_table(results: dict) -> str:
    lines = [
        f"NER, exact span and type: {results['dataset']}, {results['documents']} documents, "
        f"{results['entities']} gold entities",
        f"{'form':<11} {'type':<8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}",
    ]
    for form, rows in results["forms"].items():
        for kind in (*ENTITY_TYPES, "overall"):
            r = rows[kind]
            lines.append(
                f"{form:<11} {kind:<8} {r['precision']:>6.3f} {r['recall']:>6.3f} "
                f"{r['f1']:>6.3f} {r['gold']:>6} {r['predicted']:>6}"
            )
    return "\n".join(lines)
