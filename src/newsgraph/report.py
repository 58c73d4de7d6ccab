"""Readable reports of analyses (contract dicts) for the terminal."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

WIDTH = 100


def _clip(text: str, width: int = WIDTH - 12) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def article_report(record: dict[str, Any]) -> str:
    """A few lines per kind of record found in one analysed article."""
    a = record["article"]
    text = a["text"]
    title = a.get("title") or _clip(text.strip().splitlines()[0] if text.strip() else "", 70)
    meta = [a.get("source") or "unknown source", a.get("published") or "undated", a["form"]]
    if a.get("tokenized"):
        meta.append("tokenized")
    lines = [
        f"== {title}",
        f"   id {a['id']} | {' | '.join(meta)} | {len(record['sentences'])} sentences",
    ]

    entities = record["entities"]
    lines.append(f"   Entities ({len(entities)})")
    for entity in sorted(entities, key=lambda e: (-len(e["mentions"]), e["name"])):
        extra = f"; also {', '.join(entity['aliases'])}" if entity["aliases"] else ""
        count = len(entity["mentions"]) + len(entity["references"])
        lines.append(f"     {entity['type']:<7} {entity['name']} ({count}x{extra})")

    names = {e["id"]: e["name"] for e in entities}
    statements = record["statements"]
    lines.append(f"   Statements ({len(statements)})")
    for s in statements:
        who = names.get(s["source"]["entity"]) or s["source"]["text"] or "(no stated source)"
        lines.append(f"     {who} [{s['cue']['text']}]: {_clip(s['content']['text'], 70)}")

    times = record["times"]
    lines.append(f"   Times ({len(times)})")
    lines.extend(f"     {t['text']!r} -> {t['value']} ({t['type']})" for t in times)

    places = record["places"]
    lines.append(f"   Places ({len(places)})")
    lines.extend(
        f"     {p['name']}, {p['country'] or '??'} ({p['lat']:.2f}, {p['lon']:.2f})" for p in places
    )
    quantities = record["quantities"]
    if quantities:
        lines.append(f"   Quantities ({len(quantities)})")
        lines.extend(f"     {q['text']!r} -> {q['value']} {q['unit']}" for q in quantities)
    return "\n".join(lines)


def conflicts_report(records: Iterable[dict[str, Any]]) -> str:
    """The conflicting accounts found so far, statement by statement."""
    lines = []
    count = 0
    for record in records:
        by_id = {s["id"]: s for s in record["statements"]}
        names = {e["id"]: e["name"] for e in record["entities"]}
        for conflict in record["conflicts"]:
            count += 1
            lines.append(f"-- {conflict['topic']} (article {record['article']['id']})")
            lines.append(f"   why: {conflict['reason']}")
            for sid in conflict["statements"]:
                s = by_id.get(sid)
                if s:
                    who = names.get(s["source"]["entity"]) or s["source"]["text"] or "unstated"
                    lines.append(f"   * {who}: {_clip(s['content']['text'], 80)}")
    header = f"== Conflicting accounts ({count})"
    if not count:
        return header + "\n   none found so far"
    return "\n".join([header, *lines])
