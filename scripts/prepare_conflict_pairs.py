"""Statement pairs from story sets with conflict gold, for `train_conflicts_minilm.py`.

Runs in the project venv (it analyses each corpus with newsgraph's own accurate pipeline,
so training sees the statements, speakers and stories the corpus level will see):

    .venv/bin/python scripts/prepare_conflict_pairs.py --out /work/train/conflicts/pairs.jsonl \\
        src/newsgraph/demo tests/data/stories tests/data/stories_dev2 ...

A folder holds ``corpus.jsonl`` and ``conflicts.json`` (`newsgraph eval conflicts`). Every
pair of statements of one story by different speakers is a line of the output, with the
text the model reads for each side (`newsgraph.conflict_model.pair_texts`), the set it
comes from, whether it shares a content word (`conflict_model.gist`: the pairs the model is
asked about), whether the rules of `stages.conflicts` already flag it, and its label: 1 when
the two statements stand for two sides of one gold conflict (`evaluate.conflicts.stands_for`),
else 0, with the gold id.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from newsgraph.batch import BatchSummary, collect, ingest_articles  # noqa: E402
from newsgraph.conflict_model import gist, pair_texts, statement_text  # noqa: E402
from newsgraph.corpus import is_own, own_voice, story_statements  # noqa: E402
from newsgraph.evaluate.conflicts import read_gold, stands_for  # noqa: E402
from newsgraph.io import Defaults  # noqa: E402
from newsgraph.stages.conflicts import Rarity, clashes  # noqa: E402
from newsgraph.store import Store  # noqa: E402


def folder_pairs(folder: Path, own: bool = False) -> list[dict]:
    corpus, gold = read_gold(folder)
    summary = BatchSummary()
    articles = collect(
        [str(corpus)], defaults=Defaults(), fmt="auto", summary=summary, say=lambda m: None
    )
    rows = []
    with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "p.db") as store:
        ingest_articles(articles, store, summary=summary, progress=False)
        for story, records in story_statements(store):
            if own:
                records = records + own_voice(store, story, records)
            rarity = Rarity([r["claim"] for r in records])
            sides = [
                [{n for n, side in enumerate(g["sides"]) if any(stands_for(r, p) for p in side)}
                 for g in gold]
                for r in records
            ]  # fmt: skip
            for i, j in itertools.combinations(range(len(records)), 2):
                a, b = records[i], records[j]
                if a["claim"].speaker == b["claim"].speaker:
                    continue
                label = None
                for k, g in enumerate(gold):
                    if sides[i][k] and sides[j][k] and len(sides[i][k] | sides[j][k]) >= 2:
                        label = g["id"]
                        break
                text_a, text_b = pair_texts(a, b)
                rows.append(
                    {
                        "set": folder.name,
                        "story": story.id,
                        "a": text_a,
                        "b": text_b,
                        "candidate": bool(gist(statement_text(a)) & gist(statement_text(b))),
                        "same_article": a["article"] == b["article"],
                        "own": is_own(a) or is_own(b),
                        "rule": sorted({c.key[0] for c in clashes(a["claim"], b["claim"], rarity)}),
                        "label": int(label is not None),
                        "gold": label,
                    }
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--own", action="store_true", help="pair sentences in an article's own voice too"
    )
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for folder in args.folders:
            rows = folder_pairs(folder, args.own)
            for row in rows:
                out.write(json.dumps(row) + "\n")
            print(folder, len(rows), "pairs,", sum(r["label"] for r in rows), "conflicting")


if __name__ == "__main__":
    main()
