"""Reading articles: `.txt` (one article), `.jsonl` / `.json` / `.csv` records, directories, stdin.

Bad input never stops a batch: each problem is reported once through `on_problem` as a
one-line message, and the good records around it are still read. Text is decoded without
newline translation; UTF-8 first (a byte-order mark is dropped), then Windows-1252 or
Latin-1 with a warning.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .article import Article
from .errors import InputError

RECORD_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}
TEXT_SUFFIXES = {".txt", ".text"}
FORMATS = ("auto", "txt", "jsonl", "json", "csv")

Problem = Callable[[str], None]


@dataclass(frozen=True)
class Defaults:
    """Metadata for articles whose input does not give it (from `--source`, `--published`)."""

    source: str | None = None
    published: date | None = None


def decode(data: bytes, name: str, on_problem: Problem) -> str:
    """Bytes to text: UTF-8, else Windows-1252/Latin-1 with a warning; binary data is refused."""
    if looks_binary(data):
        raise InputError(f"{name}: looks like a binary file, not text; skipped")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        label = "Windows-1252" if encoding == "cp1252" else "Latin-1"
        on_problem(f"warning: {name}: not valid UTF-8, decoded as {label}")
        return text
    raise InputError(f"{name}: cannot be decoded as text")  # unreachable: latin-1 takes all


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB mean binary data."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and control / len(head) > 0.05


def parse_published(value: Any, where: str, on_problem: Problem) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            try:
                return datetime.fromisoformat(value).date()
            except ValueError:
                pass
    on_problem(f"warning: {where}: 'published' {value!r} is not a YYYY-MM-DD date; ignored")
    return None


def article_from_record(
    record: Any, where: str, defaults: Defaults, on_problem: Problem
) -> Article | None:
    """An `Article` from a JSON/CSV record, or None (with a message) when it has no text."""
    if not isinstance(record, dict):
        on_problem(f"warning: {where}: record is not an object; skipped")
        return None
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        on_problem(f"warning: {where}: record has no 'text'; skipped")
        return None

    def meta(key: str) -> str | None:
        value = record.get(key)
        return str(value) if value not in (None, "") else None

    published = parse_published(record.get("published"), where, on_problem)
    return Article.from_text(
        text,
        id=meta("id"),
        source=meta("source") or defaults.source,
        published=published or defaults.published,
        title=meta("title"),
        url=meta("url"),
    )


def articles_from_text(
    text: str, name: str, fmt: str, defaults: Defaults, on_problem: Problem
) -> Iterator[Article]:
    if fmt == "txt":
        if not text.strip():
            raise InputError(f"{name}: empty file; nothing to analyze")
        yield Article.from_text(text, source=defaults.source, published=defaults.published)
    elif fmt == "jsonl":
        yield from _jsonl(text, name, defaults, on_problem)
    elif fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
        records = data if isinstance(data, list) else [data]
        for number, record in enumerate(records, start=1):
            article = article_from_record(record, f"{name}[{number}]", defaults, on_problem)
            if article:
                yield article
    elif fmt == "csv":
        yield from _csv(text, name, defaults, on_problem)
    else:
        raise InputError(f"{name}: unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _jsonl(text: str, name: str, defaults: Defaults, on_problem: Problem) -> Iterator[Article]:
    found_any = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found_any = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            on_problem(f"warning: {name}:{number}: not valid JSON ({exc.msg}); skipped")
            continue
        article = article_from_record(record, f"{name}:{number}", defaults, on_problem)
        if article:
            yield article
    if not found_any:
        raise InputError(f"{name}: empty file; nothing to analyze")


def _csv(text: str, name: str, defaults: Defaults, on_problem: Problem) -> Iterator[Article]:
    if not text.strip():
        raise InputError(f"{name}: empty file; nothing to analyze")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "text" not in fields:
        raise InputError(f"{name}: CSV has no 'text' column (columns: {', '.join(fields)})")
    reader.fieldnames = fields
    try:
        for row in reader:
            where = f"{name}:{reader.line_num}"
            article = article_from_record(row, where, defaults, on_problem)
            if article:
                yield article
    except csv.Error as exc:
        on_problem(
            f"warning: {name}:{reader.line_num}: malformed CSV ({exc}); rest of file skipped"
        )


def format_for(path: Path, requested: str) -> str:
    if requested != "auto":
        return requested
    return RECORD_SUFFIXES.get(path.suffix.lower(), "txt")


def sniff_format(text: str) -> str:
    """For stdin: JSON Lines when the first non-blank character opens an object."""
    stripped = text.lstrip()
    return "jsonl" if stripped.startswith("{") else "txt"


def expand(paths: Iterable[str], on_problem: Problem) -> Iterator[str | Path]:
    """Paths as given, directories replaced by the article files below them (sorted)."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and (p.suffix.lower() in RECORD_SUFFIXES or p.suffix.lower() in TEXT_SUFFIXES)
            )
            if not files:
                on_problem(f"warning: {raw}: directory holds no .txt, .jsonl, .json or .csv files")
            yield from files
        else:
            yield path


def read_articles(
    paths: Iterable[str],
    *,
    defaults: Defaults = Defaults(),
    fmt: str = "auto",
    on_problem: Problem = lambda message: print(message, file=sys.stderr),
    stdin: io.BufferedIOBase | None = None,
) -> Iterator[Article]:
    """Every article in `paths`, in input order; problems go to `on_problem`, one line each."""
    for item in expand(paths, on_problem):
        try:
            if item == "-":
                data = (stdin or sys.stdin.buffer).read()
                name = "<stdin>"
                text = decode(data, name, on_problem)
                chosen = fmt if fmt != "auto" else sniff_format(text)
            else:
                assert isinstance(item, Path)
                name = str(item)
                data = _read_bytes(item)
                text = decode(data, name, on_problem)
                chosen = format_for(item, fmt)
            yield from articles_from_text(text, name, chosen, defaults, on_problem)
        except InputError as exc:
            on_problem(f"error: {exc}")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
