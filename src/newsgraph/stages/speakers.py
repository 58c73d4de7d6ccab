"""Who is speaking: a statement's source phrase resolved to an entity.

The source phrase is read from its head word (the word the rest of the phrase hangs on):

- a name covers the head ("hdwu spokeswoman katrin vollmer" -> Katrin Vollmer);
- a pronoun or description the `references` stage linked covers the head ("he");
- the head is a document or role word ("the coalition statement", "its statement", "a
  spokesman for the union"): the speaker is the organisation or person that modifies it;
- a pronoun still unresolved ("it said", "they said") continues the speaker of the
  statement just before, when the two can be the same kind of speaker;
- a specific description that speaks more than once ("tribal leaders from the region ...
  its statement") becomes an entity of its own, with no named mentions and the descriptions
  as references, so that all its statements share one speaker. Anonymous sources ("a
  source", "officials") are left unresolved.

A cue with no source of its own that continues a clause ("..., saying ...", "and added")
takes the speaker of the statement it continues in the same sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..article import Entity, EntityType, Reference
from ..knowledge import role_nouns
from .entities import display_name
from .nlp import Token

DOCUMENT_NOUNS = frozenset(
    """
    statement statements report reports release communique communiqué letter tweet tweets
    post posts page website site account message announcement memo filing email video
    interview broadcast note notice text document documents order ruling decision
    """.split()
)
ANONYMOUS = frozenset(
    """
    source sources official officials people person analyst analysts expert experts witness
    witnesses resident residents observer observers critic critics someone aide aides
    diplomat diplomats activist activists insider insiders one some many others other
    spokesman spokeswoman spokesperson
    """.split()
)
PERSON_PRONOUNS = frozenset("he she him his her hers".split())
THING_PRONOUNS = frozenset("it its".split())
PLURAL_PRONOUNS = frozenset("they them their".split())
PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS
PARTICIPLE_CUES = frozenset("saying adding noting arguing claiming insisting warning".split())
#: How many sentences back a pronoun may look for the speaker it continues.
CONTINUITY = 2


@dataclass
class Speaker:
    """What one source phrase resolved to."""

    entity: str | None = None
    description: str | None = None  # key of a descriptive speaker ("coalition")
    kind: EntityType | None = None
    plural: bool = False


@dataclass
class _Described:
    key: str
    kind: EntityType
    name: str
    references: list[Reference] = field(default_factory=list)
    statements: int = 0


def head_of(tokens: Sequence[Token], first: int, end: int) -> int:
    """The word of ``tokens[first:end]`` that the others hang on (the last, if several)."""
    heads = [
        i for i in range(first, end) if not first <= tokens[i].head < end or tokens[i].head == i
    ]
    content = [i for i in heads if tokens[i].pos not in ("PUNCT", "DET", "ADP", "CCONJ")]
    return (content or heads or [end - 1])[-1]


class SpeakerResolver:
    """Resolves the source phrases of one article, in text order."""

    def __init__(
        self,
        text: str,
        tokens: Sequence[Token],
        entities: Sequence[Entity],
        caseless: bool,
    ):
        self.text, self.tokens, self.caseless = text, tokens, caseless
        self.kinds = {e.id: e.type for e in entities}
        self.named: dict[int, str] = {}
        self.referred: dict[int, str] = {}
        for entity in entities:
            for m in entity.mentions:
                for i in self._indices(m.start, m.end):
                    self.named[i] = entity.id
            for r in entity.references:
                for i in self._indices(r.start, r.end):
                    self.referred.setdefault(i, entity.id)
        self.described: dict[str, _Described] = {}
        self.history: list[tuple[int, Speaker]] = []  # (sentence, speaker) of past statements
        self.sentence = 0  # sentence of the statement being resolved

    def _indices(self, start: int, end: int) -> range:
        from bisect import bisect_left, bisect_right

        first = bisect_right(self.tokens, start, key=lambda t: t.end)
        last = bisect_left(self.tokens, end, key=lambda t: t.start)
        return range(first, last)

    # -- one statement -----------------------------------------------------------------

    def resolve(self, first: int | None, end: int | None, cue: int) -> Speaker:
        """The speaker of a statement whose source is ``tokens[first:end]`` (None: no
        source stated) and whose cue starts at token `cue`."""
        sentence = self.tokens[cue].sentence
        self.sentence = sentence
        if first is None or end is None:
            speaker = self._continued_clause(cue)
        else:
            speaker = self._from_phrase(first, end)
        self.history.append((sentence, speaker))
        return speaker

    def _continued_clause(self, cue: int) -> Speaker:
        token = self.tokens[cue]
        continues = token.lower in PARTICIPLE_CUES or token.dep == "conj"
        if continues:
            for sentence, speaker in reversed(self.history):
                if sentence == token.sentence and (speaker.entity or speaker.description):
                    return speaker
        return Speaker()

    def _from_phrase(self, first: int, end: int) -> Speaker:
        tokens = self.tokens
        head = head_of(tokens, first, end)
        if tokens[head].lower in PRONOUNS:
            return self._pronoun(head)
        found = self._entity_at(head)
        if found:
            return found
        word = tokens[head].lower
        person = self._person_in_apposition(first, end, head)
        if person:
            return person
        if word not in role_nouns() and word not in DOCUMENT_NOUNS:
            organisation = self._person_in_apposition(first, end, head, "ORG")
            if organisation:
                return organisation
        if word in DOCUMENT_NOUNS or word in role_nouns():
            # "the coalition statement", "its statement", "a spokesman for the union"
            for i in [*range(head - 1, first - 1, -1), *range(head + 1, end)]:
                if tokens[i].lower in PRONOUNS:
                    return self._pronoun(i)
                found = self._entity_at(i)
                if found:
                    return found
            if word in DOCUMENT_NOUNS:
                for i in range(head - 1, first - 1, -1):
                    if tokens[i].pos in ("NOUN", "PROPN") and tokens[i].dep in ("compound", "poss"):
                        return self._description(i, first, i + 1)
                return Speaker()
        if tokens[head].pos in ("NOUN", "PROPN") and word not in ANONYMOUS:
            return self._description(head, first, end)
        return Speaker()

    def _person_in_apposition(
        self, first: int, end: int, head: int, kind: str = "PERSON"
    ) -> Speaker | None:
        """A person (or an organisation, with `kind`) named beside the head, not inside a
        prepositional phrase ("its executive secretary , adamu kwaji ,"; "the company s chief
        executive , elin sandgren"; "the federal emergency agency , nema ,")."""
        tokens = self.tokens
        for i in range(end - 1, first - 1, -1):
            entity = self.named.get(i)
            if entity is None or self.kinds.get(entity) != kind:
                continue
            j, steps = i, 0
            while first <= j < end and j != head and steps < 20:
                if tokens[j].dep in ("pobj", "relcl", "acl") or tokens[j].pos == "ADP":
                    break
                j, steps = tokens[j].head, steps + 1
            else:
                return Speaker(entity, None, kind, False)  # type: ignore[arg-type]
            if j == head:
                return Speaker(entity, None, kind, False)  # type: ignore[arg-type]
        return None

    def _pronoun(self, i: int) -> Speaker:
        """He/she: the person the `references` stage linked, else the speaker before.
        It/they: the speaker before first (a statement's "it" is mostly its speaker)."""
        word = self.tokens[i].lower
        if word in PERSON_PRONOUNS:
            return self._entity_at(i) or self._continued(word)
        continued = self._continued(word)
        if continued.entity or continued.description:
            return continued
        return self._entity_at(i) or Speaker()

    def _entity_at(self, i: int) -> Speaker | None:
        entity = self.named.get(i) or self.referred.get(i)
        if entity is None or self.kinds.get(entity) in ("LOC", "MISC"):
            # a place or a nationality does not speak ("tribal leaders from the region",
            # "the syrian army")
            return None
        return Speaker(entity, None, self.kinds[entity], False)

    def _continued(self, pronoun: str) -> Speaker:
        """The speaker a pronoun continues: the latest compatible one shortly before."""
        for past_sentence, speaker in reversed(self.history):
            if self.sentence - past_sentence > CONTINUITY:
                break
            if not (speaker.entity or speaker.description):
                continue
            if pronoun in PERSON_PRONOUNS and speaker.kind == "PERSON" and not speaker.plural:
                return speaker
            if pronoun in THING_PRONOUNS and speaker.kind != "PERSON":
                return speaker
            if pronoun in PLURAL_PRONOUNS and (speaker.plural or speaker.kind != "PERSON"):
                return speaker
        return Speaker()

    def _description(self, head: int, first: int, end: int) -> Speaker:
        """A descriptive speaker keyed by its head word's lemma ("coalition", "leader")."""
        tokens = self.tokens
        key = tokens[head].lemma or tokens[head].lower
        plural = tokens[head].tag in ("NNS", "NNPS")
        person_role = key in role_nouns() and not plural
        kind: EntityType = "PERSON" if person_role else "ORG"
        start = first
        while start < head and (
            tokens[start].pos in ("DET", "PRON") or tokens[start].dep == "poss"
        ):
            start += 1
        described = self.described.get(key)
        if described is None:
            name = self._render(start, end)
            described = self.described[key] = _Described(key, kind, name)
        return Speaker(None, key, kind, plural)

    def _render(self, first: int, end: int) -> str:
        """A description as a name: names in it display-cased, other words as written, the
        first letter capitalised ("Dock workers from Hamburg")."""
        tokens = self.tokens
        pieces: list[str] = []
        position = tokens[first].start
        i = first
        while i < end:
            entity = self.named.get(i)
            if entity is None:
                i += 1
                continue
            j = i + 1
            while j < end and self.named.get(j) == entity:
                j += 1
            start, stop = tokens[i].start, tokens[j - 1].end
            pieces.append(self.text[position:start])
            pieces.append(display_name(self.text[start:stop], self.kinds[entity], self.caseless))
            position = stop
            i = j
        pieces.append(self.text[position : tokens[end - 1].end])
        name = " ".join("".join(pieces).split())
        return name[:1].upper() + name[1:]

    # -- after all statements -------------------------------------------------------------

    def note(self, speaker: Speaker, start: int, end: int, pronoun: bool) -> None:
        """Record a source phrase that resolved to a descriptive speaker."""
        if speaker.description is None:
            return
        described = self.described[speaker.description]
        described.statements += 1
        kind = "pronoun" if pronoun else "nominal"
        described.references.append(Reference(start, end, self.text[start:end], kind))

    def descriptive_entities(self, first_number: int) -> dict[str, Entity]:
        """Entities for descriptions that speak more than once, by description key."""
        made = {}
        number = first_number
        for key, described in self.described.items():
            if described.statements < 2:
                continue
            made[key] = Entity(
                id=f"e{number}",
                name=described.name,
                type=described.kind,
                mentions=(),
                references=tuple(sorted(described.references, key=lambda r: r.start)),
            )
            number += 1
        return made
