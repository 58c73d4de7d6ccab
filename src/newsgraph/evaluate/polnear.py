"""PolNeAR attribution gold (BRAT standoff) and its conversion to the research-corpus form.

An article's attributions are read from one annotator's ``.ann`` file (the first by name when
several annotated it). Each attribution has a source (absent in about 7%), a cue and a content,
each a list of character spans into the article text; content is often discontinuous.

`seed_form` turns an article into the form of the sample article (lowercased, quote
characters removed, apostrophes split off as in ``clinton s``, punctuation split off by
spaces, one sentence per line) and carries every gold span through, so the same attributions
can be scored on both forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .forms import research_form

Spans = tuple[tuple[int, int], ...]
ROLES = ("source", "cue", "content")


@dataclass(frozen=True)
class Attribution:
    source: Spans
    cue: Spans
    content: Spans

    def role(self, name: str) -> Spans:
        return getattr(self, name)


@dataclass(frozen=True)
class AttributionDocument:
    id: str
    text: str
    published: str | None
    attributions: tuple[Attribution, ...] = field(default=())


_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_DATE = re.compile(r"_(\d{4}-\d{2}-\d{2})_")


def read_ann(ann: str) -> tuple[Attribution, ...]:
    """The attributions of one BRAT file; E lines may name T ids defined later."""
    spans: dict[str, Spans] = {}
    events: list[str] = []
    for line in ann.split("\n"):
        if match := _T_LINE.match(line):
            fragments = tuple(
                (int(a), int(b)) for a, b in (f.split() for f in match.group(3).split(";"))
            )
            spans[match.group(1)] = fragments
        elif match := _E_LINE.match(line):
            events.append(match.group(2))
    found = []
    for event in events:
        roles: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
        for argument in event.split():
            role, _, tid = argument.partition(":")
            role = role.rstrip("0123456789").lower()
            if role in roles and tid in spans:
                roles[role].extend(spans[tid])
        if roles["cue"] or roles["content"]:
            found.append(
                Attribution(*(tuple(sorted(set(roles[r]))) for r in ROLES))  # type: ignore[arg-type]
            )
    return tuple(found)


def read_polnear(root: Path, split: str, limit: int | None = None) -> list[AttributionDocument]:
    """Articles of one split (``train``, ``dev``, ``test``) with one annotator's attributions."""
    folder = root / "data" / split
    if not (folder / "text").is_dir():
        raise InputError(f"no PolNeAR {split} split under {root} (expected {folder}/text)")
    annotations: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        annotations.setdefault(stem, ann)
    documents = []
    for path in sorted((folder / "text").glob("*.txt")):
        if path.stem not in annotations:
            continue
        text = path.read_text(encoding="utf-8")
        date = _DATE.search(path.stem)
        documents.append(
            AttributionDocument(
                path.stem,
                text,
                date.group(1) if date else None,
                read_ann(annotations[path.stem].read_text(encoding="utf-8")),
            )
        )
        if limit and len(documents) >= limit:
            break
    return documents


# ---------------------------------------------------------------- the research-corpus form


def seed_form(document: AttributionDocument) -> AttributionDocument:
    """The document in the sample article's form, with its attributions carried through."""
    converted, carry = research_form(document.text)
    attributions = tuple(
        Attribution(carry(a.source), carry(a.cue), carry(a.content)) for a in document.attributions
    )
    return AttributionDocument(document.id, converted, document.published, attributions)


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """The words the scorer counts: runs of letters and digits (punctuation is not scored)."""
    for match in re.finditer(r"\w+", text):
        yield match.span()
