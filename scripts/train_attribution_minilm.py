"""Fine-tune all-MiniLM-L6-v2 (uncased) as a PolNeAR attribution tagger; export ONNX int8.

Input comes from `prepare_attribution.py` (words and BIO2 labels over SRC / CUE / CNT per
sentence, each article in raw and research form). Runs in the training venv described in
`train_ner_minilm.py`:

    HF_HUB_OFFLINE=1 /work/train/venv/bin/python scripts/train_attribution_minilm.py \\
        --data /work/train/attribution/data --work /work/train/attribution \\
        --out src/newsgraph/models/attribution-minilm

Scheme (also written to <out>/config.json):
- words = the spaCy tokens the `nlp` stage produces; one label per word on its first
  word-piece; consecutive sentences of an article packed into chunks of <= 200 word-pieces
  (`--max-pieces`; the shipped model was continued at 384).
- each epoch every article is used once, in raw form or research form at random (50/50).
- AdamW lr 1e-4, linear warmup (10%) and decay, batch 16; exact span F1 per role on PolNeAR
  dev (both forms) after each epoch; the best epoch (mean over roles and forms) is kept.
- export as in `train_ner_minilm.py`: ONNX opset 17, dynamic int8 weights.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from train_ner_minilm import (  # noqa: E402
    PAD,
    add_run_arguments,
    bio_spans,
    chunk_sentences,
    encode_chunk,
    export_onnx,
    finish,
    keep_if_best,
    load_tokenizer,
    make_optimizer,
    model_dir,
    onnx_runner,
    out_of_time,
    pad,
    run_steps,
    torch_runner,
    train_epoch,
    word_pieces,
)

ROLES = ("SRC", "CUE", "CNT")
LABELS = ["O"] + [f"{p}-{r}" for r in ROLES for p in ("B", "I")]
LABEL_ID = {label: i for i, label in enumerate(LABELS)}
MAX_PIECES = 200  # word-pieces per chunk without [CLS] / [SEP]; set by --max-pieces


def read(path: Path, limit: int | None) -> list[dict]:
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    if limit:
        keep = {r["id"] for r in records[: 2 * limit]}
        records = [r for r in records if r["id"] in keep]
    return records


def encode_record(tok, record: dict):
    """Chunks of one article: (ids, labels, firsts, word positions) per chunk."""
    pieces = [word_pieces(tok, words) for words in record["sentences"]]
    labels = [[LABEL_ID[t] for t in tags] for tags in record["labels"]]
    out = []
    for chunk in chunk_sentences([[max(1, len(p)) for p in ws] for ws in pieces], MAX_PIECES):
        ids, ys, firsts = encode_chunk(pieces, labels, chunk, MAX_PIECES + 2)
        words = [(s, w) for s, a, b in chunk for w in range(a, b)]
        out.append((ids, ys, firsts, words))
    return out


def spans_of(tags: list[str]) -> set[tuple[int, int, str]]:
    return set(bio_spans(tags))


def score(golds: list[set], preds: list[set]) -> dict:
    rows = {}
    for role in (*ROLES, "all"):
        g_n = p_n = c_n = 0
        for gold, pred in zip(golds, preds, strict=True):
            g = {s for s in gold if role == "all" or s[2] == role}
            p = {s for s in pred if role == "all" or s[2] == role}
            g_n, p_n, c_n = g_n + len(g), p_n + len(p), c_n + len(g & p)
        prec, rec = (c_n / p_n if p_n else 0.0), (c_n / g_n if g_n else 0.0)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows[role] = {"p": round(prec, 4), "r": round(rec, 4), "f1": round(f1, 4), "gold": g_n}
    return rows


def evaluate(tok, run_logits, records: list[dict], batch_size: int = 32) -> dict:
    """Exact word-span scores per role, per form, over whole articles."""
    out = {}
    for form in ("raw", "research"):
        chosen = [r for r in records if r["form"] == form]
        golds, preds = [], []
        t0 = time.perf_counter()
        for record in chosen:
            flat_gold = [t for tags in record["labels"] for t in tags]
            offsets, total = [], 0
            for words in record["sentences"]:
                offsets.append(total)
                total += len(words)
            predicted = ["O"] * total
            chunks = encode_record(tok, record)
            for k in range(0, len(chunks), batch_size):
                group = chunks[k : k + batch_size]
                ids = pad([g[0] for g in group], PAD)
                mask = [[1] * len(g[0]) + [0] * (len(ids[0]) - len(g[0])) for g in group]
                best = run_logits(ids, mask).argmax(-1)
                for row, (_, _, firsts, words) in enumerate(group):
                    for (s, w), f in zip(words, firsts, strict=True):
                        if f >= 0:
                            predicted[offsets[s] + w] = LABELS[best[row, f]]
            golds.append(spans_of(flat_gold))
            preds.append(spans_of(predicted))
        rows = score(golds, preds)
        words = sum(len(ws) for r in chosen for ws in r["sentences"])
        rows["words_per_s"] = round(words / (time.perf_counter() - t0))
        out[form] = rows
    return out


def table(res: dict) -> str:
    lines = ["form      role  P      R      F1"]
    for form, rows in res.items():
        for role in (*ROLES, "all"):
            r = rows[role]
            lines.append(f"{form:9} {role:5} {r['p']:.3f}  {r['r']:.3f}  {r['f1']:.3f}")
    return "\n".join(lines)


def mean_f1(res: dict) -> float:
    return sum(res[f][r]["f1"] for f in res for r in ROLES) / (len(res) * len(ROLES))


def train(args) -> dict:
    import torch
    from transformers import AutoModelForTokenClassification

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    src = model_dir()
    tok = load_tokenizer(src / "tokenizer.json")
    train_records = read(args.data / "train.jsonl", args.limit)
    dev = read(args.data / "dev.jsonl", args.limit)
    by_article: dict[str, dict[str, list]] = {}
    for record in train_records:
        encoded = [(ids, ys) for ids, ys, _, _ in encode_record(tok, record)]
        by_article.setdefault(record["id"], {})[record["form"]] = encoded
    n_chunks = sum(len(forms["raw"]) for forms in by_article.values())
    print(f"{len(by_article)} train articles -> about {n_chunks} chunks per epoch", flush=True)

    model = AutoModelForTokenClassification.from_pretrained(
        str(args.init or src),
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id=LABEL_ID,
    )
    steps_per_epoch = math.ceil(n_chunks / args.batch_size)
    optim, sched = make_optimizer(model, args.lr, steps_per_epoch * args.epochs, args.warmup)
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    history, best, t_start = [], -1.0, time.time()
    for epoch in range(1, args.epochs + 1):
        seqs = []
        for forms in by_article.values():
            seqs.extend(forms["research" if rng.random() < args.augment else "raw"])
        seconds = train_epoch(model, seqs, args.batch_size, rng, optim, sched, epoch)
        res = evaluate(tok, torch_runner(model), dev)
        entry = {"epoch": epoch, "train_seconds": seconds, "mean_f1": mean_f1(res)}
        history.append(entry)
        print(json.dumps(entry), flush=True)
        print(table(res), flush=True)
        best = keep_if_best(model, work, res, entry["mean_f1"], best, "mean F1")
        if out_of_time(args, t_start):
            break
    return finish(work, history, t_start)


def export(args) -> None:
    export_onnx(args.work, args.threads)


def measure(args) -> dict:
    tok = load_tokenizer(model_dir() / "tokenizer.json")
    dev = read(args.data / "dev.jsonl", args.limit)
    out = {}
    for name in ("int8", "int8pc"):
        path = args.work / f"model.{name}.onnx"
        out[name] = evaluate(tok, onnx_runner(path, args.threads), dev)
        print(f"== ONNX {name} ({path.stat().st_size / 1e6:.1f} MB)")
        print(table(out[name]), flush=True)
    out["shipped"] = max(("int8", "int8pc"), key=lambda n: mean_f1(out[n]))
    print("shipping", out["shipped"], flush=True)
    (args.work / "dev_onnx.json").write_text(json.dumps(out, indent=2))
    return out


def package(args) -> None:
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    measured = json.loads((args.work / "dev_onnx.json").read_text())
    shutil.copyfile(args.work / f"model.{measured['shipped']}.onnx", out / "model.int8.onnx")
    shutil.copyfile(model_dir() / "tokenizer.json", out / "tokenizer.json")
    (out / "labels.json").write_text(json.dumps(dict(enumerate(LABELS)), indent=2) + "\n")
    config = {
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (uncased BERT, 6 layers, 384 wide)",
        "task": "PolNeAR attribution roles: BIO2 over SRC (source), CUE, CNT (content)",
        "labels": "labels.json (id -> BIO2 label)",
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "outputs": ["logits"],
        "max_length": MAX_PIECES + 2,
        "words": "the spaCy tokens of each sentence, as the nlp stage produces them",
        "chunking": (
            f"consecutive sentences packed while <= {MAX_PIECES} word-pieces; [CLS] ... [SEP]"
        ),
        "alignment": "each word takes the label of its first word-piece",
        "quantization": f"onnxruntime quantize_dynamic QInt8 ({measured['shipped']})",
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    print(f"packaged into {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/work/train/attribution/data"))
    ap.add_argument("--work", type=Path, default=Path("/work/train/attribution"))
    ap.add_argument(
        "--out", type=Path, default=HERE.parent / "src/newsgraph/models/attribution-minilm"
    )
    ap.add_argument("--init", type=Path, default=None, help="start from this checkpoint")
    ap.add_argument("--warmup", type=float, default=0.1, help="share of steps warming up")
    ap.add_argument(
        "--max-pieces", type=int, default=200, help="word-pieces per chunk, without [CLS] / [SEP]"
    )
    add_run_arguments(ap, augment=0.5)
    args = ap.parse_args()
    global MAX_PIECES
    MAX_PIECES = args.max_pieces
    run_steps(args, train, export, measure, package)


if __name__ == "__main__":
    main()
