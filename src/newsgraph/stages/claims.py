"""Claims: what a statement asserts, in a form two statements can be compared in.

A claim is read from the dependency parse of a statement's content:

- **stances**: a predicate that says where something stands on a scale with two ends, with
  the thing it is about. "the evacuation would include foreign fighters" puts *foreign
  fighters* on the `included` scale at +1; "the foreign fighters would be left behind" puts
  them at -1. The scales and their words (`SCALES`) are ordinary English: included / left
  out, allowed / prevented, released / held, going on / ended, rising / falling, observed /
  broken, confirmed / denied. A negation flips the sign ("had not been called off").
- **numbers**: each quantity in the content as a range (hedges make bounds: "more than 40"
  is 40 and up, "fewer than 1,500" is up to 1,500, "about 4,000" is 4,000 give or take 10%)
  with what it counts and the verb it goes with ("23 people had *died*").
- **modality**: the modal verbs and hedging adverbs on the predicates ("would", "may",
  "purportedly"), kept so a reader can weigh the claim.
- **propositions**: every clause reduced to the stems of what it is about, its polarity and
  the date it gives (`propositions.py`), so that statements worded differently compare.

A statement whose cue denies ("denied", "rejected", "disputed") claims the opposite of its
content: its stances are flipped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..article import Analysis, Quantity, Statement
from .nlp import Token
from .propositions import (
    Proposition,
    fold_groups,
    propositions,
    specific_date,
    stem,
    verb_dates,
)
from .quantities import WORD_NUMBERS

#: How a reader names the two ends of each scale.
ENDS: dict[str, tuple[str, str]] = {
    "included": ("included", "left out"),
    "going": ("going", "staying"),
    "allowed": ("allowed", "prevented"),
    "released": ("released", "held"),
    "going on": ("going on", "ended"),
    "rising": ("rising", "falling"),
    "observed": ("observed", "broken"),
    "confirmed": ("confirmed", "denied"),
    "open": ("open", "closed"),
}
#: Scale -> words at its two ends: lemma, or lemma and particle ("leave behind").
SCALES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "included": (
        frozenset("include involve cover contain join admit".split()),
        frozenset({"exclude", "omit", "leave behind", "leave out", "bar"}),
    ),
    "going": (
        frozenset("evacuate leave go depart escape withdraw exit move".split()),
        frozenset({"stay", "remain", "leave behind", "strand", "trap"}),
    ),
    "allowed": (
        frozenset({"allow", "permit", "let", "authorize", "approve", "enable", "grant"}),
        frozenset({"prevent", "block", "ban", "forbid", "stop", "deny", "refuse", "reject"}),
    ),
    "released": (
        frozenset({"release", "free", "hand over", "hand", "return", "repatriate"}),
        frozenset({"hold", "detain", "keep", "arrest", "capture", "retain", "imprison"}),
    ),
    "going on": (
        frozenset({"continue", "resume", "extend", "proceed", "go on", "persist"}),
        frozenset(
            {
                "end",
                "call off",
                "stop",
                "halt",
                "suspend",
                "cancel",
                "finish",
                "conclude",
                "collapse",
                "break down",
                "over",
            }
        ),
    ),
    "rising": (
        frozenset({"rise", "increase", "grow", "climb", "jump", "soar", "go up"}),
        frozenset({"fall", "decrease", "drop", "decline", "shrink", "go down", "recede"}),
    ),
    "observed": (
        frozenset({"respect", "observe", "honour", "honor", "hold", "fulfil", "fulfill"}),
        frozenset({"break", "violate", "breach", "abandon", "flout"}),
    ),
    "confirmed": (
        frozenset({"confirm", "acknowledge", "admit", "verify"}),
        frozenset({"deny", "dispute", "refute", "reject", "dismiss"}),
    ),
    "open": (
        frozenset({"open", "reopen", "operational", "online", "restore", "functional"}),
        frozenset({"close", "closed", "shut", "seal off", "seal", "offline", "inoperable"}),
    ),
}
#: Predicates whose subject moves (their object is where from), not their object.
SUBJECT_MOVES = frozenset(
    {"leave", "go", "depart", "escape", "withdraw", "exit", "stay", "remain", "join"}
)
#: Words that move their thing onto a scale through the subject even when transitive.
INTRANSITIVE_SCALES = frozenset({"rising", "going on"})
MODALS = frozenset("would will may might could can should must shall".split())
HEDGES = frozenset(
    """purportedly reportedly allegedly possibly probably apparently supposedly likely
    perhaps reputedly""".split()
)
NEGATIONS = frozenset({"not", "n't", "never", "no", "nt"})
#: Cues that report a content as denied: the claim is the opposite of the content.
DENIALS = frozenset(
    {"deny", "reject", "dispute", "refute", "dismiss", "contradict", "rebut", "contest"}
)
#: Modifiers that do not tell two groups apart ("remaining fighters" = "fighters").
SOFT_MODIFIERS = frozenset(
    """remaining remain other some all many several few the a an its their his her our these
    those such any more most last first new""".split()
)
_LOWER = re.compile(r"^(?:more than|over|at least|upwards of|in excess of)\b", re.IGNORECASE)
_UPPER = re.compile(r"^(?:fewer than|less than|up to|at most|no more than|under)\b", re.IGNORECASE)
#: "as many as 85": a high figure, not a bound: 85 give or take 10% below.
_HIGH = re.compile(r"^as many as\b", re.IGNORECASE)
_ABOUT = re.compile(
    r"^(?:some|about|around|roughly|nearly|almost|approximately|an estimated|estimated|"
    r"close to)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_TO = re.compile(r"\d\s+to\s+\S", re.IGNORECASE)
_UP_TO = re.compile(r"^up to\b", re.IGNORECASE)


@dataclass(frozen=True)
class Stance:
    """Where a claim puts something on a scale: `sign` +1 or -1."""

    scale: str
    sign: int
    head: str  # the lemma of what it is about ("fighter")
    modifiers: frozenset[str]  # its distinguishing modifiers ({"foreign"})
    about: str  # as written ("the foreign fighters")
    predicate: str  # as written ("would be left behind")
    span: tuple[int, int]  # characters from the first to the last word of the two


@dataclass(frozen=True)
class Number:
    """A quantity a claim gives, as the range it allows."""

    low: float
    high: float
    unit: str  # lemma of what it counts ("people"), "" when nothing is counted
    verb: str  # lemma of the verb it goes with ("die"), "" when none
    text: str
    span: tuple[int, int]
    about: frozenset[str] = frozenset()  # stems of the words around it (its clause)
    part: bool = False  # a part of a whole ("76 of the 84 soldiers")


@dataclass(frozen=True)
class Claim:
    statement: str
    speaker: str | None  # entity id, else the source as written (lowercased), else None
    stances: tuple[Stance, ...]
    numbers: tuple[Number, ...]
    modality: tuple[str, ...]
    propositions: tuple[Proposition, ...] = ()


def _children(tokens: Sequence[Token]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for i, token in enumerate(tokens):
        if token.head != i:
            found.setdefault(token.head, []).append(i)
    return found


def _predicate_key(i: int, tokens: Sequence[Token], children: dict[int, list[int]]) -> str:
    """The predicate's lemma with its particle ("leave behind", "call off")."""
    particles = [tokens[c].lower for c in children.get(i, []) if tokens[c].dep == "prt"]
    if not particles:  # a parse may attach "behind" as an adverb
        particles = [
            tokens[c].lower
            for c in children.get(i, [])
            if tokens[c].dep == "advmod" and tokens[c].lower in ("behind", "off", "out", "over")
        ]
    return " ".join([tokens[i].lemma, *particles[:1]])


def _scales_of(key: str) -> list[tuple[str, int]]:
    """Every scale the predicate sits on, with its end ("leave behind": not going, and left
    out); a particle the scales do not know is dropped ("hand over" -> "hand")."""
    found = []
    for scale, (up, down) in SCALES.items():
        if key in up:
            found.append((scale, 1))
        if key in down:
            found.append((scale, -1))
    lemma = key.split()[0]
    if not found and lemma != key:
        return _scales_of(lemma)
    return found


def _phrase(i: int, tokens: Sequence[Token], children: dict[int, list[int]]) -> list[int]:
    """Token indices of the noun phrase headed by `i` (its left modifiers and itself)."""
    left = [
        c
        for c in children.get(i, [])
        if c < i and tokens[c].dep in ("amod", "compound", "det", "nummod", "poss", "nmod")
    ]
    members = {i}
    for c in left:
        members.update(_phrase(c, tokens, children))
    return sorted(members)


def _negated(i: int, tokens: Sequence[Token], children: dict[int, list[int]]) -> bool:
    return any(tokens[c].dep == "neg" or tokens[c].lower in NEGATIONS for c in children.get(i, []))


def _argument(
    i: int, key: str, scale: str, tokens: Sequence[Token], children: dict[int, list[int]]
) -> int | None:
    """The token the predicate says something about."""
    kids = children.get(i, [])
    by_dep = {tokens[c].dep: c for c in kids}
    lemma = key.split()[0]
    moves = (lemma in SUBJECT_MOVES and key == lemma) or scale in INTRANSITIVE_SCALES
    if "nsubjpass" in by_dep:
        return by_dep["nsubjpass"]
    if "nsubj" in by_dep and (moves or not any(d in by_dep for d in ("dobj", "obj", "attr"))):
        return by_dep["nsubj"]
    if not moves:
        for dep in ("dobj", "obj", "attr"):
            if dep in by_dep:
                return by_dep[dep]
    # an infinitive ("a convoy was due to leave ...") takes the subject of the verb it hangs
    # from; its object is where from, not what moves
    if moves and tokens[i].dep in ("xcomp", "advcl") and tokens[i].head != i:
        parent = children.get(tokens[i].head, [])
        subjects = [c for c in parent if tokens[c].dep in ("nsubj", "nsubjpass")]
        return subjects[0] if subjects else None
    return None


#: Words that open a clause that is asked, supposed or timed, not asserted ("whether they
#: would leave", "while the strike continued", "unless the company came back").
NOT_ASSERTED = frozenset(
    "whether if unless while until once when before after because though although as".split()
)


def _open_question(i: int, tokens: Sequence[Token], children: dict[int, list[int]]) -> bool:
    """Whether the predicate sits in a clause that does not assert it (`NOT_ASSERTED`)."""
    return any(
        tokens[c].dep == "mark" and tokens[c].lower in NOT_ASSERTED for c in children.get(i, [])
    )


def _stances(
    indices: Sequence[int], tokens: Sequence[Token], children: dict[int, list[int]], text: str
) -> list[Stance]:
    inside = set(indices)
    found = []
    for i in indices:
        token = tokens[i]
        if token.pos not in ("VERB", "AUX") or token.dep == "aux":
            continue
        if _open_question(i, tokens, children):
            continue
        key = _predicate_key(i, tokens, children)
        for scale, sign in _scales_of(key):
            stance = _stance(i, key, scale, sign, inside, tokens, children, text)
            if stance is not None:
                found.append(stance)
    return found


def _stance(
    i: int,
    key: str,
    scale: str,
    sign: int,
    inside: set[int],
    tokens: Sequence[Token],
    children: dict[int, list[int]],
    text: str,
) -> Stance | None:
    argument = _argument(i, key, scale, tokens, children)
    if argument is None or argument not in inside or tokens[argument].pos in ("PRON", "DET", "NUM"):
        return None
    if _negated(i, tokens, children) or _negated(argument, tokens, children):
        sign = -sign
    phrase = _phrase(argument, tokens, children)
    modifiers = frozenset(
        tokens[m].lemma
        for m in phrase
        if m != argument
        and tokens[m].dep != "nummod"
        and tokens[m].lemma not in SOFT_MODIFIERS
        and tokens[m].lemma.isalpha()
    )
    verbs = sorted(
        {
            i,
            *(
                c
                for c in children.get(i, [])
                if tokens[c].dep in ("aux", "auxpass", "neg", "prt")
                or tokens[c].dep == "advmod"
                and tokens[c].lower in ("behind", "off", "out", "over")
            ),
        }
    )
    first, last = min(phrase[0], verbs[0]), max(argument, verbs[-1])
    return Stance(
        scale,
        sign,
        tokens[argument].lemma,
        modifiers,
        text[tokens[phrase[0]].start : tokens[argument].end],
        text[tokens[verbs[0]].start : tokens[verbs[-1]].end],
        (tokens[first].start, tokens[last].end),
    )


#: "the 35-kilometre mark", "a 12-storey building", "a seven-year-old girl" (research form
#: "a 29 - year - old woman"): a measure of a thing, not a count of it.
_MEASURE_OF = re.compile(
    r"^\S*?(?:\d[\d,.]*|"
    + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
    + r")(?: ?- ?[a-z]+)+\s+\w",
    re.IGNORECASE,
)
#: "76 of the 84 soldiers": the first number counts, the second is the whole.
_PART_OF = re.compile(r"(\d[\d,]*)\s+of\s+(?:the|all|its|their)\s+$", re.IGNORECASE)
#: Counts of people that a verb makes into a count of something more particular.
PEOPLE = frozenset("people persons person men women civilians residents villagers".split())
#: Verbs of counts that cannot count the same thing when they differ in class ("62 soldiers
#: released" is no other account of "84 soldiers held"). Verbs outside every class go with
#: any ("23 ships were waiting", "the number of vessels affected").
VERB_CLASSES = (
    "die kill drown perish dead",
    "injure wound hurt hospitalise hospitalize injured",
    "miss disappear unaccount missing unaccounted abduct kidnap seize",
    "release free hand return repatriate",
    "hold detain keep arrest capture imprison custody",
    "displace flee evacuate shelter leave evacuation",
    "rescue save pull recover",
    "trap strand bury trapped",
    "attend join gather march rally protest",
    "board embark crowd aboard set",
    "ill sick sicken poison",
)
VERB_CLASS = fold_groups(VERB_CLASSES)
#: Units that are measures, not heads: two of them measure the same thing only when the
#: words around them say so ("a 6.5 percent pay rise" offered / "the offer amounted to 4.8
#: percent"; "340 metres below the surface" is not "60 metres from the miners").
MEASURES = frozenset(
    """percent metres meters kilometres kilometers miles feet km centimetres centimeters
    millimetres millimeters inches hectares acres tonnes tons litres liters degrees hours days
    weeks months years minutes seconds""".split()
)
#: The measures and the currencies: amounts, not heads.
AMOUNTS = (
    MEASURES
    | frozenset("dollars euros pounds yen crowns".split())
    | frozenset(
        # currencies, singular and plural: money of one kind counts many different things
        w
        for name in """shilling franc rupee naira peso rand dinar dirham riyal lira rouble ruble
    yuan renminbi baht ringgit krona krone zloty forint leu lev kwacha cedi birr taka rupiah
    dong hryvnia lari tenge som real reais won euro dollar pound""".split()
        for w in (name, name + "s")
    )
)


#: Currencies among the `AMOUNTS`: two sums of one currency in one story are taken to be of
#: the same thing unless their verbs differ in class. Requiring a word of their clauses in
#: common, as for other amounts, missed "cash worth 40,000 dollars" against "about 14,000
#: dollars in cash".
MONEY = AMOUNTS - MEASURES


#: Words before a figure that make it no count of a whole: an age ("aged 34", "aged between
#: 10 and 13"), a figure denied ("not seven", "not one franc"), a number added to another
#: ("a further 14 people", "another 20").
NOT_COUNTS = frozenset("aged age not no further another additional extra".split())


def _not_a_count(text: str, start: int) -> bool:
    words = text[max(0, start - 30) : start].split()
    return bool(words) and words[-1].lower().strip("\"'“‘") in NOT_COUNTS


def hedged(value: float, written: str) -> tuple[float, float]:
    """The range a figure allows, by the hedge it is written with ("more than 40": 40 and up;
    "fewer than 1,500": up to 1,500; "about 4,000": 10% either way; "as many as 85": 85 or
    a little less)."""
    if _LOWER.match(written):
        return value, float("inf")
    if _UPPER.match(written):
        return 0.0, value
    if _ABOUT.match(written):
        return value * 0.9, value * 1.1
    if _HIGH.match(written):
        return value * 0.9, value
    return value, value


def counted_unit(unit: str, verb: str) -> str:
    """A count by dying is of deaths ("two workers were killed" = "the toll at four")."""
    if VERB_CLASS.get(verb) == "die":
        return "deaths"
    return unit


def clause_verb(
    tokens: Sequence[Token], i: int | None, complement: bool = True
) -> tuple[str, set[str]]:
    """The verb a number's clause turns on, from token `i` up its heads ("23 people had
    *died*"; "were still *missing*", "*taken ill*": the word of a class after a verb that has
    none), and the stems of the words around it."""
    verb = ""
    about: set[str] = set()
    seen = 0
    while i is not None and seen < 6:
        token = tokens[i]
        if token.pos in ("VERB", "AUX") and token.dep != "aux":
            verb = token.lemma
            # "leaving two civilians dead", "left 40 people injured": what the count ends as
            result = complement and next(
                (
                    tokens[c].lemma
                    for c in range(i + 1, min(len(tokens), i + 6))
                    if tokens[c].head == i
                    and tokens[c].dep in ("oprd", "acomp", "xcomp", "ccomp")
                    and tokens[c].lemma in VERB_CLASS
                ),
                None,
            )
            if result:
                verb = result
            elif verb not in VERB_CLASS and complement:
                verb = next(
                    (
                        tokens[c].lemma
                        for c in range(i + 1, min(len(tokens), i + 5))
                        if tokens[c].lemma in VERB_CLASS and tokens[c].sentence == token.sentence
                    ),
                    verb,
                )
            about.add(stem(token.lemma))
            about.update(
                stem(tokens[c].lemma)
                for c in range(max(0, i - 12), min(len(tokens), i + 12))
                if tokens[c].head == i
                and tokens[c].dep in ("nsubj", "nsubjpass", "dobj", "attr")
                and tokens[c].pos in ("NOUN", "PROPN")
            )
            break
        if token.pos == "NOUN":
            about.add(stem(token.lemma))
        if token.head == i:
            break
        i, seen = token.head, seen + 1
    return verb, about


def _number(quantity: Quantity, tokens: Sequence[Token], starts: dict[int, int]) -> Number:
    written = quantity.text
    values = [float(v.replace(",", "")) for v in _NUMBER.findall(written)]
    value = quantity.value
    if value is not None:
        low, high = hedged(float(value), written)
    elif len(values) >= 2:
        low, high = min(values[:2]), max(values[:2])
        scale = value_scale(written)
        low, high = low * scale, high * scale
    else:
        low, high = 0.0, float("inf")
    first = starts.get(quantity.start)
    if len(values) >= 2 and first and tokens[first - 1].lower == "from" and _TO.search(written):
        # "the fare rose from 40 to 70 lorins": a change, whose figure is where it ended
        low = high = values[1] * value_scale(written)
    part_of = None
    if first is not None and first >= 3:
        before = " ".join(t.text for t in tokens[first - 3 : first]) + " "
        part_of = _PART_OF.search(before)
        if part_of:
            low = high = float(part_of.group(1).replace(",", ""))
    i = first
    while i is not None and i + 1 < len(tokens) and tokens[i + 1].end <= quantity.end:
        i += 1  # from the counted noun, not the hedge ("between 30,000 and 40,000 people")
    verb, about = clause_verb(tokens, i)
    j = i + 1 if i is not None else len(tokens)
    if j < len(tokens) and tokens[j].lower == "of":  # "420 tonnes of heavy fuel oil"
        about |= {
            stem(t.lemma)
            for t in tokens[j + 1 : j + 5]
            if t.pos in ("NOUN", "PROPN") and t.sentence == tokens[j].sentence
        }
    if first is not None and first >= 1 and tokens[first - 1].lower == "magnitude":
        quantity = replace(quantity, unit="magnitude")  # "a magnitude 6.4 quake"
    unit = counted_unit(quantity.unit.lower(), verb)
    written_words = written.lower().split()
    money = next((w for w in written_words[:-1] if w in AMOUNTS), None)
    if money and unit not in AMOUNTS:  # "a 40 million euro relief fund": euros, of a fund
        about |= {stem(w) for w in written_words[written_words.index(money) + 1 :]}
        unit = money
    if unit + "s" in AMOUNTS:  # "euro" is "euros", "tonne" "tonnes"
        unit += "s"
    if unit in MEASURES and _UP_TO.match(written):
        low = high * 0.9  # "gusts of up to 140 kilometres per hour": the most there was
    about.discard(stem(unit))
    # "two of the four survivors": a part; "13 of its members" is its members, not a part
    part = bool(part_of and part_of.group(0).split()[2].lower() in ("the", "all")) or bool(
        re.match(r"^\S+\s+of\s+the\s", written, re.IGNORECASE)
    )
    return Number(
        low, high, unit, verb, written, (quantity.start, quantity.end), frozenset(about), part
    )


def same_count(a: Number, b: Number) -> bool:
    """Whether two numbers count the same thing: units alike (`UNIT_GROUPS`), verbs not of
    different classes (`VERB_CLASSES`), and for amounts other than money (percent,
    hectares) some word of their clauses in common; a bare figure named only by "the number
    of vessels" or "the death toll" has no verb and goes with any."""
    if not a.unit or not b.unit:
        return False
    kinds = VERB_CLASS.get(a.verb), VERB_CLASS.get(b.verb)
    if a.unit in PEOPLE or b.unit in PEOPLE:
        # "people" or "men" says nothing of what is counted: the verbs must ("14 miners
        # were trapped" / "22 trapped men")
        others = {a.unit, b.unit} - PEOPLE
        if others and not others <= PERSONS:
            return False
        # ... and "be" does not ("60 people were on it" / "26 patients were in hospital")
        same_verb = a.verb == b.verb and a.verb not in ("be", "have")
        return same_verb or kinds[0] is not None and kinds[0] == kinds[1]
    if _UNIT.get(a.unit, a.unit) != _UNIT.get(b.unit, b.unit):
        return False
    if a.unit in MEASURES and not (a.about & b.about):
        return False
    if a.verb == b.verb:
        return True
    if a.part or b.part:  # parts of a whole counted by different verbs are different parts
        return kinds[0] is not None and kinds[0] == kinds[1]
    return None in kinds or kinds[0] == kinds[1]


def value_scale(text: str) -> float:
    lowered = text.lower()
    for word, factor in (("billion", 1e9), ("million", 1e6), ("thousand", 1e3)):
        if word in lowered:
            return factor
    return 1.0


_WORDS = "|".join(
    rf"\b{w}\b" for w in sorted(WORD_NUMBERS, key=len, reverse=True) if WORD_NUMBERS[w] > 1
)


def _value(written: str) -> float:
    word = written.lower()
    return float(WORD_NUMBERS[word]) if word in WORD_NUMBERS else float(word.replace(",", ""))


#: A number the quantities stage leaves alone because no noun follows it ("put the figure at
#: fewer than 1,500"), with its hedge.
_BARE = re.compile(
    r"(?<![\w.,$€£¥])((?:(?:more|fewer|less) than|at least|up to|at most|about|some|nearly|"
    r"almost|around|roughly|over|only)\s+)?(\d{1,3}(?:,\d{3})+|\d+|"
    + _WORDS
    + r")(?![\w.,%:-]|\.\d| ?percent)"
    # not a time of day ("at around 11 at night") nor an amount ("A$5 million")
    r"(?!\s*(?:a\.?m\b|p\.?m\b|o.clock|at night|in the (?:morning|afternoon|evening)|"
    r"(?:hundred|thousand|million|billion|bn|mln)\b))",
    re.IGNORECASE,
)
#: Words before a number that make it a part of a count, not a count ("the remaining 22").
PARTIAL = frozenset(
    "remaining other another last first next further additional extra more only".split()
)
#: Nouns news counts the same thing by ("23 ships" / "40 vessels"), each to the first of its
#: group. Ordinary English, not a dictionary of any story.
UNIT_GROUPS = (
    "ships vessels boats",
    "workers employees staff strikers members miners nurses doctors teachers drivers crew",
    "children pupils students schoolchildren kids",
    "vehicles vehicle cars car trucks lorries",
    "homes houses dwellings",
    "deaths dead fatalities",
    "soldiers troops",
    "fighters militants rebels combatants",
    "prisoners detainees captives inmates convicts",
    "gunmen attackers assailants raiders",
    "users subscribers",
    "civilians residents",
    "displaced refugees evacuees",
    "protesters demonstrators marchers",
    "percent",
)
_UNIT = fold_groups(UNIT_GROUPS)
#: Nouns that count people, which "people" may stand for.
PERSONS = frozenset(
    {w for g in UNIT_GROUPS if g.split()[0] not in ("ships", "percent") for w in g.split()}
    | set(
        """passengers patients voters survivors victims tourists visitors pilgrims fans
        spectators migrants hikers climbers guests mourners worshippers supporters
        shoppers commuters""".split()
    )
)
#: A bare number after "the number of vessels ..." or "the death toll ..." counts those.
_COUNTED = re.compile(
    r"\b(?:number|total|count|tally) of (?:(\w+ed) )?(?:\w+ )??(\w+)(?: (\w+ed)\b)?"
    r"|\b(death )?toll\b",
    re.IGNORECASE,
)
#: "the crew of 19": a group and its size.
_GROUP_OF = re.compile(
    r"\b(crew|team|group|contingent|delegation)\s+of\s+(\d{1,3}(?:,\d{3})+|\d+|" + _WORDS + r")",
    re.IGNORECASE,
)
#: "a magnitude of 6.4", "measured magnitude 6.1".
_MAGNITUDE = re.compile(r"\bmagnitude(?:\s+of)?\s+(\d+(?:\.\d+)?)", re.IGNORECASE)
#: "put the crowd at", "estimated the turnout at": a figure for people attending.
_FIGURE_AT = re.compile(r"\b(\w+) at\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
GATHERINGS = frozenset({"crowd", "crowds", "turnout", "attendance", "gathering", "rally"})
#: How many sentences back a bare number looks for what it counts.
BARE_REACH = 2


@dataclass(frozen=True)
class _Context:
    """What `_bare_numbers` looks things up in, built once per article."""

    analysis: Analysis
    tokens: Sequence[Token]
    token_at: dict[int, int]  # token start -> index
    quantities: Sequence[Quantity]  # sorted by start
    quantity_starts: Sequence[int]
    sentence_starts: Sequence[int]
    times: Sequence[tuple[int, int]]  # sorted by start
    time_starts: Sequence[int]


def _bare_numbers(context: _Context, parts: Sequence, numbers: list[Number]) -> list[Number]:
    """Numbers without a noun in the content, counting what the latest counted quantity
    before them counts ("some 4,000 members had joined ... Elbtor put the figure at fewer
    than 1,500" -> 1,500 members joined)."""
    analysis = context.analysis
    text = analysis.text
    taken = [(n.span[0], n.span[1]) for n in numbers]
    starts = context.sentence_starts
    found = []
    for part in parts:
        times = list(
            context.times[
                bisect_left(context.time_starts, part.start) : bisect_left(
                    context.time_starts, part.end
                )
            ]
        )
        for match in _BARE.finditer(text, part.start, part.end):
            if any(a < match.end() and match.start() < b for a, b in taken + times):
                continue
            words = text[max(part.start, match.start() - 30) : match.start()].split()
            if words and words[-1].lower() in PARTIAL or _not_a_count(text, match.start()):
                continue
            after = text[match.end() : match.end() + 12]
            if re.match(r"\s+of\s+(?:the|all|them|those|whom|its|their)\b", after):
                continue  # "76 of the 84 soldiers": the quantity counts it
            value = _value(match.group(2))
            named = list(_COUNTED.finditer(text, part.start, match.start()))
            figure_of = _FIGURE_AT.search(text, max(part.start, match.start() - 40), match.start())
            if named:
                unit = (named[-1].group(2) or "deaths").lower()
                verb = ""
                participle = named[-1].group(1) or named[-1].group(3)
                if participle:
                    at = context.token_at.get(text.index(participle, named[-1].start()))
                    verb = context.tokens[at].lemma if at is not None else ""
            elif figure_of and figure_of.group(1).lower() in GATHERINGS:
                unit, verb = "people", "attend"  # "put the crowd at about 2,500"
            else:
                counted = _latest_counted(context, starts, match.start())
                if counted is None:
                    continue
                counted_number = _number(counted, context.tokens, context.token_at)
                # what the figure before counted, before its verb made it deaths
                unit, verb = counted.unit.lower(), counted_number.verb
            own, _ = clause_verb(
                context.tokens, context.token_at.get(match.start(2)), complement=False
            )
            if own in VERB_CLASS and verb in VERB_CLASS:
                verb = own  # "six inmates were killed and 27 were injured"
            unit = counted_unit(unit, verb)
            low, high = hedged(value, (match.group(1) or "").strip())
            found.append(Number(low, high, unit, verb, match.group().strip(), match.span()))
        for match in _GROUP_OF.finditer(text, part.start, part.end):
            if not any(a < match.end() and match.start() < b for a, b in taken):
                value = _value(match.group(2))
                found.append(
                    Number(value, value, match.group(1).lower(), "", match.group(), match.span())
                )
        for match in _MAGNITUDE.finditer(text, part.start, part.end):
            if not any(a < match.end() and match.start() < b for a, b in taken):
                value = float(match.group(1))
                found.append(Number(value, value, "magnitude", "", match.group(), match.span()))
    return found


def _latest_counted(context: _Context, starts: Sequence[int], position: int) -> Quantity | None:
    """The last quantity with a unit that ends before `position`, at most `BARE_REACH`
    sentences back."""
    here = bisect_right(starts, position) - 1
    i = bisect_left(context.quantity_starts, position) - 1
    while i >= 0:
        q = context.quantities[i]
        if here - (bisect_right(starts, q.start) - 1) > BARE_REACH:
            return None
        if q.unit and q.end <= position:
            return q
        i -= 1
    return None


def claims_of(analysis: Analysis, statements: Sequence[Statement] | None = None) -> list[Claim]:
    """A claim for every statement of the analysis, or for each of `statements` (linear in
    the article's length)."""
    tokens: Sequence[Token] = analysis.layers.get("tokens", ())
    children = _children(tokens)
    starts = {t.start: i for i, t in enumerate(tokens)}
    token_starts = [t.start for t in tokens]
    quantities = sorted(analysis.quantities, key=lambda q: q.start)
    quantity_starts = [q.start for q in quantities]
    times = sorted((t.start, t.end) for t in analysis.times)
    context = _Context(
        analysis,
        tokens,
        starts,
        quantities,
        quantity_starts,
        [s.start for s in analysis.sentences],
        times,
        [a for a, _ in times],
    )
    dates = verb_dates(
        tokens,
        [
            (t.start, t.end, specific_date(t.value))
            for t in analysis.times
            if t.type in ("DATE", "TIME") and specific_date(t.value)
        ],
    )
    found = []
    for statement in analysis.statements if statements is None else statements:
        parts = statement.parts or (statement.content,)
        indices = [
            i
            for p in parts
            for i in range(bisect_left(token_starts, p.start), bisect_left(token_starts, p.end))
        ]
        modality = sorted(
            {
                tokens[i].lower
                for i in indices
                if tokens[i].lower in MODALS
                and tokens[i].dep in ("aux", "auxpass")
                or tokens[i].lower in HEDGES
            }
        )
        counted = [
            _number(q, tokens, starts)
            for p in parts
            for q in quantities[
                bisect_left(quantity_starts, p.start) : bisect_left(quantity_starts, p.end)
            ]
            if q.end <= p.end
            and not _MEASURE_OF.match(q.text)
            and not _not_a_count(analysis.text, q.start)
        ]
        numbers = tuple(counted + _bare_numbers(context, parts, counted))
        stances = _stances(indices, tokens, children, analysis.text)
        cue = statement.cue
        cue_tokens = range(bisect_left(token_starts, cue.start), bisect_left(token_starts, cue.end))
        denials = [i for i in cue_tokens if tokens[i].lemma in DENIALS]
        if denials:
            stances = [replace(s, sign=-s.sign) for s in stances]
        clauses = propositions(
            indices,
            tokens,
            children,
            analysis.text,
            dates,
            denied_after=denials[0] if denials else None,
            not_asserted=lambda i: _open_question(i, tokens, children),
            scale_of=lambda i: _scales_of(_predicate_key(i, tokens, children)),
        )
        found.append(
            Claim(
                statement.id,
                _speaker(statement),
                tuple(stances),
                numbers,
                tuple(modality),
                tuple(clauses),
            )
        )
    return found


def _speaker(statement: Statement) -> str | None:
    if statement.source.entity:
        return statement.source.entity
    if statement.source.text:
        return " ".join(statement.source.text.lower().split())
    return None


def claim_to_dict(claim: Claim) -> dict:
    """A claim as plain JSON (the ``claim`` field newsgraph adds to each statement)."""

    def bound(value: float) -> float | None:
        return None if value == float("inf") else value

    return {
        "stances": [
            {
                "scale": s.scale,
                "sign": s.sign,
                "head": s.head,
                "modifiers": sorted(s.modifiers),
                "about": s.about,
                "predicate": s.predicate,
                "start": s.span[0],
                "end": s.span[1],
            }
            for s in claim.stances
        ],
        "numbers": [
            {
                "low": n.low,
                "high": bound(n.high),
                "unit": n.unit,
                "verb": n.verb,
                "text": n.text,
                "start": n.span[0],
                "end": n.span[1],
                "about": sorted(n.about),
                "part": n.part,
            }
            for n in claim.numbers
        ],
        "modality": list(claim.modality),
        "propositions": [
            {
                "words": sorted(p.words),
                "focus": sorted(p.focus),
                "polarity": p.polarity,
                "when": p.when,
                "text": p.text,
                "start": p.span[0],
                "end": p.span[1],
                "actor": sorted(p.actor),
                "acts": sorted(p.acts),
                "denies": sorted(p.denies),
                "subject": sorted(p.subject),
                "bound": p.bound,
            }
            for p in claim.propositions
        ],
    }


def claim_from_dict(statement: str, speaker: str | None, record: dict) -> Claim:
    """The claim back from its JSON (`claim_to_dict`), with the speaker to compare by."""
    return Claim(
        statement,
        speaker,
        tuple(
            Stance(
                s["scale"],
                s["sign"],
                s["head"],
                frozenset(s["modifiers"]),
                s["about"],
                s["predicate"],
                (s["start"], s["end"]),
            )
            for s in record.get("stances", [])
        ),
        tuple(
            Number(
                n["low"],
                float("inf") if n["high"] is None else n["high"],
                n["unit"],
                n["verb"],
                n["text"],
                (n["start"], n["end"]),
                frozenset(n.get("about", ())),
                bool(n.get("part", False)),
            )
            for n in record.get("numbers", [])
        ),
        tuple(record.get("modality", [])),
        tuple(
            Proposition(
                frozenset(p["words"]),
                frozenset(p.get("focus", ())),
                p["polarity"],
                p["when"],
                p["text"],
                (p["start"], p["end"]),
                frozenset(p.get("actor", ())),
                frozenset(p.get("acts", ())),
                frozenset(p.get("denies", ())),
                frozenset(p.get("subject", ())),
                bool(p.get("bound", False)),
            )
            for p in record.get("propositions", [])
        ),
    )
