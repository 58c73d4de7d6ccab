"""The one way newsgraph opens its ONNX models."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import ModelError


def require_files(folder: Path, names: tuple[str, ...]) -> None:
    """Fail with a clear error when a shipped model folder lacks one of its files."""
    for name in names:
        if not (folder / name).is_file():
            raise ModelError(f"{folder / name} is missing; reinstall newsgraph")


def onnx_session(model: Path, threads: int | None = None) -> tuple[Any, set[str]]:
    """An onnxruntime CPU session on `model` and the names of its inputs; `threads` intra-op
    threads, else the NEWSGRAPH_THREADS environment variable, else onnxruntime's choice."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or int(os.environ.get("NEWSGRAPH_THREADS", "0"))
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    return session, {i.name for i in session.get_inputs()}


def text_model_parts(what: str, folder: Path, files: tuple[str, ...]) -> tuple[Any, dict, Any]:
    """numpy, the folder's ``config.json`` and its ``tokenizer.json`` for a shipped MiniLM
    model (`what`: "the stance model"), with clear errors when a library or a file of
    `files` is missing."""
    try:
        import numpy as np
        import onnxruntime  # noqa: F401 (missing: the clear error below)
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelError(
            f"{what} needs onnxruntime, tokenizers and numpy ({exc.name} is missing): "
            "pip install onnxruntime tokenizers numpy"
        ) from exc
    require_files(folder, ("config.json", "tokenizer.json", *files))
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    return np, config, Tokenizer.from_file(str(folder / "tokenizer.json"))
