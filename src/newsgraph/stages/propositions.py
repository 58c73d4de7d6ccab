"""Propositions: the clauses of a statement, reduced to what they are about and which way
they go, so that statements worded differently can be compared.

Each clause of a statement's content becomes a `Proposition`: the stems of its predicate and
of the heads of its arguments (subject, object, the nouns after its prepositions, with their
adjectives), its polarity, and the date it gives, if any.

- "we received no formal warning before the release" -> {receiv, warn, formal, free}, -1
- "they had warned nigeria a week before"            -> {warn, nigeria}, +1
- "the controlled release started on sept. 5"         -> {free, start}, +1, 2025-09-05

Polarity is -1 when the clause is negated ("had not been called off"), when an argument is
"no ..." or "nobody", when the clause hangs from a verb that refuses or denies ("refused to
...", "denied carrying out ...") or from "no evidence that", when its verb (or the state it
links: "remained closed") is at the low end of a scale (`claims.SCALES`), and is flipped once
more when its cue denies ("denied", "rejected") or its content dismisses ("... as pure
propaganda", "... as premature"); "opened without notice" adds a clause that denies the
notice. Stems fold inflection and derivation ("notify" = "notification",
"mediate" = "mediator"), and ordinary synonyms of news reporting are folded together
(`SYNONYMS`: "detain" = "arrest", "walkout" = "strike").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from .nlp import DASHES, Token

#: Words that say the same thing in news reports, each folded to the first of its group.
#: Ordinary English; no story's words.
SYNONYMS = (
    "strike walkout stoppage",
    "detain arrest hold",
    "free release",
    "start begin commence launch",
    "end finish conclude",
    "warn notify inform alert warning notification",
    "cut sever eliminate axe slash",
    "aircraft plane jet warplane",
    "bomb attack shell airstrike",
    "investigation investigate probe inquiry",
    "detect identify discover spot",
    "explosion blast explode",
    "fire blaze flame",
    "road highway street motorway",
    "riot unrest disturbance uprising",
    "seize intercept impound",
    "talk negotiation",
    "order instruct instruction command",
    "leak escape spill",
    "happen occur",
    "kill die dead death",
    "say state tell",
    "include cover contain",
    "agreement deal accord",
    "figure number toll tally count",
    "capsize overturn",
    "crash collide collision",
    "ship vessel boat",
)


def fold_groups(groups: Sequence[str]) -> dict[str, str]:
    """Word -> the first word of its group, for tables of words that name one thing."""
    return {word: group.split()[0] for group in groups for word in group.split()}


SYNONYM = fold_groups(SYNONYMS)
#: Predicates that carry no content of their own: the clause is what its arguments are.
LIGHT = frozenset("be have do get make say tell add".split())
#: Verbs of what goes on or changes over days: their dates are when they were seen, not
#: when one thing happened ("the toll rose to 19 on tuesday").
ONGOING = frozenset(
    "rise fall increase decrease grow climb drop reach peak remain continue stay wait".split()
)
#: Verbs that link a subject to a state ("the road remained open").
STATES = frozenset("remain stay seem appear look become keep leave order declare".split())
#: Verbs whose clause complement is not asserted but refused or denied.
REFUSING = frozenset("deny refuse fail decline reject".split())
#: Words that dismiss what a statement reports ("described the report as premature").
DISMISSIVE = frozenset(
    """propaganda premature false untrue baseless wishful nonsense lie lies speculation
    speculative rumour rumours rumor rumors incorrect wrong fabricated misleading unfounded
    groundless fake exaggerated inaccurate fiction absurd ridiculous""".split()
)
#: Verbs whose object is what a negation denies ("had not received a formal notification").
RECEIVING = frozenset("receive get have find see hear obtain record know".split())
NOBODY = frozenset({"nobody", "nothing", "none", "noone"})
#: Argument dependencies whose heads a proposition keeps.
ARGUMENTS = (
    "nsubj", "nsubjpass", "csubj", "csubjpass", "dobj", "obj", "attr", "dative", "oprd", "acomp"
)  # fmt: skip
SUBJECTS = ("nsubj", "nsubjpass", "csubj", "csubjpass")
#: Words too common in news to say what a clause is about.
STOP = frozenset(
    """the a an this that these those it its they them their he him his she her we us our
    you your i me my who which what whom there here one ones some any all each other such
    people thing things way time day week year month today yesterday tomorrow monday night
    morning afternoon evening overnight hour hours minute minutes several many few
    tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december jan feb mar apr jun jul aug sep sept oct
    nov dec""".split()
)
_DATE = re.compile(r"^\d{4}-(?:\d\d(?:-\d\d(?:T(?:\d\d:\d\d|MO|AF|EV|NI))?)?|Q\d|H\d)$")
#: Endings folded away, with what replaces them (the first that fits is taken).
_ENDINGS = (
    ("ifications", "if"), ("ification", "if"), ("ified", "if"), ("ifies", "if"), ("ify", "if"),
    ("ations", ""), ("ation", ""), ("itions", ""), ("ition", ""), ("ments", ""), ("ment", ""),
    ("ness", ""), ("ators", ""), ("ator", ""), ("ate", ""), ("ings", ""), ("ing", ""),
    ("sions", "d"), ("sion", "d"), ("ions", ""), ("ion", ""), ("ies", "y"), ("ied", "y"),
    ("ors", ""), ("ers", ""),
    ("or", ""), ("er", ""), ("ed", ""), ("es", ""), ("e", ""), ("s", ""),
)  # fmt: skip


def stem(lemma: str) -> str:
    """A lemma folded to a synonym group, else stripped of one derivational ending
    ("notification" and "notify" -> "notif"; "mediator" and "mediate" -> "medi")."""
    word = lemma.lower()
    if word in SYNONYM:
        return SYNONYM[word]
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) + len(replacement) >= 4:
            word = word[: -len(ending)] + replacement
            break
    return SYNONYM.get(word, word)


@dataclass(frozen=True)
class Proposition:
    """One clause of a statement: what it is about, which way it goes, and when."""

    words: frozenset[str]  # stems of the predicate and its arguments
    focus: frozenset[str]  # what the clause turns on: its predicate, or "no X"
    polarity: int  # +1 asserted, -1 negated or denied
    when: str  # a date value it gives (2025-09-05, 2025-Q4), else ""
    text: str  # the clause's words as written, from its first to its last
    span: tuple[int, int]
    actor: frozenset[str] = frozenset()  # stems of the subject of an active verb, if a noun
    acts: frozenset[str] = frozenset()  # stems of its verbs
    denies: frozenset[str] = frozenset()  # what it says is not there: "no X", "any X"
    subject: frozenset[str] = frozenset()  # stems of its subject, active or passive
    bound: bool = False  # its date bounds it ("by 9:30 a.m.", "since sunday"), not when it was


def _content_word(token: Token) -> bool:
    return (
        token.pos in ("NOUN", "PROPN", "VERB", "ADJ")
        and token.lemma.lower() not in STOP
        and token.lemma.isalpha()
        and token.lower not in STOP
        and len(token.lemma) > 1
    )


def _negative_argument(i: int, tokens: Sequence[Token], children: dict[int, list[int]]) -> bool:
    token = tokens[i]
    if token.lower in NOBODY or token.lemma in NOBODY:
        return True
    return any(tokens[c].lower == "no" for c in children.get(i, []))


def _negated_verb(i: int, tokens: Sequence[Token], children: dict[int, list[int]]) -> bool:
    """Whether a verb is negated: "not", "never", or "yet to" ("police have yet to detain
    anyone", "the cause is yet to be established")."""
    below = children.get(i, [])
    return any(
        tokens[c].dep == "neg" or tokens[c].lower in ("not", "n't", "nt", "never") for c in below
    ) or (
        tokens[i].lemma in ("have", "be")
        and any(tokens[c].lower == "yet" for c in below)
        and any(tokens[c].dep == "xcomp" for c in below)
    )


def _arguments(
    i: int, tokens: Sequence[Token], children: dict[int, list[int]], inside: set[int]
) -> list[int]:
    found = []
    for c in children.get(i, []):
        if c not in inside:
            continue
        dep = tokens[c].dep
        if dep in ARGUMENTS:
            found.append(c)
        elif dep in ("prep", "agent"):
            found.extend(g for g in children.get(c, []) if tokens[g].dep == "pobj" and g in inside)
    return found


def _noun_words(
    i: int, tokens: Sequence[Token], children: dict[int, list[int]], inside: set[int]
) -> set[int]:
    """A noun and its adjectives, compounds and 'of' nouns ("reports of an in-depth probe")."""
    found = {i}
    for c in children.get(i, []):
        if c not in inside:
            continue
        if tokens[c].dep in ("amod", "compound", "nmod"):
            found.add(c)
        elif tokens[c].dep == "prep" and tokens[c].lower == "of":
            for g in children.get(c, []):
                if tokens[g].dep == "pobj" and g in inside:
                    found |= _noun_words(g, tokens, children, inside)
    return found


def propositions(
    indices: Sequence[int],
    tokens: Sequence[Token],
    children: dict[int, list[int]],
    text: str,
    dates: dict[int, tuple[str, bool]],
    *,
    denied_after: int | None,
    not_asserted: Callable[[int], bool],
    scale_of: Callable[[int], list[tuple[str, int]]] = lambda i: [],
) -> list[Proposition]:
    """The propositions of one statement's content (token `indices`). `dates` maps a verb to
    the date value of the time expression that hangs from it, and whether it is a bound
    (`verb_dates`); `denied_after`: the cue denies what follows this token ("denied carrying
    out ..."), None when it does not deny;
    `not_asserted(i)`: whether the clause of predicate `i` is asked or supposed, not said;
    `scale_of(i)`: the scales predicate `i` sits on (`claims.SCALES`), with its end: a clause
    at the low end ("held", "ended") counts as the negation of one at the high end."""
    inside = set(indices)
    if not inside:
        return []
    dismissed = any(tokens[i].lower in DISMISSIVE for i in indices)
    found = []
    verbs = [
        i
        for i in indices
        if tokens[i].pos in ("VERB", "AUX") and tokens[i].dep not in ("aux", "auxpass")
    ]
    for i in verbs:
        if not_asserted(i):
            continue
        # "had begun opening the spillway on sept. 4": a verb and the one it governs are one
        chain = [i] + [c for c in children.get(i, []) if tokens[c].dep == "xcomp" and c in inside]
        arguments = [a for v in chain for a in _arguments(v, tokens, children, inside)]
        members: set[int] = set()
        negated = _negated_verb(i, tokens, children)
        sign = -1 if negated else 1
        negative = [a for a in arguments if _negative_argument(a, tokens, children)]
        if negative:
            sign = -sign
        for a in arguments:
            members |= _noun_words(a, tokens, children, inside)
        j = i
        for _ in range(3):  # "refused to leave", "would not let them go"
            parent = tokens[j].head
            if parent not in inside:
                break
            if tokens[j].dep == "acl" and _negative_argument(parent, tokens, children):
                # "there was no evidence that any patient had been harmed"
                sign, negated = -sign, True
                break
            if tokens[j].dep not in ("xcomp", "ccomp", "pcomp"):
                break
            if tokens[parent].lemma in REFUSING or _negated_verb(parent, tokens, children):
                sign = -sign
            j = parent
        if negated:
            # what a negated clause denies: "not ... any mediator", "not received a notice"
            negative += [
                a
                for a in arguments
                if any(tokens[c].lower == "any" for c in children.get(a, []))
                or tokens[i].lemma in RECEIVING
                and tokens[a].dep in ("dobj", "obj")
            ]
        reported_denied = dismissed or (denied_after is not None and i > denied_after)
        if reported_denied:
            sign = -sign
        words = {
            stem(tokens[m].lemma)
            for m in members
            # not "detained" fighters, but "drilling had been halted"
            if _content_word(tokens[m]) and (tokens[m].pos != "VERB" or tokens[m].dep != "amod")
        }
        predicates = {stem(tokens[v].lemma) for v in chain if tokens[v].lemma not in LIGHT}
        focus = set(predicates)
        subjects = {
            stem(tokens[m].lemma)
            for a in arguments
            if tokens[a].dep in SUBJECTS
            for m in _noun_words(a, tokens, children, inside)
            if _content_word(tokens[m])
        }
        # a scale end in a description ("soldiers held by the rebels") is not asserted;
        # "remained open", "was closed": the state is the predicate
        state = [
            c
            for c in children.get(i, [])
            if tokens[i].lemma in LIGHT | STATES
            and (
                tokens[c].dep in ("acomp", "oprd")
                or tokens[c].lower == "over"
                and not children.get(c)  # "the riot was over"
            )
        ]
        scales = (
            scale_of(state[0] if state else i)
            if tokens[i].dep not in ("acl", "relcl", "amod")
            else []
        )
        if state:
            predicates.discard(stem(tokens[i].lemma))
            predicates.add(stem(tokens[state[0]].lemma))
        if scales:
            # "were still being held" / "had been freed": two ends of one scale; at the low
            # end the clause says its subject is not at the high one
            predicates |= {f"~{scale}" for scale, _ in scales}
            sign *= scales[0][1]
            if scales[0][1] < 0:
                focus |= subjects
        if any(tokens[c].lower == "first" for v in chain for c in children.get(v, [])):
            predicates.add("start")  # "first accessed the systems on march 3"
        words |= predicates
        focus |= predicates
        # what is said not to be there is the head of "no X" ("no open flames": flames);
        # the clause turns on all of "no health or medical claims records"
        denies = {stem(tokens[a].lemma) for a in negative if _content_word(tokens[a])}
        focus |= denies | {
            stem(tokens[m].lemma)
            for a in negative
            for m in _noun_words(a, tokens, children, inside)
            if _content_word(tokens[m])
        }
        if negated and any(tokens[a].dep == "nsubjpass" for a in arguments):
            focus |= subjects  # "passwords were not compromised": said of the passwords
        if reported_denied:
            focus |= words  # "denied that any of the meat came from an unlicensed ...": all of it
        lacking: set[str] = set()
        for v in chain:  # "opened without notice": and there was no notice
            for c in children.get(v, []):
                if tokens[c].dep == "prep" and tokens[c].lower == "without" and c in inside:
                    lacking |= {
                        stem(tokens[m].lemma)
                        for g in children.get(c, [])
                        if tokens[g].dep == "pobj"
                        for m in _noun_words(g, tokens, children, inside)
                        if _content_word(tokens[m])
                    }
        # a date on a state ("was still open on tuesday") is not the date of an event
        eventful = any(tokens[v].lemma not in LIGHT | ONGOING for v in chain) and not any(
            tokens[c].lower in ("still", "already") for v in chain for c in children.get(v, [])
        )
        when, bound = next((dates[v] for v in chain if v in dates), ("", False))
        if not eventful:
            when, bound = "", False
        if len(words) < 2 and not when and not denies:
            continue  # too little to compare, unless it says what is not there
        actor = {
            stem(tokens[m].lemma)
            for a in arguments
            if tokens[a].dep == "nsubj" and tokens[a].pos in ("NOUN", "PROPN")
            for m in _noun_words(a, tokens, children, inside)
            if _content_word(tokens[m])
        }
        span_tokens = sorted(members | set(chain))
        first, last = span_tokens[0], span_tokens[-1]
        clause = Proposition(
            frozenset(words),
            frozenset(focus & words),
            sign,
            when,
            text[tokens[first].start : tokens[last].end],
            (tokens[first].start, tokens[last].end),
            frozenset(actor),
            frozenset(predicates),
            frozenset(denies),
            frozenset(subjects),
            bound,
        )
        found.append(clause)
        if lacking:  # "opened without notice": and there was no notice
            found.append(
                replace(
                    clause,
                    words=frozenset(lacking | predicates),
                    focus=frozenset(lacking),
                    polarity=-sign,
                    denies=frozenset(lacking),
                )
            )
    if not verbs:
        # a content with no clause ("the accusation as pure propaganda"): its nouns
        nouns = [i for i in indices if tokens[i].pos in ("NOUN", "PROPN")]
        words = {stem(tokens[i].lemma) for i in nouns if _content_word(tokens[i])}
        words -= {stem(w) for w in DISMISSIVE}
        if words:
            first, last = min(indices), max(indices)
            found.append(
                Proposition(
                    frozenset(words),
                    frozenset(words),
                    -1 if dismissed else 1,
                    "",
                    text[tokens[first].start : tokens[last].end],
                    (tokens[first].start, tokens[last].end),
                    denies=frozenset(words) if dismissed else frozenset(),
                )
            )
    return found


#: Words that make a date a bound of what the clause says, not when it happened ("sealed the
#: leak by 9:30 a.m.", "shut since sunday", "closed until friday"; and "as of friday").
BOUNDS = frozenset({"by", "since", "until", "till", "from"})


def _in_dateline(tokens: Sequence[Token], after: int) -> bool:
    """Whether a date ending before token `after` is a dateline's: a dash follows it, after
    the outlet's name in brackets if there is one. The date of the report, not of what the
    sentence says happened."""
    k = after
    if k < len(tokens) and tokens[k].text == "(":
        close = next(
            (j for j in range(k + 1, min(k + 8, len(tokens))) if tokens[j].text == ")"), None
        )
        if close is None:
            return False
        k = close + 1
    return k < len(tokens) and tokens[k].text in DASHES


def verb_dates(
    tokens: Sequence[Token], times: Sequence[tuple[int, int, str]]
) -> dict[int, tuple[str, bool]]:
    """Verb token -> the date that hangs from it ("released on sept. 5", "close in the fourth
    quarter of 2025") and whether it is a bound (`BOUNDS`), from (start, end, value) of the
    article's specific dates."""
    starts = [t.start for t in tokens]
    found: dict[int, tuple[str, bool]] = {}
    for start, end, value in times:
        first, stop = bisect_left(starts, start), bisect_left(starts, end)
        inside = range(first, stop)
        roots = [i for i in inside if tokens[i].head not in inside or tokens[i].head == i]
        if not roots or _in_dateline(tokens, stop):
            continue
        before = [tokens[k].lower for k in range(max(0, first - 2), first)]
        bound = (
            tokens[first].lower in BOUNDS
            or bool(before)
            and before[-1] in BOUNDS
            or before == ["as", "of"]
        )
        i, steps = roots[0], 0
        while steps < 5 and tokens[i].pos not in ("VERB", "AUX") and tokens[i].head != i:
            i, steps = tokens[i].head, steps + 1
        if tokens[i].pos in ("VERB", "AUX"):
            found.setdefault(i, (value, bound))
    return found


def _months(value: str) -> tuple[str, str]:
    """First and last month a date value covers ("2025-Q4" -> 2025-10 .. 2025-12)."""
    if "-Q" in value:
        year, quarter = value.split("-Q")
        first = 3 * (int(quarter) - 1) + 1
        return f"{year}-{first:02d}", f"{year}-{first + 2:02d}"
    if "-H" in value:
        year, half = value.split("-H")
        return (f"{year}-01", f"{year}-06") if half == "1" else (f"{year}-07", f"{year}-12")
    return value[:7], value[:7]


#: Hours each part of the day covers (TimeML TMO, TAF, TEV, TNI), wrapping past midnight.
PARTS_OF_DAY = {"MO": (5, 12), "AF": (12, 18), "EV": (17, 23), "NI": (20, 29)}
#: Two clock times of one event this many minutes apart are two accounts, not rounding.
CLOCK_MINUTES = 30


def _clock(value: str) -> tuple[float, float] | None:
    """The hours a time of day covers ("T05:00" -> 5..5, "TEV" -> 17..23), if any."""
    _, _, time = value.partition("T")
    if not time:
        return None
    if time in PARTS_OF_DAY:
        return PARTS_OF_DAY[time]
    hours, _, minutes = time.partition(":")
    if not hours.isdigit():
        return None
    at = int(hours) + (int(minutes) / 60 if minutes.isdigit() else 0)
    return at, at


def dates_differ(a: str, b: str) -> bool:
    """Whether two date or time values cannot both be right: neither contains the other
    ("2025-09" contains "2025-09-13"; "2025-Q4" contains "2025-11"), and two times of one day
    are apart ("5 a.m." / "6:40 in the morning"; "9 a.m." is not "in the morning")."""
    day_a, _, _ = a.partition("T")
    day_b, _, _ = b.partition("T")
    if day_a != day_b:
        if day_a.startswith(day_b) or day_b.startswith(day_a):
            return False
        (a_first, a_last), (b_first, b_last) = _months(day_a), _months(day_b)
        if len(day_a) > 7 and len(day_b) > 7:
            return True  # two different days
        return a_last < b_first or b_last < a_first
    clocks = _clock(a), _clock(b)
    if None in clocks:
        return False
    (a_from, a_to), (b_from, b_to) = clocks  # type: ignore[misc]
    if a_from == a_to and b_from == b_to:
        return abs(a_from - b_from) * 60 >= CLOCK_MINUTES
    return a_to < b_from or b_to < a_from


def specific_date(value: str | None) -> str:
    """A date value precise enough to contradict another (a day, a month, a quarter)."""
    return value if value and _DATE.match(value) else ""
