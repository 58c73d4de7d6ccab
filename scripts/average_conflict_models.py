"""Average the weights of two conflict-model checkpoints and package the mean.

Runs in the training venv, like ``train_conflicts_minilm.py``:

    HF_HUB_OFFLINE=1 /work/train/venv/bin/python scripts/average_conflict_models.py \\
        /work/train/conflicts/run6/model /work/train/conflicts/run7/model \\
        --work /work/train/conflicts/soup67 --out src/newsgraph/models/conflict-minilm \\
        --threshold 0.7

Two runs of one model, the second continued from the first on other data, each read some
pairs better; the mean of their weights (``--weight`` of the second) reads pairs of sets
neither saw better than either alone. The mean is saved to ``--work``/model, exported to
ONNX and quantized as a trained model is, and packaged into ``--out``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from train_conflicts_minilm import package  # noqa: E402
from train_stance_minilm import export  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path, help="a checkpoint (a --work/model of a run)")
    parser.add_argument("second", type=Path)
    parser.add_argument("--weight", type=float, default=0.5, help="the second's share")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--max-length", type=int, default=160)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--own-threshold", type=float)
    parser.add_argument("--veto", type=float, default=0.05)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(str(args.first))
    other = AutoModelForSequenceClassification.from_pretrained(str(args.second)).state_dict()
    w = args.weight
    mean = {
        k: v * (1 - w) + other[k] * w if v.is_floating_point() else v
        for k, v in model.state_dict().items()
    }
    model.load_state_dict(mean)
    model.save_pretrained(args.work / "model")
    AutoTokenizer.from_pretrained(str(args.first)).save_pretrained(args.work / "model")
    export(args)  # --work/model -> --work/model.int8.onnx
    summary = {"mean_of": [str(args.first), str(args.second)], "weight_of_second": w}
    package(args, args.work / "model.int8.onnx", summary)
    print(f"packaged the mean of {args.first} and {args.second} into {args.out}")


if __name__ == "__main__":
    main()
