"""The corpus level: one entity across articles, stories, and conflicts between sources.

Computed from the store when asked (nothing here is stored):

- **global entities**: document entities of one type that share a name or an alias
  (ISIS = Daesh once any article lists both), or person names spelled alike ("Katrin Vollmer" =
  "Katrin Volmer": same number of words, each word alike, difflib ratio >= 0.75, the first
  letters equal);
- **stories**: articles about the same event, joined when they were published within
  `STORY_DAYS` days of each other and either share at least `STORY_SHARED` global entities
  that are not places, or are worded alike: the cosine of their tf-idf vectors (content
  words, smoothed idf over the stored articles) is at least `STORY_WORDING`. A story grows
  along such links. Wording catches what the entity test misses when a name is tagged
  differently in two articles; on the hand-written story sets (110 articles, 36 stories,
  stored together, per set or two stories at a time) every link at 0.16-0.18 is right;
- **conflicts across sources**: within a story, statements from different articles whose
  claims clash (`stages.conflicts.clashes`): opposite stances on the same group, including a
  later report against an earlier one, or counts that cannot both be right for the same day:
  from articles at most `NUMBER_DAYS` apart, or given for one day (counts move: a toll a
  day later is news, not a conflict; "31 people were detained on Monday" in Tuesday's
  report is not; other counts of reports days apart are conflicts when the conflict model,
  which reads the day of each report, reads them as one: `MOVED_CHECK`). The speaker test
  uses global entities, so the same spokesman in two articles does not conflict with
  himself. The conflict model (`conflict_model`) adds the
  pairs the rules miss, among the statements and the sentences in each article's own voice
  (`own_voice`: a lead may be what an official contradicts; the rules compare those
  sentences' counts and dates too), and drops the denials,
  dates and counts of the rules it reads as no conflict at all (`VETOED`, within articles
  too).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from .stages.claims import DENIALS, MONEY, NEGATIONS, Claim, Number, claim_from_dict
from .stages.conflicts import (
    LEADS,
    OWN_WORDS,
    Clash,
    Rarity,
    candidate_pairs,
    clashes,
    kind_of,
    topic_words,
)
from .store import Store

STORY_SHARED = 2
STORY_DAYS = 10
STORY_WORDING = 0.18
NAME_LIKENESS = 0.75
NUMBER_DAYS = 0
#: What the conflict model must read in a lower later count (`_fell`) for it to be reported:
#: a correction and a contradiction look alike to the rules.
FELL_CHECK = 0.2
#: What it must read in two counts of reports days apart, given for no day, that are not a
#: lower later count (a toll a day later is news, unless the model reads a contradiction:
#: "three people had been detained" / "five people had been taken into custody"); None:
#: the model's own threshold. Counts given for different days are never one account. On the
#: 14 story sets of session 13 (512 conflicts), 0.3 found 6 more than the threshold (0.85)
#: at the same precision.
MOVED_CHECK: float | None = 0.3
#: Verbs of counts that may fall as days pass (the missing are found, the trapped freed, the
#: held released, patients discharged): a lower later figure of these is news, not a clash.
FALLING = frozenset(
    "miss disappear unaccount missing unaccounted trap strand trapped bury hold detain keep "
    "custody imprison remain stay shelter displace".split()
)
#: In how many of the conflict model's conflicts one statement may be (its best ones).
MODEL_PAIRS = 1
#: Whether the model also reads two statements of one speaker in different reports: an
#: official may take back on Tuesday what he said on Monday ("the termination system was
#: activated" / "the termination system was never triggered").
SELF_ACROSS = True
#: Contents shorter than this many words ("the building's owner") are not asked about.
MODEL_WORDS = 4
#: How many pairs of one story's statements the model is asked about at most: the pairs
#: whose shared words are most telling (`Rarity` of their gists), so a story of hundreds of
#: statements costs no more than this.
MODEL_BUDGET = 6000
#: An article's sentence in its own voice (no statement in it) that has at least
#: `OWN_WORDS` words is put to the conflict model too: a lead ("at least 40 vehicles were
#: involved") may be what an official contradicts. Whether they are put to it at all:
OWN_VOICE = True
#: Whether the rules compare them too, by the claims the analysis gave them, and on what:
#: a report's own count or date for an event is as definite as an official's, but its
#: narration ("the road was closed", "the town lies on ...") is not an account to deny.
OWN_RULES = True
OWN_KINDS = ("number", "date")


def _key(name: str) -> str:
    return " ".join(re.findall(r"\w+", name.lower()))


@dataclass
class GlobalEntity:
    id: str
    name: str
    type: str
    aliases: set[str] = field(default_factory=set)
    members: list[tuple[str, str]] = field(default_factory=list)  # (article, entity)


class _Union:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, x: Any) -> Any:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: Any, b: Any) -> None:
        self.parent[self.find(a)] = self.find(b)


def _alike(a: str, b: str) -> bool:
    """Two person names spelled alike word by word ("katrin vollmer", "katrin volmer")."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or len(wa) < 2 or a == b:
        return a == b
    return all(
        x[0] == y[0] and SequenceMatcher(None, x, y).ratio() >= NAME_LIKENESS
        for x, y in zip(wa, wb, strict=True)
    )


#: First words too common to stand for an organisation's whole name ("National ...").
GENERIC_FIRST = frozenset(
    """the a an national state federal united new north south east west central general
    international royal public local regional city county ministry department office
    agency council committee union association company group party""".split()
)
_MINOR = frozenset({"of", "and", "the", "for", "de", "du", "la", "le", "&"})


def _join_short_forms(rows: list, union: _Union) -> None:
    """An organisation named by one word joins the one organisation whose longer name that
    word shortens: its first word ("Harbor" = "Harbor Relief International") or its initials
    ("NEMA" = "National Emergency Management Agency"), when no other name shortens so."""
    longer: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        if row["type"] != "ORG":
            continue
        for name in [row["name"], *json.loads(row["aliases"])]:
            words = _key(name).split()
            if len(words) < 2:
                continue
            initials = "".join(w[0] for w in words if w not in _MINOR)
            for short in {initials, words[0] if words[0] not in GENERIC_FIRST else ""} - {""}:
                members = longer.setdefault(short, [])
                if (row["article"], row["id"]) not in members:
                    members.append((row["article"], row["id"]))
    for row in rows:
        if row["type"] != "ORG":
            continue
        for name in [row["name"], *json.loads(row["aliases"])]:
            words = _key(name).split()
            if len(words) != 1 or len(words[0]) < 3:
                continue
            targets = {union.find(m) for m in longer.get(words[0], [])}
            if len(targets) == 1:
                union.join((row["article"], row["id"]), longer[words[0]][0])


def global_entities(store: Store) -> tuple[list[GlobalEntity], dict[tuple[str, str], str]]:
    """Global entities, most mentioned first, and (article, entity) -> global id."""
    rows = store.db.execute(
        "SELECT e.article, e.id, e.name, e.type, e.aliases, "
        "(SELECT COUNT(*) FROM mentions m WHERE m.article = e.article AND m.entity = e.id) AS n "
        "FROM entities e"
    ).fetchall()
    union = _Union()
    by_key: dict[tuple[str, str], tuple[str, str]] = {}
    people: list[tuple[str, tuple[str, str]]] = []
    for row in rows:
        member = (row["article"], row["id"])
        union.find(member)
        for name in [row["name"], *json.loads(row["aliases"])]:
            key = (row["type"], _key(name))
            if key[1]:
                if key in by_key:
                    union.join(member, by_key[key])
                else:
                    by_key[key] = member
        if row["type"] == "PERSON":
            people.append((_key(row["name"]), member))
    _join_short_forms(rows, union)
    people.sort()
    for i, (name, member) in enumerate(people):
        for other, other_member in people[i + 1 :]:
            if other[:1] != name[:1]:
                break
            if _alike(name, other):
                union.join(member, other_member)
    groups: dict[Any, list] = {}
    for row in rows:
        groups.setdefault(union.find((row["article"], row["id"])), []).append(row)
    entities = []
    for members in groups.values():
        members.sort(key=lambda r: (-r["n"], r["name"]))
        names = {r["name"] for r in members} | {
            a for r in members for a in json.loads(r["aliases"])
        }
        lead = members[0]
        entities.append(
            GlobalEntity(
                "",
                lead["name"],
                lead["type"],
                names - {lead["name"]},
                [(r["article"], r["id"]) for r in members],
            )
        )
    entities.sort(key=lambda g: (-len(g.members), g.name))
    index = {}
    for n, entity in enumerate(entities, start=1):
        entity.id = f"g{n}"
        for member in entity.members:
            index[member] = entity.id
    return entities, index


_CONTENT_WORD = re.compile(r"[^\W\d_]{3,}")


def wording(texts: list[str]) -> list[dict[str, float]]:
    """Unit tf-idf vectors of the content words of each text; idf is smoothed, so a word
    every text has still counts (two articles alone about one event)."""
    counts = [
        Counter(w for w in _CONTENT_WORD.findall(text.lower()) if w not in STOP_WORDS)
        for text in texts
    ]
    spread = Counter(w for c in counts for w in c)
    vectors = []
    for c in counts:
        weights = {
            w: (1 + math.log(n)) * (math.log((1 + len(texts)) / (1 + spread[w])) + 1)
            for w, n in c.items()
        }
        norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
        vectors.append({w: x / norm for w, x in weights.items()})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


@dataclass
class Story:
    id: str
    title: str
    articles: list[dict[str, Any]]
    entities: list[str]


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published) if published else None
    except ValueError:
        return None


def stories(store: Store, known: tuple | None = None) -> list[Story]:
    """Articles grouped into stories, oldest story first (`known`: the result of
    `global_entities`, when the caller has it already)."""
    entities, index = known or global_entities(store)
    kinds = {g.id: g.type for g in entities}
    names = {g.id: g.name for g in entities}
    articles = [
        dict(row)
        for row in store.db.execute(
            "SELECT id, source, published, title, text FROM articles ORDER BY published, rowid"
        )
    ]
    vectors = wording([a.pop("text") for a in articles])
    held: dict[str, set[str]] = {a["id"]: set() for a in articles}
    for (article, _), gid in index.items():
        if kinds[gid] != "LOC" and article in held:
            held[article].add(gid)
    union = _Union()
    for i, a in enumerate(articles):
        union.find(a["id"])
        for j, b in enumerate(articles[i + 1 :], start=i + 1):
            da, db = _day(a["published"]), _day(b["published"])
            if da and db and abs((db - da).days) > STORY_DAYS:
                continue
            if (
                len(held[a["id"]] & held[b["id"]]) >= STORY_SHARED
                or cosine(vectors[i], vectors[j]) >= STORY_WORDING
            ):
                union.join(a["id"], b["id"])
    groups: dict[str, list[dict[str, Any]]] = {}
    for a in articles:
        groups.setdefault(union.find(a["id"]), []).append(a)
    found = []
    for members in groups.values():
        shared: dict[str, int] = {}
        for a in members:
            for gid in held[a["id"]]:
                shared[gid] = shared.get(gid, 0) + 1
        top = sorted(shared, key=lambda g: (-shared[g], names[g]))[:6]
        title = members[0]["title"] or names[top[0]] if top else members[0]["id"]
        found.append(Story("", title, members, [names[g] for g in top]))
    found.sort(key=lambda s: (s.articles[0]["published"] or "", s.articles[0]["id"]))
    for n, story in enumerate(found, start=1):
        story.id = f"s{n}"
    return found


def story_statements(
    store: Store, story: str | None = None, grouped: list[Story] | None = None
) -> list[tuple[Story, list[dict[str, Any]]]]:
    """Each story with its statements that have a claim: the stored record plus ``key``
    (article/id), ``article``, ``published``, ``source.name`` and ``claim`` (a `Claim` whose
    speaker is a global entity where there is one, so one spokesman in two articles is one
    speaker)."""
    known = global_entities(store)
    entities, index = known
    by_name: dict[str, str] = {}
    for entity in entities:
        if entity.type in ("PERSON", "ORG"):
            for name in [entity.name, *entity.aliases]:
                by_name.setdefault(_key(name), entity.id)
    names = {
        (row["article"], row["id"]): row["name"]
        for row in store.db.execute("SELECT article, id, name FROM entities")
    }
    found = []
    for current in grouped if grouped is not None else stories(store, known):
        if story and current.id != story:
            continue
        dates = {a["id"]: a["published"] for a in current.articles}
        records = []
        for row in store.db.execute(
            "SELECT article, id, record FROM statements WHERE article IN ({})".format(
                ",".join("?" * len(dates))
            ),
            list(dates),
        ):
            record = json.loads(row["record"])
            if "claim" not in record:
                continue
            entity = record["source"]["entity"]
            speaker = index.get((row["article"], entity)) if entity else None
            if speaker is None:  # named as a known entity is, else one article's own
                written = _key(record["source"]["text"] or "")
                speaker = by_name.get(written) or f"{row['article']}:{written}"
            key = f"{row['article']}/{row['id']}"
            record["claim"] = claim_from_dict(key, speaker, record["claim"])
            record["key"] = key
            record["article"] = row["article"]
            record["published"] = dates[row["article"]]
            record["source"]["name"] = names.get((row["article"], entity)) if entity else None
            records.append(record)
        found.append((current, records))
    return found


def own_voice(store: Store, story: Story, statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sentences of a story's articles that hold no statement and have `OWN_WORDS` words
    or more, and the parts of sentences their statements leave out (a sentence's
    ``assertion``), as records shaped like the statements of `story_statements`: no source,
    no cue, the sentence or its part as content, id ``a<sentence>`` (an assertion), the claim
    the analysis gave it (`stages.conflicts.assertions`; empty in a store made before it
    did), and the speaker of the article's unattributed statements (one voice)."""
    said: dict[str, set[int]] = {}
    for record in statements:
        said.setdefault(record["article"], set()).add(record["sentence"])
    found = []
    for article in story.articles:
        stored = store.db.execute(
            "SELECT analysis FROM articles WHERE id = ?", (article["id"],)
        ).fetchone()
        sentences = json.loads(stored["analysis"])["sentences"] if stored else []
        for row in store.db.execute(
            'SELECT idx, start, "end", text FROM sentences WHERE article = ? ORDER BY idx',
            (article["id"],),
        ):
            start, end = row["start"], row["end"]
            if row["idx"] in said.get(article["id"], ()):
                known = row["idx"] < len(sentences)
                part = sentences[row["idx"]].get("assertion") if known else None
                if not part:
                    continue
                start, end = part["start"], part["end"]
            text = " ".join(row["text"][start - row["start"] : end - row["start"]].split())
            if len(text.split()) < OWN_WORDS:
                continue
            key = f"{article['id']}/a{row['idx']}"
            speaker = f"{article['id']}:{_key('')}"
            claim = (
                sentences[row["idx"]].get("claim")
                if OWN_RULES and row["idx"] < len(sentences)
                else None
            )
            found.append(
                {
                    "id": f"a{row['idx']}",
                    "source": {
                        "entity": None,
                        "text": None,
                        "start": None,
                        "end": None,
                        "name": None,
                    },
                    "cue": {"text": "", "start": start, "end": start},
                    "content": {"text": text, "start": start, "end": end},
                    "kind": "indirect",
                    "sentence": row["idx"],
                    "claim": claim_from_dict(key, speaker, claim)
                    if claim
                    else Claim(key, speaker, (), (), ()),
                    "key": key,
                    "article": article["id"],
                    "published": article["published"],
                }
            )
    return found


def is_own(record: dict[str, Any]) -> bool:
    """Whether a record is a sentence in an article's own voice (`own_voice`): its id is
    ``a<sentence>``, where a statement's is ``s<n>``."""
    return record["id"].startswith("a")


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("claim", "key")}


def _sides_text(records: dict[str, dict[str, Any]], sides: dict[str, str]) -> str:
    ordered = sorted(sides, key=lambda k: (records[k]["published"] or "", k))
    return "; ".join(
        f"{records[k]['published'] or 'undated'}, "
        + (
            "the report itself"
            if is_own(records[k])
            else records[k]["source"]["name"] or records[k]["source"]["text"] or "unattributed"
        )
        + (f" ({sides[k]})" if sides[k] else "")
        + f': "{_short(records[k]["content"]["text"])}"'
        for k in ordered
    )


def _rules_take(first: dict[str, Any], second: dict[str, Any], rarity: Rarity) -> bool:
    """Whether the rules compare two records and find a clash (then the pair is theirs): two
    statements anywhere (within one article, in the article's own stage), a sentence in an
    article's own voice only with another article's records and on `OWN_KINDS`."""
    if not (is_own(first) or is_own(second)):
        return bool(clashes(first["claim"], second["claim"], rarity))
    if first["article"] == second["article"]:
        return False
    return any(c.key[0] in OWN_KINDS for c in clashes(first["claim"], second["claim"], rarity))


#: The forms of the denying cues (`claims.DENIALS`): "denied", "rejects", "a denial",
#: "rebutted", as the lemma without a final "e" or "y" and an ending (some are no words).
DENYING = frozenset(
    lemma.rstrip("ey") + ending
    for lemma in DENIALS
    for ending in ("", *"e es s ed ing y ies ied ying ial ion ation al ted ting tal".split())
)
#: Words that make a content say that something is not so.
NEGATING = NEGATIONS | {"nothing", "none", "nobody", "neither", "nor"}
_WORD = re.compile(r"\w+")


def _denies(record: dict[str, Any]) -> bool:
    """Whether a record's cue denies its content ("rejected claims that ...")."""
    return any(w in DENYING for w in _WORD.findall((record["cue"].get("text") or "").lower()))


def _negates(record: dict[str, Any]) -> bool:
    """Whether a record's content has a negating word ("no", "never", "didn't")."""
    words = _WORD.findall(record["content"]["text"].lower().replace("n't", " not"))
    return any(w in NEGATING for w in words)


def _says_only_not(record: dict[str, Any]) -> bool:
    """Whether a record's content says only that something is not so: it negates, and every
    clause of its claim is negated ("the council was warned and did nothing" asserts a
    warning)."""
    clauses = record["claim"].propositions
    return _negates(record) and bool(clauses) and all(c.polarity < 0 for c in clauses)


def _both_say_not(first: dict[str, Any], second: dict[str, Any]) -> bool:
    """Whether two records say one thing by two negations, one denying an account and the
    other negating it ("[rejected] claims that the workers had complained" / "no complaint
    was ever filed"): they agree, though the conflict model reads a denial against a
    negation as opposite accounts."""
    return any(
        _denies(a) and not _negates(a) and not _denies(b) and _says_only_not(b)
        for a, b in ((first, second), (second, first))
    )


def _model_conflicts(
    story: Story,
    statements: list[dict[str, Any]],
    records: dict[str, dict[str, Any]],
    rarity: Rarity,
    start: int,
) -> list[dict[str, Any]]:
    """Conflicts the conflict model finds among the statements of a story (and the sentences
    in its articles' own voice) that the rules do not: pairs by different speakers (or by
    one speaker in two reports, `SELF_ACROSS`) with
    `MODEL_WORDS` words each (at most `MODEL_BUDGET` of them, those sharing the most telling
    words first), at or above the model's threshold (its ``own_threshold`` for a pair with
    an own-voice sentence), most probable first, each its own conflict and each statement
    in at most `MODEL_PAIRS` of them."""
    from .conflict_model import gist, load_conflict_model, pair_texts, statement_text

    gists = [gist(statement_text(r)) for r in statements]
    telling = Rarity.of_words(gists)
    long_enough = [len(r["content"]["text"].split()) >= MODEL_WORDS for r in statements]
    alike = []
    for i, j in combinations(range(len(statements)), 2):
        if not (long_enough[i] and long_enough[j]):
            continue
        if statements[i]["claim"].speaker != statements[j]["claim"].speaker or (
            SELF_ACROSS and statements[i]["article"] != statements[j]["article"]
        ):
            alike.append((telling(gists[i] & gists[j]), i, j))
    alike.sort(key=lambda x: -x[0])
    asked = []
    for _, i, j in alike:
        if len(asked) == MODEL_BUDGET:
            break
        first, second = statements[i], statements[j]
        if not (_rules_take(first, second, rarity) or _both_say_not(first, second)):
            asked.append((i, j))
    if not asked:
        return []
    model = load_conflict_model()
    scores = model.probabilities(
        [pair_texts(statements[i], statements[j]) for i, j in asked],
        least=min(model.threshold, model.own_threshold),
    )
    kept = []
    uses: dict[int, int] = {}
    for p, (i, j) in sorted(zip(scores, asked, strict=True), reverse=True):
        if p < model.threshold:
            break
        if p < model.own_threshold and (is_own(statements[i]) or is_own(statements[j])):
            continue
        if uses.get(i, 0) < MODEL_PAIRS and uses.get(j, 0) < MODEL_PAIRS:
            kept.append((p, i, j))
            uses[i], uses[j] = uses.get(i, 0) + 1, uses.get(j, 0) + 1
    found = []
    for number, (p, i, j) in enumerate(kept, start=start):
        first, second = statements[i], statements[j]
        topic = topic_words(min(first["content"]["text"], second["content"]["text"], key=len))
        where = "within one article" if first["article"] == second["article"] else "across sources"
        lead = f"{where}, opposite accounts (the conflict model's reading, {p:.2f})"
        keys = {first["key"]: "", second["key"]: ""}
        found.append(
            {
                "id": f"{story.id}-c{number}",
                "story": story.id,
                "topic": topic,
                "reason": f"{lead}. {_sides_text(records, keys)}",
                "statements": [
                    _public(records[k])
                    for k in sorted(keys, key=lambda k: (records[k]["published"] or "", k))
                ],
            }
        )
    return found


#: The kinds of rule clash the conflict model may veto: its reading of denials, dates and
#: counts is surer than the rules' (on stories it was not trained on, what it reads below
#: its ``veto`` were nearly all no conflict); stances are few.
VETOED = ("denial", "date", "number")


def _vetoed(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[bool]:
    """Whether the conflict model reads each pair of statement records below its veto."""
    from .conflict_model import load_conflict_model

    if not pairs:
        return []
    veto = load_conflict_model().veto
    if veto <= 0:
        return [False] * len(pairs)
    return [not yes for yes in _model_reads(pairs, veto)]


def _records_of(clash: Clash, records: dict[str, dict[str, Any]]) -> tuple[dict, dict]:
    """The stored statements of the two claims of a clash."""
    return records[clash.first[0].statement], records[clash.second[0].statement]


def _not_vetoed(found: list[Clash], records: dict[str, dict[str, Any]]) -> list[Clash]:
    """The clashes of the rules less those the conflict model vetoes (`VETOED`)."""
    asked = [c for c in found if c.key[0] in VETOED]
    pairs = [_records_of(c, records) for c in asked]
    vetoed = _vetoed(pairs)
    dropped = {id(c) for c, no in zip(asked, vetoed, strict=True) if no}
    return [c for c in found if id(c) not in dropped]


def _pinned_day(claim: Claim, span: tuple[int, int]) -> str:
    """The day a figure is given for: the date of the clause it stands in ("127 people were
    arrested during sunday's protest"), else ""."""
    for p in claim.propositions:
        if len(p.when) >= 10 and p.span[0] < span[1] and span[0] < p.span[1]:
            return p.when[:10]
    return ""


_YEAR_OR_MONTH = re.compile(r"^\d{4}(?:-\d{2})?$")


def _another_time(side: tuple[Claim, str, tuple[int, int]], published: str | None) -> bool:
    """Whether a figure's clause gives a month (or a year, when its clause keeps one) that
    its report's day is not in: "a smaller crush at the site in March 2013 killed seven
    people" counts another event than this week's dead."""
    claim, _, span = side
    day = (published or "")[:10]
    for p in claim.propositions:
        if p.span[0] < span[1] and span[0] < p.span[1] and p.when:
            return bool(day) and bool(_YEAR_OR_MONTH.match(p.when)) and not day.startswith(p.when)
    return False


def _same_moment(clash: Clash, published_a: str | None, published_b: str | None) -> bool:
    """Whether two counts from reports of different days are for the same day, so that they
    cannot both be right: the day each figure is given for, or, for a figure given for no
    day, the day of its report ("14 people were arrested" in Monday's report and "31 people
    were detained on Monday" in Tuesday's)."""
    first, second = _moment(clash.first, published_a), _moment(clash.second, published_b)
    return bool(first) and first == second


def _moment(side: tuple[Claim, str, tuple[int, int]], published: str | None) -> str:
    """The day a figure is for: the day its clause gives, else the day of its report."""
    claim, _, span = side
    return _pinned_day(claim, span) or (published or "")[:10]


def _count_of(side: tuple[Claim, str, tuple[int, int]]) -> Number | None:
    claim, _, span = side
    return next((n for n in claim.numbers if n.span == span), None)


def _fell(clash: Clash, published_a: str | None, published_b: str | None) -> bool:
    """Whether a later report gives a lower count than an earlier one did, or a count for a
    later day is lower than one for an earlier day, for a count that only grows (the dead,
    the injured, the arrested; not the missing or the held): "at least 40 vehicles were
    involved" on Monday and "27 vehicles were involved" on Tuesday cannot both be right.
    A count's day is the one its clause gives ("six staff were suspended on sunday"), else
    its report's: Wednesday's "six suspended on Sunday" is more than Monday's report of
    three suspended. The caller asks only of counts of different days."""
    first, second = _count_of(clash.first), _count_of(clash.second)
    if first is None or second is None or {first.verb, second.verb} & FALLING:
        return False
    orders = (
        (published_a, published_b),
        (_moment(clash.first, published_a), _moment(clash.second, published_b)),
    )
    for day_a, day_b in orders:
        if day_a and day_b and day_a != day_b:
            early, late = (first, second) if day_a < day_b else (second, first)
            if late.high < early.low:
                return True
    return False


def _model_threshold() -> float:
    from .conflict_model import load_conflict_model

    return load_conflict_model().threshold


def _model_reads(pairs: list[tuple[dict[str, Any], dict[str, Any]]], least: float) -> list[bool]:
    """Whether the conflict model reads each pair of statement records at `least` or more."""
    from .conflict_model import load_conflict_model, pair_texts

    if not pairs:
        return []
    scores = load_conflict_model().probabilities([pair_texts(a, b) for a, b in pairs], least)
    return [p >= least for p in scores]


def cross_conflicts(
    store: Store, story: str | None = None, grouped: list[Story] | None = None
) -> list[dict[str, Any]]:
    """Conflicts within each story: by the rules, between statements of different articles,
    one per topic; by the conflict model, between any two statements the rules do not flag
    (`grouped`: the stories, when the caller has them already)."""
    found: list[dict[str, Any]] = []
    for current, statements in story_statements(store, story, grouped):
        dates = {a["id"]: a["published"] for a in current.articles}
        own = own_voice(store, current, statements) if OWN_VOICE else []
        records = {r["key"]: r for r in statements + own}
        claims = [r["claim"] for r in statements + (own if OWN_RULES else [])]
        groups: dict[tuple, list] = {}
        rarity = Rarity(claims)
        found_by_rules, fallen, moving = [], [], []
        for a, b in candidate_pairs(claims):
            article_a, article_b = records[a.statement]["article"], records[b.statement]["article"]
            if article_a == article_b:
                continue
            da, db = _day(dates[article_a]), _day(dates[article_b])
            apart = abs((db - da).days) if da and db else 0
            assertion = is_own(records[a.statement]) or is_own(records[b.statement])
            for clash in clashes(a, b, rarity):
                if assertion and clash.key[0] not in OWN_KINDS:
                    continue
                if clash.key[0] == "number" and (
                    _another_time(clash.first, dates[article_a])
                    or _another_time(clash.second, dates[article_b])
                ):
                    continue
                # counts move as days pass; sums of money (a ransom, a cost) are not recounted
                moved = (
                    clash.key[0] == "number" and apart > NUMBER_DAYS and clash.key[1] not in MONEY
                )
                if moved and not _same_moment(clash, dates[article_a], dates[article_b]):
                    if _fell(clash, dates[article_a], dates[article_b]):
                        fallen.append(clash)
                    elif not any(
                        _pinned_day(c, span) for c, _, span in (clash.first, clash.second)
                    ):
                        moving.append(clash)  # each as of its report: the model decides
                    continue
                found_by_rules.append(clash)
        pairs = [_records_of(c, records) for c in fallen]
        found_by_rules += [
            c for c, yes in zip(fallen, _model_reads(pairs, FELL_CHECK), strict=True) if yes
        ]
        if moving:  # days apart: the model, which reads the day of each report, decides
            pairs = [_records_of(c, records) for c in moving]
            least = _model_threshold() if MOVED_CHECK is None else MOVED_CHECK
            found_by_rules += [
                c for c, yes in zip(moving, _model_reads(pairs, least), strict=True) if yes
            ]
        for clash in _not_vetoed(found_by_rules, records):
            groups.setdefault(clash.key, []).append(clash)
        for clashes_found in groups.values():
            sides: dict[str, str] = {}
            for clash in clashes_found:
                for claim, said, _ in (clash.first, clash.second):
                    sides.setdefault(claim.statement, said)
            ordered = sorted(sides, key=lambda k: (records[k]["published"] or "", k))
            topic = clashes_found[0].topic
            kind = clashes_found[0].key[0]
            lead = "across sources, " + LEADS[kind].format(topic=topic)
            number = sum(1 for f in found if f["story"] == current.id) + 1
            found.append(
                {
                    "id": f"{current.id}-c{number}",
                    "story": current.id,
                    "topic": topic,
                    "reason": f"{lead}. {_sides_text(records, sides)}",
                    "statements": [_public(records[k]) for k in ordered],
                }
            )
        number = sum(1 for f in found if f["story"] == current.id) + 1
        found.extend(_model_conflicts(current, statements + own, records, rarity, start=number))
    return found


def _short(text: str, words: int = 20) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def article_conflicts(store: Store) -> list[dict[str, Any]]:
    """The conflicts found within single articles, with whole statement objects."""
    found = []
    for row in store.db.execute(
        "SELECT c.article, c.id, c.topic, c.reason, c.statements, a.published FROM conflicts c "
        "JOIN articles a ON a.id = c.article ORDER BY a.published, c.article, c.rowid"
    ):
        statements = []
        for sid in json.loads(row["statements"]):
            hit = store.db.execute(
                "SELECT s.record, e.name FROM statements s LEFT JOIN entities e "
                "ON e.article = s.article AND e.id = s.source_entity "
                "WHERE s.article = ? AND s.id = ?",
                (row["article"], sid),
            ).fetchone()
            if hit is None:
                continue
            record = json.loads(hit["record"])
            record.pop("claim", None)
            record["article"] = row["article"]
            record["published"] = row["published"]
            record["source"]["name"] = hit["name"]
            statements.append(record)
        found.append(
            {
                "id": f"{row['article']}-{row['id']}",
                "article": row["article"],
                "topic": row["topic"],
                "reason": row["reason"],
                "statements": statements,
            }
        )
    return found


def all_conflicts(store: Store, story: str | None = None) -> list[dict[str, Any]]:
    """Conflicts within articles and across the articles of each story; `story` keeps one."""
    found = stories(store)
    story_of = {a["id"]: s.id for s in found for a in s.articles}
    inside = []
    for conflict in article_conflicts(store):
        conflict["story"] = story_of.get(conflict["article"])
        if story is None or conflict["story"] == story:
            inside.append(conflict)
    return _model_checked(inside) + cross_conflicts(store, story, found)


def _model_checked(conflicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Conflicts found within articles less the denials, dates and counts (`VETOED`) of which the
    conflict model reads no two statements as conflicting."""
    asked = [c for c in conflicts if kind_of(c["reason"]) in VETOED]
    pairs = [(c, a, b) for c in asked for a, b in combinations(c["statements"], 2)]
    vetoed = _vetoed([(a, b) for _, a, b in pairs])
    kept = {id(c) for (c, _, _), no in zip(pairs, vetoed, strict=True) if not no}
    checked = {id(c) for c in asked}
    return [c for c in conflicts if id(c) not in checked or id(c) in kept]


def entity_profile(store: Store, name: str) -> dict[str, Any] | None:
    """One global entity by any of its names: aliases, mentions by date, statements by it
    and statements whose content names it."""
    entities, _ = global_entities(store)
    wanted = _key(name)
    chosen = next((g for g in entities if wanted in {_key(n) for n in [g.name, *g.aliases]}), None)
    if chosen is None:
        chosen = next(
            (
                g
                for g in entities
                if any(f" {wanted} " in f" {_key(n)} " for n in [g.name, *g.aliases])
            ),
            None,
        )
    if chosen is None:
        return None
    members = set(chosen.members)
    dates = {
        row["id"]: row["published"]
        for row in store.db.execute("SELECT id, published FROM articles")
    }
    over_time: dict[str, int] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    for row in store.db.execute('SELECT article, entity, start, "end" FROM mentions'):
        if (row["article"], row["entity"]) in members:
            day = dates.get(row["article"]) or "undated"
            over_time[day] = over_time.get(day, 0) + 1
            spans.setdefault(row["article"], []).append((row["start"], row["end"]))
    by, about = [], []
    for row in store.db.execute("SELECT article, record FROM statements ORDER BY article"):
        record = json.loads(row["record"])
        record.pop("claim", None)
        record["article"] = row["article"]
        record["published"] = dates.get(row["article"])
        if (row["article"], record["source"]["entity"]) in members:
            by.append(record)
            continue
        parts = record["content"].get("parts") or [record["content"]]
        if any(
            p["start"] <= a and b <= p["end"]
            for a, b in spans.get(row["article"], ())
            for p in parts
        ):
            about.append(record)
    return {
        "id": chosen.id,
        "name": chosen.name,
        "type": chosen.type,
        "aliases": sorted(chosen.aliases),
        "articles": sorted({a for a, _ in chosen.members}),
        "mentions": [{"date": d, "count": n} for d, n in sorted(over_time.items())],
        "said": sorted(by, key=lambda r: (r["published"] or "", r["article"], r["sentence"])),
        "about": sorted(about, key=lambda r: (r["published"] or "", r["article"], r["sentence"])),
    }
