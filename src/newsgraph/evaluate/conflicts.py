"""`newsgraph eval conflicts`: the conflicts newsgraph reports against those a reader finds.

The gold set is a corpus (``corpus.jsonl``, one article per line) and ``conflicts.json``: each
conflict has two or more *sides*, and a side lists the places that give the same account
(an article id and a few words of the statement, as a reader would underline them). The
corpus is analysed and stored in a scratch database, and every conflict newsgraph reports,
within an article or across the articles of a story, is matched against the gold:

- a reported statement stands for a side when, in the same article, most words of one of
  the side's quotes (`QUOTE_SHARE`) are in its content, or in its source, cue and content;
- a gold conflict is *found* when one reported conflict has statements for two of its sides;
- a reported conflict is *real* when it finds at least one gold conflict.

Recall is found / gold, precision real / reported. Words are runs of letters and digits,
lowercased, so quotes may be copied from either form of an article.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from ..batch import BatchSummary, collect, ingest_articles
from ..errors import InputError
from ..io import Defaults
from ..store import Store

#: Share of a quote's words a statement must contain to stand for it.
QUOTE_SHARE = 0.6
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def read_gold(folder: Path) -> tuple[Path, list[dict]]:
    """The corpus file and the gold conflicts of a folder."""
    corpus, gold = folder / "corpus.jsonl", folder / "conflicts.json"
    for path in (corpus, gold):
        if not path.is_file():
            raise InputError(
                f"{path} is missing (a conflicts gold folder has corpus.jsonl and conflicts.json)"
            )
    try:
        conflicts = json.loads(gold.read_text(encoding="utf-8"))["conflicts"]
    except (ValueError, KeyError) as exc:
        raise InputError(f"{gold}: not a conflicts gold file ({exc})") from exc
    return corpus, conflicts


def stands_for(statement: dict, place: dict) -> bool:
    """Whether a reported statement is the place a gold side names."""
    if statement.get("article") != place["article"]:
        return False
    quote = words(place["quote"])
    if not quote:
        return False
    said = [statement["content"]["text"]]
    full = [statement["source"].get("text") or "", statement["cue"]["text"], *said]
    for texts in (said, full):
        have = Counter(words(" ".join(texts)))
        need = Counter(quote)
        shared = sum(min(n, have[w]) for w, n in need.items())
        if shared >= QUOTE_SHARE * len(quote):
            return True
    return False


def sides_covered(conflict: dict, gold: dict) -> set[int]:
    """The gold sides a reported conflict has statements for."""
    return {
        n
        for n, side in enumerate(gold["sides"])
        for statement in conflict["statements"]
        if any(stands_for(statement, place) for place in side)
    }


def score(reported: list[dict], gold: list[dict]) -> dict[str, Any]:
    found: dict[str, list[str]] = {}
    real = []
    for conflict in reported:
        hits = [g["id"] for g in gold if len(sides_covered(conflict, g)) >= 2]
        for hit in hits:
            found.setdefault(hit, []).append(conflict["id"])
        if hits:
            real.append(conflict["id"])
    by_kind: dict[str, list[int]] = {}
    for g in gold:
        tally = by_kind.setdefault(g.get("kind", "other"), [0, 0])
        tally[0] += 1
        tally[1] += g["id"] in found
    recall = len(found) / len(gold) if gold else 0.0
    precision = len(real) / len(reported) if reported else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "gold": len(gold),
        "reported": len(reported),
        "found": len(found),
        "real": len(real),
        "recall": round(recall, 4),
        "precision": round(precision, 4),
        "f1": round(f1, 4),
        "by_kind": {k: {"gold": v[0], "found": v[1]} for k, v in sorted(by_kind.items())},
        "missed": [g["id"] for g in gold if g["id"] not in found],
        "not_real": [{"id": c["id"], "topic": c["topic"]} for c in reported if c["id"] not in real],
    }


def evaluate_conflicts(
    folder: Path, *, progress: bool = True, pipeline: str | None = None
) -> dict[str, Any]:
    from ..corpus import all_conflicts

    corpus, gold = read_gold(folder)
    summary = BatchSummary()
    articles = collect(
        [str(corpus)], defaults=Defaults(), fmt="auto", summary=summary, say=lambda message: None
    )
    with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "eval.db") as store:
        ingest_articles(articles, store, summary=summary, progress=progress, pipeline=pipeline)
        reported = all_conflicts(store)
    return {"dataset": str(folder), "articles": len(articles), **score(reported, gold)}


def format_table(results: dict) -> str:
    lines = [
        f"Conflicts: {results['dataset']}, {results['articles']} articles, "
        f"{results['gold']} conflicts a reader finds",
        f"reported {results['reported']}, real {results['real']}, "
        f"found {results['found']} of {results['gold']}",
        f"recall {results['recall']:.3f}  precision {results['precision']:.3f}  "
        f"F1 {results['f1']:.3f}",
        "by kind: "
        + ", ".join(f"{k} {v['found']}/{v['gold']}" for k, v in results["by_kind"].items()),
    ]
    if results["missed"]:
        lines.append("missed: " + ", ".join(results["missed"]))
    if results["not_real"]:
        lines.append(
            "not real: " + ", ".join(f"{c['id']} ({c['topic']})" for c in results["not_real"])
        )
    return "\n".join(lines)
