"""The `references` stage: roles written around names, and words that refer back to entities.

- Roles: "hdwu spokeswoman katrin vollmer" -> Katrin Vollmer, role "HDWU spokeswoman";
  "jens albrecht, a member of the port s works council" -> role "member of the port's works
  council". Titles such as "Col." are kept with the role, never in the name.
- References: personal pronouns go to the latest person named within a few sentences whose
  known gender does not clash; "it"/"its" to an organisation that was the subject just
  before; "the spokesman" to the latest person with that role; "the group" to the latest
  organisation and "the city" to the latest place. What the text leaves unclear is left out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from ..article import Analysis, Entity, Reference
from ..knowledge import HONORIFIC_ABBREVIATIONS, TITLES, country_keys, name_key, role_nouns
from ..pipeline import stage
from .entities import display_name
from .nlp import Token

PERSON_PRONOUNS = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
THING_PRONOUNS = {"it", "its"}
GENDERED_ROLES = {
    "spokesman": "m",
    "chairman": "m",
    "mr": "m",
    "mr.": "m",
    "king": "m",
    "prince": "m",
    "spokeswoman": "f",
    "chairwoman": "f",
    "mrs": "f",
    "mrs.": "f",
    "ms": "f",
    "ms.": "f",
    "queen": "f",
    "princess": "f",
}
GROUP_NOUNS = {
    "group",
    "militia",
    "organization",
    "organisation",
    "company",
    "firm",
    "union",
    "movement",
    "agency",
    "party",
    "bank",
    "alliance",
    "network",
    "authority",
    "ministry",
    "government",
}
PLACE_NOUNS = {"city", "town", "village", "capital", "province", "country", "region", "port"}
#: How many sentences back a reference may reach.
WINDOW = 3


@dataclass
class _Person:
    entity: Entity
    roles: list[str]
    gender: str | None


def roles_and_references(analysis: Analysis) -> tuple[Entity, ...]:
    tokens: tuple[Token, ...] = analysis.layers["tokens"]
    if not tokens:
        return analysis.entities
    caseless = analysis.form == "caseless"
    owner = _token_owners(analysis.entities, tokens)
    people = {e.id: _Person(e, [], None) for e in analysis.entities if e.type == "PERSON"}
    for person in people.values():
        for mention in person.entity.mentions:
            first, last = _token_span(tokens, mention.start, mention.end)
            if first is None:
                continue
            for role in (
                _role_before(tokens, first, owner, analysis, caseless),
                _role_after(tokens, last, owner, analysis, caseless),
            ):
                if role and role not in person.roles:
                    person.roles.append(role)
            title = tokens[first - 1].lower if first else ""
            for word in [title, *" ".join(person.roles).lower().split()]:
                person.gender = person.gender or GENDERED_ROLES.get(word)
    references = _references(analysis.text, tokens, owner, people)
    entities = []
    for entity in analysis.entities:
        found = tuple(sorted(references.get(entity.id, []), key=lambda r: r.start))
        roles = tuple(people[entity.id].roles) if entity.id in people else ()
        entities.append(replace(entity, references=found, roles=roles))
    return tuple(entities)


def _token_owners(entities: tuple[Entity, ...], tokens: Sequence[Token]) -> dict[int, Entity]:
    """Token index -> the entity whose named mention covers it."""
    owner: dict[int, Entity] = {}
    for entity in entities:
        for mention in entity.mentions:
            first, last = _token_span(tokens, mention.start, mention.end)
            if first is not None:
                for i in range(first, last + 1):
                    owner[i] = entity
    return owner


def _token_span(tokens: Sequence[Token], start: int, end: int) -> tuple[int | None, int]:
    """First and last token overlapping ``[start, end)`` (tokens are in text order)."""
    first = bisect_right(tokens, start, key=lambda t: t.end)
    last = first
    while last < len(tokens) and tokens[last].start < end:
        last += 1
    return (first, last - 1) if last > first else (None, -1)


def _role_before(tokens, first, owner, analysis, caseless) -> str | None:
    """Title and role words right before a name: "union spokeswoman dr. katrin vollmer"."""
    roles = role_nouns()
    sentence = tokens[first].sentence
    chain: list[int] = []
    i = first - 1
    while i >= 0 and tokens[i].sentence == sentence and len(chain) < 6:
        t = tokens[i]
        if t.text == "." and i > 0 and tokens[i - 1].lower in _HONORIFICS:
            chain.insert(0, i)  # "col ." as a tokenizer may split it
        elif (
            i in owner
            and owner[i].type != "PERSON"
            or (
                t.lower in TITLES
                or t.lower in roles
                or (t.pos in ("NOUN", "PROPN", "ADJ") and t.dep in ("compound", "amod", "nmod"))
            )
            or t.lower in ("s", "'s")
            and chain
        ):
            chain.insert(0, i)
        else:
            break
        i -= 1
    while chain and tokens[chain[0]].lower in ("s", "'s"):
        chain.pop(0)
    words = [tokens[i].lower for i in chain]
    if not any(w in roles or w.rstrip(".") in roles for w in words if w not in _HONORIFICS):
        return None
    return _render(tokens, chain, owner, analysis, caseless, drop_honorifics=True)


def _role_after(tokens, last, owner, analysis, caseless) -> str | None:
    """An apposition: "jens albrecht , a member of the works council ,"."""
    roles = role_nouns()
    i = last + 1
    if i >= len(tokens) or tokens[i].text != ",":
        return None
    sentence = tokens[last].sentence
    j = i + 1
    if j < len(tokens) and tokens[j].lower in ("a", "an", "the"):
        j += 1
    chain = []
    while j < len(tokens) and tokens[j].sentence == sentence and tokens[j].text not in ",;:()":
        chain.append(j)
        j += 1
        if len(chain) > 10:
            return None
    if not chain or (j < len(tokens) and tokens[j].text != "," and tokens[j].sentence == sentence):
        return None
    head_words = []
    for k in chain:
        if tokens[k].lower in ("of", "at", "for", "with", "in"):
            break
        head_words.append(tokens[k].lower)
    if not head_words or head_words[-1] not in roles:
        return None
    return _render(tokens, chain, owner, analysis, caseless, drop_honorifics=False)


_HONORIFICS = HONORIFIC_ABBREVIATIONS | {w for w in TITLES if w.endswith(".")}


def _render(tokens, chain, owner, analysis, caseless, *, drop_honorifics: bool) -> str | None:
    """Role words as a reader would write them: entity names display-cased, the rest as is."""
    words: list[str] = []
    seen: set[str] = set()
    for i in chain:
        t = tokens[i]
        if drop_honorifics and (t.lower in _HONORIFICS or t.text == "."):
            continue
        if i in owner:
            entity = owner[i]
            if entity.id in seen:
                continue
            seen.add(entity.id)
            mention = next(m for m in entity.mentions if m.start <= t.start < m.end)
            words.append(
                display_name(
                    mention.text,
                    entity.type,
                    caseless,
                    acronym=len(mention.text) <= 5
                    and " " not in mention.text
                    and entity.name.isupper(),
                )
            )
        elif t.lower in ("s", "'s") and words:
            words[-1] += "'s"
        else:
            words.append(t.text)
    return " ".join(words) if words else None


def _references(text, tokens, owner, people) -> dict[str, list[Reference]]:
    found: dict[str, list[Reference]] = {}
    roles_of = {pid: [name_key(r) for r in p.roles] for pid, p in people.items()}

    def add(entity: Entity, token: Token, kind: Literal["pronoun", "nominal"], end: int) -> None:
        found.setdefault(entity.id, []).append(
            Reference(token.start, end, text[token.start : end], kind)
        )

    for index, token in enumerate(tokens):
        if index in owner:
            continue
        gender = PERSON_PRONOUNS.get(token.lower)
        if gender:
            person = _latest(
                tokens,
                owner,
                index,
                lambda e, g=gender: e.type == "PERSON" and people[e.id].gender in (None, g),
            )
            if person is not None:
                people[person.id].gender = people[person.id].gender or gender
                add(person, token, "pronoun", token.end)
        elif token.lower in THING_PRONOUNS:
            subject = _subject_before(tokens, index)
            organisation = owner.get(subject) if subject is not None else None
            if organisation is not None and organisation.type == "ORG":
                add(organisation, token, "pronoun", token.end)
        elif token.lower == "the" and index + 1 < len(tokens):
            noun = tokens[index + 1]
            follows = tokens[index + 2].lower if index + 2 < len(tokens) else ""
            if (
                noun.sentence != token.sentence
                or follows in ("of", "'s", "s")
                or (index + 2 < len(tokens) and (index + 2) in owner)
            ):
                continue
            target = None
            if noun.lower in role_nouns() and any(
                noun.lower in r.split() for r in sum(roles_of.values(), [])
            ):
                target = _latest(
                    tokens,
                    owner,
                    index,
                    lambda e, word=noun.lower: (
                        e.type == "PERSON"
                        and any(word in r.split() for r in roles_of.get(e.id, []))
                    ),
                    window=WINDOW + 3,
                )
            elif noun.lower in GROUP_NOUNS:
                target = _latest(tokens, owner, index, lambda e: e.type == "ORG", skip=_addressee)
            elif noun.lower in PLACE_NOUNS:
                countries = country_keys()
                wants_country = noun.lower == "country"
                target = _latest(
                    tokens,
                    owner,
                    index,
                    lambda e, known=countries, country=wants_country: (
                        e.type == "LOC" and ((name_key(e.name) in known) == country)
                    ),
                )
            if target is not None:
                add(target, token, "nominal", noun.end)
    return found


def _latest(tokens, owner, index, accept, *, window: int = WINDOW, skip=None):
    """The entity of the nearest mention before `index` (within `window` sentences) that
    `accept`s, passing over mentions for which `skip(tokens, i)` holds."""
    sentence = tokens[index].sentence
    i = index - 1
    while i >= 0 and sentence - tokens[i].sentence <= window:
        entity = owner.get(i)
        if entity is not None and accept(entity) and not (skip and skip(tokens, i)):
            return entity
        i -= 1
    return None


def _addressee(tokens, i) -> bool:
    """A name someone spoke to ("told reuters"), which "the group" rarely means."""
    head = tokens[tokens[i].head]
    return tokens[i].dep in ("dobj", "dative", "pobj") and head.lower in ("told", "tell", "tells")


def _subject_before(tokens, index) -> int | None:
    """The subject an "it" most likely continues: the last subject before it in its sentence,
    else the first subject of the sentence before. Pronoun subjects do not count."""
    sentence = tokens[index].sentence
    i = index - 1
    while i >= 0 and tokens[i].sentence == sentence:
        if tokens[i].dep in ("nsubj", "nsubjpass") and tokens[i].pos != "PRON":
            return i
        i -= 1
    previous = [j for j in range(i, -1, -1) if tokens[j].sentence == sentence - 1]
    for j in reversed(previous):
        if tokens[j].dep in ("nsubj", "nsubjpass"):
            return j if tokens[j].pos != "PRON" else None
    return None


@stage("references", requires=("entities", "tokens", "form"), assigns=("references",))
def references_stage(analysis: Analysis) -> Analysis:
    return replace(analysis, entities=roles_and_references(analysis))
