"""The JSON contract `newsgraph.analysis/1`: an `Analysis` to a plain dict and back.

Field names are fixed by the contract (see the schema in `newsgraph/schema/`); fields may be
added, never renamed or dropped. `analysis_from_dict` rebuilds the records from a stored
object, so the store can round-trip what `analyze --json` prints.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .article import (
    Analysis,
    Article,
    Conflict,
    Entity,
    Event,
    Mention,
    Place,
    Quantity,
    Reference,
    Sentence,
    Source,
    Span,
    Statement,
    TimeExpression,
)

SCHEMA = "newsgraph.analysis/1"


def _span(span: Span) -> dict[str, Any]:
    return {"text": span.text, "start": span.start, "end": span.end}


def article_to_dict(article: Article, form: str | None, tokenized: bool | None) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "published": article.published.isoformat() if article.published else None,
        "title": article.title,
        "url": article.url,
        "form": form or "raw",
        "tokenized": bool(tokenized),
        "text": article.text,
    }


def entity_to_dict(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "mentions": [
            {"start": m.start, "end": m.end, "text": m.text}
            | ({"confidence": m.confidence} if m.confidence is not None else {})
            for m in entity.mentions
        ],
        "references": [
            {"start": r.start, "end": r.end, "text": r.text, "kind": r.kind}
            for r in entity.references
        ],
        "roles": list(entity.roles),
    }


def statement_to_dict(statement: Statement, claim: dict | None = None) -> dict[str, Any]:
    source = statement.source
    content = _span(statement.content)
    if statement.parts:
        content["parts"] = [_span(p) for p in statement.parts]
    record = {
        "id": statement.id,
        "source": {
            "entity": source.entity,
            "text": source.text,
            "start": source.start,
            "end": source.end,
        },
        "cue": _span(statement.cue),
        "content": content,
        "kind": statement.kind,
        "sentence": statement.sentence,
    }
    if statement.confidence is not None:
        record["confidence"] = statement.confidence
    if claim is not None:
        record["claim"] = claim
    return record


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """The contract object for one analysed article (a sentence in the article's own voice
    carries the ``claim`` of its assertion, as a statement carries its own, and the
    ``assertion`` span when the assertion is the part of a sentence its statements leave
    out)."""
    own = analysis.layers.get("assertions", {})
    parts = analysis.layers.get("assertion_spans", {})
    return {
        "schema": SCHEMA,
        "article": article_to_dict(analysis.article, analysis.form, analysis.tokenized),
        "sentences": [
            {"start": s.start, "end": s.end}
            | ({"claim": own[f"a{n}"]} if f"a{n}" in own else {})
            | (
                {"assertion": {"start": parts[f"a{n}"][0], "end": parts[f"a{n}"][1]}}
                if f"a{n}" in parts
                else {}
            )
            for n, s in enumerate(analysis.sentences)
        ],
        "entities": [entity_to_dict(e) for e in analysis.entities],
        "places": [
            {
                "entity": p.entity,
                "name": p.name,
                "country": p.country,
                "lat": p.lat,
                "lon": p.lon,
                "geonames_id": p.geonames_id,
            }
            | ({"confidence": p.confidence} if p.confidence is not None else {})
            for p in analysis.places
        ],
        "times": [
            {
                "id": t.id,
                "start": t.start,
                "end": t.end,
                "text": t.text,
                "type": t.type,
                "value": t.value,
            }
            for t in analysis.times
        ],
        "quantities": [
            {
                "id": q.id,
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "value": q.value,
                "unit": q.unit,
            }
            for q in analysis.quantities
        ],
        "statements": [
            statement_to_dict(s, analysis.layers.get("claims", {}).get(s.id))
            for s in analysis.statements
        ],
        "events": [
            {
                "id": e.id,
                "actor": e.actor,
                "action": e.action,
                "code": e.code,
                "target": e.target,
                "place": e.place,
                "time": e.time,
                "sentence": e.sentence,
            }
            for e in analysis.events
        ],
        "conflicts": [
            {"id": c.id, "topic": c.topic, "statements": list(c.statements), "reason": c.reason}
            for c in analysis.conflicts
        ],
    }


def _span_from(data: dict[str, Any]) -> Span:
    return Span(data["start"], data["end"], data["text"])


def analysis_from_dict(data: dict[str, Any]) -> Analysis:
    """Rebuild an `Analysis` from a contract object (working layers are not restored)."""
    a = data["article"]
    article = Article(
        id=a["id"],
        text=a["text"],
        source=a.get("source"),
        published=date.fromisoformat(a["published"]) if a.get("published") else None,
        title=a.get("title"),
        url=a.get("url"),
    )
    entities = tuple(
        Entity(
            id=e["id"],
            name=e["name"],
            type=e["type"],
            aliases=tuple(e["aliases"]),
            mentions=tuple(
                Mention(m["start"], m["end"], m["text"], e["type"], m.get("confidence"))
                for m in e["mentions"]
            ),
            references=tuple(
                Reference(r["start"], r["end"], r["text"], r["kind"]) for r in e["references"]
            ),
            roles=tuple(e.get("roles", [])),
        )
        for e in data["entities"]
    )
    statements = tuple(
        Statement(
            id=s["id"],
            source=Source(**{k: s["source"][k] for k in ("entity", "text", "start", "end")}),
            cue=_span_from(s["cue"]),
            content=_span_from(s["content"]),
            kind=s["kind"],
            sentence=s["sentence"],
            parts=tuple(_span_from(p) for p in s["content"].get("parts", [])),
            confidence=s.get("confidence"),
        )
        for s in data["statements"]
    )
    return Analysis(
        article=article,
        form=a["form"],
        tokenized=a.get("tokenized"),
        sentences=tuple(Sentence(s["start"], s["end"]) for s in data["sentences"]),
        entities=entities,
        places=tuple(Place(**p) for p in data["places"]),
        times=tuple(TimeExpression(**t) for t in data["times"]),
        quantities=tuple(Quantity(**q) for q in data["quantities"]),
        statements=statements,
        events=tuple(Event(**e) for e in data["events"]),
        conflicts=tuple(
            Conflict(c["id"], c["topic"], tuple(c["statements"]), c["reason"])
            for c in data["conflicts"]
        ),
    )
