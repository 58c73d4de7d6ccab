"""The `entities` stage: name mentions grouped into document entities with canonical names.

One entity per referent: mentions with the same name, a surname standing for a full name
("vollmer" -> Katrin Vollmer), an acronym defined in the text or spelled by a name's initials
("sdf" -> Syrian Democratic Forces), and names listed as one actor in the Phoenix dictionaries
(ISIS = ISIL = Daesh = Islamic State) join one entity. Its `name` is properly cased even when
the text is not, `aliases` holds the other names (from the text and the dictionary), and
`roles` the titles written around a person's name ("SDF spokesman"), which are kept out of
the name itself. Pronouns and descriptions are linked by the `references` stage.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ..article import Analysis, Entity, EntityType, Mention
from ..knowledge import (
    NAME_PARTICLES,
    TITLES,
    Actor,
    actor_for,
    actor_phrases,
    initials,
    lowercase_words,
    name_key,
)
from ..pipeline import stage
from .form import truecase_lexicon
from .nlp import Token

_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:\s*['’]s|\s+s|['’])$", re.IGNORECASE)
_ACRONYM_DEFINITION = re.compile(r"\s*\(\s*([^\s()]{2,10})\s*\)")
_MAX_ACRONYM = 8
#: Spread names to their other occurrences in the document (see `propagate_names`).
PROPAGATE = True
#: Recognize the multi-word names of dictionary actors (see `actor_mentions`).
ACTOR_NAMES = True
#: Give each name its majority type in the document (see `harmonize_types`).
HARMONIZE = True


def trim(text: str, mention: Mention) -> Mention:
    """Drop a leading article, a trailing possessive and, for people, leading titles."""
    start, end = mention.start, mention.end
    lead = _LEADING.match(text[start:end])
    if lead and lead.end() < end - start:
        start += lead.end()
    tail = _TRAILING.search(text[start:end])
    if tail and tail.start() > 0:
        end = start + tail.start()
    if mention.type == "PERSON":
        while True:
            word = re.match(r"\S+\s+", text[start:end])
            if not word or word.group().strip().lower() not in TITLES:
                break
            start += word.end()
    if (start, end) == (mention.start, mention.end):
        return mention
    return replace(mention, start=start, end=end, text=text[start:end])


@dataclass
class Group:
    """Mentions found to name one referent, with the dictionary actor they match, if any."""

    mentions: list[Mention] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    actor: Actor | None = None
    defined_acronyms: set[str] = field(default_factory=set)

    @property
    def type(self) -> EntityType:
        counts = Counter(m.type for m in self.mentions)
        return max(counts, key=lambda t: (counts[t], -self._first(t)))

    def _first(self, kind: str) -> int:
        return min(m.start for m in self.mentions if m.type == kind)

    @property
    def start(self) -> int:
        return min(m.start for m in self.mentions)

    def absorb(self, other: Group) -> None:
        self.mentions.extend(other.mentions)
        self.keys |= other.keys
        self.actor = self.actor or other.actor
        self.defined_acronyms |= other.defined_acronyms


def group_mentions(text: str, mentions: Iterable[Mention]) -> list[Group]:
    """Group mentions of one referent, in order of first appearance."""
    groups: list[Group] = []
    by_key: dict[tuple[str, str], Group] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        key = name_key(mention.text)
        if not key:
            continue
        # A name used for two kinds of thing (a city and its club) names two referents.
        group = by_key.get((mention.type, key)) or _person_short_form(key, mention, groups)
        if group is None:
            group = Group()
            groups.append(group)
        group.mentions.append(mention)
        group.keys.add(key)
        by_key.setdefault((mention.type, key), group)
        acronym = _defined_acronym(text, mention)
        if acronym:
            group.defined_acronyms.add(acronym)
    return _merge_groups(groups)


def _person_short_form(key: str, mention: Mention, groups: list[Group]) -> Group | None:
    """A one-word PERSON mention joins the latest person whose full name ends or starts with it."""
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


def _defined_acronym(text: str, mention: Mention) -> str | None:
    """``Syrian Democratic Forces (SDF)``: the bracketed acronym right after a name."""
    match = _ACRONYM_DEFINITION.match(text, mention.end)
    if not match:
        return None
    acronym = name_key(match.group(1)).replace(" ", "")
    if len(acronym) > _MAX_ACRONYM or not acronym.isalnum():
        return None
    letters = initials(mention.text)
    # The acronym must be spelled by the name's initials (in order), as in "( sdf )".
    position = 0
    for char in acronym:
        position = letters.find(char, position)
        if position < 0:
            return None
        position += 1
    return acronym


def _merge_groups(groups: list[Group]) -> list[Group]:
    """Join groups linked by a defined acronym, by initials, or by one dictionary actor."""
    for group in groups:
        if group.type not in ("ORG", "MISC"):
            continue  # the actor tables list groups and institutions, not people or places
        for key in sorted(group.keys, key=len, reverse=True):
            group.actor = actor_for(key)
            if group.actor:
                break
    merged: list[Group] = []
    for group in groups:
        target = next((g for g in merged if _same_referent(g, group)), None)
        if target is None:
            merged.append(group)
        else:
            target.absorb(group)
    for group in merged:
        if group.actor is not None and all(m.type == "MISC" for m in group.mentions):
            # A lone MISC word ("American") is an adjective far more often than an actor.
            group.actor = None
    return merged


def _same_referent(a: Group, b: Group) -> bool:
    if a.actor is not None and a.actor is b.actor and {a.type, b.type} <= {"ORG", "MISC"}:
        return True
    if a.type != b.type:
        return False
    for short, long in ((a, b), (b, a)):
        for key in short.keys:
            if " " in key or len(key) > _MAX_ACRONYM:
                continue
            if key in long.defined_acronyms:
                return True
            if (
                len(key) >= 2
                and any(len(k.split()) >= 2 and initials(k) == key for k in long.keys)
                and long.type in ("ORG", "MISC")
                and short.type in ("ORG", "MISC")
            ):
                return True
    return False


def display_name(surface: str, kind: EntityType, caseless: bool, acronym: bool = False) -> str:
    """A properly cased name: as written in cased text; restored for caseless text."""
    words = surface.split()
    if not caseless:
        shouting = all(w.isupper() for w in words if any(c.isalpha() for c in w))
        if shouting and sum(len(w) for w in words) > 4 and not acronym:
            return " ".join(_cased_word(w.lower(), i, kind) for i, w in enumerate(words))
        return " ".join(words)
    if acronym or (len(words) == 1 and kind in ("ORG", "MISC") and _looks_like_acronym(words[0])):
        return words[0].upper()
    shown: list[str] = []
    for position, word in enumerate(words):
        if word == "s" and shown:
            shown[-1] += "'s"  # research-corpus form of a possessive: "elbtor s" -> "Elbtor's"
            continue
        shown.append(_cased_word(word, position, kind))
    return " ".join(shown)


def _looks_like_acronym(word: str) -> bool:
    letters = re.sub(r"[^a-z]", "", word.lower())
    if not letters or len(letters) > 5:
        return False
    return len(letters) <= 3 or not re.search("[aeiouy]", letters[1:])


def _cased_word(word: str, position: int, kind: EntityType) -> str:
    lexicon = truecase_lexicon()
    lower = word.lower()
    if lower in lexicon and lexicon[lower] != lower:
        return lexicon[lower]
    if position and lower in NAME_PARTICLES:
        return lower
    parts = lower.split("-")
    if len(parts) > 1:
        # "u.s.-backed", "iran-backed": each part as it would be written on its own, so a
        # common word after the hyphen stays lowercase.
        common = lowercase_words()
        return "-".join(
            p if i and (p in NAME_PARTICLES or p in common) else _cased_word(p, i or position, kind)
            for i, p in enumerate(parts)
        )
    return lower[:1].upper() + lower[1:]


def _entity(number: int, group: Group, caseless: bool) -> Entity:
    kind = group.type
    spelled = _initial_sets(group) | group.defined_acronyms
    acronyms = {k for k in group.keys if " " not in k and k in spelled}

    def shown(mention: Mention) -> str:
        is_acronym = name_key(mention.text).replace(" ", "") in acronyms
        return display_name(mention.text, kind, caseless, acronym=is_acronym)

    counts = Counter(shown(m) for m in group.mentions)
    if group.actor is not None:
        name = group.actor.name
    else:
        name = max(counts, key=lambda n: (len(n.split()), counts[n], len(n)))
    aliases: list[str] = []
    seen = {_alias_key(name)}
    candidates = sorted(counts, key=lambda n: -counts[n])
    if group.actor is not None:
        # The dictionary's spelling wins over a guessed one ("isis" -> ISIS, not Isis).
        spelled_as = {_alias_key(n): n for n in group.actor.names}
        candidates = [spelled_as.get(_alias_key(n), n) for n in candidates]
        candidates += sorted(
            (n for n in group.actor.names if _alias_of(n, group.actor.name)),
            key=lambda n: "'" in n or "-" in n,
        )
    for candidate in candidates:
        key = _alias_key(candidate)
        if key in seen or any(_near(key, s) for s in seen):
            continue
        seen.add(key)
        aliases.append(candidate)
    return Entity(
        id=f"e{number}",
        name=name,
        type=kind,
        aliases=tuple(aliases),
        mentions=tuple(sorted(group.mentions, key=lambda m: m.start)),
    )


def _alias_of(other: str, name: str) -> bool:
    """A dictionary name that can stand for the actor: an acronym, a one-word name, or a
    variant sharing a word with the main name. Phoenix also lists an actor's leaders and
    members under it; those are other people, not other names."""
    words = other.split()
    if len(words) == 1:
        return True
    shared = set(name_key(other).split()) & set(name_key(name).split()) - NAME_PARTICLES
    return bool(shared)


def _initial_sets(group: Group) -> set[str]:
    return {initials(k) for k in group.keys if len(k.split()) >= 2}


def _alias_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _near(a: str, b: str) -> bool:
    """Spelling variants one edit apart ("daash" / "daesh") count as one alias."""
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 5:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def propagate_names(text: str, mentions: list[Mention], caseless: bool) -> list[Mention]:
    """Mark every other occurrence of a name the recognizer found once in the document.

    A reader who has learnt that "hamburg" is a place reads it as one throughout. Names are
    matched as whole words (ignoring case in caseless text); one-word names that are also
    ordinary words ("will", "state") are not spread, nor are names with no clear type.
    """
    kinds: dict[str, Counter[EntityType]] = {}
    surface: dict[str, str] = {}
    for m in mentions:
        key = m.text.lower() if caseless else m.text
        kinds.setdefault(key, Counter())[m.type] += 1
        surface.setdefault(key, m.text)
    common = lowercase_words()
    taken = sorted((m.start, m.end) for m in mentions)
    added: list[Mention] = []
    for key, counts in kinds.items():
        kind, count = counts.most_common(1)[0]
        if count < 0.75 * counts.total():
            continue
        words = key.split()
        if len(words) == 1 and (len(key) < 3 or key.lower() in common or not key[0].isalnum()):
            continue
        pattern = re.compile(
            rf"(?<![\w.-]){re.escape(surface[key])}(?![\w-])", re.IGNORECASE if caseless else 0
        )
        for match in pattern.finditer(text):
            span = (match.start(), match.end())
            if not _overlaps(taken, span):
                added.append(Mention(span[0], span[1], match.group(), kind, confidence=0.5))
    if not added:
        return mentions
    taken_spans = set(taken)
    result = list(mentions)
    for m in sorted(added, key=lambda m: (m.start, -m.end)):
        if not _overlaps(sorted(taken_spans), (m.start, m.end)):
            result.append(m)
            taken_spans.add((m.start, m.end))
    return result


def _overlaps(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    from bisect import bisect_left

    i = bisect_left(spans, span)
    for j in (i - 1, i):
        if 0 <= j < len(spans) and spans[j][0] < span[1] and span[0] < spans[j][1]:
            return True
    return False


def actor_mentions(text: str, mentions: list[Mention], caseless: bool) -> list[Mention]:
    """Add the multi-word names of known actors ("islamic state") that the recognizer split or
    missed; a recognized mention inside such a name gives way to it."""
    phrases = actor_phrases()
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\s,;:()\"]+", text)]
    found: list[Mention] = []
    for i, (start, _, word) in enumerate(words):
        for phrase in phrases.get(name_key(word), ()):
            span = words[i : i + len(phrase)]
            if len(span) < len(phrase) or tuple(name_key(w) for _, _, w in span) != phrase:
                continue
            end = span[-1][1]
            if not caseless and not all(
                w[:1].isupper() or w.lower() in NAME_PARTICLES for _, _, w in span
            ):
                continue  # in cased text a name is written with capitals
            found.append(Mention(start, end, text[start:end], "ORG", confidence=0.7))
            break
    if not found:
        return mentions
    kept = [
        m
        for m in mentions
        if not any(
            f.start <= m.start and m.end <= f.end and (f.start, f.end) != (m.start, m.end)
            for f in found
        )
    ]
    spans = sorted((m.start, m.end) for m in kept)
    for f in found:
        if not _overlaps(spans, (f.start, f.end)):
            kept.append(f)
    return kept


_BRACKETED = re.compile(r"\(\s*([^\W_]{2,8})\s*\)")


def acronym_definitions(text: str, mentions: list[Mention]) -> list[Mention]:
    """``syrian democratic forces ( sdf )``: the words whose initials spell a bracketed acronym
    name one thing, even where the recognizer split them or missed them.

    The name takes the type the acronym has elsewhere in the article (ORG if none).
    """
    added = []
    for match in _BRACKETED.finditer(text):
        acronym = match.group(1).lower()
        offset = max(0, match.start() - 200)
        before = list(re.finditer(r"[^\s,;:()\"]+", text[offset : match.start()]))
        words: list[re.Match[str]] = []
        for word in reversed(before):
            words.insert(0, word)
            spelled = initials(" ".join(w.group() for w in words))
            if spelled == acronym and words[0].group().lower() not in NAME_PARTICLES:
                start, end = offset + words[0].start(), offset + words[-1].end()
                kinds = Counter(m.type for m in mentions if name_key(m.text) == acronym)
                kind = kinds.most_common(1)[0][0] if kinds else "ORG"
                added.append(Mention(start, end, text[start:end], kind, confidence=0.8))
                break
            if not acronym.endswith(spelled) or len(words) > 10:
                break
    if not added:
        return mentions
    kept = [m for m in mentions if not any(a.start <= m.start and m.end <= a.end for a in added)]
    spans = sorted((m.start, m.end) for m in kept)
    return kept + [a for a in added if not _overlaps(spans, (a.start, a.end))]


#: A vowel-less short word before a group noun is an organisation's acronym ("the pkk rebels").
_ACRONYM_BEFORE_GROUP = re.compile(
    r"(?<![\w.-])([b-df-hj-np-tv-z]{2,5})(?=\s+(?:militias?|groups?|party|forces|movement|"
    r"rebels|army|union|alliance|front|brigades?|fighters|guerrillas?|insurgents)\b)",
    re.IGNORECASE,
)


def group_acronyms(text: str, mentions: list[Mention]) -> list[Mention]:
    """Acronyms the recognizer missed where the next word says they name a group."""
    spans = sorted((m.start, m.end) for m in mentions)
    common = lowercase_words()
    added = [
        Mention(m.start(1), m.end(1), m.group(1), "ORG", confidence=0.6)
        for m in _ACRONYM_BEFORE_GROUP.finditer(text)
        if m.group(1).lower() not in common and not _overlaps(spans, (m.start(1), m.end(1)))
    ]
    return mentions + added


#: Words after which a short form that is also a common word cannot be that word.
_BEFORE_NAME_ONLY = {"the", "a", "an"}
_BEFORE_NAME_TAGS = {"IN", "TO", "POS", "PRP$"}
_SUBORDINATORS = {
    "that", "as", "so", "if", "whether", "because", "while", "although", "though", "since",
    "than", "like", "once", "until", "unless", "whereas",
}  # fmt: skip
#: Tags a real pronoun or function word has; such a word is never read as a short form.
_FUNCTION_TAGS = {"PRP", "PRP$", "DT", "WDT", "WP", "WP$", "CC", "EX"}


def _used_as_name(tokens: Sequence[Token], i: int) -> bool:
    """Whether a common word at `i` stands where only a name can ("the is fighters", "defeat
    of is", a sentence that opens "is used ..." without being a question)."""
    token = tokens[i]
    if token.tag in _FUNCTION_TAGS:
        return False
    before = tokens[i - 1] if i > 0 and tokens[i - 1].sentence == token.sentence else None
    after = tokens[i + 1 : i + 3]
    after = [t for t in after if t.sentence == token.sentence]
    if before is not None:
        if before.lower in _BEFORE_NAME_ONLY:
            return True
        if before.tag in _BEFORE_NAME_TAGS and before.lower not in _SUBORDINATORS:
            return True
    if before is None and after and after[0].tag in {"VBD", "VBN", "VBZ", "VBP"}:
        last = max(j for j in range(i, len(tokens)) if tokens[j].sentence == token.sentence)
        return tokens[last].text != "?"
    # "that is fighters must surrender": a plural noun and its verb follow.
    return len(after) == 2 and after[0].tag == "NNS" and after[1].tag in {"MD", "VBD", "VBP"}


def initials_short_forms(
    tokens: Sequence[Token], mentions: list[Mention], caseless: bool
) -> list[Mention]:
    """Short forms spelled by the initials of an organisation named in the document ("is"
    for Islamic State, "sdf" for Syrian Democratic Forces) that the recognizer missed.

    In cased text the short form must be written in capitals; in caseless text a short form
    that is also a common word ("is") counts only where the words around it leave no other
    reading (see `_used_as_name`).
    """
    spelled: dict[str, EntityType] = {}
    for m in mentions:
        if m.type in ("ORG", "MISC") and len(name_key(m.text).split()) >= 2:
            letters = initials(m.text)
            if 2 <= len(letters) <= 5:
                spelled.setdefault(letters, m.type)
    if not spelled:
        return mentions
    spans = sorted((m.start, m.end) for m in mentions)
    common = lowercase_words()
    added = []
    for i, token in enumerate(tokens):
        kind = spelled.get(token.lower)
        if kind is None or _overlaps(spans, (token.start, token.end)):
            continue
        if not caseless:
            found = token.text == token.text.upper()
        else:
            found = token.lower not in common or _used_as_name(tokens, i)
        if found:
            added.append(Mention(token.start, token.end, token.text, kind, confidence=0.6))
    return mentions + added


def harmonize_types(mentions: list[Mention]) -> list[Mention]:
    """One name, one type in a document: mentions of a name take its clear majority type."""
    counts: dict[str, Counter[EntityType]] = {}
    for m in mentions:
        counts.setdefault(name_key(m.text), Counter())[m.type] += 1
    result = []
    for m in mentions:
        kind, n = counts[name_key(m.text)].most_common(1)[0]
        if kind != m.type and n > counts[name_key(m.text)][m.type]:
            m = replace(m, type=kind)
        result.append(m)
    return result


def entities_from_mentions(
    text: str, mentions: Iterable[Mention], caseless: bool, tokens: Sequence[Token] = ()
) -> tuple[Entity, ...]:
    # A title alone ("col.") is not a name, whatever the recognizer thought.
    trimmed = [t for t in (trim(text, m) for m in mentions) if t.text.lower() not in TITLES]
    if ACTOR_NAMES:
        trimmed = actor_mentions(text, trimmed, caseless)
        trimmed = acronym_definitions(text, trimmed)
        trimmed = group_acronyms(text, trimmed)
        trimmed = initials_short_forms(tokens, trimmed, caseless)
    if HARMONIZE:
        trimmed = harmonize_types(trimmed)
    if PROPAGATE:
        trimmed = propagate_names(text, trimmed, caseless)
    groups = sorted(group_mentions(text, trimmed), key=lambda g: g.start)
    return tuple(_entity(n, g, caseless) for n, g in enumerate(groups, start=1))


@stage("entities", requires=("mentions", "form"), assigns=("entities",))
def entities_stage(analysis: Analysis) -> Analysis:
    entities = entities_from_mentions(
        analysis.text,
        analysis.layers["mentions"],
        analysis.form == "caseless",
        analysis.layers.get("tokens", ()),
    )
    return replace(analysis, entities=entities)
