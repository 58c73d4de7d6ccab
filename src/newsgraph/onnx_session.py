"""The one way newsgraph opens its ONNX models."""

from __future__ import annotations

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
