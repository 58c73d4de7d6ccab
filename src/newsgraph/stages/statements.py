"""The `statements` stage: who said what, with or without quote marks, on any casing.

An uncased MiniLM tagger (ONNX Runtime, trained on PolNeAR by
`scripts/train_attribution_minilm.py`) marks every word as part of a source, a cue or a
content, reading up to 384 word-pieces at once; the accurate pipeline reads each article three
times, with the chunk boundaries shifted each time (a sentence at the edge of one reading sits
inside another), and averages. Its spans are then put together into statements:

- every cue opens a statement; content spans join the nearest cue (in the same sentence
  first, then the sentences around it, so a quote that runs on across sentences stays whole
  and "..., he said." at the end of a paragraph finds its content); a source joins the
  nearest cue of its sentence;
- the source resolves to an entity: the person named in it ("hdwu spokeswoman katrin vollmer"),
  else the organisation, else the entity a pronoun or description in it refers to ("he",
  "the spokesman", "its"); a statement with no stated source keeps ``source.entity = None``;
- ``kind`` is ``direct`` when the content is quoted, ``mixed`` when part of it is, and
  ``indirect`` otherwise (always, in text whose quote marks were stripped).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ..article import Analysis, Entity, Source, Span, Statement
from ..pipeline import Stage, stage
from .ner import OnnxTagger, model_dir, spans_from_bio
from .nlp import DASHES, Token
from .speakers import PRONOUNS, Speaker, SpeakerResolver, head_of

ROLE_NAMES = {"SRC": "source", "CUE": "cue", "CNT": "content"}
#: How many sentences away from its cue a content span may sit.
CONTENT_REACH = 2
#: Cost of crossing one sentence boundary, in words, when joining spans to cues.
SENTENCE_COST = 60
_QUOTES = '"“”«»„'
#: Readings of the article with shifted chunk boundaries, averaged (see `OnnxTagger.tag`):
#: three in the accurate pipeline (research-form content F1 0.547 -> 0.555 on PolNeAR dev
#: over two readings), one in the fast one.
READINGS = {"accurate": 3}
#: Word-pieces per chunk: the model's own 384 in the accurate pipeline; 200 in the fast one,
#: which holds the fast pipeline's throughput (0.5 of spaCy alone) with one short reading.
CHUNK_PIECES = {"fast": 200}


@dataclass(frozen=True)
class RoleSpan:
    role: str  # source / cue / content
    first: int  # token indices, end exclusive
    end: int
    score: float


@lru_cache(maxsize=1)
def load_attribution_tagger() -> OnnxTagger:
    return OnnxTagger(model_dir("attribution-minilm"))


def role_spans(
    tokens: Sequence[Token],
    tagger: OnnxTagger | None = None,
    readings: int = 1,
    max_pieces: int | None = None,
) -> list[RoleSpan]:
    """The tagger's source / cue / content spans over the article's tokens."""
    tagger = tagger or load_attribution_tagger()
    sentences: list[list[int]] = []
    for i, token in enumerate(tokens):
        if not sentences or tokens[sentences[-1][-1]].sentence != token.sentence:
            sentences.append([])
        sentences[-1].append(i)
    probs = tagger.tag(
        [[tokens[i].text for i in s] for s in sentences], views=readings, max_pieces=max_pieces
    )
    np = tagger.np
    table = np.concatenate(probs) if probs else np.zeros((0, len(tagger.labels)))
    best = viterbi_bio(table, tagger.labels)
    labels = [tagger.labels[b] for b in best]
    scores = [float(table[i, b]) for i, b in enumerate(best)]
    found: list[RoleSpan] = []
    for first, end, kind, score in spans_from_bio(labels, scores):
        if kind not in ROLE_NAMES:
            continue
        span = RoleSpan(ROLE_NAMES[kind], first, end, score)
        last = found[-1] if found else None
        if (
            last is not None
            and span.role == last.role == "content"
            and last.end == first
            and tokens[first].sentence == tokens[last.end - 1].sentence
        ):
            # a content the tagger began twice in a row is one content ("between" +
            # "30,000 and 40,000 people had fled")
            found[-1] = replace(last, end=end, score=min(last.score, score))
            continue
        found.append(span)
    return found


def viterbi_bio(probs: Any, labels: list[str]) -> list[int]:
    """The most probable label sequence that is valid BIO2 (no ``I-X`` after anything but
    ``B-X`` or ``I-X``), from per-word label probabilities."""
    import numpy as np

    n, k = probs.shape
    if n == 0:
        return []
    kinds = [label.partition("-") for label in labels]
    allowed = np.zeros((k, k), dtype=bool)  # allowed[previous, next]
    for j, (prefix, _, kind) in enumerate(kinds):
        for i, (_, _, before) in enumerate(kinds):
            allowed[i, j] = prefix != "I" or before == kind
    start_ok = np.array([prefix != "I" for prefix, _, _ in kinds])
    transition = np.where(allowed, 0.0, -np.inf)
    logp = np.log(np.clip(probs, 1e-9, 1.0))
    score = np.where(start_ok, logp[0], -np.inf)
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        candidates = score[:, None] + transition
        back[t] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + logp[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def _distance(tokens: Sequence[Token], a: RoleSpan, b: RoleSpan) -> int:
    """Words between two spans, plus `SENTENCE_COST` for every sentence boundary between."""
    if a.end <= b.first:
        gap = b.first - a.end
        sentences = tokens[b.first].sentence - tokens[a.end - 1].sentence
    elif b.end <= a.first:
        gap = a.first - b.end
        sentences = tokens[a.first].sentence - tokens[b.end - 1].sentence
    else:
        return 0
    return gap + SENTENCE_COST * sentences


def _sentences_apart(tokens: Sequence[Token], a: RoleSpan, b: RoleSpan) -> int:
    a_range = (tokens[a.first].sentence, tokens[a.end - 1].sentence)
    b_range = (tokens[b.first].sentence, tokens[b.end - 1].sentence)
    if a_range[1] < b_range[0]:
        return b_range[0] - a_range[1]
    if b_range[1] < a_range[0]:
        return a_range[0] - b_range[1]
    return 0


@dataclass
class _Draft:
    cue: RoleSpan
    source: RoleSpan | None = None
    content: list[RoleSpan] | None = None


#: Words that may separate the two halves of an interrupted quote ("Y1, the union said, Y2").
INTERRUPTION = 8


def assemble(tokens: Sequence[Token], spans: list[RoleSpan]) -> list[_Draft]:
    """Join source and content spans to the cue they belong to.

    A content span goes to the nearest cue that no other cue separates it from, within
    `CONTENT_REACH` sentences. A cue keeps its nearest content on each side, and one before it
    only when that one ends right before the cue's clause (an interrupted quote) or is all it
    has; other spans are left out rather than glued onto the wrong statement.
    """
    drafts = sorted(
        (_Draft(s, None, []) for s in spans if s.role == "cue"), key=lambda d: d.cue.first
    )
    if not drafts:
        return []
    cue_starts = [d.cue.first for d in drafts]

    def neighbours(span: RoleSpan, reach: int) -> list[int]:
        """Cues next to a span: the last one starting before it and the next ones after."""
        i = bisect_left(cue_starts, span.first)
        return [k for k in range(i - reach, i + reach) if 0 <= k < len(drafts)]

    for span in spans:
        if span.role != "content":
            continue
        # only the cue just before and the cue just after: no other cue between
        near = [
            drafts[k]
            for k in neighbours(span, 1)
            if _sentences_apart(tokens, span, drafts[k].cue) <= CONTENT_REACH
        ]
        if near:
            best = min(near, key=lambda d: _distance(tokens, span, d.cue))
            best.content.append(span)  # type: ignore[union-attr]
    for d in drafts:
        before = [c for c in d.content or [] if c.end <= d.cue.first]
        after = [c for c in d.content or [] if c.first >= d.cue.end]
        inside = [c for c in d.content or [] if c not in before and c not in after]
        kept = inside
        if after:
            kept = kept + [min(after, key=lambda c: c.first)]
        if before:
            nearest = max(before, key=lambda c: c.end)
            if not after or d.cue.first - nearest.end <= INTERRUPTION:
                kept = [nearest, *kept]
        d.content = sorted(kept, key=lambda c: c.first)
    # Sources: nearest first, one per cue, within the cue's sentence or the one next to it.
    pairs = sorted(
        (_distance(tokens, span, drafts[k].cue), n, k)
        for n, span in enumerate(spans)
        if span.role == "source"
        for k in neighbours(span, 2)
        if _sentences_apart(tokens, span, drafts[k].cue) <= 1
    )
    used: set[int] = set()
    for _, n, k in pairs:
        if n not in used and drafts[k].source is None:
            drafts[k].source = spans[n]
            used.add(n)
    return [d for d in drafts if d.content]


#: Words that join a second account to a first in one sentence ("X said 23 died, while
#: officials put the toll at 31").
CONTRAST = frozenset({"while", "whereas"})
#: Verbs that give an account, and the nouns "put ... at" gives a figure for.
REPORTING = frozenset("say put estimate give report claim count tell insist argue maintain".split())
FIGURES = frozenset("figure toll number total count tally estimate cost loss losses".split())


def _giving_account(tokens: Sequence[Token], verb: int, children: dict[int, list[int]]) -> bool:
    lemma = tokens[verb].lemma
    if lemma not in REPORTING:
        return False
    if lemma == "put":
        return any(
            tokens[c].dep == "dobj" and tokens[c].lemma in FIGURES for c in children.get(verb, [])
        )
    return True


def _subtree_range(tokens: Sequence[Token], root: int, children: dict[int, list[int]]) -> range:
    seen, todo = {root}, [root]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return range(min(seen), max(seen) + 1)


def figure_statements(tokens: Sequence[Token], drafts: list[_Draft]) -> list[_Draft]:
    """Statements the tagger missed that give a figure: "NEMA, however, put the toll at 21"
    (source the subject, cue "put", content the figure and what it is)."""
    children: dict[int, list[int]] = {}
    for i, token in enumerate(tokens):
        if token.head != i:
            children.setdefault(token.head, []).append(i)
    taken = [(s.first, s.end) for d in drafts for s in [d.cue, *(d.content or [])]]
    found = list(drafts)
    for i, token in enumerate(tokens):
        if token.lemma != "put" or any(a <= i < b for a, b in taken):
            continue
        kids = children.get(i, [])
        objects = [c for c in kids if tokens[c].dep == "dobj" and tokens[c].lemma in FIGURES]
        at = [c for c in kids if tokens[c].dep == "prep" and tokens[c].lower == "at"]
        subjects = [c for c in kids if tokens[c].dep == "nsubj"]
        if not (objects and at and subjects):
            continue
        source = _subtree_range(tokens, subjects[0], children)
        content = range(
            _subtree_range(tokens, objects[0], children).start,
            _subtree_range(tokens, at[0], children).stop,
        )
        found.append(
            _Draft(
                RoleSpan("cue", i, i + 1, 0.5),
                RoleSpan("source", source.start, source.stop, 0.5),
                [RoleSpan("content", content.start, content.stop, 0.5)],
            )
        )
    return found


def split_contrasts(tokens: Sequence[Token], drafts: list[_Draft]) -> list[_Draft]:
    """A content that carries a second, contrasting account ("23 people had died ..., while
    state officials put the toll at 31") is cut before it, and the second account becomes a
    statement of its own: source the clause's subject, cue its verb, content the rest."""
    children: dict[int, list[int]] = {}
    for i, token in enumerate(tokens):
        if token.head != i:
            children.setdefault(token.head, []).append(i)
    found: list[_Draft] = []
    for draft in drafts:
        found.append(draft)
        spans = sorted(draft.content or [], key=lambda c: c.first)
        for n, span in enumerate(spans):
            sentence = tokens[span.end - 1].sentence
            limit = span.end
            while limit < len(tokens) and tokens[limit].sentence == sentence:
                limit += 1
            while limit > span.end and not tokens[limit - 1].text[-1:].isalnum():
                limit -= 1  # the closing full stop
            cut = next(
                (
                    i
                    for i in range(span.first + 1, limit - 2)
                    if tokens[i].lower in CONTRAST
                    and tokens[i].dep == "mark"
                    and span.first <= tokens[i].head < limit
                    and _giving_account(tokens, tokens[i].head, children)
                ),
                None,
            )
            if cut is None:
                continue
            verb = tokens[cut].head
            if any(d.cue.first <= verb < d.cue.end for d in drafts):
                continue
            subjects = [
                c for c in children.get(verb, []) if tokens[c].dep == "nsubj" and cut < c < verb
            ]
            if not subjects or verb + 1 >= limit:
                continue
            end = min(span.end, cut - 1 if tokens[cut - 1].text in (",", ";") else cut)
            if end <= span.first:
                continue
            spans[n] = replace(span, end=end)
            draft.content = spans
            found.append(
                _Draft(
                    RoleSpan("cue", verb, verb + 1, span.score),
                    RoleSpan("source", cut + 1, verb, span.score),
                    [RoleSpan("content", verb + 1, limit, span.score)],
                )
            )
            break
    return found


def _kind(text: str, parts: list[tuple[int, int]]) -> str:
    """direct: the content is one quotation; mixed: part of it is quoted; else indirect."""
    content = " ".join(text[a:b] for a, b in parts).strip(" ,.;:")
    marks = sum(content.count(q) for q in _QUOTES)
    if not marks:
        return "indirect"
    if marks <= 2 and content[:1] in _QUOTES and content[-1:] in _QUOTES:
        return "direct"
    return "mixed"


#: Dependency labels of a verb's subject, and of clauses that share their head's subject.
_SUBJECTS = ("nsubj", "nsubjpass")
_SHARED_SUBJECT = ("advcl", "conj", "xcomp")


def _subtree(tokens: Sequence[Token], root: int) -> tuple[int, int]:
    """First and end index of the words that hang on `root` within its sentence."""
    sentence = tokens[root].sentence
    lo = hi = root
    i = root
    while i > 0 and tokens[i - 1].sentence == sentence:
        i -= 1
    while i < len(tokens) and tokens[i].sentence == sentence:
        j, steps = i, 0
        while j != root and tokens[j].head != j and steps < 50:
            j, steps = tokens[j].head, steps + 1
        if j == root:
            lo, hi = min(lo, i), max(hi, i)
        i += 1
    return lo, hi + 1


def subject_source(tokens: Sequence[Token], draft: _Draft) -> RoleSpan | None:
    """The grammatical subject of the cue verb as a source the tagger did not mark ("its
    statement made no mention of ..."; "the army declared ..., saying ..."): the subject of
    the cue, or of the clause a participle or coordinated cue continues."""
    cue = draft.cue
    verbs = [i for i in range(cue.first, cue.end) if tokens[i].pos in ("VERB", "AUX")]
    if not verbs:
        return None
    verb = verbs[0]
    taken = [(c.first, c.end) for c in draft.content or []] + [(cue.first, cue.end)]
    for _ in range(3):
        subjects = [
            i
            for i in range(max(0, verb - 40), min(len(tokens), verb + 40))
            if tokens[i].head == verb and tokens[i].dep in _SUBJECTS and i != verb
        ]
        if subjects:
            first, end = _subtree(tokens, subjects[0])
            if any(first < b and a < end for a, b in taken):
                return None
            return RoleSpan("source", first, end, 0.5)
        if tokens[verb].dep not in _SHARED_SUBJECT or tokens[verb].head == verb:
            return None
        verb = tokens[verb].head
    return None


def _is_phrase(tokens: Sequence[Token], span: RoleSpan) -> bool:
    """Whether a tagged source has a word in it (not a stray comma or conjunction)."""
    return any(
        tokens[i].pos in ("NOUN", "PROPN", "PRON", "NUM", "ADJ")
        for i in range(span.first, span.end)
    )


def _after_dateline(tokens: Sequence[Token], span: RoleSpan) -> RoleSpan | None:
    """A source that swallowed the dateline ("HAMBURG, Oct. 16 (Agency) - The union") starts
    after its dash."""
    dashes = [
        i
        for i in range(span.first + 1, span.end - 1)
        if tokens[i].text in DASHES
        and tokens[i - 1].end < tokens[i].start
        and tokens[i].end < tokens[i + 1].start
    ]
    if not dashes:
        return span
    first = dashes[-1] + 1
    return replace(span, first=first) if first < span.end else None


def statements_from(
    analysis: Analysis, tokens: Sequence[Token], spans: list[RoleSpan]
) -> tuple[tuple[Statement, ...], tuple[Entity, ...]]:
    """Statements from role spans, with speakers resolved; entities gain the descriptive
    speakers that speak more than once (see `speakers`)."""
    text = analysis.text
    resolver = SpeakerResolver(text, tokens, analysis.entities, analysis.form == "caseless")
    drafts = figure_statements(tokens, split_contrasts(tokens, assemble(tokens, spans)))
    drafts.sort(key=lambda d: d.cue.first)
    speakers: list[Speaker] = []
    for draft in drafts:
        if draft.source is not None:
            draft.source = _after_dateline(tokens, draft.source)
        if draft.source is not None and not _is_phrase(tokens, draft.source):
            draft.source = None
        if draft.source is None:
            draft.source = subject_source(tokens, draft)
        source = draft.source
        if source is None:
            speakers.append(resolver.resolve(None, None, draft.cue.first))
            continue
        speaker = resolver.resolve(source.first, source.end, draft.cue.first)
        head = tokens[head_of(tokens, source.first, source.end)]
        resolver.note(
            speaker,
            tokens[source.first].start,
            tokens[source.end - 1].end,
            pronoun=head.lower in PRONOUNS,
        )
        speakers.append(speaker)
    described = resolver.descriptive_entities(len(analysis.entities) + 1)
    found = []
    for number, (draft, speaker) in enumerate(zip(drafts, speakers, strict=True), start=1):
        cue_start, cue_end = tokens[draft.cue.first].start, tokens[draft.cue.end - 1].end
        content = sorted(draft.content or [], key=lambda s: s.first)
        parts = [(tokens[s.first].start, tokens[s.end - 1].end) for s in content]
        first, last = parts[0][0], parts[-1][1]
        source = Source()
        if draft.source is not None:
            s_start = tokens[draft.source.first].start
            s_end = tokens[draft.source.end - 1].end
            entity = speaker.entity
            if entity is None and speaker.description in described:
                entity = described[speaker.description].id
            source = Source(entity, text[s_start:s_end], s_start, s_end)
        elif speaker.entity or speaker.description in described:
            # "..., saying ...": the speaker of the clause it continues, with no span of its own
            entity = speaker.entity or described[speaker.description].id  # type: ignore[index]
            source = Source(entity, None, None, None)
        found.append(
            Statement(
                id=f"s{number}",
                source=source,
                cue=Span(cue_start, cue_end, text[cue_start:cue_end]),
                content=Span(first, last, text[first:last]),
                kind=_kind(text, parts),  # type: ignore[arg-type]
                sentence=tokens[draft.cue.first].sentence,
                parts=tuple(Span(a, b, text[a:b]) for a, b in parts) if len(parts) > 1 else (),
                confidence=round(draft.cue.score, 3),
            )
        )
    return tuple(found), analysis.entities + tuple(described.values())


def statements_stage(pipeline: str) -> Stage:
    """The `statements` stage of a pipeline (`READINGS` sets how often the tagger reads)."""
    readings = READINGS.get(pipeline, 1)
    max_pieces = CHUNK_PIECES.get(pipeline)

    @stage(
        "statements",
        requires=("tokens", "entities", "references", "form"),
        assigns=("statements", "entities"),
    )
    def run(analysis: Analysis) -> Analysis:
        tokens: Sequence[Token] = analysis.layers["tokens"]
        if not tokens:
            return analysis
        spans = role_spans(tokens, readings=readings, max_pieces=max_pieces)
        statements, entities = statements_from(analysis, tokens, spans)
        return replace(analysis, statements=statements, entities=entities)

    return run
