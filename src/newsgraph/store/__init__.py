"""The SQLite store: analyses kept per article, one writer, idempotent by article id.

Each article is written in its own transaction, so an interrupted ingest keeps every article
already committed and never half of one. Ingesting an article whose id and text are already
stored changes nothing; a stored id with changed text is replaced. The database runs in WAL
mode so readers never block the writer.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from ..article import Analysis
from ..contract import analysis_to_dict
from ..errors import StoreError
from .schema import latest_version, migrate

__all__ = ["Store", "IngestResult", "RECORD_KINDS", "text_hash"]

IngestResult = Literal["added", "unchanged", "updated"]

#: Tables counted by `Store.stats`, in the order they are reported.
RECORD_KINDS = (
    "articles",
    "sentences",
    "entities",
    "mentions",
    "places",
    "times",
    "quantities",
    "statements",
    "events",
    "conflicts",
)
_ARTICLE_TABLES = RECORD_KINDS[1:]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Store:
    """One SQLite database file. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no such database; create it with 'newsgraph ingest'")
        try:
            if readonly:
                uri = f"file:{self.path.resolve()}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, isolation_level=None)
            else:
                self.db = sqlite3.connect(self.path, isolation_level=None)
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.row_factory = sqlite3.Row
            if readonly:
                self._check_version()
            else:
                migrate(self.db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a newsgraph database ({exc})") from None

    def _check_version(self) -> None:
        try:
            row = self.db.execute("SELECT max(version) FROM migrations").fetchone()
        except sqlite3.OperationalError:
            raise StoreError(f"{self.path}: not a newsgraph database") from None
        if row[0] is None or row[0] < latest_version():
            raise StoreError(
                f"{self.path}: schema version {row[0]} is older than {latest_version()}; "
                "open it once with 'newsgraph ingest' to migrate it"
            )

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- writing -----------------------------------------------------------------------

    def contains(self, article_id: str, text: str | None = None) -> bool:
        """True when the article is stored (with this exact text, when `text` is given)."""
        row = self.db.execute(
            "SELECT text_hash FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return row is not None and (text is None or row["text_hash"] == text_hash(text))

    def ingest(self, analysis: Analysis) -> IngestResult:
        """Store one analysis atomically; see the module docstring for what re-ingest does."""
        article = analysis.article
        digest = text_hash(article.text)
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute(
                "SELECT text_hash FROM articles WHERE id = ?", (article.id,)
            ).fetchone()
            if row is not None and row["text_hash"] == digest:
                db.execute("ROLLBACK")
                return "unchanged"
            if row is not None:
                self._delete(article.id)
            self._insert(analysis_to_dict(analysis), digest)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return "updated" if row is not None else "added"

    def _delete(self, article_id: str) -> None:
        self.db.execute("DELETE FROM sentences_fts WHERE article = ?", (article_id,))
        for table in _ARTICLE_TABLES:
            self.db.execute(f"DELETE FROM {table} WHERE article = ?", (article_id,))
        self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    def _insert(self, record: dict[str, Any], digest: str) -> None:
        db = self.db
        a = record["article"]
        aid = a["id"]
        now = datetime.now(UTC).isoformat(timespec="seconds")
        db.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                aid,
                a["source"],
                a["published"],
                a["title"],
                a["url"],
                a["form"],
                a["text"],
                digest,
                json.dumps(record, ensure_ascii=False),
                now,
            ),
        )
        text = a["text"]
        sentence_rows = [
            (aid, i, s["start"], s["end"], text[s["start"] : s["end"]])
            for i, s in enumerate(record["sentences"])
        ]
        db.executemany("INSERT INTO sentences VALUES (?, ?, ?, ?, ?)", sentence_rows)
        db.executemany(
            "INSERT INTO sentences_fts (text, article, idx) VALUES (?, ?, ?)",
            [(row[4], aid, row[1]) for row in sentence_rows],
        )
        for e in record["entities"]:
            db.execute(
                "INSERT INTO entities VALUES (?, ?, ?, ?, ?)",
                (aid, e["id"], e["name"], e["type"], json.dumps(e["aliases"], ensure_ascii=False)),
            )
            db.executemany(
                "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?)",
                [(aid, e["id"], m["start"], m["end"], m["text"], "name") for m in e["mentions"]]
                + [
                    (aid, e["id"], r["start"], r["end"], r["text"], r["kind"])
                    for r in e["references"]
                ],
            )
        db.executemany(
            "INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (aid, p["entity"], p["name"], p["country"], p["lat"], p["lon"], p["geonames_id"])
                for p in record["places"]
            ],
        )
        db.executemany(
            "INSERT INTO times VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (aid, t["id"], t["start"], t["end"], t["text"], t["type"], t["value"])
                for t in record["times"]
            ],
        )
        db.executemany(
            "INSERT INTO quantities VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (aid, q["id"], q["start"], q["end"], q["text"], q["value"], q["unit"])
                for q in record["quantities"]
            ],
        )
        db.executemany(
            "INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    aid,
                    s["id"],
                    s["source"]["entity"],
                    s["source"]["text"],
                    s["cue"]["text"],
                    s["content"]["text"],
                    s["kind"],
                    s["sentence"],
                    json.dumps(s, ensure_ascii=False),
                )
                for s in record["statements"]
            ],
        )
        db.executemany(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    aid,
                    e["id"],
                    e["actor"],
                    e["action"],
                    e["code"],
                    e["target"],
                    e["place"],
                    e["time"],
                    e["sentence"],
                )
                for e in record["events"]
            ],
        )
        db.executemany(
            "INSERT INTO conflicts VALUES (?, ?, ?, ?, ?)",
            [
                (aid, c["id"], c["topic"], c["reason"], json.dumps(c["statements"]))
                for c in record["conflicts"]
            ],
        )

    # -- reading -----------------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        """Number of stored records of each kind."""
        counts = {}
        for table in RECORD_KINDS:
            counts[table] = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return counts

    def article_ids(self) -> list[str]:
        rows = self.db.execute("SELECT id FROM articles ORDER BY published, rowid")
        return [row["id"] for row in rows]

    def resolve_id(self, prefix: str) -> str:
        """The full id of the one article whose id is or starts with `prefix`."""
        if self.contains(prefix):
            return prefix
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.db.execute(
            "SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' LIMIT 6", (escaped + "%",)
        ).fetchall()
        if not rows:
            raise StoreError(f"no article with id {prefix!r} in {self.path}")
        if len(rows) > 1:
            some = ", ".join(r["id"] for r in rows[:5])
            raise StoreError(f"id {prefix!r} is ambiguous in {self.path}: {some}, ...")
        return rows[0]["id"]

    def analysis(self, article_id: str) -> dict[str, Any]:
        """The stored contract object of one article (ids may be abbreviated)."""
        full = self.resolve_id(article_id)
        row = self.db.execute("SELECT analysis FROM articles WHERE id = ?", (full,)).fetchone()
        return json.loads(row["analysis"])

    def analyses(self) -> Iterator[dict[str, Any]]:
        rows = self.db.execute("SELECT analysis FROM articles ORDER BY published, rowid")
        for row in rows:
            yield json.loads(row["analysis"])

    def search(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Sentences matching an FTS5 query (plain words work too), best first."""
        sql = (
            'SELECT f.article, f.idx, s.start, s."end", f.text, a.title, a.source, a.published, '
            "snippet(sentences_fts, 0, '[', ']', '...', 24) AS snippet "
            "FROM sentences_fts f JOIN sentences s ON s.article = f.article AND s.idx = f.idx "
            "JOIN articles a ON a.id = f.article "
            "WHERE sentences_fts MATCH ? ORDER BY rank LIMIT ?"
        )
        try:
            rows = self.db.execute(sql, (query, limit)).fetchall()
        except sqlite3.OperationalError:
            # Not valid FTS5 syntax: search the words as plain terms instead.
            words = [w.replace('"', '""') for w in query.split()]
            if not words:
                return []
            plain = " ".join(f'"{w}"' for w in words)
            rows = self.db.execute(sql, (plain, limit)).fetchall()
        return [
            {
                "article": r["article"],
                "sentence": r["idx"],
                "start": r["start"],
                "end": r["end"],
                "text": r["text"],
                "snippet": r["snippet"],
                "title": r["title"],
                "source": r["source"],
                "published": r["published"],
            }
            for r in rows
        ]

    # -- statements --------------------------------------------------------------------

    def entities_named(self, name: str) -> set[tuple[str, str]]:
        """(article, entity) pairs whose name or an alias is `name`, or has it as a whole
        word part ("vollmer" finds Katrin Vollmer), ignoring case and punctuation."""
        wanted = _name_key(name)
        if not wanted:
            return set()
        found = set()
        for row in self.db.execute("SELECT article, id, name, aliases FROM entities"):
            names = [row["name"], *json.loads(row["aliases"])]
            keys = [_name_key(n) for n in names]
            if wanted in keys or any(f" {wanted} " in f" {k} " for k in keys):
                found.add((row["article"], row["id"]))
        return found

    def statements(
        self, *, by: str | None = None, about: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Stored statements, oldest article first, with the speaker's name and the sentence.

        `by` keeps statements whose source resolves to an entity of that name (any alias);
        `about` keeps those whose content names or refers to one.
        """
        speakers = self.entities_named(by) if by else None
        subjects = self.entities_named(about) if about else None
        rows = self.db.execute(
            "SELECT s.article, s.record, a.published, a.title, a.source AS outlet, "
            "e.name AS speaker, t.text AS sentence_text "
            "FROM statements s JOIN articles a ON a.id = s.article "
            "LEFT JOIN entities e ON e.article = s.article AND e.id = s.source_entity "
            "LEFT JOIN sentences t ON t.article = s.article AND t.idx = s.sentence "
            "ORDER BY a.published, a.rowid, s.sentence, s.rowid"
        )
        mentions: dict[str, list[tuple[str, int, int]]] = {}
        if subjects is not None:
            for m in self.db.execute('SELECT article, entity, start, "end" FROM mentions'):
                if (m["article"], m["entity"]) in subjects:
                    mentions.setdefault(m["article"], []).append(
                        (m["entity"], m["start"], m["end"])
                    )
        found = []
        for row in rows:
            record = json.loads(row["record"])
            article = row["article"]
            if speakers is not None and (article, record["source"]["entity"]) not in speakers:
                continue
            if subjects is not None:
                parts = record["content"].get("parts") or [record["content"]]
                if not any(
                    p["start"] <= start and end <= p["end"]
                    for _, start, end in mentions.get(article, ())
                    for p in parts
                ):
                    continue
            record["article"] = article
            record["published"] = row["published"]
            record["outlet"] = row["outlet"]
            record["title"] = row["title"]
            record["source"]["name"] = row["speaker"]
            record["sentence_text"] = row["sentence_text"]
            found.append(record)
            if limit and len(found) >= limit:
                break
        return found

    def places(self, *, country: str | None = None) -> list[dict[str, Any]]:
        """Places on the map across articles, most mentioned first: one item per GeoNames
        place (or name and country), with the names it was written as, the articles, and the
        statements made in sentences that name it.

        `country` keeps places in that country (ISO 3166 alpha-2, any case).
        """
        grouped: dict[tuple, dict[str, Any]] = {}
        located: dict[tuple[str, str], tuple] = {}
        for row in self.db.execute(
            "SELECT p.article, p.entity, p.name, p.country, p.lat, p.lon, p.geonames_id, "
            "e.name AS written FROM places p "
            "LEFT JOIN entities e ON e.article = p.article AND e.id = p.entity"
        ):
            if country and (row["country"] or "").lower() != country.lower():
                continue
            key = (row["geonames_id"],) if row["geonames_id"] else (row["name"], row["country"])
            item = grouped.setdefault(
                key,
                {
                    "name": row["name"],
                    "country": row["country"],
                    "lat": row["lat"],
                    "lon": row["lon"],
                    "geonames_id": row["geonames_id"],
                    "written": [],
                    "articles": [],
                    "mentions": 0,
                    "statements": [],
                },
            )
            if row["written"] and row["written"] not in item["written"]:
                item["written"].append(row["written"])
            if row["article"] not in item["articles"]:
                item["articles"].append(row["article"])
            located[(row["article"], row["entity"])] = key
        sentences: dict[tuple, set[tuple[str, int]]] = {}
        for m in self.db.execute(
            "SELECT m.article, m.entity, s.idx FROM mentions m JOIN sentences s "
            'ON s.article = m.article AND s.start <= m.start AND m."end" <= s."end" '
            "WHERE m.kind = 'name'"
        ):
            key = located.get((m["article"], m["entity"]))
            if key is not None:
                grouped[key]["mentions"] += 1
                sentences.setdefault(key, set()).add((m["article"], m["idx"]))
        if sentences:
            said: dict[tuple[str, int], list[dict[str, Any]]] = {}
            for row in self.db.execute(
                "SELECT s.article, s.sentence, s.record, e.name, a.published FROM statements s "
                "JOIN articles a ON a.id = s.article "
                "LEFT JOIN entities e ON e.article = s.article AND e.id = s.source_entity"
            ):
                record = json.loads(row["record"])
                record["source"]["name"] = row["name"]
                record["article"] = row["article"]
                record["published"] = row["published"]
                said.setdefault((row["article"], row["sentence"]), []).append(record)
            for key, where in sentences.items():
                grouped[key]["statements"] = [r for w in sorted(where) for r in said.get(w, [])]
        return sorted(grouped.values(), key=lambda i: (-i["mentions"], i["name"]))

    def timeline(self, *, entity: str | None = None) -> list[dict[str, Any]]:
        """Dated items in time order: each DATE or TIME expression with a resolved value, the
        sentence it is in and the statements made in that sentence.

        `entity` keeps sentences that name or refer to that entity (any alias).
        """
        wanted = self.entities_named(entity) if entity else None
        mentioned: dict[str, list[tuple[int, int]]] = {}
        if wanted is not None:
            for m in self.db.execute('SELECT article, entity, start, "end" FROM mentions'):
                if (m["article"], m["entity"]) in wanted:
                    mentioned.setdefault(m["article"], []).append((m["start"], m["end"]))
        rows = self.db.execute(
            'SELECT t.article, t.id, t.start, t."end", t.text, t.type, t.value, a.published, '
            'a.source, s.idx, s.start AS s_start, s."end" AS s_end, s.text AS sentence '
            "FROM times t JOIN articles a ON a.id = t.article JOIN sentences s "
            'ON s.article = t.article AND s.start <= t.start AND t."end" <= s."end" '
            "WHERE t.type IN ('DATE', 'TIME') AND t.value GLOB '[0-9][0-9][0-9][0-9]*'"
        ).fetchall()
        said: dict[tuple[str, int], list[dict[str, Any]]] = {}
        for row in self.db.execute(
            "SELECT s.article, s.sentence, s.record, e.name FROM statements s "
            "LEFT JOIN entities e ON e.article = s.article AND e.id = s.source_entity"
        ):
            record = json.loads(row["record"])
            record["source"]["name"] = row["name"]
            said.setdefault((row["article"], row["sentence"]), []).append(record)
        items = []
        for row in rows:
            if wanted is not None and not any(
                row["s_start"] <= a and b <= row["s_end"]
                for a, b in mentioned.get(row["article"], ())
            ):
                continue
            items.append(
                {
                    "value": row["value"],
                    "type": row["type"],
                    "text": row["text"],
                    "article": row["article"],
                    "published": row["published"],
                    "outlet": row["source"],
                    "sentence": row["idx"],
                    "sentence_text": row["sentence"],
                    "statements": said.get((row["article"], row["idx"]), []),
                }
            )
        items.sort(key=lambda i: (i["value"], i["published"] or "", i["article"], i["sentence"]))
        return items


def _name_key(name: str) -> str:
    return " ".join(re.findall(r"\w+", name.lower()))
