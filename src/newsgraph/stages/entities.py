"""The `entities` stage: named mentions typed PERSON / ORG / LOC / MISC, grouped into entities.

Mentions come from the spaCy model's entity recognizer run on the cased view, with its
OntoNotes labels mapped to the four CoNLL types (numbers, dates and money are not entities).
Mentions that name the same referent (same normalised name, or a surname standing for a full
name found earlier) form one document entity with a display-cased `name` and `aliases`.
Pronouns and descriptions ("he", "the spokesman") are not linked here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from ..article import Analysis, Entity, EntityType, Mention
from ..pipeline import stage
from .form import TextView

#: spaCy (OntoNotes) labels -> newsgraph types; labels not listed are not entities.
LABEL_MAP: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
}

_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:\s*['’]s|\s+s|['’])$", re.IGNORECASE)
_LOWER_WORDS = frozenset(
    [
        "of",
        "the",
        "for",
        "and",
        "in",
        "on",
        "at",
        "to",
        "de",
        "del",
        "da",
        "di",
        "von",
        "van",
        "bin",
        "al",
        "le",
        "la",
    ]
)


def mentions_from_docs(text: str, view: TextView, docs: Iterable) -> Iterator[Mention]:
    """Typed mentions with offsets into `text`, determiners and possessives trimmed off."""
    for offset, doc in docs:
        for ent in doc.ents:
            kind = LABEL_MAP.get(ent.label_)
            if kind is None:
                continue
            start = view.to_source(offset + ent.start_char)
            end = view.to_source(offset + ent.end_char)
            start, end = _trim(text, start, end)
            if end > start:
                yield Mention(start, end, text[start:end], kind)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    span = text[start:end]
    lead = _LEADING.match(span)
    if lead and lead.end() < len(span):
        start += lead.end()
    tail = _TRAILING.search(text[start:end])
    if tail and tail.start() > 0:
        end = start + tail.start()
    return start, end


def normalize(name: str) -> str:
    """The key under which mentions of one name meet: lowercase, single spaces."""
    return " ".join(name.lower().replace("’", "'").split())


@dataclass
class _Group:
    mentions: list[Mention] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)

    @property
    def type(self) -> EntityType:
        return Counter(m.type for m in self.mentions).most_common(1)[0][0]


def group_mentions(mentions: Iterable[Mention]) -> list[_Group]:
    """Group mentions that name the same referent, in order of first appearance.

    A one-word PERSON mention joins the earlier PERSON whose name ends (or starts) with it.
    """
    groups: list[_Group] = []
    by_key: dict[str, _Group] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        key = normalize(mention.text)
        group = by_key.get(key) or _short_form_of(key, mention, groups)
        if group is None:
            group = _Group()
            groups.append(group)
        group.mentions.append(mention)
        group.keys.add(key)
        by_key.setdefault(key, group)
    return groups


def _short_form_of(key: str, mention: Mention, groups: list[_Group]) -> _Group | None:
    if mention.type != "PERSON" or " " in key:
        return None
    for group in reversed(groups):
        if group.type != "PERSON":
            continue
        for other in group.keys:
            words = other.split()
            if len(words) > 1 and key in (words[-1], words[0]):
                return group
    return None


def display_name(surface: str, view_surface: str, kind: EntityType, caseless: bool) -> str:
    """A properly cased name: the text as written, or for caseless text a restored form."""
    name = " ".join(surface.split())
    if not caseless:
        return name
    words = view_surface.split()
    if len(words) == 1 and kind == "ORG" and len(words[0]) <= 4 and words[0].isalpha():
        return words[0].upper()
    cased = []
    for position, word in enumerate(words):
        if word != word.lower() or position > 0 and word in _LOWER_WORDS:
            cased.append(word)
        else:
            cased.append("-".join(p[:1].upper() + p[1:] for p in word.split("-")))
    return " ".join(cased)


def entities_from_groups(
    groups: list[_Group], view: TextView, caseless: bool
) -> tuple[Entity, ...]:
    entities = []
    for number, group in enumerate(groups, start=1):
        kind = group.type

        def shown(m: Mention, kind: EntityType = kind) -> str:
            view_text = view.text[m.start : m.end] if view.origin is None else m.text
            return display_name(m.text, view_text, kind, caseless)

        # The fullest name is the canonical one; ties go to the most frequent spelling.
        counts = Counter(shown(m) for m in group.mentions)
        name = max(counts, key=lambda n: (len(n.split()), counts[n], len(n)))
        aliases = tuple(sorted({n for n in counts if normalize(n) != normalize(name)}))
        entities.append(
            Entity(
                id=f"e{number}",
                name=name,
                type=kind,
                aliases=aliases,
                mentions=tuple(group.mentions),
            )
        )
    return tuple(entities)


@stage("entities", requires=("docs", "form", "view"), assigns=("entities",))
def entities_stage(analysis: Analysis) -> Analysis:
    view: TextView = analysis.layers["view"]
    mentions = mentions_from_docs(analysis.text, view, analysis.layers["docs"])
    groups = group_mentions(mentions)
    entities = entities_from_groups(groups, view, analysis.form == "caseless")
    return replace(analysis, entities=entities)
