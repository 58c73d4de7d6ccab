"""Shared fixtures: paths to the gold data (tests skip without it) and a CLI runner."""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
SEED = SHARED / "seed" / "raqqa_withdrawal.txt"
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip("the sample article in ../shared/seed is not here")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def gold_data() -> Path:
    if not DATA.is_dir():
        pytest.skip("the gold data in ../shared/data is not here")
    return DATA


@dataclass
class Result:
    code: int
    out: str
    err: str


class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


@pytest.fixture
def run(capsys, monkeypatch):
    """Run the `newsgraph` entry point in-process, as a user would from the shell."""
    from newsgraph.cli import main

    def invoke(*args: str, stdin: bytes = b"") -> Result:
        monkeypatch.setattr(sys, "stdin", _Stdin(stdin))
        capsys.readouterr()
        try:
            main(["--quiet", *args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


# CI runs the property tests derandomized, so a run is repeatable; locally they explore.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("thorough", max_examples=2000)
if os.environ.get("CI"):
    settings.load_profile("ci")
