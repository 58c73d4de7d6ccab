"""The `conflicts` stage: statements in one article whose claims cannot both be true.

Two statements by different speakers conflict when their claims (`claims.py`)

- put the same thing at opposite ends of a scale: "the foreign fighters would be left behind"
  against "the evacuation would include foreign fighters" (the same head noun, and modifiers
  that do not set the two apart: "remaining foreign fighters" = "foreign fighters", but
  "syrian fighters" is another group than "foreign fighters");
- give counts of the same thing whose ranges do not meet: "some 4,000 members had joined"
  against "fewer than 1,500 ... had joined" (with hedges as bounds, so "at least 12 killed"
  does not contradict "27 killed"; verbs of different classes count different things);
- affirm and deny one proposition (`propositions.py`): "we received no formal warning"
  against "they had warned nigeria a week before", when the two share what the denying side
  denies, weighed by how rare the shared words are among the claims compared (`Rarity`);
- give different dates or times for an event that happens once: "the release started on
  sept. 5" against "began opening the spillway on sept. 4".

Statements that conflict over one topic form one conflict, with a `topic` ("foreign
fighters") and a `reason` that quotes each side.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..article import Analysis, Conflict, Source, Span, Statement
from ..pipeline import stage
from .claims import (
    _UNIT,
    AMOUNTS,
    ENDS,
    PEOPLE,
    PERSONS,
    SCALES,
    Claim,
    Number,
    Stance,
    claim_to_dict,
    claims_of,
    same_count,
)
from .propositions import Proposition, dates_differ, stem

#: How far apart two counts must be, relatively, to be told apart from rounding.
NUMBER_GAP = 0.05
#: Counts up to this are told exactly, not rounded: two sources that differ differ.
SMALL_COUNT = 100
#: How much of a statement's content a reason quotes.
QUOTE_WORDS = 18


#: How a reason opens, by kind of clash.
LEADS = {
    "stance": "opposite accounts of {topic}",
    "number": "counts that cannot all be right: {topic}",
    "denial": "one side affirms what the other denies: {topic}",
    "date": "different dates for one event: {topic}",
}


def kind_of(reason: str) -> str | None:
    """The kind of clash a stored reason opens with (`LEADS`), if any."""
    return next((k for k, lead in LEADS.items() if reason.startswith(lead.split("{")[0])), None)


@dataclass(frozen=True)
class Clash:
    """One pair of claims that contradict each other, and over what."""

    key: tuple
    topic: str
    first: tuple[Claim, str, tuple[int, int]]  # the claim, what it says in words, and where
    second: tuple[Claim, str, tuple[int, int]]


def _same_group(a: Stance, b: Stance) -> bool:
    if a.head != b.head:
        return False
    return a.modifiers <= b.modifiers or b.modifiers <= a.modifiers


def _end(stance: Stance) -> str:
    up, down = ENDS[stance.scale]
    return up if stance.sign > 0 else down


def _topic(a: Stance, b: Stance) -> str:
    shorter = a if len(a.modifiers) <= len(b.modifiers) else b
    words = shorter.about.split()
    while words and words[0].lower() in ("the", "a", "an", "its", "their", "his", "her"):
        words = words[1:]
    return " ".join(words) or shorter.about


def _disjoint(a: Number, b: Number) -> bool:
    if a.high < b.low:
        low, high = a.high, b.low
    elif b.high < a.low:
        low, high = b.high, a.low
    else:
        return False
    if high <= SMALL_COUNT:
        return True  # "76" and "80" soldiers: small counts are exact
    return high - low > NUMBER_GAP * abs(high)


#: How much two clauses of opposite polarity must share (summed `Rarity` of their common
#: stems) to be one account denied by the other.
SHARED_POLARITY = 0.5
#: ... and two clauses that give different dates for the same thing.
SHARED_DATE = 0.5

#: Stems of events that happen once, whose two dates cannot both be right.
ONE_TIME = frozenset(
    stem(w)
    for w in """start begin happen occur erupt outbreak hit collapse sink explode explosion
    seize intercept notify warn sign arrive land crash derail attack abduct abduction strike
    encrypt intrude intrusion detect identify discover table send deliver move breach quake
    earthquake landslide leak fire riot release close open interrupt cut fail raid enter
    issue find recover flag receive halt stop switch capsize""".split()
)
#: Fewer claims than this are weighed as if there were this many (see `Rarity`).
FEWEST_CLAIMS = 20


class Rarity:
    """How telling a set of stems is among a set of claims: for each stem,
    log((n + 1) / (claims using it + 0.5)) / log(n + 1), about 1 for a word one claim uses and
    little for words every statement of a story uses ("strike", "union"), summed."""

    def __init__(self, claims: Sequence[Claim]) -> None:
        self._tally([frozenset(w for p in claim.propositions for w in p.words) for claim in claims])

    @classmethod
    def of_words(cls, word_sets: Sequence[frozenset[str]]) -> Rarity:
        """The same weights over one set of words per statement rather than over claims."""
        rarity = cls.__new__(cls)
        rarity._tally(word_sets)
        return rarity

    def _tally(self, word_sets: Sequence[frozenset[str]]) -> None:
        self.count = len(word_sets)
        self.used: dict[str, int] = {}
        for words in word_sets:
            for word in words:
                self.used[word] = self.used.get(word, 0) + 1

    def __call__(self, words: frozenset[str]) -> float:
        # a short article is read as if it were one of `FEWEST_CLAIMS`: two of three
        # statements sharing a word does not make the word common
        count = max(self.count, FEWEST_CLAIMS)
        scale = math.log(count + 1)
        return sum(math.log((count + 1) / (self.used.get(w, 0) + 0.5)) / scale for w in words)


#: How many words of a clause make a topic.
TOPIC_WORDS = 8
_QUOTE_MARKS = '"“”«»„,'


def topic_words(text: str) -> str:
    """A clause as a topic: its first `TOPIC_WORDS` words, without quote marks."""
    words = [w.strip(_QUOTE_MARKS) for w in text.split()]
    words = [w for w in words if w]
    return " ".join(words[:TOPIC_WORDS]) + (" ..." if len(words) > TOPIC_WORDS else "")


def _proposition_clashes(a: Claim, b: Claim, rarity: Rarity) -> list[Clash]:
    best: dict[str, tuple[float, Proposition, Proposition]] = {}
    for p in a.propositions:
        for q in b.propositions:
            shared = p.words & q.words
            if not shared:
                continue
            weight = rarity(shared)
            plain = {w for w in shared if not w.startswith("~")}
            scaled = len(plain) < len(shared)
            # one word in common is one account only when it is what one side says is not
            # there ("we received no formal warning" / "they had warned nigeria"), or the
            # subject two ends of a scale are said of ("counting was halted" / "the count
            # continued")
            denied = p if p.polarity < 0 else q
            single = plain <= p.denies | q.denies or (plain <= p.subject & q.subject and scaled)
            if (
                p.polarity != q.polarity
                and (len(plain) >= 2 or plain and single)
                # "members waited" and "ships were waiting" are not one account
                and not (
                    p.actor
                    and q.actor
                    and not p.actor & q.actor
                    and not (p.actor <= p.denies or q.actor <= q.denies)  # "no inspector"
                )
                and shared & denied.focus  # what one denies, the other says
                and weight >= SHARED_POLARITY
            ):
                kind = "denial"
            elif (
                p.when
                and q.when
                and dates_differ(p.when, q.when)
                and not (p.bound or q.bound)  # "sealed by 9:30 a.m." / "began at 4 a.m."
                # the same event: the same doing, or the same thing done, and an event that
                # happens once ("the collapse happened", "the release started"), not one
                # done again day after day ("rescuers pulled nine miners out on wednesday")
                and shared & (p.acts | q.acts | p.subject | q.subject) - {"start"}
                and (p.words | q.words) & ONE_TIME
                and weight >= SHARED_DATE
            ):
                kind = "date"
            else:
                continue
            if kind not in best or weight > best[kind][0]:
                best[kind] = (weight, p, q)
    found = []
    for kind, (_, p, q) in best.items():
        shared = p.words & q.words
        if kind == "denial":
            said = tuple("affirms" if x.polarity > 0 else "denies" for x in (p, q))
            topic = "whether " + topic_words((p if p.polarity > 0 else q).text)
        else:
            said = (p.when, q.when)
            topic = topic_words(min(p.text, q.text, key=len))
        key = ("denial" if kind == "denial" else "date", frozenset(shared))
        found.append(Clash(key, topic, (a, said[0], p.span), (b, said[1], q.span)))
    return found


def clashes(a: Claim, b: Claim, rarity: Rarity | None = None) -> list[Clash]:
    """What two claims contradict each other on (nothing when they share a speaker; two
    unattributed statements of one article are the article's own voice)."""
    if a.speaker == b.speaker:
        return []
    found = []
    for x in a.stances:
        for y in b.stances:
            if x.scale == y.scale and x.sign != y.sign and _same_group(x, y):
                key = ("stance", x.head, min(x.modifiers, y.modifiers, key=len))
                found.append(Clash(key, _topic(x, y), (a, _end(x), x.span), (b, _end(y), y.span)))
    for x in a.numbers:
        for y in b.numbers:
            if same_count(x, y) and _disjoint(x, y):
                verb = x.verb or y.verb
                key = ("number", _UNIT.get(x.unit, x.unit), verb)
                what = f"amount in {x.unit}" if x.unit in AMOUNTS else f"number of {x.unit}"
                topic = what + (f" ({verb})" if verb else "")
                found.append(Clash(key, topic, (a, x.text, x.span), (b, y.text, y.span)))
    if rarity is not None and not found:
        found.extend(_proposition_clashes(a, b, rarity))
    return found


#: Within one head noun or count, a claim is compared with at most this many claims before
#: it (a long article is not compared all against all).
WINDOW = 200


def _signature(claim: Claim) -> tuple:
    return (
        claim.speaker,
        frozenset((s.scale, s.sign, s.head, s.modifiers) for s in claim.stances),
        frozenset((n.low, n.high, n.unit, n.verb) for n in claim.numbers),
        frozenset((p.words, p.polarity, p.when) for p in claim.propositions),
    )


def _bucket(unit: str) -> str:
    """Counts that may count the same thing share a bucket: people with miners, soldiers..."""
    return "people" if unit in PEOPLE or unit in PERSONS else _UNIT.get(unit, unit)


def candidate_pairs(claims: Sequence[Claim]) -> list[tuple[Claim, Claim]]:
    """The pairs of claims that could clash, in order: about the same head noun or counting
    the same thing, each claim against at most `WINDOW` before it, a claim repeated word for
    word by the same speaker only once."""
    buckets: dict[tuple, list[int]] = {}
    seen: set[tuple] = set()
    for n, claim in enumerate(claims):
        if not claim.stances and not claim.numbers and not claim.propositions:
            continue
        signature = _signature(claim)
        if signature in seen:
            continue
        seen.add(signature)
        keys = {("stance", s.head) for s in claim.stances}
        keys |= {("number", _bucket(x.unit)) for x in claim.numbers if x.unit}
        keys |= {("word", w) for p in claim.propositions for w in p.words}
        for key in keys:
            buckets.setdefault(key, []).append(n)
    pairs = set()
    for members in buckets.values():
        for i, second in enumerate(members):
            for first in members[max(0, i - WINDOW) : i]:
                pairs.add((first, second))
    return [(claims[i], claims[j]) for i, j in sorted(pairs)]


def find_conflicts(
    claims: Sequence[Claim],
    statements: dict[str, Statement],
    speakers: dict[str, str],
    text: str,
) -> list[Conflict]:
    """Conflicts among the claims of one article, one per topic."""
    groups: dict[tuple, list[Clash]] = {}
    rarity = Rarity(claims)
    for a, b in candidate_pairs(claims):
        for clash in clashes(a, b, rarity):
            groups.setdefault(clash.key, []).append(clash)
    conflicts = []
    for n, found in enumerate(groups.values(), start=1):
        sides: dict[str, tuple[str, tuple[int, int]]] = {}
        for clash in found:
            for claim, said, where in (clash.first, clash.second):
                sides.setdefault(claim.statement, (said, where))
        ordered = sorted(sides, key=lambda sid: statements[sid].content.start)
        topic = found[0].topic
        lead = LEADS[found[0].key[0]].format(topic=topic)
        reason = "; ".join(
            f"{speakers.get(sid) or 'an unattributed statement'} ({sides[sid][0]}): "
            f"{_quote(text, statements[sid], sides[sid][1])}"
            for sid in ordered
        )
        conflicts.append(Conflict(f"c{n}", topic, tuple(ordered), f"{lead}. {reason}"))
    return conflicts


def _quote(text: str, statement: Statement, where: tuple[int, int]) -> str:
    """The words of the statement's content around the part that clashes."""
    parts = statement.parts or (statement.content,)
    part = next((p for p in parts if p.start <= where[0] < p.end), statement.content)
    before = text[part.start : where[0]].split()
    after = text[where[1] : part.end].split()
    middle = text[where[0] : where[1]].split()
    room = max(0, QUOTE_WORDS - len(middle))
    lead = before[-(room // 2) :] if room // 2 else []
    tail = after[: room - len(lead)]
    shown = " ".join([*lead, *middle, *tail]).strip(" ,")
    opening = "... " if len(lead) < len(before) else ""
    closing = " ..." if len(tail) < len(after) else ""
    return f'"{opening}{shown}{closing}"'


def speaker_names(analysis: Analysis) -> dict[str, str]:
    """Statement id -> who said it, for a reader: the entity's name, else the source text."""
    names = {e.id: e.name for e in analysis.entities}
    found = {}
    for s in analysis.statements:
        if s.source.entity and s.source.entity in names:
            found[s.id] = names[s.source.entity]
        elif s.source.text:
            found[s.id] = " ".join(s.source.text.split()).strip(" ,")
    return found


#: A sentence with no statement in it and at least this many words is an assertion in the
#: article's own voice ("At least 40 vehicles were involved"): it gets a claim too, which
#: the corpus level compares with what the officials of other reports say.
OWN_WORDS = 6


#: Whether the longest stretch of a sentence that its statements leave out (`OWN_WORDS`
#: words or more) is an assertion too: "About 40 armed officers arrived in four trucks and
#: ordered staff to lie on the floor, the editor told reporters", where the statement read
#: is only "ordered staff to lie on the floor".
OWN_REMAINDERS = True


def _left_out(
    analysis: Analysis, n: int, statements: list[Statement], verbs: Sequence[int]
) -> tuple[int, int] | None:
    """The longest stretch of sentence `n` outside its statements' sources, cues and
    contents, trimmed of spaces and punctuation, when it has `OWN_WORDS` words or more and
    one of the `verbs` (their starts, in order)."""
    sentence = analysis.sentences[n]
    taken = sorted(
        (span.start, span.end)
        for s in statements
        for span in (s.cue, s.content, *s.parts, Span(s.source.start or 0, s.source.end or 0, ""))
        if span.end > span.start
    )
    gaps, at = [], sentence.start
    for start, end in taken:
        if start > at:
            gaps.append((at, start))
        at = max(at, end)
    if at < sentence.end:
        gaps.append((at, sentence.end))
    best = None
    for start, end in gaps:
        text = analysis.text[start:end]
        trimmed = text.strip(" ,.;:-\n\"'“”")
        if len(trimmed.split()) < OWN_WORDS:
            continue
        start += text.index(trimmed)
        first = bisect_left(verbs, start)
        if first == len(verbs) or verbs[first] >= start + len(trimmed):
            continue  # "reporters outside the gates on wednesday": no assertion without a verb
        if best is None or len(trimmed) > best[1] - best[0]:
            best = (start, start + len(trimmed))
    return best


def assertions(analysis: Analysis) -> list[Statement]:
    """The article's own assertions (`OWN_WORDS`) as statements with no source and no cue,
    id ``a<sentence>``: a sentence with no statement in it, whole, and (`OWN_REMAINDERS`)
    what the statements of a sentence leave out of it (`_left_out`)."""
    said: dict[int, list[Statement]] = {}
    for statement in analysis.statements:
        said.setdefault(statement.sentence, []).append(statement)
    verbs = [
        t.start
        for t in analysis.layers.get("tokens", ())
        if t.pos in ("VERB", "AUX") and t.dep not in ("amod", "acl", "compound")  # "padlocked"
    ]
    found = []
    for n, sentence in enumerate(analysis.sentences):
        if n in said:
            span = _left_out(analysis, n, said[n], verbs) if OWN_REMAINDERS else None
            if span is None:
                continue
            start, end = span
        else:
            start, end = sentence.start, sentence.end
        text = analysis.text[start:end]
        if len(text.split()) < OWN_WORDS:
            continue
        found.append(
            Statement(
                f"a{n}", Source(), Span(start, start, ""), Span(start, end, text), "indirect", n
            )
        )
    return found


@stage(
    "conflicts",
    requires=("statements", "quantities", "tokens"),
    assigns=("conflicts", "claims", "assertions"),
)
def conflicts_stage(analysis: Analysis) -> Analysis:
    claims = claims_of(analysis)
    statements = {s.id: s for s in analysis.statements}
    found = find_conflicts(claims, statements, speaker_names(analysis), analysis.text)
    said = {s.sentence for s in analysis.statements}
    own_statements = assertions(analysis)
    own = claims_of(analysis, own_statements)
    layers = {
        **analysis.layers,
        "claims": {c.statement: claim_to_dict(c) for c in claims},
        "assertions": {c.statement: claim_to_dict(c) for c in own},
        # where an assertion is a part of a sentence that also holds statements
        "assertion_spans": {
            s.id: (s.content.start, s.content.end) for s in own_statements if s.sentence in said
        },
    }
    return replace(analysis, conflicts=tuple(found), layers=layers)


__all__ = [
    "OWN_REMAINDERS",
    "OWN_WORDS",
    "SCALES",
    "Clash",
    "assertions",
    "clashes",
    "conflicts_stage",
    "find_conflicts",
]
