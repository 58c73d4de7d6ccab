"""CoNLL-2003 files as articles: tokens joined by spaces, one sentence per line, gold spans.

Documents are split at ``-DOCSTART-``. Tags are IOB1 (``I-X`` opens an entity unless it
follows another ``X``; ``B-X`` separates two adjacent entities); PER is reported as PERSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TYPE_NAMES = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
#: WNUT-17's six types folded onto the four newsgraph reports.
WNUT_TYPES = {
    "person": "PERSON",
    "location": "LOC",
    "group": "ORG",
    "corporation": "ORG",
    "creative-work": "MISC",
    "product": "MISC",
}


@dataclass(frozen=True)
class GoldDocument:
    id: str
    text: str
    spans: frozenset[tuple[int, int, str]]  # (start, end, type)


def read_conll(
    path: Path, *, types: dict[str, str] = TYPE_NAMES, sentences_per_document: int = 0
) -> Iterator[GoldDocument]:
    """Every document of a CoNLL-style file, with character-offset gold entity spans.

    Documents end at ``-DOCSTART-``; files without them (WNUT-17) are cut every
    `sentences_per_document` sentences.
    """
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    number = 0

    def flush() -> Iterator[GoldDocument]:
        nonlocal sentences, number
        if current:
            sentences.append(list(current))
            current.clear()
        if sentences:
            number += 1
            yield document_from(f"{path.stem}-{number:04d}", sentences, types)
        sentences = []

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            yield from flush()
        elif not line.strip():
            if current:
                sentences.append(list(current))
                current.clear()
            if sentences_per_document and len(sentences) >= sentences_per_document:
                yield from flush()
        else:
            columns = line.split()
            current.append((columns[0], columns[-1]))
    yield from flush()


def document_from(
    doc_id: str, sentences: list[list[tuple[str, str]]], types: dict[str, str] = TYPE_NAMES
) -> GoldDocument:
    pieces: list[str] = []
    spans: set[tuple[int, int, str]] = set()
    offset = 0
    for sentence_number, sentence in enumerate(sentences):
        if sentence_number:
            pieces.append("\n")
            offset += 1
        open_type: str | None = None
        open_start = 0
        last_end = 0
        for position, (word, tag) in enumerate(sentence):
            if position:
                pieces.append(" ")
                offset += 1
            start, end = offset, offset + len(word)
            prefix, _, kind = tag.partition("-")
            continues = prefix == "I" and kind == open_type
            if open_type and not continues:
                spans.add((open_start, last_end, types[open_type]))
                open_type = None
            if prefix in ("B", "I") and not continues:
                open_type, open_start = kind, start
            pieces.append(word)
            offset = last_end = end
        if open_type:
            spans.add((open_start, last_end, types[open_type]))
    return GoldDocument(doc_id, "".join(pieces), frozenset(spans))
