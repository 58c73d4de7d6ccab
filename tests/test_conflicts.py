"""Claims and conflicts within an article: sentences written here, the demo corpus, the sample."""

import json
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

import newsgraph
from newsgraph.stages.claims import Claim, Number, Stance, claims_of
from newsgraph.stages.conflicts import Rarity, clashes

pytestmark = pytest.mark.model


def conflicts_in(text, published="2024-05-04"):
    analysis = newsgraph.analyze(text, published=published)
    speakers = {s.id: s.source.text for s in analysis.statements}
    return [(c.topic, [speakers[s] for s in c.statements], c.reason) for c in analysis.conflicts]


def test_opposite_accounts_of_the_same_group_conflict():
    text = (
        "Town officials said the convoy would include foreign fighters.\n"
        "A militia commander said the foreign fighters would be left behind.\n"
    )
    [(topic, speakers, reason)] = conflicts_in(text)
    assert topic == "foreign fighters"
    assert speakers == ["Town officials", "A militia commander"]
    assert "included" in reason and "left out" in reason


def test_a_different_group_or_the_same_speaker_is_no_conflict():
    text = (
        "Town officials said the convoy would include Syrian fighters.\n"
        "A militia commander said the foreign fighters would be left behind.\n"
    )
    assert conflicts_in(text) == []


def test_a_denial_claims_the_opposite_of_what_it_denies():
    text = (
        "The army said the rebels had released the hostages.\n"
        "The rebels denied that they had released the hostages.\n"
    )
    [(topic, _, reason)] = conflicts_in(text)
    assert topic == "hostages" and "released" in reason and "held" in reason


def test_counts_conflict_only_when_their_ranges_do_not_meet():
    text = (
        "The union said some 4,000 workers had joined the strike.\n"
        "The company said fewer than 1,500 workers had joined the strike.\n"
    )
    [(topic, speakers, _)] = conflicts_in(text)
    assert topic == "number of workers (join)"
    assert speakers == ["The union", "The company"]
    text = (
        "Police said at least 12 people were killed in the blast.\n"
        "Doctors said 27 people were killed in the blast.\n"
    )
    assert conflicts_in(text) == []


def test_a_bare_figure_counts_what_the_figure_before_it_counts():
    text = (
        "The union said some 4,000 members had joined the strike.\n"
        "The company said the true figure was fewer than 1,500.\n"
        "A spokesman said the remaining 200 were on leave.\n"
    )
    analysis = newsgraph.analyze(text)
    numbers = [n for c in claims_of(analysis) for n in c.numbers]
    assert ("fewer than 1,500", "members", 0.0, 1500.0) in {
        (n.text, n.unit, n.low, n.high) for n in numbers
    }
    assert not any(n.text.endswith("200") for n in numbers)  # a part, not a count


def test_a_figure_named_by_its_noun_is_compared_with_counts_of_the_same_thing():
    text = (
        "The port authority said 23 ships were waiting at anchor on Monday.\n"
        "A shipping group said the number of vessels waiting was more than 40.\n"
    )
    [(topic, speakers, _)] = conflicts_in(text)
    assert topic.startswith("number of ships")
    assert speakers == ["The port authority", "A shipping group"]


def _stance(sign, head="fighter", modifiers=("foreign",)):
    return Stance("included", sign, head, frozenset(modifiers), head, "verb", (0, 1))


def test_clashes_need_the_same_group_opposite_ends_and_different_speakers():
    left, taken = _stance(-1), _stance(+1)
    assert clashes(Claim("a", "e1", (left,), (), ()), Claim("b", "e2", (taken,), (), ()))
    assert not clashes(Claim("a", "e1", (left,), (), ()), Claim("b", "e1", (taken,), (), ()))
    other = _stance(+1, modifiers=("syrian",))
    assert not clashes(Claim("a", "e1", (left,), (), ()), Claim("b", "e2", (other,), (), ()))
    bare = _stance(+1, modifiers=())
    assert clashes(Claim("a", "e1", (left,), (), ()), Claim("b", "e2", (bare,), (), ()))


def test_clashes_between_numbers_respect_rounding():
    def number(low, high):
        return Number(low, high, "people", "kill", "n", (0, 1))

    def claim(sid, who, n):
        return Claim(sid, who, (), (n,), ())

    assert clashes(claim("a", "e1", number(23, 23)), claim("b", "e2", number(31, 31)))
    assert not clashes(claim("a", "e1", number(1000, 1000)), claim("b", "e2", number(1020, 1020)))
    assert clashes(claim("a", "e1", number(76, 76)), claim("b", "e2", number(80, 80)))
    assert not clashes(claim("a", "e1", number(12, float("inf"))), claim("b", "e2", number(27, 27)))


def test_demo_corpus_conflicts_against_what_a_reader_finds():
    """`newsgraph eval conflicts` on the demo stories and the conflicts annotated for them
    (newsgraph/demo/conflicts.json): the floor this work has reached, so a change that loses
    conflicts or raises false alarms fails here."""
    from importlib import resources

    from newsgraph.evaluate.conflicts import evaluate_conflicts

    with resources.as_file(resources.files("newsgraph.demo")) as folder:
        results = evaluate_conflicts(folder, progress=False)
    assert results["gold"] == 34
    assert results["precision"] >= 0.62, results["not_real"]
    assert results["recall"] >= 0.75, results["missed"]


def test_conflict_scoring_pairs_statements_with_sides():
    from newsgraph.evaluate.conflicts import score

    def statement(article, content):
        return {
            "article": article,
            "source": {"text": None},
            "cue": {"text": "said"},
            "content": {"text": content},
        }

    gold = [
        {
            "id": "g1",
            "kind": "count",
            "sides": [
                [{"article": "a", "quote": "23 people had died"}],
                [
                    {"article": "a", "quote": "put the toll at 31"},
                    {"article": "b", "quote": "31 dead"},
                ],
            ],
        }
    ]
    both = {
        "id": "c1",
        "topic": "deaths",
        "statements": [
            statement("a", "that 23 people had died in the floods"),
            statement("b", "31 dead"),
        ],
    }
    one_side = {
        "id": "c2",
        "topic": "deaths",
        "statements": [
            statement("a", "23 people had died"),
            statement("a", "23 people had died there"),
        ],
    }
    elsewhere = {
        "id": "c3",
        "topic": "deaths",
        "statements": [statement("c", "23 people had died"), statement("b", "31 dead")],
    }
    result = score([both, one_side, elsewhere], gold)
    assert (result["found"], result["real"], result["reported"]) == (1, 1, 3)
    assert result["recall"] == 1.0 and round(result["precision"], 2) == 0.33


def test_sample_article_conflict_joins_the_two_accounts_of_foreign_fighters(seed_text):
    analysis = newsgraph.analyze(seed_text, published="2017-10-14")
    names = {e.id: e.name for e in analysis.entities}
    by_id = {s.id: s for s in analysis.statements}
    [conflict] = [c for c in analysis.conflicts if c.topic == "foreign fighters"]
    speakers = {names.get(by_id[s].source.entity) for s in conflict.statements}
    assert {"Talal Silo", "Omar Alloush"} <= speakers
    assert "Talal Silo" in conflict.reason and "Omar Alloush" in conflict.reason
    assert "left behind" in conflict.reason and "include foreign fighters" in conflict.reason


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The demo corpus (four stories, four articles each) in a fresh store."""
    from importlib import resources

    from newsgraph.analyze import default_pipeline
    from newsgraph.article import Article
    from newsgraph.store import Store

    path = tmp_path_factory.mktemp("corpus") / "demo.db"
    corpus = resources.files("newsgraph.demo").joinpath("corpus.jsonl").read_text()
    run = default_pipeline("accurate")
    with Store(path) as store:
        for line in corpus.splitlines():
            r = json.loads(line)
            article = Article.from_text(
                r["text"],
                id=r["id"],
                source=r["source"],
                published=r["published"],
                title=r["title"],
            )
            store.ingest(run(article))
    return path


def test_stories_group_the_articles_of_each_event(run, demo_db):
    result = run("stories", "--db", str(demo_db), "--json")
    assert result.code == 0, result.err
    groups = [
        sorted(a["id"] for a in json.loads(line)["articles"]) for line in result.out.splitlines()
    ]
    assert sorted(groups) == [
        [f"{name}-0{n}" for n in range(1, 5)] for name in ("deal", "flood", "port", "truce")
    ]


def test_story_sets_group_by_wording_where_names_are_tagged_apart():
    """Every story of the hand-written sets is one story, and no two are joined, though in
    some articles the names the entity test needs are tagged as other types."""
    from newsgraph.analyze import default_pipeline
    from newsgraph.article import Article
    from newsgraph.corpus import stories
    from newsgraph.store import Store

    data = Path(__file__).parent / "data"
    run = default_pipeline("fast")
    for folder in ("stories_dev2", "stories_dev3"):
        with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "s.db") as store:
            for line in (data / folder / "corpus.jsonl").read_text().splitlines():
                r = json.loads(line)
                store.ingest(
                    run(Article.from_text(r["text"], id=r["id"], published=r["published"]))
                )
            found = sorted(sorted(a["id"] for a in s.articles) for s in stories(store))
        events = sorted({a.rsplit("-", 1)[0] for group in found for a in group})
        assert found == [[f"{event}-0{n}" for n in range(1, 4)] for event in events], folder


def test_wording_vectors_are_unit_and_alike_for_one_event():
    from newsgraph.corpus import cosine, wording

    one, two, other = wording(
        [
            "Rescuers searched the collapsed Varna bridge for survivors on Monday.",
            "Divers searched the river under the collapsed Varna bridge on Tuesday.",
            "The central bank raised interest rates by half a point.",
        ]
    )
    assert abs(cosine(one, one) - 1.0) < 1e-9
    assert cosine(one, two) > 0.3 > cosine(one, other)


def test_conflicts_command_lists_within_and_across_articles(run, demo_db):
    result = run("conflicts", "--db", str(demo_db), "--json")
    assert result.code == 0, result.err
    found = [json.loads(line) for line in result.out.splitlines()]
    for conflict in found:
        assert {"id", "topic", "reason", "statements", "story"} <= set(conflict)
        for s in conflict["statements"]:
            assert {"id", "article", "published", "source", "cue", "content"} <= set(s)
            assert "name" in s["source"] and "claim" not in s
    across = [c for c in found if "article" not in c]
    assert any(
        c["topic"] == "walkout"
        and [s["article"] for s in c["statements"]] == ["port-01", "port-02"]
        for c in across
    )  # the union's plan to end it on Wednesday, then its extension the next day
    story = found[0]["story"]
    only = run("conflicts", "--db", str(demo_db), "--story", story, "--json")
    assert {json.loads(line)["story"] for line in only.out.splitlines()} == {story}
    readable = run("conflicts", "--db", str(demo_db))
    assert "why:" in readable.out and "==" in readable.out
    assert "no conflicts" in run("conflicts", "--db", str(demo_db), "--story", "s99").err


def test_entity_command_merges_an_entity_across_articles(run, demo_db):
    result = run("entity", "Vollmer", "--db", str(demo_db), "--json")
    assert result.code == 0, result.err
    profile = json.loads(result.out)
    assert profile["name"] == "Katrin Vollmer" and profile["type"] == "PERSON"
    assert set(profile["articles"]) >= {"port-01", "port-03"}
    assert profile["said"] and all(s["published"] for s in profile["said"])
    assert [m["date"] for m in profile["mentions"]] == sorted(
        m["date"] for m in profile["mentions"]
    )
    missing = run("entity", "Nobody Atall", "--db", str(demo_db))
    assert missing.code == 1 and "no entity named" in missing.err


def test_similar_spellings_of_a_person_are_one_entity():
    from newsgraph.corpus import _alike

    assert _alike("talal silo", "talal selo")
    assert not _alike("talal silo", "tariq silo")
    assert not _alike("anna weber", "anna weber smith")


def test_stories_written_for_conflicts(data_dir=Path(__file__).parent / "data" / "stories"):
    """Five stories of three or four articles each, written to exercise every kind of
    conflict (tests/data/stories): the floor reached, recall and share of real reports."""
    from newsgraph.evaluate.conflicts import evaluate_conflicts

    results = evaluate_conflicts(data_dir, progress=False)
    assert results["gold"] >= 30
    assert results["recall"] >= 0.8, results["missed"]
    assert results["precision"] >= 0.65, results["not_real"]
    assert all(v["found"] for v in results["by_kind"].values()), results["by_kind"]


def test_stems_fold_derivations_and_news_synonyms():
    from newsgraph.stages.propositions import stem

    assert stem("notification") == stem("notify") == stem("warning")
    assert stem("mediator") == stem("mediate")
    assert stem("intrusion") == stem("intrude")
    assert stem("walkout") == stem("strike")
    assert stem("probe") == stem("investigation")
    assert stem("ready") != stem("read")
    assert stem("overturn") == stem("capsize")
    assert stem("severed") == stem("cut")


@pytest.mark.parametrize(
    "text, published, values",
    [
        (  # two times of one day, and capsize = overturn
            "Police said the raft overturned at about 3 p.m. on Friday in the gorge.\n"
            "The rafting company said four of its clients died when the raft capsized on "
            "Friday morning.\n",
            "2025-07-20",
            ("2025-07-18T15:00", "2025-07-18TMO"),
        ),
        (  # two days, and sever = cut
            "The operator said the undersea link, which carries most of the island's data, "
            "was cut at about 3 a.m. on Saturday.\n"
            "The navy said the Amberline cable was severed on Friday evening.\n",
            "2025-09-08",
            ("2025-09-06T03:00", "2025-09-05TEV"),
        ),
    ],
)
def test_one_event_at_two_times_conflicts(text, published, values):
    [(topic, speakers, reason)] = conflicts_in(text, published=published)
    assert reason.startswith("different dates for one event")
    assert all(value in reason for value in values)


def test_dates_differ_only_when_neither_contains_the_other():
    from newsgraph.stages.propositions import dates_differ

    assert dates_differ("2025-09-04", "2025-09-05")
    assert dates_differ("2025-Q4", "2026-Q1")
    assert not dates_differ("2025-09", "2025-09-13")
    assert not dates_differ("2025-Q4", "2025-11")


def test_a_denied_thing_and_its_assertion_conflict():
    text = (
        "The ministry said on Monday that it had warned the operator about the cracks in July. "
        "The operator said it had never received any warning about the cracks."
    )
    analysis = newsgraph.analyze(text, published="2025-09-09")
    assert [c.topic for c in analysis.conflicts], analysis.statements
    assert "deni" in analysis.conflicts[0].reason


def test_different_dates_for_one_event_conflict_and_a_rising_toll_does_not():
    dated = newsgraph.analyze(
        "Officials said the leak began on March 3. The company said the leak started on "
        "March 5, not March 3.",
        published="2025-03-10",
    )
    assert any("date" in c.reason for c in dated.conflicts)
    other_events = newsgraph.analyze(
        "Officials said the strike began on March 3. The union said talks with the company "
        "began on March 5.",
        published="2025-03-10",
    )
    assert not other_events.conflicts


def test_a_date_that_bounds_a_clause_is_not_when_its_event_happened():
    sealed = newsgraph.analyze(
        "The fire service said the ammonia leak began at around 4 a.m. on Tuesday. "
        "Plant manager Ivo Petrov said crews had sealed the leak by 9:30 a.m.",
        published="2025-10-14",
    )
    assert not [c for c in sealed.conflicts if "date" in c.reason]
    started = newsgraph.analyze(
        "The fire service said the ammonia leak began at around 4 a.m. on Tuesday. "
        "Plant manager Ivo Petrov said the leak started at 5:40 a.m. on Tuesday.",
        published="2025-10-14",
    )
    assert [c for c in started.conflicts if "date" in c.reason]


def test_counts_of_people_need_a_telling_verb_and_protesters_are_people():
    told_apart = conflicts_in(
        "Steward Ana Rus said no more than 60 people were on the bridge.\n"
        "Doctor Sorin Vlad said 26 patients were still in hospital.\n"
    )
    assert not [c for c in told_apart if c[0].startswith("number")]
    marched = conflicts_in(
        "Organisers said some 5,000 protesters marched through the capital.\n"
        "Police said about 1,200 people marched through the capital.\n"
    )
    assert [c for c in marched if c[0].startswith("number")], marched


def test_ages_and_measures_of_a_thing_are_not_counts():
    analysis = newsgraph.analyze(
        "Race doctors said temperatures climbed past 39 degrees Celsius on Sunday. A hospital "
        "spokesman said the man, aged 34, collapsed near the 35-kilometre mark.",
        published="2025-05-05",
    )
    counted = {n.text for c in claims_of(analysis) for n in c.numbers}
    assert counted == {"39 degrees Celsius"}
    # an age in words, or in research form, is no count of the dead either
    for text in (
        "Police said a crocodile killed a seven-year-old girl and two men at the crossing.",
        "police said a 29 - year - old woman and two men were killed at the crossing .",
    ):
        counted = {n.text for c in claims_of(newsgraph.analyze(text)) for n in c.numbers}
        assert counted == {"two men"}, text
    # nor is an age range, a figure denied, or a number added to another
    for text in (
        "Nurse Vera Lind said the children were aged between 10 and 13.",
        '"Not one franc has arrived," said soldier Paulo Renn.',
        "Lawyer Anton Rusk said a further 14 people had been detained.",
    ):
        assert [n for c in claims_of(newsgraph.analyze(text)) for n in c.numbers] == [], text


def counts_of(text):
    return {
        (n.text, n.low, n.high, n.unit)
        for c in claims_of(newsgraph.analyze(text))
        for n in c.numbers
    }


def test_what_a_count_ends_as_and_where_a_change_ends_are_its_reading():
    # what the count is left as, not the verb that left it ("leave" is of the displaced)
    for text in (
        "Officials said the fighting on Friday left two civilians dead.",
        "officials said gunmen fought police on friday , leaving two civilians dead .",
    ):
        assert counts_of(text) == {("two civilians", 2, 2, "deaths")}, text
    # a change from one figure to another is the figure it ended at, not a range
    assert counts_of("The council said the fare rose from 40 to 70 kopeks.") == {
        ("40 to 70 kopeks", 70, 70, "kopeks")
    }
    # "up to" a measure is the most there was; "up to" a sum of money stays a bound
    assert counts_of("The weather office said ice up to 8 centimetres thick formed.") == {
        ("up to 8 centimetres", 7.2, 8, "centimetres")
    }
    assert counts_of("Prosecutors said fines of up to 5,000 euros were handed out.") == {
        ("up to 5,000 euros", 0, 5000, "euros")
    }


def test_counts_of_one_group_by_other_names_conflict():
    for first, second in (
        (
            "The ministry said five inmates were freed.",
            "Officials said eight prisoners were freed.",
        ),
        (
            "Police said around 12 gunmen took part.",
            "The army said only four attackers took part.",
        ),
        (
            "The engineering office said about 40 houses were damaged in the blast.",
            "The mayor said the blast damaged about 120 homes.",
        ),
    ):
        [(topic, speakers, _)] = conflicts_in(f"{first}\n{second}\n")
        assert len(speakers) == 2, topic


def test_what_is_yet_to_happen_has_not_happened():
    """What a speaker says is yet to happen denies that it happened: "have yet to receive any
    vaccine" against "have received the first dose of vaccine"."""
    text = (
        "The health office said all the bitten children have received the first dose of "
        "vaccine.\nA nurse said two of the children have yet to receive any vaccine.\n"
    )
    [(topic, speakers, reason)] = conflicts_in(text)
    assert reason.startswith("one side affirms what the other denies")


def test_a_count_as_of_a_day_gives_no_date_of_an_event():
    analysis = newsgraph.analyze(
        "Police said 19 workers had been killed as of Friday midday.", published="2025-05-05"
    )
    [claim] = claims_of(analysis)
    assert [(p.when, p.bound) for p in claim.propositions] == [("2025-05-02", True)]


@pytest.mark.parametrize(
    "folder, recall, precision",
    [
        ("stories_dev2", 0.8, 0.65),
        ("stories_dev3", 0.75, 0.7),
        ("stories_heldout", 0.8, 0.58),
        ("stories_dev4", 0.78, 0.7),
        # the conflict model was not trained on these two (they chose its thresholds, the
        # model check of lower later counts and the count veto)
        ("stories_train37", 0.55, 0.5),
        ("stories_train38", 0.6, 0.65),
    ],
)
def test_more_story_sets_written_for_conflicts(folder, recall, precision):
    """More stories written for conflicts by other hands (tests/data/stories_*): the floors
    reached on each. The conflict model was trained on the pairs of the first four; the last
    two were kept from it (they chose its threshold and the check of lower later counts)."""
    from newsgraph.evaluate.conflicts import evaluate_conflicts

    results = evaluate_conflicts(Path(__file__).parent / "data" / folder, progress=False)
    assert results["recall"] >= recall, results["missed"]
    assert results["precision"] >= precision, results["not_real"]


def test_a_stored_claim_keeps_what_its_amounts_are_of():
    """Claims are stored as JSON and compared across articles from it: an amount keeps the
    words of its clause, so "a 40 million euro relief fund" (euros, of a fund) still meets
    "the relief fund would total 25 million euros" in another report."""
    from newsgraph.stages.claims import claim_from_dict, claim_to_dict

    first, second = (
        newsgraph.analyze(text, published="2026-04-10")
        for text in (
            "Agriculture Minister Anja Hribar said the cabinet had approved a 40 million euro "
            "relief fund for fruit growers.",
            "Finance Minister Katja Mlinar said the relief fund would total 25 million euros.",
        )
    )
    a, b = (
        claim_from_dict(f"{n}/s1", f"speaker {n}", claim_to_dict(claims_of(analysis)[0]))
        for n, analysis in enumerate((first, second))
    )
    assert [(n.unit, n.low) for n in a.numbers] == [("euros", 40e6)]
    assert "fund" in a.numbers[0].about and "fund" in b.numbers[0].about
    assert [c.key[:2] for c in clashes(a, b)] == [("number", "euros")]
    round_trip = claim_from_dict("0/s1", "x", claim_to_dict(a))
    assert round_trip.numbers == a.numbers


def test_what_a_sentences_statements_leave_out_is_an_assertion():
    """A statement read as only part of its sentence leaves the rest in the article's own
    voice: its claim and span are in the sentence object, for the corpus to compare."""
    from newsgraph.contract import analysis_to_dict
    from newsgraph.stages.conflicts import assertions

    analysis = newsgraph.analyze(
        "Two gunmen on a motorcycle opened fire at about 9:30 a.m. as the vaccinators went "
        "door to door in the village of Sarband, district police chief Javed Alam told the "
        "agency by telephone."
    )
    said = " ".join(s.content.text for s in analysis.statements)
    own = " ".join(s.content.text for s in assertions(analysis))
    assert "opened fire at about 9:30" in said + " " + own
    for sentence in analysis_to_dict(analysis)["sentences"]:
        if "assertion" in sentence:
            part = sentence["assertion"]
            assert sentence["start"] <= part["start"] < part["end"] <= sentence["end"]
            assert "claim" in sentence


def test_a_left_out_stretch_without_a_verb_is_no_assertion():
    from newsgraph.stages.conflicts import assertions

    analysis = newsgraph.analyze(
        "Editor-in-chief Josephine Awiti told reporters outside the padlocked gates of the "
        "newspaper on Wednesday morning that the raid was unlawful."
    )
    assert all("reporters outside" not in s.content.text for s in assertions(analysis))


def _claims_of_each(*texts, published="2025-11-17"):
    return [
        replace(claims_of(newsgraph.analyze(text, published=published))[0], speaker=f"s{n}")
        for n, text in enumerate(texts)
    ]


def test_two_sums_of_one_currency_are_compared_without_a_word_in_common():
    a, b = _claims_of_each(
        "The prosecutor said investigators found cash worth 40,000 dollars in his hotel room.",
        "Police said about 14,000 dollars in cash was seized from the suspect.",
    )
    assert [c.key[:2] for c in clashes(a, b)] == [("number", "dollars")]
    # measures still need a word in common: the area burned is not the area evacuated
    c, d = _claims_of_each(
        "The fire service said the fire had burned 12,000 hectares of forest.",
        "The mayor said farmers had planted 30,000 hectares of wheat this year.",
    )
    assert not [x for x in clashes(c, d) if x.key[0] == "number"]


def test_an_interruption_at_two_times_is_two_dates_for_one_event():
    a, b = _claims_of_each(
        "Dr Tomas Echeverri said the oxygen supply was interrupted at around 11 p.m. on Friday.",
        "Health Minister Alicia Montoya said the oxygen supply was interrupted at about 4 a.m. "
        "on Saturday.",
        published="2026-01-25",
    )
    assert [c.key[0] for c in clashes(a, b, Rarity([a, b]))] == ["date"]


def test_sums_of_money_in_reports_days_apart_conflict():
    """A count moves as days pass; a ransom demanded does not."""
    lead = "Hackers broke into the control system of the Dravnik water plant on Tuesday."
    found = _cross_conflicts_of(
        [
            ("a", "2026-02-10", f"{lead} Police said the attackers had demanded 2 million "
             "euros in cryptocurrency."),
            ("b", "2026-02-12", f"{lead} A city hall official said the hackers had demanded a "
             "ransom of 500,000 euros."),
        ]
    )  # fmt: skip
    assert len(found) == 1 and "euros" in found[0]["topic"]


def test_times_of_one_day_differ_beyond_half_an_hour():
    from newsgraph.stages.propositions import dates_differ

    assert dates_differ("2025-07-23T05:00", "2025-07-23T06:40")
    assert not dates_differ("2025-07-23T05:00", "2025-07-23T05:15")
    assert dates_differ("2025-07-21TEV", "2025-07-22")
    assert not dates_differ("2025-07-21TMO", "2025-07-21T09:00")


def _cross_conflicts_of(articles):
    from newsgraph.analyze import default_pipeline
    from newsgraph.article import Article
    from newsgraph.corpus import cross_conflicts
    from newsgraph.store import Store

    run = default_pipeline("fast")
    with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "c.db") as store:
        for id_, published, text in articles:
            store.ingest(run(Article.from_text(text, id=id_, published=published)))
        return [c for c in cross_conflicts(store) if "counts" in c["reason"]]


def test_counts_for_one_day_reported_on_different_days_conflict():
    """Counts move, so reports from different days are compared only when both pin their
    figure to the same day: "127 arrested on Sunday" (Monday's report) against "at least 400
    detained on Sunday" (Tuesday's) conflict, and so does a figure given for no day, which
    is as of its report; Monday's count against Tuesday's does not."""
    lead = "Protesters marched through Velna against the Dorvat government's internet shutdown."
    same_day = _cross_conflicts_of(
        [
            ("a", "2026-01-19", f"{lead} Police chief Anto Brel said 127 people were "
             "arrested during Sunday's protest in Velna."),
            ("b", "2026-01-20", f"{lead} Lawyer Mira Osk said at least 400 people were "
             "detained during Sunday's protest in Velna."),
        ]
    )  # fmt: skip
    assert len(same_day) == 1 and {s["article"] for s in same_day[0]["statements"]} == {"a", "b"}
    moved = _cross_conflicts_of(
        [
            ("a", "2026-01-19", f"{lead} Police chief Anto Brel said 127 people were "
             "arrested on Sunday in Velna."),
            ("b", "2026-01-20", f"{lead} Lawyer Mira Osk said at least 400 people had been "
             "detained by Tuesday in Velna."),
        ]
    )  # fmt: skip
    assert moved == []
    as_of_report = _cross_conflicts_of(
        [
            ("a", "2026-01-19", f"{lead} Police chief Anto Brel said 14 people were "
             "arrested in Velna."),
            ("b", "2026-01-20", f"{lead} Lawyer Mira Osk said 31 people were detained on "
             "Monday in Velna."),
        ]
    )  # fmt: skip
    assert len(as_of_report) == 1


def test_a_lower_count_in_a_later_report_conflicts_when_the_model_does_not_read_it_as_news(
    monkeypatch,
):
    """A count that only grows cannot fall from one report to the next: "at least 40
    vehicles" on Monday against 27 on Tuesday conflict when the conflict model reads the
    pair at `FELL_CHECK` or more. A rising count does not, nor a falling count of the
    missing (they are found)."""
    import newsgraph.corpus as corpus
    from newsgraph.conflict_model import load_conflict_model

    lead = "A pile-up on the Orsk expressway closed the road in fog."

    def reports(first, second):
        return [
            ("a", "2026-01-19", f"{lead} Police chief Anto Brel said {first}"),
            ("b", "2026-01-20", f"{lead} Lawyer Mira Osk said {second}"),
        ]

    asked = []

    def reads(pairs, least):
        asked.append(least)
        return [least <= 1] * len(pairs)

    monkeypatch.setattr(corpus, "_model_reads", reads)
    monkeypatch.setattr(corpus, "MOVED_CHECK", 2.0)  # no other count of another day is read
    fell = reports(
        "at least 40 vehicles were involved in the crash.",
        "27 vehicles were involved in the crash.",
    )
    [found] = _cross_conflicts_of(fell)
    assert {s["article"] for s in found["statements"]} == {"a", "b"}
    # the check of a lower later count, then the veto every count of the rules goes through
    assert asked == [corpus.FELL_CHECK, load_conflict_model().veto]
    rose = reports(
        "27 vehicles were involved in the crash.",
        "at least 40 vehicles were involved in the crash.",
    )
    assert _cross_conflicts_of(rose) == []
    found_again = reports(
        "12 drivers were missing after the crash.", "five drivers were missing after the crash."
    )
    assert _cross_conflicts_of(found_again) == []
    monkeypatch.setattr(corpus, "_model_reads", lambda pairs, least: [False] * len(pairs))
    assert _cross_conflicts_of(fell) == []


def test_a_count_given_for_a_day_is_compared_as_of_that_day(monkeypatch):
    """A count fell when the day each count is for (the day its clause gives, else its
    report's) says so, as well as when the order of the reports does: six suspended on
    Sunday, told on Wednesday, is more than Monday's report of three suspended, so the two
    conflict. A later report's higher count for a later day does not."""
    import newsgraph.corpus as corpus

    lead = "An inquiry opened at the Orsk hospital after patients were given the wrong drug."
    monkeypatch.setattr(corpus, "_model_reads", lambda pairs, least: [least <= 1] * len(pairs))
    monkeypatch.setattr(corpus, "MOVED_CHECK", 2.0)  # no other count of another day is read
    fell = _cross_conflicts_of(
        [
            ("a", "2026-01-19", f"{lead} Director Anto Brel said three nurses were "
             "suspended over the error."),
            ("b", "2026-01-21", f"{lead} Union leader Mira Osk said six nurses were "
             "suspended on Sunday over the error."),
        ]
    )  # fmt: skip
    assert len(fell) == 1 and {s["article"] for s in fell[0]["statements"]} == {"a", "b"}
    rose = _cross_conflicts_of(
        [
            ("a", "2026-01-19", f"{lead} Director Anto Brel said three patients were "
             "killed by the wrong drug."),
            ("b", "2026-01-21", f"{lead} Union leader Mira Osk said ten patients were "
             "killed by the wrong drug on Tuesday."),
        ]
    )  # fmt: skip
    assert rose == []


def test_a_datelines_date_is_not_when_the_lead_happened():
    """ "KORUNDI, June 3 (Equator Wire) - Police evicted ..." is dated by its report; the
    eviction's own day is not June 3 (it went on "this week"), in ordinary and research
    form alike."""
    for text in (
        "KORUNDI, June 3 (Equator Wire) - Police evicted about 340 families from farmland "
        "in Mbarela district this week, residents said.",
        "korundi , june 3 ( equator wire ) - police evicted about 340 families from farmland "
        "in mbarela district this week , residents said .",
    ):
        [claim] = claims_of(newsgraph.analyze(text, published="2025-06-03"))
        assert claim.numbers and all(p.when == "" for p in claim.propositions), text


def test_other_counts_of_reports_days_apart_are_the_models_to_read(monkeypatch):
    """A count that is not a lower later figure of a count that only grows, in reports days
    apart, may be news: it is reported only when the conflict model, which reads the day of
    each report, reads the pair at `MOVED_CHECK` or more."""
    import newsgraph.corpus as corpus
    from newsgraph.conflict_model import load_conflict_model

    lead = "Police raided a warehouse in the port of Velna over a smuggling ring."
    reports = [
        ("a", "2026-01-19", f"{lead} Police chief Anto Brel said three people were detained "
         "in connection with the smuggling case."),
        ("b", "2026-01-21", f"{lead} Lawyer Mira Osk said five people were taken into "
         "custody over the smuggling case."),
    ]  # fmt: skip
    asked = []

    def reads(answer):
        def read(pairs, least):
            asked.extend([least] * len(pairs))
            return [answer] * len(pairs)

        return read

    monkeypatch.setattr(corpus, "_model_reads", reads(True))
    [found] = _cross_conflicts_of(reports)
    assert {s["article"] for s in found["statements"]} == {"a", "b"}
    assert asked[0] == corpus.MOVED_CHECK
    monkeypatch.setattr(corpus, "MOVED_CHECK", None)
    before = len(asked)
    _cross_conflicts_of(reports)
    assert asked[before] == load_conflict_model().threshold
    monkeypatch.setattr(corpus, "_model_reads", reads(False))
    assert _cross_conflicts_of(reports) == []


def test_the_model_vetoes_denials_dates_and_counts_but_not_stances(monkeypatch):
    """Rule conflicts of the kinds in `VETOED` are dropped when the conflict model reads none
    of their pairs as conflicting; other kinds are kept whatever it reads."""
    import newsgraph.corpus as corpus
    from newsgraph.stages.conflicts import LEADS

    def conflict(kind, n):
        said = {"cue": {"text": "said"}, "content": {"text": f"claim {n}"}, "published": None}
        return {"reason": LEADS[kind].format(topic="t") + ".", "statements": [said, said]}

    found = [conflict(kind, n) for n, kind in enumerate(("denial", "date", "number", "stance"))]
    asked = []

    def reads_low(pairs):
        asked.extend(pairs)
        return [True] * len(pairs)

    monkeypatch.setattr(corpus, "_vetoed", reads_low)
    kept = corpus._model_checked(found)
    assert kept == found[3:]
    assert len(asked) == 3
    monkeypatch.setattr(corpus, "_vetoed", lambda pairs: [False] * len(pairs))
    assert corpus._model_checked(found) == found


class _Reader:
    """A stand-in conflict model: reads each pair with `read`, keeps the pairs it was asked."""

    threshold, own_threshold, veto = 0.5, 0.5, 0.0

    def __init__(self, read):
        self.read = read
        self.asked = []

    def probabilities(self, pairs, least=0.0):
        self.asked.extend(pairs)
        return [self.read(a, b) for a, b in pairs]


def _pileup(between: str = "") -> list[tuple[str, str, str]]:
    """Two reports of one pile-up: a lead that counts 40 vehicles in the report's own voice
    (then `between`, then a police chief on the fog), and a lawyer who says 27."""
    return [
        ("a", "2026-01-19", "At least 40 vehicles were involved in the pile-up on the Orsk "
         f"expressway in thick fog on Monday.{between} Police chief Anto Brel said the fog on "
         "the Orsk expressway had lifted by noon on Monday."),
        ("b", "2026-01-19", "A pile-up on the Orsk expressway in thick fog closed the road on "
         "Monday. Lawyer Mira Osk said 27 vehicles were involved in the pile-up on the Orsk "
         "expressway."),
    ]  # fmt: skip


def test_sentences_in_an_articles_own_voice_are_put_to_the_conflict_model(monkeypatch):
    """A lead that states a figure in the article's own voice ("at least 40 vehicles were
    involved") may be what an official elsewhere contradicts: it joins the statements the
    conflict model reads, as a record with no source and no cue; sentences that hold a
    statement or are short are not; a pair with such a sentence is reported from the
    model's `own_threshold`."""
    import newsgraph.conflict_model as conflict_model
    import newsgraph.corpus as corpus
    from newsgraph.analyze import default_pipeline
    from newsgraph.article import Article
    from newsgraph.corpus import cross_conflicts
    from newsgraph.store import Store

    # the rules would take this pair themselves (the next test): here the model reads it
    monkeypatch.setattr(corpus, "OWN_RULES", False)

    reader = _Reader(lambda a, b: 0.9 if "40" in a + b and "27" in a + b else 0.1)
    monkeypatch.setattr(conflict_model, "load_conflict_model", lambda: reader)
    articles = _pileup(" The road was shut.")
    run = default_pipeline("fast")
    with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "c.db") as store:
        for id_, published, text in articles:
            store.ingest(run(Article.from_text(text, id=id_, published=published)))
        [found] = cross_conflicts(store)
        reader.own_threshold = 0.95
        assert cross_conflicts(store) == []
    lead, said = found["statements"]
    assert (lead["article"], lead["id"], lead["source"]["text"]) == ("a", "a0", None)
    assert lead["content"]["text"].startswith("At least 40 vehicles were involved")
    assert said["article"] == "b" and "27 vehicles" in said["content"]["text"]
    assert '2026-01-19, the report itself: "At least 40 vehicles' in found["reason"]
    read = {text for pair in reader.asked for text in pair}
    assert not any("The road was shut" in text for text in read)
    assert not any("Police chief Anto Brel said" in text for text in read)


def test_the_rules_compare_an_articles_own_assertions_across_sources(monkeypatch):
    """A sentence in an article's own voice gets a claim of its own (the ``claim`` of its
    sentence object in the analysis), and the rules hold it against the statements of other
    articles of the story: the lead's "at least 40 vehicles" and an official's "27 vehicles"
    are a count clash, reported by the rules (the model is not asked about the pair). Within
    one article, an assertion and a statement are left to the model."""
    import newsgraph.conflict_model as conflict_model
    from newsgraph.analyze import default_pipeline
    from newsgraph.article import Article
    from newsgraph.contract import analysis_to_dict
    from newsgraph.corpus import cross_conflicts
    from newsgraph.store import Store

    reader = _Reader(lambda a, b: 0.1)
    monkeypatch.setattr(conflict_model, "load_conflict_model", lambda: reader)
    articles = _pileup()
    run = default_pipeline("fast")
    analyses = [run(Article.from_text(t, id=i, published=p)) for i, p, t in articles]
    lead, said = analysis_to_dict(analyses[0])["sentences"]
    assert [n["text"] for n in lead["claim"]["numbers"]] == ["At least 40 vehicles"]
    assert "claim" not in said  # a statement's sentence: the claim is the statement's
    with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "c.db") as store:
        for analysis in analyses:
            store.ingest(analysis)
        [found] = cross_conflicts(store)
    assert found["reason"].startswith("across sources, counts that cannot all be right")
    assert "the report itself (At least 40 vehicles)" in found["reason"]
    assert [(s["article"], s["id"]) for s in found["statements"]] == [("a", "a0"), ("b", "s1")]
    read = [a + b for a, b in reader.asked]
    assert not any("40 vehicles" in pair and "27 vehicles" in pair for pair in read)
    # within article a, the lead and the police chief are the model's to read
    assert any("40 vehicles" in pair and "fog on the Orsk" in pair for pair in read)


def test_a_speaker_who_takes_back_an_earlier_account_is_put_to_the_model(monkeypatch):
    """Two statements of one speaker are no conflict within one report, but across reports
    the model reads them (`SELF_ACROSS`): a director who says on Monday that the termination
    system was activated and on Wednesday that it was never triggered."""
    import newsgraph.conflict_model as conflict_model
    import newsgraph.corpus as corpus
    from newsgraph.analyze import default_pipeline
    from newsgraph.article import Article
    from newsgraph.corpus import cross_conflicts
    from newsgraph.store import Store

    reader = _Reader(lambda a, b: 0.9 if "activated" in a + b and "never" in a + b else 0.1)
    monkeypatch.setattr(conflict_model, "load_conflict_model", lambda: reader)
    lead = "A Talvik-2 rocket broke apart over the Merrow coast after its launch on Sunday."
    articles = [
        ("a", "2026-03-02", f"{lead} Launch director Ivo Randell said controllers activated "
         "the rocket's termination system when it veered off course."),
        ("b", "2026-03-04", f"{lead} Launch director Ivo Randell said the rocket's "
         "termination system was never triggered during the flight."),
    ]  # fmt: skip
    run = default_pipeline("fast")
    with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "c.db") as store:
        for id_, published, text in articles:
            store.ingest(run(Article.from_text(text, id=id_, published=published)))
        [found] = cross_conflicts(store)
        assert [s["article"] for s in found["statements"]] == ["a", "b"]
        assert {s["source"]["name"] for s in found["statements"]} == {"Ivo Randell"}
        monkeypatch.setattr(corpus, "SELF_ACROSS", False)
        assert cross_conflicts(store) == []


def test_a_count_of_another_month_is_of_another_event():
    lead = "A crush at the Ormel shrine festival killed pilgrims on Saturday."

    def reports(then):
        return [
            ("a", "2026-08-16", f"{lead} Police chief Anto Brel said 18 people were killed "
             "in the crush at the Ormel shrine."),
            ("b", "2026-08-16", f"{lead} Priest Mira Osk said a crush at the Ormel shrine{then} "
             "killed seven people."),
        ]  # fmt: skip

    assert len(_cross_conflicts_of(reports(""))) == 1
    assert _cross_conflicts_of(reports(" in March 2013")) == []


def test_a_denial_and_a_negation_of_one_account_agree(monkeypatch):
    """ "The council rejected claims that residents had complained" and "no complaint was
    ever filed" both say there was no complaint: the model, which reads a denial against a
    negation as opposite accounts, is not asked about them; a denial against an assertion
    ("residents complained about the water") still is."""
    import newsgraph.conflict_model as conflict_model
    from newsgraph.analyze import default_pipeline
    from newsgraph.article import Article
    from newsgraph.corpus import cross_conflicts
    from newsgraph.store import Store

    asked = []

    def read(a, b):
        asked.append((a, b))
        return 0.95 if "complain" in a and "complain" in b else 0.05

    monkeypatch.setattr(conflict_model, "load_conflict_model", lambda: _Reader(read))
    lead = "Brown water has run from taps in the Oskel district of Varna since Monday."

    def conflicts(other):
        articles = [
            ("a", "2026-05-12", f"{lead} Council spokesman Ivo Randell rejected claims that "
             "residents had complained about the water before Monday."),
            ("b", "2026-05-13", f"{lead} {other}"),
        ]  # fmt: skip
        run = default_pipeline("fast")
        with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "c.db") as store:
            for id_, published, text in articles:
                store.ingest(run(Article.from_text(text, id=id_, published=published)))
            return cross_conflicts(store)

    negated = "Water board engineer Mira Osk said no complaint about the water was ever filed."
    assert conflicts(negated) == []
    assert not [p for p in asked if "no complaint" in p[0] + p[1] and "rejected" in p[0] + p[1]], (
        asked
    )
    asserted = "Resident Anto Brel said residents complained to the council about the water."
    [found] = conflicts(asserted)
    assert [s["article"] for s in found["statements"]] == ["a", "b"]
