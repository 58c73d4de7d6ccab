"""`newsgraph eval geo`: toponym resolution on GeoWebNews, TR-News and LGL, from the contract.

Every corpus file in the folder is read (GeoWebNews ``GeoWebNews_*.xml``; TR-News and LGL,
which share a schema with ``<gaztag>`` coordinates). Each article is analysed as written and,
on request, in research-corpus form (`forms.research_form`, gold offsets carried through); a
gold toponym counts as found when one of the mentions of an entity newsgraph put on the map
overlaps it, and the distance from newsgraph's point to the gold point is measured. Following
Gritta et al. (2019), the scores are accuracy within 161 km (100 miles), mean and median error
in km, over the toponyms found; recall (found / gold) and end-to-end accuracy (right / gold)
say how many were missed.

Gold toponyms that are not places by newsgraph's definition are left out: demonyms ("Irish",
"Turkish"), which point to a country without naming a place (GeoWebNews marks them as
adjectival modifiers; in TR-News and LGL they are found with the gazetteer's demonym list), and
languages; the numbers left out are printed.
"""

from __future__ import annotations

import re
import statistics
import sys
import xml.etree.ElementTree as ET
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..analyze import default_pipeline, pipeline_name
from ..article import Article
from ..contract import analysis_to_dict
from ..errors import InputError
from ..gazetteer import distance_km, load_gazetteer
from .forms import research_form

#: Accuracy radius of the geoparsing literature (100 miles).
RADIUS_KM = 161.0
#: GeoWebNews types that are not places.
NOT_PLACES = frozenset({"Demonym", "Language"})


@dataclass(frozen=True)
class Toponym:
    start: int
    end: int
    text: str
    lat: float
    lon: float


@dataclass
class GeoDocument:
    id: str
    text: str
    published: str | None
    toponyms: list[Toponym] = field(default_factory=list)
    left_out: int = 0


def _float(element: ET.Element | None) -> float | None:
    if element is None or not (element.text or "").strip():
        return None
    try:
        return float(element.text)  # type: ignore[arg-type]
    except ValueError:
        return None


def read_geowebnews(path: Path) -> list[GeoDocument]:
    documents = []
    for article in ET.parse(path).getroot().iter("article"):
        document = GeoDocument(article.get("file", str(len(documents))), "", None)
        document.text = article.findtext("text") or ""
        for toponym in article.iter("toponym"):
            lat, lon = _float(toponym.find("latitude")), _float(toponym.find("longitude"))
            if lat is None or lon is None:
                continue
            if (toponym.findtext("type") or "") in NOT_PLACES or (
                toponym.findtext("modifierType") == "Adjective"
            ):
                document.left_out += 1
                continue
            start, end = int(toponym.findtext("start") or 0), int(toponym.findtext("end") or 0)
            document.toponyms.append(Toponym(start, end, document.text[start:end], lat, lon))
        documents.append(document)
    return documents


def read_gaztag_corpus(path: Path) -> list[GeoDocument]:
    """TR-News and LGL: ``<toponym><start/><end/><phrase/><gaztag><lat/><lon/></gaztag>``."""
    documents = []
    for article in ET.parse(path).getroot().iter("article"):
        dltime = re.match(r"\d{4}-\d{2}-\d{2}", (article.findtext("dltime") or "").strip())
        published = dltime.group() if dltime else None
        document = GeoDocument(
            article.get("docid", str(len(documents))), article.findtext("text") or "", published
        )
        for toponym in article.iter("toponym"):
            gaztag = toponym.find("gaztag")
            if gaztag is None:
                continue
            lat, lon = _float(gaztag.find("lat")), _float(gaztag.find("lon"))
            if lat is None or lon is None:
                continue
            start, end = int(toponym.findtext("start") or 0), int(toponym.findtext("end") or 0)
            document.toponyms.append(Toponym(start, end, document.text[start:end], lat, lon))
        documents.append(document)
    return documents


def _without_demonyms(documents: list[GeoDocument]) -> list[GeoDocument]:
    gazetteer = load_gazetteer()
    for document in documents:
        kept = [t for t in document.toponyms if not gazetteer.demonym(t.text)]
        document.left_out += len(document.toponyms) - len(kept)
        document.toponyms = kept
    return documents


def read_corpora(data: Path) -> dict[str, list[GeoDocument]]:
    """Every geoparsing corpus in the folder, by name."""
    if not data.is_dir():
        raise InputError(f"{data}: not a folder; pass --data ../shared/data/geo")
    corpora: dict[str, list[GeoDocument]] = {}
    for path in sorted(data.glob("*.xml")):
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        if "<extractedName>" in head or "GeoWebNews" in head:
            corpora[path.stem] = _without_demonyms(read_geowebnews(path))
        elif "<gaztag" in head or "docid=" in head:
            corpora[path.stem] = _without_demonyms(read_gaztag_corpus(path))
    if not corpora:
        raise InputError(f"{data}: no GeoWebNews, TR-News or LGL XML files")
    return corpora


@dataclass
class GeoScores:
    gold: int = 0
    left_out: int = 0
    errors: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, float | int | None]:
        found = len(self.errors)
        right = sum(1 for e in self.errors if e <= RADIUS_KM)
        return {
            "gold": self.gold,
            "left_out": self.left_out,
            "found": found,
            "recall": round(found / self.gold, 4) if self.gold else 0.0,
            "accuracy_161km": round(right / found, 4) if found else 0.0,
            "end_to_end_161km": round(right / self.gold, 4) if self.gold else 0.0,
            "mean_km": round(statistics.fmean(self.errors), 1) if found else None,
            "median_km": round(statistics.median(self.errors), 1) if found else None,
        }


def score_document(document: GeoDocument, record: dict, scores: GeoScores) -> list[dict]:
    """Add one analysed article to the scores; return its toponyms with what was found."""
    points = {p["entity"]: (p["lat"], p["lon"], p["name"]) for p in record["places"]}
    spans = sorted(
        (m["start"], m["end"], points[e["id"]])
        for e in record["entities"]
        if e["id"] in points
        for m in e["mentions"]
    )
    starts = [s for s, _, _ in spans]
    scores.gold += len(document.toponyms)
    scores.left_out += document.left_out
    details = []
    for toponym in document.toponyms:
        hit = None
        for s, e, point in spans[max(0, bisect_right(starts, toponym.end) - 8) :]:
            if s >= toponym.end:
                break
            if s < toponym.end and toponym.start < e:
                hit = point
        error = distance_km((toponym.lat, toponym.lon), hit[:2]) if hit else None
        if error is not None:
            scores.errors.append(error)
        details.append(
            {
                "text": toponym.text,
                "gold": [toponym.lat, toponym.lon],
                "found": hit[2] if hit else None,
                "km": round(error, 1) if error is not None else None,
            }
        )
    return details


FORMS = ("raw", "research")


def research_document(document: GeoDocument) -> GeoDocument:
    """The article in research-corpus form, its toponyms carried through."""
    converted, carry = research_form(document.text)
    moved = GeoDocument(document.id, converted, document.published, left_out=document.left_out)
    for toponym in document.toponyms:
        for start, end in carry(((toponym.start, toponym.end),)):
            moved.toponyms.append(
                Toponym(start, end, converted[start:end], toponym.lat, toponym.lon)
            )
    return moved


def evaluate_geo(
    data: Path,
    *,
    limit: int | None = None,
    forms: tuple[str, ...] = ("raw",),
    progress: bool = True,
    pipeline: str | None = None,
    verbose: bool = False,
) -> dict:
    chosen = pipeline_name(pipeline)
    run = default_pipeline(chosen, until="places")
    results: dict = {"pipeline": chosen, "radius_km": RADIUS_KM, "corpora": {}}
    for name, documents in read_corpora(data).items():
        results["corpora"][name] = {}
        for form in forms:
            scores = GeoScores()
            mistakes = []
            for document in tqdm(
                documents[:limit],
                desc=f"geo {name} {form}",
                unit="doc",
                disable=not progress,
                file=sys.stderr,
                leave=False,
            ):
                shown = research_document(document) if form == "research" else document
                article = Article.from_text(shown.text, id=shown.id, published=shown.published)
                details = score_document(shown, analysis_to_dict(run(article)), scores)
                if verbose:
                    mistakes += [
                        {"article": document.id, **d}
                        for d in details
                        if d["km"] is None or d["km"] > RADIUS_KM
                    ]
            results["corpora"][name][form] = {
                "documents": len(documents[:limit]),
                **scores.as_dict(),
                **({"mistakes": mistakes} if verbose else {}),
            }
    return results


def format_table(results: dict) -> str:
    lines = [
        f"{'corpus':<18} {'form':<9} {'gold':>5} {'found':>6} {'recall':>7} {'acc@161':>8} "
        f"{'e2e@161':>8} {'mean km':>8} {'median':>7}"
    ]
    left = {}
    for name, forms in results["corpora"].items():
        for form, r in forms.items():
            mean = f"{r['mean_km']:.0f}" if r["mean_km"] is not None else "-"
            median = f"{r['median_km']:.0f}" if r["median_km"] is not None else "-"
            lines.append(
                f"{name:<18} {form:<9} {r['gold']:>5} {r['found']:>6} {r['recall']:>7.3f} "
                f"{r['accuracy_161km']:>8.3f} {r['end_to_end_161km']:>8.3f} {mean:>8} "
                f"{median:>7}"
            )
            if r["left_out"]:
                left[name] = r["left_out"]
    lines.append(
        f"pipeline {results['pipeline']}; acc@161: share of found toponyms placed within "
        f"{results['radius_km']:.0f} km of the gold point; e2e: share of all gold toponyms"
    )
    if left:
        lines.append(
            "left out (demonyms, languages): " + ", ".join(f"{n} {c}" for n, c in left.items())
        )
    return "\n".join(lines)
