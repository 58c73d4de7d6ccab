"""Recover a torch checkpoint from a shipped int8 ONNX model, to continue training from it.

The conflict model's torch checkpoints lived outside the repository and were lost with their
machine; the repository keeps only the QInt8 export. This script reads that export back into
the weights of a `BertForSequenceClassification` (the base model's architecture), so that
`train_conflicts_minilm.py --init` can continue from the shipped model:

    HF_HUB_OFFLINE=1 /work/train/venv/bin/python scripts/dequantize_conflict_model.py \\
        src/newsgraph/models/conflict-minilm --work /work/train/conflicts/shipped

Each weight is its int8 (or uint8) values times its scale, less its zero point; the error is
at most half a quantization step per weight. Layer norms and biases were never quantized.
A weight the exporter renamed (`onnx::MatMul_892`) is found by the bias its product is added
to. The checkpoint goes to ``--work``/model; the script prints how far the checkpoint's
probabilities are from the ONNX model's on a few pairs (runs in the training venv: torch,
transformers, onnx, onnxruntime).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from train_ner_minilm import model_dir  # noqa: E402

QUANTIZED = "_quantized"


def dequantized(graph) -> dict[str, np.ndarray]:
    """Every initializer of the graph in float32, quantized ones under their original name."""
    from onnx import numpy_helper

    arrays = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    weights = {}
    for name, values in arrays.items():
        if name.endswith(QUANTIZED):
            base = name[: -len(QUANTIZED)]
            scale = arrays[base + "_scale"].astype(np.float32)
            zero = arrays[base + "_zero_point"].astype(np.float32)
            weights[base] = (values.astype(np.float32) - zero) * scale
        elif values.dtype == np.float32 and not name.endswith("_scale"):
            weights[name] = values
    return weights


def product_names(graph, weights: dict[str, np.ndarray]) -> dict[str, str]:
    """Exported weight name -> parameter name, through the bias each product is added to."""
    consumers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    names = {}
    for node in graph.node:
        if node.op_type not in ("MatMulInteger", "MatMul"):
            continue
        weight = node.input[1].removesuffix(QUANTIZED)
        if weight not in weights:
            continue
        frontier, seen = list(node.output), set()
        while frontier:
            out = frontier.pop()
            for user in consumers.get(out, []):
                if id(user) in seen:
                    continue
                seen.add(id(user))
                bias = [i for i in user.input if i.endswith(".bias") and i in weights]
                if user.op_type == "Add" and bias:
                    names[weight] = bias[0].removesuffix(".bias") + ".weight"
                    frontier = []
                    break
                if user.op_type in ("Cast", "Mul"):
                    frontier.extend(user.output)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a model folder with model.int8.onnx")
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args()

    import onnx
    import onnxruntime as ort
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    graph = onnx.load(str(args.folder / "model.int8.onnx")).graph
    weights = dequantized(graph)
    renamed = product_names(graph, weights)
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir()), num_labels=2)
    state = model.state_dict()
    loaded = set()
    for name, values in weights.items():
        target = renamed.get(name, name.removesuffix("_Transposed"))
        if name in renamed or name.endswith("_Transposed"):
            values = values.T  # a product's weight is stored (in, out); torch keeps (out, in)
        if target not in state:
            continue
        if tuple(state[target].shape) != values.shape:
            raise SystemExit(f"{name} -> {target}: {values.shape} vs {tuple(state[target].shape)}")
        state[target] = torch.from_numpy(np.ascontiguousarray(values))
        loaded.add(target)
    missing = [k for k in state if k not in loaded and not k.endswith("position_ids")]
    if missing:
        raise SystemExit(f"no weight for {missing}")
    model.load_state_dict(state)
    model.eval()
    out = args.work / "model"
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tok = AutoTokenizer.from_pretrained(str(model_dir()))
    tok.save_pretrained(out)

    pairs = [
        ("day 1 : said : the road is closed", "day 3 : told reporters : the road reopened"),
        ("said : seven police officers were killed", "said : at least 12 police officers died"),
        ("said : the talks will resume on monday", "said : the weather was cold"),
        ("said : we did not fire on the crowd", "told reporters : troops fired on protesters"),
    ]
    enc = tok([a for a, _ in pairs], [b for _, b in pairs], padding=True, return_tensors="pt")
    with torch.no_grad():
        mine = torch.softmax(model(**enc).logits, -1)[:, 1].numpy()
    session = ort.InferenceSession(str(args.folder / "model.int8.onnx"))
    theirs = []
    for k in range(len(pairs)):  # one at a time, as newsgraph reads them
        feed = {n: enc[n][k : k + 1].numpy().astype(np.int64) for n in
                ("input_ids", "attention_mask", "token_type_ids")}  # fmt: skip
        logits = session.run(None, feed)[0][0]
        theirs.append(float(np.exp(logits[1]) / np.exp(logits).sum()))
    for (a, b), p, q in zip(pairs, mine, theirs, strict=True):
        print(f"checkpoint {p:.3f}  onnx {q:.3f}  | {a} / {b}")
    print(f"saved {len(loaded)} tensors to {out}")


if __name__ == "__main__":
    main()
