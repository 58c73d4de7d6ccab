"""The research-corpus form of a gold text, with gold offsets carried through.

The sample article's form: lowercased, quote characters removed, apostrophes dropped (so
``Clinton’s`` becomes ``clinton s``: the tokenizer splits the ``’s`` off), punctuation split off
by spaces, one sentence per line. Gold sets are converted with spaCy's tokens and sentences so
each one can be scored on both forms.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Spans = tuple[tuple[int, int], ...]

_QUOTES = set('"“”„«»`')
_APOSTROPHES = set("'’‘")


def _research_token(token: str) -> str:
    """A token as the research corpus writes it: lowercase, quote characters dropped,
    apostrophes gone (``’s`` -> ``s``)."""
    kept = "".join(c for c in token if c not in _QUOTES and c not in _APOSTROPHES)
    return kept.lower()


def research_form(text: str) -> tuple[str, Callable[[Spans], Spans]]:
    """`text` in research form, and a function that moves spans of `text` onto it (a span
    covers the converted tokens it overlapped; spans over dropped characters vanish)."""
    from ..stages.nlp import load_spacy

    nlp = load_spacy(ner=False)
    lines: list[str] = []
    position = 0  # length of the output so far
    starts: dict[int, int] = {}  # source token start -> output start
    ends: dict[int, int] = {}  # source token end -> output end
    token_spans: list[tuple[int, int]] = []
    for paragraph in re.finditer(r"[^\n]+", text):
        doc = nlp(paragraph.group())
        for sentence in doc.sents:
            words = []
            for token in sentence:
                shown = _research_token(token.text.strip())
                if not shown:
                    continue
                start = paragraph.start() + token.idx
                end = start + len(token.text)
                out = position + sum(len(w) + 1 for w in words)
                starts[start], ends[end] = out, out + len(shown)
                token_spans.append((start, end))
                words.append(shown)
            if words:
                line = " ".join(words)
                lines.append(line)
                position += len(line) + 1
    converted = "\n".join(lines) + "\n"

    def carry(spans: Spans) -> Spans:
        moved = []
        for a, b in spans:
            inside = [(s, e) for s, e in token_spans if s < b and a < e]
            if inside:
                moved.append((starts[inside[0][0]], ends[inside[-1][1]]))
        return tuple(moved)

    return converted, carry
