"""The data model: an `Article` and the annotation records a pipeline attaches to it.

Every record is a frozen dataclass. Spans carry character offsets ``[start, end)`` into
``Article.text`` exactly as the input gave it, so ``article.text[start:end] == span.text``.
An `Analysis` is the article plus everything found in it; stages return new analyses with
`dataclasses.replace` and never mutate one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

EntityType = Literal["PERSON", "ORG", "LOC", "MISC"]
Form = Literal["raw", "caseless"]
ENTITY_TYPES: tuple[EntityType, ...] = ("PERSON", "ORG", "LOC", "MISC")


def content_id(text: str, source: str | None = None) -> str:
    """A stable id for an article that came without one: 16 hex digits of SHA-256."""
    digest = hashlib.sha256(f"{source or ''}\n{text}".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from the input; `text` is never changed afterwards."""

    id: str
    text: str
    source: str | None = None
    published: date | None = None
    title: str | None = None
    url: str | None = None

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        id: str | None = None,
        source: str | None = None,
        published: date | str | None = None,
        title: str | None = None,
        url: str | None = None,
    ) -> Article:
        if isinstance(published, str):
            published = date.fromisoformat(published)
        return cls(
            id=id if id else content_id(text, source),
            text=text,
            source=source,
            published=published,
            title=title,
            url=url,
        )


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A named mention of an entity ("Katrin Vollmer", "hdwu")."""

    start: int
    end: int
    text: str
    type: EntityType
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    """A mention that points to an entity without naming it ("he", "the spokesman")."""

    start: int
    end: int
    text: str
    kind: Literal["pronoun", "nominal"]


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world referent in a document, under one properly cased display name."""

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    references: tuple[Reference, ...] = ()
    #: Roles and titles written around a person's name ("SDF spokesman"), never in `name`.
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Place:
    entity: str
    name: str
    country: str | None
    lat: float
    lon: float
    geonames_id: int | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class TimeExpression:
    id: str
    start: int
    end: int
    text: str
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str


@dataclass(frozen=True, slots=True)
class Quantity:
    id: str
    start: int
    end: int
    text: str
    value: float | None
    unit: str


@dataclass(frozen=True, slots=True)
class Source:
    """Who a statement is attributed to; all fields are None when no source is stated."""

    entity: str | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    id: str
    source: Source
    cue: Span
    content: Span
    kind: Literal["direct", "indirect", "mixed"]
    sentence: int
    parts: tuple[Span, ...] = ()
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    actor: str | None
    action: str
    code: str | None
    target: str | None
    place: str | None
    time: str | None
    sentence: int


@dataclass(frozen=True, slots=True)
class Conflict:
    id: str
    topic: str
    statements: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """An article and everything the pipeline found in it.

    `form` and `sentences` are set by the early stages; the record lists start empty and
    are filled by the stages that own them, so the output shape never changes. `layers`
    holds working data that stages hand to each other (a cased view, parsed documents); it
    is not part of the JSON contract.
    """

    article: Article
    form: Form | None = None
    tokenized: bool | None = None
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    places: tuple[Place, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    statements: tuple[Statement, ...] = ()
    events: tuple[Event, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    layers: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def text(self) -> str:
        return self.article.text

    def mentions(self) -> list[Mention]:
        """All named mentions of all entities, in text order."""
        found = [m for entity in self.entities for m in entity.mentions]
        return sorted(found, key=lambda m: (m.start, m.end))
