"""The `form` stage: is the text caseless, is it tokenized, and a cased view for the models.

Research corpora give news lowercased and space-tokenized, one sentence per line. Models
trained on ordinary text miss names there, so this stage builds a *view*: the text with case
restored from a truecasing lexicon. The view keeps every character at its place (case changes
never change length), and `TextView.to_source` maps view offsets back to `article.text`
for views that do change length. `article.text` itself is never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from ..article import Analysis, Form
from ..knowledge import ABBREVIATIONS
from ..pipeline import stage

#: Below this share of uppercase letters the text is treated as carrying no case.
CASELESS_UPPER_SHARE = 0.01
#: A text is tokenized when at least this share of its punctuation stands apart.
TOKENIZED_SHARE = 0.6

_WORD = re.compile(r"[^\W_][\w.&'\-]*")
_PUNCT = re.compile(r"[,;:!?)]|\.(?=\s*(?:\n|$))")


@dataclass(frozen=True)
class TextView:
    """A version of the article text for models, with a map back to the original offsets.

    `origin` is None when the view has the same length as the source (index i of the view is
    index i of the source); otherwise ``origin[i]`` is the source offset of view character i,
    with one extra entry for the end.
    """

    text: str
    origin: tuple[int, ...] | None = None

    def to_source(self, offset: int) -> int:
        return offset if self.origin is None else self.origin[offset]


def detect_form(text: str) -> Form:
    """`caseless` when (nearly) all letters share one case, `raw` otherwise."""
    letters = upper = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            upper += ch.isupper()
    if letters == 0:
        return "raw"
    share = upper / letters
    return "caseless" if share < CASELESS_UPPER_SHARE or share > 1 - CASELESS_UPPER_SHARE else "raw"


def detect_tokenized(text: str) -> bool:
    """True when punctuation is split off by spaces (``said , as``), as in research corpora."""
    marks = list(_PUNCT.finditer(text))
    if not marks:
        return False
    apart = sum(1 for m in marks if m.start() > 0 and text[m.start() - 1] in " \t")
    return apart / len(marks) >= TOKENIZED_SHARE


@lru_cache(maxsize=1)
def truecase_lexicon() -> dict[str, str]:
    """Lowercased word -> its usual written form, for words usually written with capitals.

    Built by ``scripts/build_truecase.py`` from word counts (see the file's header).
    """
    lexicon: dict[str, str] = {}
    source = resources.files("newsgraph.models").joinpath("truecase.tsv")
    for line in source.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, cased = line.partition("\t")
            lexicon[word] = cased
    return lexicon


def truecase(text: str, *, sentence_per_line: bool) -> str:
    """Restore likely capitals in caseless text; the result has exactly the same length.

    Known names get their usual form from the lexicon; the first word of each sentence gets a
    capital. Unknown words stay lowercase: guessing them is the entity model's job.
    """
    lexicon = truecase_lexicon()
    lowered = lower_in_place(text)
    chars = list(lowered)
    previous_end = 0
    previous_word = ""
    for match in _WORD.finditer(lowered):
        word = match.group()
        gap = lowered[previous_end : match.start()]
        starts_sentence = (
            previous_end == 0
            or any(mark in gap for mark in ".!?")
            or (sentence_per_line and "\n" in gap)
            or _ends_sentence(previous_word)
        )
        cased = _cased_form(word, lexicon)
        if cased is None and starts_sentence:
            cased = word[:1].upper() + word[1:]
        if cased is not None and len(cased) == len(word):
            chars[match.start() : match.end()] = cased
        previous_end, previous_word = match.end(), word
    return "".join(chars)


def lower_in_place(text: str) -> str:
    """`str.lower` that never changes the length (a few letters lower to two characters)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _ends_sentence(word: str) -> bool:
    """A word that swallowed a sentence-final period ("said."), not an abbreviation."""
    if not word.endswith("."):
        return False
    stem = word[:-1]
    return "." not in stem and stem not in ABBREVIATIONS and len(stem) > 1


def _cased_form(word: str, lexicon: dict[str, str]) -> str | None:
    if word in lexicon:
        return lexicon[word]
    if "-" in word:
        parts = word.split("-")
        cased = [lexicon.get(p, p) for p in parts]
        if cased != parts:
            return "-".join(cased)
    stripped = word.rstrip(".")
    if stripped != word and stripped in lexicon:
        return lexicon[stripped] + word[len(stripped) :]
    return None


@stage("form", requires=("article",), assigns=("form", "tokenized", "view"))
def detect_form_stage(analysis: Analysis) -> Analysis:
    text = analysis.text
    form = detect_form(text)
    tokenized = detect_tokenized(text)
    view_text = truecase(text, sentence_per_line=tokenized) if form == "caseless" else text
    layers = {**analysis.layers, "view": TextView(view_text)}
    return replace(analysis, form=form, tokenized=tokenized, layers=layers)
