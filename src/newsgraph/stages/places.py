"""The `places` stage: every location entity put on the map, as the GeoNames place it names.

A name can stand for many places ("Alexandria", "Georgia", "Tripoli"); the document says which.
Each candidate from the gazetteer is scored on evidence a reader would use:

- how big it is (population) and what it is (a country or a state before a town of the
  same name);
- how well the name matched (the place's own name, an alternate name, the name without its
  Arabic article, or only the consonant skeleton of a transliteration);
- the document's countries: countries named as places, and demonyms ("syrian", "lebanese"),
  which point to a country without being places themselves;
- the document's regions: a town in a state the article names;
- nearness to the other places of the document (a second pass, once each has a first reading).

Location entities are placed, and MISC entities whose name is that of a country or region
("US", "Delaware"); entities whose every name is a demonym are left out, and so are names
with no candidate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from ..article import Analysis, Entity, Place
from ..gazetteer import (
    EXACT,
    SKELETON,
    WITHOUT_ARTICLE,
    Gazetteer,
    GeoName,
    distance_km,
    fold,
    skeleton,
    without_articles,
)
from ..gazetteer import load_gazetteer as _load_gazetteer
from ..pipeline import stage

#: Words around a place name that name its kind ("deir ez-zor province", "the city of aleppo").
GENERIC_TAIL = re.compile(
    r"\s+(province|governorate|region|county|parish|district|city|state|town|village|area|"
    r"municipality|prefecture|oblast)$",
    re.IGNORECASE,
)
GENERIC_HEAD = re.compile(r"^(the\s+)?((city|town|village|province|state)\s+of\s+)?", re.IGNORECASE)
#: A place name used as a modifier: "U.S.-backed", "Iran-led", "Moscow-based".
MODIFIER_TAIL = re.compile(r"-[a-z]+$")
#: Kinds of place a name the recognizer did not call a location must match to be placed
#: ("US" or "Delaware" tagged MISC), as written, not by a looser match.
PLAIN_KINDS = frozenset({"continent", "country", "region", "district"})

#: Evidence weights (set by hand on GeoWebNews and TR-News dev; see `newsgraph eval geo`).
POPULATION = 0.7
KIND_BONUS = {"continent": 6.0, "country": 6.0, "region": 2.5, "district": 1.0, "city": 0.0}
MATCH_BONUS = {EXACT: 1.0, 1: 0.0, WITHOUT_ARTICLE: -0.5, SKELETON: -3.0}
IN_COUNTRY = 1.5
IN_REGION = 2.5
NEAR = 1.0
NEAR_KM = 800.0
#: Below this score a name is left off the map rather than put on a small namesake.
THRESHOLD = 0.0
#: A transliteration met only by its consonant skeleton must be this like the place's name
#: (difflib ratio), or `SKELETON_LIKENESS_AT_HOME` for a place in one of the document's
#: countries ("dayr az zawr" ~ "deir ez-zor" 0.59, "benue" ~ "benin city" 0.40).
SKELETON_LIKENESS = 0.8
SKELETON_LIKENESS_AT_HOME = 0.5


@dataclass(frozen=True)
class Reading:
    """A candidate place for an entity, with its score and what it matched on."""

    place: GeoName
    score: float
    match: int


def place_names(entity: Entity, bare: bool = False) -> list[str]:
    """The names to look up for an entity; with `bare`, without the words that name their kind
    ("deir ez-zor province" -> "deir ez-zor"), for when the names as written find nothing."""
    names = [entity.name, *entity.aliases, *(m.text for m in entity.mentions)]
    out: list[str] = []
    for name in names:
        variant = name.strip()
        if bare:
            variant = GENERIC_HEAD.sub("", GENERIC_TAIL.sub("", MODIFIER_TAIL.sub("", variant)))
        if variant and variant.lower() not in (n.lower() for n in out):
            out.append(variant)
    return out


def document_countries(
    analysis: Analysis, locations: Sequence[Entity], gazetteer: Gazetteer
) -> set[str]:
    """Countries the article names as places or through a demonym."""
    found: set[str] = set()
    for entity in locations:
        for name in place_names(entity):
            for place, match in gazetteer.candidates(name):
                if place.kind == "country" and match <= WITHOUT_ARTICLE:
                    found.add(place.country)
    for word in set(re.findall(r"[^\W\d_]+", analysis.text.lower())):
        country = gazetteer.demonym(word)
        if country:
            found.add(country)
    return found


def _readings(
    entity: Entity, gazetteer: Gazetteer, countries: set[str], regions: set[tuple[str, str]]
) -> list[Reading]:
    best: dict[tuple[str, str, int | None], Reading] = {}
    names = place_names(entity)
    if not any(gazetteer.candidates(name) for name in names):
        names = place_names(entity, bare=True)
    for name in names:
        found = gazetteer.candidates(name)
        # a region named like a town of its own country ("Tripoli", Libya) gets no bonus over
        # that town's namesakes elsewhere: the name is as much the town's as the region's
        towns = {(p.country, fold(p.name)) for p, _ in found if p.kind == "city"}
        for place, match in found:
            if match == SKELETON and not _transliteration(name, place, countries):
                continue
            kind = KIND_BONUS.get(place.kind, 0.0)
            if place.kind in ("region", "district") and (place.country, fold(place.name)) in towns:
                kind = 0.0
            score = POPULATION * math.log10(place.population + 10) + kind + MATCH_BONUS[match]
            if place.kind != "country" and place.country in countries:
                score += IN_COUNTRY
            if place.kind in ("city", "district") and (place.country, place.admin1) in regions:
                score += IN_REGION
            key = (place.kind, place.name, place.geonames_id)
            if key not in best or best[key].score < score:
                best[key] = Reading(place, score, match)
    return sorted(best.values(), key=lambda r: -r.score)


def _transliteration(name: str, place: GeoName, countries: set[str]) -> bool:
    """Whether a skeleton match is a spelling of the place, not a chance likeness."""
    folded = without_articles(fold(name))
    if len(folded.replace(" ", "")) < 5 or len(skeleton(folded).replace(" ", "")) < 3:
        return False
    likeness = SequenceMatcher(None, folded, without_articles(fold(place.name))).ratio()
    return likeness >= (
        SKELETON_LIKENESS_AT_HOME if place.country in countries else SKELETON_LIKENESS
    )


def _names_a_region(entity: Entity, gazetteer: Gazetteer) -> bool:
    """Whether an entity's name, as written, is the name of a country or region."""
    return any(
        place.kind in PLAIN_KINDS and match <= WITHOUT_ARTICLE
        for place, match in gazetteer.candidates(entity.name)
    )


def _is_demonym(entity: Entity, gazetteer: Gazetteer) -> bool:
    return all(gazetteer.demonym(name) for name in [entity.name, *entity.aliases])


def resolve(
    analysis: Analysis, gazetteer: Gazetteer | None = None
) -> list[tuple[Entity, Reading, float]]:
    """The place each location entity names, with a confidence (0..1)."""
    gazetteer = gazetteer or _load_gazetteer()
    locations = [
        e
        for e in analysis.entities
        if (e.type == "LOC" or e.type == "MISC" and _names_a_region(e, gazetteer))
        and not _is_demonym(e, gazetteer)
    ]
    countries = document_countries(analysis, locations, gazetteer)
    readings = {e.id: _readings(e, gazetteer, countries, set()) for e in locations}
    first = {eid: r[0].place for eid, r in readings.items() if r}
    regions = {(p.country, p.admin1) for p in first.values() if p.kind == "region"}
    resolved = []
    for entity in locations:
        options = _readings(entity, gazetteer, countries, regions)
        if not options or options[0].score < THRESHOLD:
            continue
        others = [p for eid, p in first.items() if eid != entity.id and p.kind == "city"]
        if others:
            options = sorted(
                (
                    replace(r, score=r.score + NEAR)
                    if r.place.kind == "city"
                    and any(distance_km(r.place, o) <= NEAR_KM for o in others)
                    else r
                    for r in options
                ),
                key=lambda r: -r.score,
            )
        if options[0].score >= THRESHOLD:
            resolved.append((entity, options[0], _confidence(options)))
    return resolved


def _confidence(options: Sequence[Reading]) -> float:
    """The chosen reading's share of the evidence, softmax over the scores."""
    top = options[0].score
    weights = [math.exp(r.score - top) for r in options[:20]]
    return round(1.0 / sum(weights), 3)


def places_from(resolved: Iterable[tuple[Entity, Reading, float]]) -> tuple[Place, ...]:
    return tuple(
        Place(
            entity.id,
            reading.place.name,
            reading.place.country or None,
            reading.place.lat,
            reading.place.lon,
            reading.place.geonames_id,
            confidence,
        )
        for entity, reading, confidence in resolved
    )


@stage("places", requires=("entities",), assigns=("places",))
def places_stage(analysis: Analysis) -> Analysis:
    return replace(analysis, places=places_from(resolve(analysis)))
