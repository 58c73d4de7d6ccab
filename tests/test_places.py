"""Places: name folding, the gazetteer index, and choosing among namesakes by the document.

The resolver tests build a small gazetteer of their own (no GeoNames needed); the tests
marked `model` use the shipped one (built into the cache folder on first use).
"""

import pytest

from newsgraph.article import Analysis, Article, Entity, Mention
from newsgraph.gazetteer import (
    EXACT,
    SKELETON,
    Gazetteer,
    GeoName,
    distance_km,
    fold,
    skeleton,
    without_articles,
)
from newsgraph.stages.places import place_names, resolve


def test_names_fold_to_plain_lowercase_words():
    assert fold("Al-Mayādīn") == "al mayadin"
    assert fold("U.S.") == "us"
    assert fold("Raqqa’s") == "raqqas"
    assert without_articles("deir ez zor") == "deir zor"
    assert skeleton(fold("Dayr az Zawr")) == skeleton(fold("deir ez-zor")) == "dr zr"
    assert skeleton("mawsil") == skeleton("mosul")


def test_great_circle_distance():
    assert distance_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.2, abs=0.5)
    assert distance_km((51.5, -0.13), (48.86, 2.35)) == pytest.approx(343, abs=5)


def _place(name, kind, country, lat, lon, population, admin1="", gid=None):
    return GeoName(gid, name, kind, country, admin1, lat, lon, population)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A made-up corner of the world with the usual ambiguities."""
    places = [
        (_place("Libya", "country", "LY", 28.0, 17.0, 6_000_000, gid=1), []),
        (_place("Lebanon", "country", "LB", 33.8, 35.8, 6_800_000, gid=2), []),
        (_place("Tripoli", "city", "LY", 32.89, 13.19, 1_150_000, gid=3), ["Tarabulus"]),
        (_place("Tripoli", "city", "LB", 34.44, 35.85, 230_000, gid=4), ["Trablous"]),
        (_place("Deir ez-Zor", "city", "SY", 35.34, 40.14, 270_000, gid=5), []),
        (_place("Syria", "country", "SY", 35.0, 38.0, 17_000_000, gid=6), []),
        (_place("Dearborn", "city", "US", 42.32, -83.18, 95_000, gid=7), []),
        (_place("Georgia", "country", "GE", 42.0, 43.5, 3_700_000, gid=8), []),
        (_place("Georgia", "region", "US", 32.7, -83.4, 10_000_000, "GA", gid=9), ["Ga."]),
        (_place("Athens", "city", "GR", 37.98, 23.73, 660_000, gid=10), []),
        (_place("Athens", "city", "US", 33.96, -83.38, 127_000, "GA", gid=11), []),
        (_place("Boston", "city", "US", 42.36, -71.06, 670_000, "MA", gid=12), []),
    ]
    demonyms = {"libyan": "LY", "lebanese": "LB", "syrian": "SY", "syrians": "SY"}
    return Gazetteer.build(tmp_path_factory.mktemp("gaz") / "small.sqlite", places, demonyms)


def test_the_index_finds_names_alternates_and_transliterations(small):
    found = {(p.geonames_id, match) for p, match in small.candidates("tarabulus")}
    assert found == {(3, 1)}
    assert {p.geonames_id for p, m in small.candidates("TRIPOLI") if m == EXACT} == {3, 4}
    assert [(p.geonames_id, m) for p, m in small.candidates("Dayr az Zawr")] == [(5, SKELETON)]
    assert small.candidates("Atlantis") == []
    assert small.demonym("Lebanese") == "LB" and small.demonym("Tripoli") is None


def analysis_of(text, *names, kind="LOC"):
    """An analysis whose location entities are the first occurrence of each name."""
    entities = []
    for n, name in enumerate(names, start=1):
        start = text.index(name)
        mention = Mention(start, start + len(name), name, kind)
        entities.append(Entity(f"e{n}", name, kind, mentions=(mention,)))
    return Analysis(article=Article.from_text(text), entities=tuple(entities))


def chosen(analysis, gazetteer):
    return {
        entity.name: reading.place.geonames_id
        for entity, reading, _ in resolve(analysis, gazetteer)
    }


def test_the_bigger_namesake_wins_without_other_evidence(small):
    assert chosen(analysis_of("Fighting resumed in Tripoli.", "Tripoli"), small) == {"Tripoli": 3}


def test_the_document_country_picks_the_namesake(small):
    text = "Clashes in Tripoli spread as Lebanon's army deployed."
    assert chosen(analysis_of(text, "Tripoli", "Lebanon"), small) == {"Tripoli": 4, "Lebanon": 2}


def test_a_demonym_is_evidence_but_not_a_place(small):
    text = "Lebanese officials said Tripoli was calm."
    assert chosen(analysis_of(text, "Tripoli"), small) == {"Tripoli": 4}
    text = "Syrians gathered; Syrian officials spoke."
    assert chosen(analysis_of(text, "Syrian"), small) == {}


def test_a_named_state_picks_its_towns_and_a_country_beats_a_state(small):
    text = "Athens, Ga., voted on Tuesday."
    assert chosen(analysis_of(text, "Athens", "Ga."), small) == {"Athens": 11, "Ga.": 9}
    assert chosen(analysis_of("Georgia signed the accord.", "Georgia"), small) == {"Georgia": 8}


def test_a_transliteration_needs_a_like_name_or_the_country(small):
    text = "Fighters left dayr az zawr for the desert."
    assert chosen(analysis_of(text, "dayr az zawr"), small) == {}  # "dr zr" alone is weak
    text = "Fighters left dayr az zawr, in eastern syria."
    assert chosen(analysis_of(text, "dayr az zawr", "syria"), small)["dayr az zawr"] == 5


def test_kind_words_are_dropped_only_when_the_full_name_finds_nothing():
    entity = Entity("e1", "Deir ez-Zor province", "LOC", aliases=("U.S.-backed",))
    assert place_names(entity) == ["Deir ez-Zor province", "U.S.-backed"]
    assert place_names(entity, bare=True) == ["Deir ez-Zor", "U.S."]


def test_misc_entities_are_placed_only_when_named_like_a_country_or_region(small):
    text = "Boston Marathon and Libya talks"
    analysis = analysis_of(text, "Boston Marathon", "Libya", kind="MISC")
    assert chosen(analysis, small) == {"Libya": 1}


# The shipped gazetteer on the sample article: (lat, lon) of each town from GeoNames.
SAMPLE_PLACES = {
    "raqqa": (35.95, 39.01),
    "mosul": (36.34, 43.13),
    "beirut": (33.89, 35.50),
    "deir": (35.34, 40.14),
    "mayadin": (35.02, 40.45),
}


@pytest.mark.model
def test_sample_places_are_within_50_km(seed_text):
    import newsgraph

    analysis = newsgraph.analyze(seed_text, published="2017-10-14")
    by_entity = {p.entity: p for p in analysis.places}
    placed = {}
    for entity in analysis.entities:
        if entity.id in by_entity:
            for word in SAMPLE_PLACES:
                if word in entity.name.lower():
                    placed[word] = by_entity[entity.id]
    assert set(placed) == set(SAMPLE_PLACES)
    for word, point in SAMPLE_PLACES.items():
        assert distance_km(point, (placed[word].lat, placed[word].lon)) < 50, word
    assert placed["raqqa"].country == "SY" and placed["raqqa"].geonames_id


@pytest.mark.model
def test_places_command_lists_places_with_their_statements(run, tmp_path):
    db = tmp_path / "news.db"
    story = (
        "BEIRUT (Wirewatch) - Lebanese officials said on Monday that the port of Tripoli "
        'would reopen next week. "The repairs are done," port director Nadia Haddad said.'
    )
    source = tmp_path / "story.txt"
    source.write_text(story, encoding="utf-8")
    assert run("ingest", str(source), "--db", str(db)).code == 0
    result = run("places", "--db", str(db))
    assert result.code == 0, result.err
    assert "Tripoli (LB)" in result.out and "Beirut (LB)" in result.out
    assert run("places", "--db", str(db), "--country", "lb", "--json").out.count("\n") >= 2
    assert "no places in 'FR'" in run("places", "--db", str(db), "--country", "FR").err


@pytest.mark.model
@pytest.mark.gold
def test_eval_geo_scores_each_corpus(run, gold_data):
    result = run(
        "eval", "geo", "--data", str(gold_data / "geo"), "--limit", "5", "--form", "raw", "--json"
    )
    assert result.code == 0, result.err
    import json

    scores = json.loads(result.out)["corpora"]
    assert {"GeoWebNews_dev", "TR-News"} <= set(scores)
    # the first GeoWebNews articles are New Orleans street guides, TR-News's world news
    assert scores["GeoWebNews_dev"]["raw"]["accuracy_161km"] > 0.4
    assert scores["TR-News"]["raw"]["accuracy_161km"] > 0.8


def test_eval_geo_without_data_is_one_clear_line(run, tmp_path):
    result = run("eval", "geo", "--data", str(tmp_path))
    assert result.code != 0
    assert "no GeoWebNews, TR-News or LGL XML files" in result.err
    assert "Traceback" not in result.err
