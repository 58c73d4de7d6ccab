"""Build src/newsgraph/models/truecase.tsv and lowercase.txt from word counts of news text.

truecase.tsv gives the usual written form of words seen with capitals; lowercase.txt lists
the words usually written in lower case (ordinary words, which a name found in caseless text
must not be confused with).

Counts every word's written forms in the CoNLL-2003 training portion (Reuters news, 1996),
leaving out sentence-initial words and ALL-CAPS lines, which say nothing about a word's case.
A word enters the lexicon when its most frequent form is not all lowercase. Only the derived
table ships; the news text stays in ../shared/data.

    python scripts/build_truecase.py ../shared/data/conll2003/eng.train
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

MODELS = Path(__file__).resolve().parent.parent / "src/newsgraph/models"
OUT = MODELS / "truecase.tsv"
LOWERCASE = MODELS / "lowercase.txt"


def sentences(path: Path):
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                yield words
            words = []
        elif not line.startswith("-DOCSTART-"):
            words.append(line.split(" ")[0])
    if words:
        yield words


def main(path: str) -> None:
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for words in sentences(Path(path)):
        letters = [w for w in words if any(c.isalpha() for c in w)]
        shouting = sum(w.isupper() for w in letters)
        if letters and shouting / len(letters) > 0.5:
            continue
        for word in words[1:]:
            if any(c.isalpha() for c in word):
                forms[word.lower()][word] += 1
    rows = []
    for key, counter in forms.items():
        best, count = counter.most_common(1)[0]
        if (
            best != key
            and len(best) == len(key)
            and count >= 0.75 * counter.total()
            and (count >= 2 or counter.total() == count)
        ):
            rows.append((key, best))
    rows.sort()
    header = (
        "# lowercased word<TAB>usual written form; made by scripts/build_truecase.py from word\n"
        "# counts of the CoNLL-2003 English training portion (../shared/data/conll2003/eng.train)\n"
    )
    OUT.write_text(header + "".join(f"{k}\t{v}\n" for k, v in rows), encoding="utf-8")
    common = sorted(
        key
        for key, counter in forms.items()
        if counter[key] >= 2 and counter[key] >= 0.5 * counter.total()
    )
    LOWERCASE.write_text(
        "# words usually written in lower case; made by scripts/build_truecase.py from word\n"
        "# counts of the CoNLL-2003 English training portion (../shared/data/conll2003/eng.train)\n"
        + "".join(f"{w}\n" for w in common),
        encoding="utf-8",
    )
    print(f"wrote {len(rows)} entries to {OUT} and {len(common)} to {LOWERCASE}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/conll2003/eng.train")
