"""Build the name and role tables newsgraph ships, from the MIT-licensed Phoenix/CAMEO dictionaries.

- ``src/newsgraph/models/actors.tsv``: actors with their alternative names (``ISIS``, ``ISIL``,
  ``Daesh`` for Islamic State), from the non-country blocks of Phoenix.Countries.actors.txt
  and the whole of Phoenix.International.actors.txt and Phoenix.MilNonState.actors.txt.
  One line per dictionary block, primary name first. Country blocks are left out: their
  synonym lists mix cities in.
- ``src/newsgraph/models/roles.tsv``: role nouns ("spokesman", "militia") and their CAMEO agent
  codes, from Phoenix.agents.txt.

    python scripts/build_dictionaries.py ../shared/data/petrarch/dictionaries
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/newsgraph/models"
NOTICE = (
    "# Derived from the Phoenix/CAMEO dictionaries (c) 2014-2016 Open Event Data Alliance, MIT\n"
    "# licence (petrarch2, data/dictionaries); made by scripts/build_dictionaries.py\n"
)
SMALL = {
    "of",
    "and",
    "the",
    "for",
    "in",
    "on",
    "at",
    "to",
    "de",
    "du",
    "des",
    "la",
    "le",
    "el",
    "al",
}
NAME_PARTICLES = {"AL", "EL", "LA", "LE", "DE", "DA", "DI", "DU", "BIN", "IBN", "ABU", "VAN", "VON"}
COUNTRY_CODE = re.compile(r"\[[A-Z]{3}[\s\]]")
PAREN_ACRONYM = re.compile(r"\(([A-Z0-9.&'-]{2,10})\)")


def blocks(path: Path):
    """(primary name, [synonyms], [codes]) for each entry of a Phoenix actor file."""
    current = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line[0].isalnum():
            if current:
                yield current
            match = re.match(r"([^\s\[]+)\s*(\[[^\]]*\])?", line)
            current = (match.group(1), [], [match.group(2)] if match.group(2) else [])
        elif current and line.startswith("+"):
            current[1].extend(re.findall(r"\+([^\s+\[]+)", line))
            current[2].extend(re.findall(r"\[[^\]]*\]", line))
        elif current and line.lstrip().startswith("["):
            current[2].append(line.strip())
    if current:
        yield current


def display(name: str) -> str:
    """PHOENIX_STYLE_NAME_ -> Phoenix Style Name; short all-letter words stay acronyms."""
    words = [w for w in name.replace("_", " ").split() if w]
    if words and words[0] == "THE" and len(words) > 1:
        words = words[1:]
    shown = []
    for position, word in enumerate(words):
        letters = re.sub(r"[^A-Z]", "", word)
        if position and word.lower() in SMALL:
            shown.append(word.lower())
        elif word in NAME_PARTICLES:
            shown.append(word.capitalize())
        elif (len(words) == 1 and len(letters) <= 4) or (
            len(letters) <= 4 and ("." in word or not re.search(r"[AEIOUY]", letters[1:]))
        ):
            shown.append(word)  # ISIS, NATO, U.N., ANSF
        else:
            shown.append("-".join(p[:1] + p[1:].lower() for p in word.split("-")))
    return " ".join(shown)


def names_of(primary: str, synonyms: list[str]) -> list[str]:
    names = []
    for raw in [primary, *synonyms]:
        acronym = PAREN_ACRONYM.search(raw)
        base = PAREN_ACRONYM.sub("", raw).strip("_ ")
        for candidate in (base, acronym.group(1) if acronym else None):
            if candidate and re.search("[A-Z]", candidate):
                shown = display(candidate)
                if shown and shown not in names:
                    names.append(shown)
    return names


def is_country_block(codes: list[str]) -> bool:
    return any(COUNTRY_CODE.match(code) for code in codes)


def build_actors(folder: Path) -> list[tuple[str, str, list[str]]]:
    entries: list[tuple[str, list[str]]] = []
    sources = [
        ("Phoenix.MilNonState.actors.txt", "ORG", False),
        ("Phoenix.International.actors.txt", "ORG", False),
        ("Phoenix.Countries.actors.txt", "ORG", True),
    ]
    for filename, kind, skip_countries in sources:
        for primary, synonyms, codes in blocks(folder / filename):
            if skip_countries and (is_country_block(codes) or not synonyms):
                continue
            names = names_of(primary, synonyms)
            if len(names) > 1:
                entries.append((kind, names))
    # Blocks are kept apart: Phoenix lists members and leaders under their group's code,
    # so merging blocks that share a name would chain unrelated actors together.
    return [(names[0], kind, names[1:]) for kind, names in entries]


def build_roles(folder: Path) -> list[tuple[str, str]]:
    macros: dict[str, list[str]] = {}
    roles: dict[str, str] = {}
    for raw in (folder / "Phoenix.agents.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        macro = re.match(r"(![A-Z]+!)\s*=\s*(.+)", line)
        if macro:
            macros[macro.group(1)] = [w.strip() for w in macro.group(2).split(",")]
            continue
        entry = re.match(r"([A-Z!_'-]+)\s*\[([^\]]+)\]", line)
        if not entry:
            continue
        pattern, code = entry.group(1), entry.group(2).strip()
        expansions = [pattern]
        for name, words in macros.items():
            if name in pattern:
                expansions = [e.replace(name, w) for e in expansions for w in words]
        for expansion in expansions:
            noun = expansion.replace("_", " ").strip().lower()
            if noun and "!" not in noun:
                roles.setdefault(noun, code)
    return sorted(roles.items())


def main(folder: str) -> None:
    source = Path(folder)
    actors = build_actors(source)
    with (OUT / "actors.tsv").open("w", encoding="utf-8") as out:
        out.write(NOTICE + "# name<TAB>type<TAB>other names separated by |\n")
        for name, kind, others in sorted(actors):
            out.write(f"{name}\t{kind}\t{'|'.join(others)}\n")
    roles = build_roles(source)
    with (OUT / "roles.tsv").open("w", encoding="utf-8") as out:
        out.write(NOTICE + "# role noun<TAB>CAMEO agent code\n")
        out.writelines(f"{noun}\t{code}\n" for noun, code in roles)
    print(f"wrote {len(actors)} actors and {len(roles)} roles to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/petrarch/dictionaries")
