"""`newsgraph eval attribution`: source, cue and content scores on PolNeAR, from the contract.

Each article is analysed twice, as written (``raw``) and in the sample article's form
(``research``: lowercased, quote characters removed, space-tokenized, one sentence per line,
gold offsets carried through by `polnear.seed_form`), and scored from the contract's
``statements``.

Scoring counts words (runs of letters and digits), so a span that differs from the gold only
by punctuation at its edges still matches. Each predicted statement is first paired with at
most one gold attribution (greedily, by how many of their words overlap over the three
roles), so a right span attached to the wrong statement does not count. Then, per role:

- exact: a paired role is correct when it covers exactly the gold words;
- overlap: precision and recall are the shared share of the predicted and of the gold words,
  summed over paired roles (partial credit, as in PARC-style evaluations).

An unpaired prediction counts against precision; an unpaired gold attribution against recall.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..analyze import default_pipeline, pipeline_name
from ..article import Article
from ..contract import analysis_to_dict
from .polnear import ROLES, AttributionDocument, read_polnear, seed_form, word_spans

FORMS = ("raw", "research")


@dataclass
class RoleScore:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap_p: float = 0.0  # summed share of predicted words that are gold
    overlap_r: float = 0.0  # summed share of gold words that were predicted

    def as_dict(self) -> dict[str, float | int]:
        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        p = self.exact / self.predicted if self.predicted else 0.0
        r = self.exact / self.gold if self.gold else 0.0
        op = self.overlap_p / self.predicted if self.predicted else 0.0
        orc = self.overlap_r / self.gold if self.gold else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f1(p, r), 4),
            "overlap_precision": round(op, 4),
            "overlap_recall": round(orc, 4),
            "overlap_f1": round(f1(op, orc), 4),
            "gold": self.gold,
            "predicted": self.predicted,
        }


@dataclass
class FormScores:
    roles: dict[str, RoleScore] = field(default_factory=lambda: {r: RoleScore() for r in ROLES})
    gold_statements: int = 0
    predicted_statements: int = 0
    paired: int = 0


def _covered(words: list[tuple[int, int]], spans: Iterable[tuple[int, int]]) -> frozenset[int]:
    return frozenset(i for i, (s, e) in enumerate(words) if any(s < b and a < e for a, b in spans))


def predicted_statements(text: str, published: str | None, pipeline: str) -> list[dict]:
    article = Article.from_text(text, published=published)
    return analysis_to_dict(default_pipeline(pipeline)(article))["statements"]


def _statement_roles(statement: dict) -> dict[str, list[tuple[int, int]]]:
    source = statement["source"]
    content = statement["content"]
    parts = content.get("parts") or [content]
    return {
        "source": [(source["start"], source["end"])] if source["start"] is not None else [],
        "cue": [(statement["cue"]["start"], statement["cue"]["end"])],
        "content": [(p["start"], p["end"]) for p in parts],
    }


def score_document(
    document: AttributionDocument, predicted: list[dict], scores: FormScores
) -> None:
    words = list(word_spans(document.text))
    gold = [{r: _covered(words, a.role(r)) for r in ROLES} for a in document.attributions]
    gold = [g for g in gold if g["cue"] or g["content"]]
    pred = [{r: _covered(words, s) for r, s in _statement_roles(p).items()} for p in predicted]
    scores.gold_statements += len(gold)
    scores.predicted_statements += len(pred)
    candidates = sorted(
        (
            (sum(len(p[r] & g[r]) for r in ROLES), i, j)
            for i, p in enumerate(pred)
            for j, g in enumerate(gold)
        ),
        reverse=True,
    )
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for shared, i, j in candidates:
        if shared == 0:
            break
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    scores.paired += len(pairs)
    for role in ROLES:
        tally = scores.roles[role]
        tally.gold += sum(1 for g in gold if g[role])
        tally.predicted += sum(1 for p in pred if p[role])
        for i, j in pairs.items():
            p, g = pred[i][role], gold[j][role]
            if not p or not g:
                continue
            tally.exact += p == g
            tally.overlap_p += len(p & g) / len(p)
            tally.overlap_r += len(p & g) / len(g)


def evaluate_attribution(
    data: Path,
    *,
    split: str = "dev",
    limit: int | None = None,
    forms: tuple[str, ...] = FORMS,
    progress: bool = True,
    pipeline: str | None = None,
) -> dict:
    documents = read_polnear(data, split, limit)
    chosen = pipeline_name(pipeline)
    results: dict = {
        "dataset": f"PolNeAR {split}",
        "pipeline": chosen,
        "documents": len(documents),
        "attributions": sum(len(d.attributions) for d in documents),
        "forms": {},
    }
    for form in forms:
        scores = FormScores()
        for document in tqdm(
            documents,
            desc=f"attribution {form}",
            unit="doc",
            disable=not progress,
            file=sys.stderr,
            leave=False,
        ):
            shown = seed_form(document) if form == "research" else document
            predicted = predicted_statements(shown.text, shown.published, chosen)
            score_document(shown, predicted, scores)
        results["forms"][form] = {
            "statements": {
                "gold": scores.gold_statements,
                "predicted": scores.predicted_statements,
                "paired": scores.paired,
            },
            **{role: tally.as_dict() for role, tally in scores.roles.items()},
        }
    return results


def format_table(results: dict) -> str:
    lines = [
        f"Attribution: {results['dataset']}, pipeline {results['pipeline']}, "
        f"{results['documents']} articles, {results['attributions']} gold attributions",
        "exact = same words; overlap = shared share of words; statements paired first",
        f"{'form':<9} {'role':<8} {'P':>6} {'R':>6} {'F1':>6}  "
        f"{'oP':>6} {'oR':>6} {'oF1':>6} {'gold':>6} {'pred':>6}",
    ]
    for form, rows in results["forms"].items():
        for role in ROLES:
            r = rows[role]
            lines.append(
                f"{form:<9} {role:<8} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f}  "
                f"{r['overlap_precision']:>6.3f} {r['overlap_recall']:>6.3f} "
                f"{r['overlap_f1']:>6.3f} {r['gold']:>6} {r['predicted']:>6}"
            )
        s = rows["statements"]
        lines.append(
            f"{form:<9} statements: {s['gold']} gold, {s['predicted']} predicted, "
            f"{s['paired']} paired"
        )
    return "\n".join(lines)
