"""Train the fast spaCy NER (tok2vec + ner) shipped in src/newsgraph/models/ner-spacy/.

Steps (all by default, or pick some with --steps):
  convert   CoNLL-2003 eng.train / eng.testa (IOB1) -> spaCy DocBin files under --work.
            One Doc per CoNLL document: the text the pipeline sees at run time (tokens joined
            by spaces, one sentence per line) cut by spaCy's own tokenizer (--tokens spacy,
            default; CoNLL's tokens with "\\n" tokens between sentences: --tokens conll),
            gold spans by character offsets; `gold_preproc = true` then keeps these tokens.
            Train = eng.train as written + a copy in research-corpus form (lowercased, quote
            characters and apostrophes removed, tokens left empty dropped, gold spans carried
            through). Dev = eng.testa as written + lowercased.
  train     `spacy train` with scripts/train_ner_spacy.cfg (gold_preproc = true).
  package   copy model-best to --out without training-only files and write labels.
  evaluate  exact-span P/R/F1 (character offsets) with spacy.load(--out) on whole dev
            documents: cased, lowercased and research-corpus form; speed in tokens/s.

    .venv/bin/python scripts/train_ner_spacy.py --data ../shared/data/conll2003 \\
        --work /work/train/spacy --out src/newsgraph/models/ner-spacy

Only the trained weights and the label list go into the repo; the CoNLL text stays in --data.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
TYPES = ("PER", "ORG", "LOC", "MISC")
QUOTES = re.compile("[\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00b4\u2032\u2033]")

Sentence = list[tuple[str, str]]  # (word, IOB1 tag)


def score_table(results: dict) -> str:
    """Per-form, per-type P/R/F1 as a Markdown table (also used by train_ner_minilm.py)."""
    lines = ["| form | type | P | R | F1 | gold |", "|---|---|---:|---:|---:|---:|"]
    for form, rows in results.items():
        for k in (*TYPES, "overall"):
            r = rows[k]
            lines.append(
                f"| {form} | {k} | {r['p']:.3f} | {r['r']:.3f} | {r['f1']:.3f} | {r['gold']} |"
            )
    return "\n".join(lines)


def read_conll(path: Path) -> Iterator[list[Sentence]]:
    """Documents (lists of sentences of (word, IOB1 tag)) split at -DOCSTART-."""
    doc: list[Sentence] = []
    sent: Sentence = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            if sent:
                doc.append(sent)
            if doc:
                yield doc
            doc, sent = [], []
        elif not line.strip():
            if sent:
                doc.append(sent)
            sent = []
        else:
            cols = line.split(" ")
            sent.append((cols[0], cols[-1]))
    if sent:
        doc.append(sent)
    if doc:
        yield doc


def iob1_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """IOB1 tags -> (first token, end token exclusive, type)."""
    spans = []
    open_type, start = None, 0
    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == open_type
        if open_type and not continues:
            spans.append((start, i, open_type))
            open_type = None
        if prefix in ("B", "I") and not continues:
            open_type, start = kind, i
    if open_type:
        spans.append((start, len(tags), open_type))
    return spans


def research_form(word: str) -> str:
    return QUOTES.sub("", word.lower())


def transform(doc: list[Sentence], form: str) -> list[tuple[list[str], list[tuple[int, int, str]]]]:
    """Sentences as (words, token spans) in one form: cased, lower or research."""
    out = []
    for sent in doc:
        words = [w for w, _ in sent]
        spans = iob1_spans([t for _, t in sent])
        if form == "cased":
            out.append((words, spans))
            continue
        if form == "lower":
            out.append(([w.lower() for w in words], spans))
            continue
        new_index, kept = {}, []
        for i, w in enumerate(words):
            r = research_form(w)
            if r:
                new_index[i] = len(kept)
                kept.append(r)
        new_spans = []
        for s, e, k in spans:
            inside = [new_index[i] for i in range(s, e) if i in new_index]
            if inside:
                new_spans.append((inside[0], inside[-1] + 1, k))
        if kept:
            out.append((kept, new_spans))
    return out


def as_text(sentences) -> tuple[str, list[tuple[int, int, str]]]:
    """Text (tokens joined by spaces, one sentence per line) and character-offset spans."""
    pieces, spans, offset = [], [], 0
    for n, (words, tspans) in enumerate(sentences):
        if n:
            pieces.append("\n")
            offset += 1
        starts = []
        for i, w in enumerate(words):
            if i:
                pieces.append(" ")
                offset += 1
            starts.append(offset)
            pieces.append(w)
            offset += len(w)
        for s, e, k in tspans:
            spans.append((starts[s], starts[e - 1] + len(words[e - 1]), k))
    return "".join(pieces), spans


def make_doc_spacy(nlp, sentences):
    """A Doc tokenized by spaCy's tokenizer from the text the model will see at run time
    (tokens joined by spaces, one sentence per line), gold entities by character offsets."""
    text, spans = as_text(sentences)
    doc = nlp.make_doc(text)
    ents = []
    for s, e, k in spans:
        span = doc.char_span(s, e, label=k) or doc.char_span(s, e, k, alignment_mode="contract")
        if span is not None:
            ents.append(span)
    doc.ents = ents
    return doc


def make_doc(vocab, sentences):
    """A Doc with the CoNLL tokens, "\\n" tokens between sentences, gold entities."""
    from spacy.tokens import Doc, Span

    words, spaces, ents = [], [], []
    for n, (ws, tspans) in enumerate(sentences):
        if n:
            words.append("\n")
            spaces.append(False)
        base = len(words)
        for i, w in enumerate(ws):
            words.append(w)
            spaces.append(i < len(ws) - 1)
        ents.extend((base + s, base + e, k) for s, e, k in tspans)
    doc = Doc(vocab, words=words, spaces=spaces)
    doc.ents = [Span(doc, s, e, label=k) for s, e, k in ents]
    return doc


def convert(data: Path, work: Path, tokens: str = "spacy") -> None:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    work.mkdir(parents=True, exist_ok=True)
    plans = {
        "train": ("eng.train", ("cased", "research")),
        "dev": ("eng.testa", ("cased", "lower")),
    }
    for split, (name, forms) in plans.items():
        docs = list(read_conll(data / name))
        db = DocBin(store_user_data=False)
        n_ents = 0
        for form in forms:
            for doc in docs:
                sents = transform(doc, form)
                d = make_doc_spacy(nlp, sents) if tokens == "spacy" else make_doc(nlp.vocab, sents)
                n_ents += len(d.ents)
                db.add(d)
        db.to_disk(work / f"{split}.spacy")
        print(f"{split}: {len(docs)} docs x {forms} -> {work / f'{split}.spacy'} ({n_ents} ents)")


def train(work: Path, config: Path, overrides: list[str]) -> None:
    cmd = [
        sys.executable, "-m", "spacy", "train", str(config),
        "--output", str(work / "output"),
        "--paths.train", str(work / "train.spacy"),
        "--paths.dev", str(work / "dev.spacy"),
        *overrides,
    ]  # fmt: skip
    print("+", " ".join(cmd), flush=True)
    t0 = time.time()
    subprocess.run(cmd, check=True)
    print(f"training took {time.time() - t0:.0f} s", flush=True)


def package(work: Path, out: Path) -> None:
    best = work / "output" / "model-best"
    if out.exists():  # keep README.md, replace the model files
        for child in out.iterdir():
            if child.name != "README.md":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    import spacy

    nlp = spacy.load(best)
    nlp.meta["name"] = "newsgraph_ner_spacy"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = "CoNLL-2003 NER (PER/ORG/LOC/MISC), cased + research-corpus form"
    nlp.meta["sources"] = [{"name": "CoNLL-2003 English eng.train (research use)"}]
    nlp.meta.pop("performance", None)
    nlp.to_disk(out)
    # training-only settings: no corpus paths in the shipped config
    cfg = (out / "config.cfg").read_text()
    cfg = re.sub(r"(?m)^(train|dev) = .*$", r"\1 = null", cfg)
    (out / "config.cfg").write_text(cfg)
    (out / "labels.json").write_text(json.dumps(list(nlp.get_pipe("ner").labels)) + "\n")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"saved {out} ({size / 1e6:.1f} MB)")


def evaluate(data: Path, out: Path, report: Path | None) -> dict:
    import spacy

    nlp = spacy.load(out)
    docs = list(read_conll(data / "eng.testa"))
    forms = {"cased": "cased", "lowercased": "lower", "research": "research"}
    results = {}
    for label, form in forms.items():
        texts, golds = zip(*(as_text(transform(d, form)) for d in docs), strict=True)
        tally = {k: [0, 0, 0] for k in (*TYPES, "overall")}  # gold, pred, correct
        t0 = time.perf_counter()
        preds = [
            {(e.start_char, e.end_char, e.label_) for e in doc.ents}
            for doc in nlp.pipe(texts, batch_size=64)
        ]
        seconds = time.perf_counter() - t0
        n_tokens = sum(len(t.split()) for t in texts)
        for gold, pred in zip(golds, preds, strict=True):
            gold = set(gold)
            for k in (*TYPES, "overall"):
                g = {s for s in gold if k == "overall" or s[2] == k}
                p = {s for s in pred if k == "overall" or s[2] == k}
                tally[k][0] += len(g)
                tally[k][1] += len(p)
                tally[k][2] += len(g & p)
        rows = {}
        for k, (g, p, c) in tally.items():
            prec, rec = c / p if p else 0.0, c / g if g else 0.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            rows[k] = {"p": round(prec, 4), "r": round(rec, 4), "f1": round(f1, 4), "gold": g}
        rows["tokens_per_s"] = round(n_tokens / seconds)
        results[label] = rows
    lines = [score_table(results), ""]
    lines += [f"- speed {form}: {rows['tokens_per_s']} tokens/s" for form, rows in results.items()]
    table = "\n".join(lines)
    print(table)
    if report:
        report.write_text(json.dumps(results, indent=2) + "\n")
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared/data/conll2003")
    ap.add_argument("--work", type=Path, default=Path("/work/train/spacy"))
    ap.add_argument("--out", type=Path, default=HERE.parent / "src/newsgraph/models/ner-spacy")
    ap.add_argument("--config", type=Path, default=HERE / "train_ner_spacy.cfg")
    ap.add_argument("--steps", default="convert,train,package,evaluate")
    ap.add_argument(
        "--tokens",
        choices=("spacy", "conll"),
        default="spacy",
        help="training tokens: spaCy's tokenizer on the text (as at run time) or CoNLL's",
    )
    ap.add_argument("--report", type=Path, default=None, help="write dev scores as JSON here")
    ap.add_argument("overrides", nargs="*", help="extra `spacy train` overrides, e.g. --x.y=z")
    args, extra = ap.parse_known_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    steps = args.steps.split(",")
    if "convert" in steps:
        convert(args.data, args.work, args.tokens)
    if "train" in steps:
        train(args.work, args.config, args.overrides + extra)
    if "package" in steps:
        package(args.work, args.out)
    if "evaluate" in steps:
        evaluate(args.data, args.out, args.report)


if __name__ == "__main__":
    main()
