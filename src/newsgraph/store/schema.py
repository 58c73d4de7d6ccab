"""The store's schema as recorded migrations: each is applied once, in order, and logged."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

#: A migration returns the SQL script that brings the schema one version forward.
Migration = Callable[[], str]
MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(version: int, name: str) -> Callable[[Migration], Migration]:
    def register(func: Migration) -> Migration:
        MIGRATIONS.append((version, name, func))
        return func

    return register


@migration(1, "articles and their annotations, with full-text search over sentences")
def _initial() -> str:
    return """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source TEXT,
            published TEXT,
            title TEXT,
            url TEXT,
            form TEXT NOT NULL,
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            analysis TEXT NOT NULL,
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE sentences (
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (article, idx)
        );
        CREATE VIRTUAL TABLE sentences_fts USING fts5(
            text, article UNINDEXED, idx UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TABLE entities (
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            aliases TEXT NOT NULL,
            PRIMARY KEY (article, id)
        );
        CREATE INDEX entities_name ON entities(name COLLATE NOCASE);
        CREATE TABLE mentions (
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            entity TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL
        );
        CREATE INDEX mentions_article ON mentions(article, entity);
        CREATE TABLE places (
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            entity TEXT NOT NULL,
            name TEXT NOT NULL,
            country TEXT,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            geonames_id INTEGER
        );
        CREATE TABLE times (
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (article, id)
        );
        CREATE TABLE quantities (
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            value REAL,
            unit TEXT NOT NULL,
            PRIMARY KEY (article, id)
        );
        CREATE TABLE statements (
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            source_entity TEXT,
            source_text TEXT,
            cue TEXT NOT NULL,
            content TEXT NOT NULL,
            kind TEXT NOT NULL,
            sentence INTEGER NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (article, id)
        );
        CREATE TABLE events (
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            actor TEXT,
            action TEXT NOT NULL,
            code TEXT,
            target TEXT,
            place TEXT,
            time TEXT,
            sentence INTEGER NOT NULL,
            PRIMARY KEY (article, id)
        );
        CREATE TABLE conflicts (
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            topic TEXT NOT NULL,
            reason TEXT NOT NULL,
            statements TEXT NOT NULL,
            PRIMARY KEY (article, id)
        );
    """


def migrate(db: sqlite3.Connection) -> list[int]:
    """Apply the migrations this database lacks; returns the versions applied."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT version FROM migrations")}
    applied = []
    for version, name, func in sorted(MIGRATIONS, key=lambda m: m[0]):
        if version in done:
            continue
        # One transaction per migration: a failure leaves the schema at the version before.
        record = name.replace("'", "''")
        try:
            db.executescript(
                f"BEGIN IMMEDIATE;\n{func()};\n"
                f"INSERT INTO migrations VALUES ({version}, '{record}', datetime('now'));\n"
                "COMMIT;"
            )
        except sqlite3.Error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def latest_version() -> int:
    return max(version for version, _, _ in MIGRATIONS)
