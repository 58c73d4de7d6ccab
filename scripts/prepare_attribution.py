"""Turn PolNeAR train and dev into tagged word sequences for `train_attribution_minilm.py`.

Runs in the project venv (it uses newsgraph's own reader, research-form conversion and
spaCy tokenization, so training sees exactly the words the `statements` stage will see):

    .venv/bin/python scripts/prepare_attribution.py --data ../shared/data/polnear \\
        --out /work/train/attribution/data

Writes ``train.jsonl`` and ``dev.jsonl``: one line per article and form (``raw``, ``research``)
with ``sentences`` (lists of words) and ``labels`` (BIO2 over SRC / CUE / CNT, one per word).
A word takes the role of the attribution span that covers it; a new fragment or a new
attribution starts a new B- tag.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from newsgraph.evaluate.polnear import AttributionDocument, read_polnear, seed_form  # noqa: E402
from newsgraph.stages.nlp import load_spacy  # noqa: E402

TAGS = {"source": "SRC", "cue": "CUE", "content": "CNT"}


def sentences(text: str, by_line: bool) -> list[list[tuple[int, int, str]]]:
    """Words (start, end, text) per sentence, cut as the `nlp` stage cuts this form."""
    nlp = load_spacy(ner=False)
    found = []
    for block in re.finditer(r"[^\n]+", text):
        doc = nlp(block.group())
        units = [doc[:]] if by_line else list(doc.sents)
        for unit in units:
            words = [
                (block.start() + t.idx, block.start() + t.idx + len(t.text), t.text)
                for t in unit
                if not t.is_space
            ]
            if words:
                found.append(words)
    return found


def tagged(document: AttributionDocument, by_line: bool) -> dict:
    owner: dict[int, tuple[int, str, int]] = {}  # char -> (attribution, role, fragment)
    for number, attribution in enumerate(document.attributions):
        for role, tag in TAGS.items():
            for fragment, (a, b) in enumerate(attribution.role(role)):
                for c in range(a, b):
                    owner.setdefault(c, (number, tag, fragment))
    words_out, labels_out = [], []
    previous = None
    for sentence in sentences(document.text, by_line):
        words, labels = [], []
        for start, end, text in sentence:
            hit = next((owner[c] for c in range(start, end) if c in owner), None)
            if hit is None:
                labels.append("O")
            else:
                labels.append(("I-" if hit == previous else "B-") + hit[1])
            previous = hit
            words.append(text)
        words_out.append(words)
        labels_out.append(labels)
    return {"sentences": words_out, "labels": labels_out}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared/data/polnear")
    ap.add_argument("--out", type=Path, default=Path("/work/train/attribution/data"))
    ap.add_argument("--limit", type=int, default=None, help="first N articles (smoke test)")
    ap.add_argument("--splits", default="train,dev")
    ap.add_argument("--start", type=int, default=0, help="skip the first N articles of a split")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for split in args.splits.split(","):
        documents = read_polnear(args.data, split, args.limit)[args.start :]
        with (args.out / f"{split}.jsonl").open("w", encoding="utf-8") as out:
            for n, document in enumerate(documents, 1):
                for form, doc, by_line in (
                    ("raw", document, False),
                    ("research", seed_form(document), True),
                ):
                    record = {"id": document.id, "form": form, **tagged(doc, by_line)}
                    out.write(json.dumps(record) + "\n")
                if n % 50 == 0:
                    print(f"{split}: {n}/{len(documents)}", flush=True)
        print(f"{split}: {len(documents)} articles", flush=True)


if __name__ == "__main__":
    main()
