"""The `quantities` stage: counts and amounts with what they count.

A quantity is a number (digits or words: "400", "1.2 billion", "forty", "a dozen"), or a vague
count ("dozens of", "hundreds of", "several"), with the noun it counts as its ``unit``
("civilians", "buses", "euros", "percent"). Hedges are kept in the text but do not change the
value ("some 400 civilians" -> 400 civilians); ranges ("between 300 and 400 fighters") and
vague counts ("dozens of buses") have ``value = None``.
Years, dates and times found by the `times` stage are not quantities.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..article import Analysis, Quantity
from ..pipeline import stage
from .nlp import Token

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "dozen": 12, "a dozen": 12, "a hundred": 100,
    "a thousand": 1000,
}  # fmt: skip
WORD_NUMBERS.update(  # "sixty-four"
    {
        f"{tens}-{ones}": WORD_NUMBERS[tens] + WORD_NUMBERS[ones]
        for tens in "twenty thirty forty fifty sixty seventy eighty ninety".split()
        for ones in "one two three four five six seven eight nine".split()
    }
)
SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9,
    "bln": 1e9, "bn": 1e9, "trillion": 1e12,
}  # fmt: skip
VAGUE = (
    "dozens", "scores", "hundreds", "thousands", "tens of thousands", "hundreds of thousands",
    "millions", "billions", "several", "a few", "a handful", "many", "numerous",
)  # fmt: skip
CURRENCIES = {"$": "dollars", "us$": "dollars", "€": "euros", "£": "pounds", "¥": "yen"}
_HEDGE = (
    r"(?:some|about|around|roughly|nearly|almost|approximately|an estimated|estimated|"
    r"more than|over|at least|up to|fewer than|less than|as many as|close to)"
)
_NUMBER_WORDS = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))
_SCALE = r"(?:\s*(?:hundred|thousand|million|mln|billion|bln|bn|trillion)\b)?"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = (
    rf"(?:(?P<currency>us\$|\$|€|£|¥)\s*)?(?P<number>{_DIGITS}|{_NUMBER_WORDS})(?P<scale>{_SCALE})"
)
_PATTERN = re.compile(
    rf"(?<![\w.,])(?:(?P<hedge>{_HEDGE})\s+)?(?:between\s+(?P<low>{_DIGITS}|{_NUMBER_WORDS})"
    rf"\s+and\s+|(?P<low2>{_DIGITS})\s*(?:-|to)\s*)?{_AMOUNT}"
    rf"(?P<percent>\s*(?:%|percent|per cent))?(?![\w,]\d)",
    re.IGNORECASE,
)
_VAGUE_PATTERN = re.compile(
    r"(?<![\w])(?P<vague>" + "|".join(sorted(VAGUE, key=len, reverse=True)) + r")(?:\s+of)?(?=\s)",
    re.IGNORECASE,
)
#: Words that a number's noun may be, when tokens are not tagged as nouns.
_STOP_UNITS = {"of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "for", "by"}


def _number(word: str) -> float | None:
    word = word.lower().replace(",", "")
    if word in WORD_NUMBERS:
        return float(WORD_NUMBERS[word])
    try:
        return float(word)
    except ValueError:
        return None


def _tidy(value: float) -> float | int:
    return int(value) if value == int(value) and abs(value) < 1e15 else value


def _unit_after(tokens: Sequence[Token], starts: dict[int, int], end: int) -> tuple[str, int]:
    """The noun a quantity counts: the head of the noun phrase right after it ("400 [civilian]
    [hostages]" -> "hostages"); ("", end) when none follows."""
    i = starts.get(end)
    if i is None:
        return "", end
    if tokens[i].lower == "of":  # "dozens of buses"
        i += 1
        if i < len(tokens) and tokens[i].lower in ("the", "their", "its"):
            i += 1
    last = None
    j = i
    while j < len(tokens) and j - i < 5 and tokens[j].sentence == tokens[i].sentence:
        t = tokens[j]
        if t.pos in ("NOUN", "PROPN") and t.lower not in _STOP_UNITS:
            last = j
        elif (
            t.pos == "ADJ"
            or (t.pos == "VERB" and t.tag == "VBN")
            or t.lower == "-"
            or (t.tag == "VBG" and j > i and tokens[j - 1].lower == "-")  # "vote-counting"
            or (t.lower in ("and", "or") and last is None and j > i)  # "current and former"
        ):
            pass
        else:
            break
        j += 1
    if last is None:
        return "", end
    return tokens[last].lower, tokens[last].end


_IDIOM_BEFORE = {"on", "no", "at", "any", "every", "each", "the", "this", "that", "which"}
_IDIOM_AFTER = {"of", "side", "another", "day", "way", "time", "hand", "point"}


def _idiom(text: str, m: re.Match[str]) -> bool:
    """ "on one side", "one of them", "no one": "one" that counts nothing."""
    if m.group("number").lower() != "one" or m.group("hedge"):
        return False
    before = text[max(0, m.start() - 12) : m.start()].lower().split()[-1:]
    after = text[m.end() : m.end() + 12].lower().split()[:1]
    return bool(set(before) & _IDIOM_BEFORE or set(after) & _IDIOM_AFTER)


def find_quantities(
    text: str, tokens: Sequence[Token], taken: Sequence[tuple[int, int]] = ()
) -> list[Quantity]:
    """Quantities in `text`, avoiding the spans in `taken` (time expressions)."""
    starts: dict[int, int] = {}
    for i, t in enumerate(tokens):
        starts.setdefault(t.start, i)
    # a quantity's noun starts at the first token after its number (skipping spaces)
    after: dict[int, int] = {}

    def next_token(position: int) -> int:
        if position not in after:
            k = position
            while k < len(text) and text[k].isspace():
                k += 1
            after[position] = k
        return after[position]

    found: list[tuple[int, int, float | int | None, str]] = []
    busy = list(taken)

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in busy)

    for m in _PATTERN.finditer(text):
        start, end = m.start(), m.end()
        if not free(start, end):
            continue
        value = _number(m.group("number"))
        if value is None or _idiom(text, m):
            continue
        scale = m.group("scale").strip().lower()
        if scale:
            value *= SCALES.get(scale, 1.0)
        low_word = m.group("low") or m.group("low2")
        low = _number(low_word) if low_word else None
        if low is not None:
            value = None  # a range is no single number
        if m.group("percent"):
            unit = "percent"
        elif m.group("currency"):
            unit = CURRENCIES[m.group("currency").lower()]
            noun, noun_end = _unit_after(tokens, starts, next_token(end))
            if noun in ("dollars", "euros", "pounds"):
                end = noun_end
        else:
            unit, end = _unit_after(tokens, starts, next_token(end))
            if not unit:
                continue  # a bare number: a score, a code, a page
        found.append((start, end, None if value is None else _tidy(value), unit))
        busy.append((start, end))
    for m in _VAGUE_PATTERN.finditer(text):
        start = m.start()
        unit, end = _unit_after(tokens, starts, next_token(m.end()))
        if unit and free(start, end):
            found.append((start, end, None, unit))
            busy.append((start, end))
    found.sort()
    return [
        Quantity(f"q{n}", start, end, text[start:end], value, unit)
        for n, (start, end, value, unit) in enumerate(found, start=1)
    ]


@stage("quantities", requires=("tokens", "times"), assigns=("quantities",))
def quantities_stage(analysis: Analysis) -> Analysis:
    taken = [(t.start, t.end) for t in analysis.times]
    quantities = find_quantities(analysis.text, analysis.layers["tokens"], taken)
    return replace(analysis, quantities=tuple(quantities))
