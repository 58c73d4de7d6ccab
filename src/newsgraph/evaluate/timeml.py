"""`newsgraph eval time`: TempEval-3 time expressions, from the contract's ``times``.

Each TimeML document's text (tags removed, character references decoded) is analysed with its
document creation time as the publication date. Scores follow TempEval-3 Task A: strict span
(same characters) and relaxed span (overlapping) P/R/F1, and attribute F1 for ``type`` and
``value``: relaxed F1 times the share of relaxed matches whose attribute is right.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..analyze import default_pipeline, pipeline_name
from ..article import Article
from ..contract import analysis_to_dict
from ..errors import InputError


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True)
class TimeDocument:
    id: str
    text: str
    published: str | None
    timexes: tuple[Timex, ...] = field(default=())


_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_timeml(path: Path) -> TimeDocument:
    raw = path.read_text(encoding="utf-8")
    dct = re.search(r"<DCT>.*?value=\"([^\"]+)\"", raw, re.S)
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if body is None:
        raise InputError(f"{path}: no <TEXT> element")
    pieces: list[str] = []
    length = 0
    timexes: list[Timex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    position = 0
    source = body.group(1)
    for tag in _TAG.finditer(source):
        segment = html.unescape(source[position : tag.start()])
        pieces.append(segment)
        length += len(segment)
        position = tag.end()
        closing, name = tag.group(1), tag.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(tag.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            timexes.append(Timex(start, length, attrs.get("type", ""), attrs.get("value", "")))
            open_timex = None
    pieces.append(html.unescape(source[position:]))
    published = dct.group(1)[:10] if dct else None
    return TimeDocument(path.stem, "".join(pieces), published, tuple(timexes))


def read_tempeval(data: Path, limit: int | None = None) -> list[TimeDocument]:
    folder = data / "te3-platinum" if (data / "te3-platinum").is_dir() else data
    files = sorted(folder.glob("*.tml"))
    if not files:
        raise InputError(f"{data}: no TimeML (.tml) files; pass --data ../shared/data/time")
    return [read_timeml(f) for f in files[:limit]]


@dataclass
class TimeScores:
    gold: int = 0
    predicted: int = 0
    strict: int = 0
    relaxed_gold: int = 0  # gold expressions overlapped by a prediction
    relaxed_predicted: int = 0  # predictions overlapping a gold expression
    type_right: int = 0
    value_right: int = 0
    matched: int = 0  # relaxed pairs scored for attributes

    def rows(self) -> dict[str, dict[str, float]]:
        def prf(p_num: int, r_num: int) -> dict[str, float]:
            p = p_num / self.predicted if self.predicted else 0.0
            r = r_num / self.gold if self.gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}

        relaxed = prf(self.relaxed_predicted, self.relaxed_gold)
        share = lambda n: n / self.matched if self.matched else 0.0  # noqa: E731
        return {
            "strict": prf(self.strict, self.strict),
            "relaxed": relaxed,
            "type": {"f1": round(relaxed["f1"] * share(self.type_right), 4),
                     "accuracy": round(share(self.type_right), 4)},
            "value": {"f1": round(relaxed["f1"] * share(self.value_right), 4),
                      "accuracy": round(share(self.value_right), 4)},
        }  # fmt: skip


def score_document(gold: list[Timex], predicted: list[dict], scores: TimeScores) -> list[str]:
    """Add one document; returns readable notes on its mistakes (for --verbose)."""
    notes = []
    scores.gold += len(gold)
    scores.predicted += len(predicted)
    spans = {(p["start"], p["end"]) for p in predicted}
    scores.strict += sum((g.start, g.end) in spans for g in gold)
    for g in gold:
        overlapping = [p for p in predicted if p["start"] < g.end and g.start < p["end"]]
        if not overlapping:
            notes.append(f"missed {g.type} {g.value}")
            continue
        scores.relaxed_gold += 1
        best = min(overlapping, key=lambda p: abs(p["start"] - g.start) + abs(p["end"] - g.end))
        scores.matched += 1
        scores.type_right += best["type"] == g.type
        scores.value_right += best["value"] == g.value
        if best["value"] != g.value or best["type"] != g.type:
            notes.append(
                f"{best['text']!r}: {best['type']} {best['value']} (gold {g.type} {g.value})"
            )
    for p in predicted:
        if any(p["start"] < g.end and g.start < p["end"] for g in gold):
            scores.relaxed_predicted += 1
        else:
            notes.append(f"spurious {p['text']!r} {p['type']} {p['value']}")
    return notes


def evaluate_time(
    data: Path,
    *,
    limit: int | None = None,
    progress: bool = True,
    pipeline: str | None = None,
    verbose: bool = False,
) -> dict:
    documents = read_tempeval(data, limit)
    chosen = pipeline_name(pipeline)
    scores = TimeScores()
    notes: dict[str, list[str]] = {}
    for document in tqdm(
        documents, desc="time", unit="doc", disable=not progress, file=sys.stderr, leave=False
    ):
        article = Article.from_text(document.text, published=document.published)
        record = analysis_to_dict(default_pipeline(chosen, until="times")(article))
        mistakes = score_document(list(document.timexes), record["times"], scores)
        if verbose:
            notes[document.id] = mistakes
    results = {
        "dataset": f"TempEval-3 platinum ({len(documents)} documents)",
        "pipeline": chosen,
        "documents": len(documents),
        "gold": scores.gold,
        "predicted": scores.predicted,
        **scores.rows(),
    }
    if verbose:
        results["notes"] = notes
    return results


def format_table(results: dict) -> str:
    lines = [
        f"Time expressions: {results['dataset']}, pipeline {results['pipeline']}, "
        f"{results['gold']} gold, {results['predicted']} predicted",
        f"{'measure':<10} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for key in ("strict", "relaxed"):
        r = results[key]
        lines.append(f"{key:<10} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f}")
    for key in ("type", "value"):
        r = results[key]
        lines.append(f"{key:<10} {'':>6} {'':>6} {r['f1']:>6.3f}  (accuracy {r['accuracy']:.3f})")
    return "\n".join(lines)
