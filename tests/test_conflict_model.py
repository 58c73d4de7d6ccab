"""The conflict model: statement pairs in, probabilities of conflict out."""

import pytest

from newsgraph.conflict_model import (
    day_marks,
    gist,
    load_conflict_model,
    pair_texts,
    statement_text,
)


def test_statement_text_is_cue_and_content():
    record = {"cue": {"text": "told  reporters"}, "content": {"text": "the road\nwas open"}}
    assert statement_text(record) == "told reporters : the road was open"
    assert statement_text({"cue": {"text": ""}, "content": {"text": "it rained"}}) == "it rained"
    assert statement_text(record, 2) == "day 2 : told reporters : the road was open"


def test_day_marks_count_from_the_earlier_report():
    assert day_marks("2026-03-04", "2026-03-06") == (1, 3)
    assert day_marks("2026-03-06", "2026-03-04") == (3, 1)
    assert day_marks("2026-03-04", "2026-03-04") == (1, 1)
    assert day_marks("2026-03-01", "2026-03-20") == (1, 4)
    assert day_marks(None, "2026-03-04") == (None, None)
    assert day_marks("March 4", "2026-03-04") == (None, None)


def test_pair_texts_mark_the_days_of_two_stored_statements():
    closed = {"cue": {"text": "said"}, "content": {"text": "the road is closed"}}
    opened = {"cue": {"text": "said"}, "content": {"text": "the road reopened"}}
    first = pair_texts({**closed, "published": "2026-05-01"}, {**opened, "published": "2026-05-03"})
    assert first == ("day 1 : said : the road is closed", "day 3 : said : the road reopened")
    unknown = pair_texts({**closed, "published": None}, {**opened, "published": "2026-05-03"})
    assert unknown == ("said : the road is closed", "said : the road reopened")


def test_gist_keeps_content_words_cut_to_a_prefix():
    assert gist("They evacuated the village") & gist("the evacuation of 300 people")
    assert not gist("the said and the told") & gist("the said")


@pytest.fixture(scope="module")
def model():
    return load_conflict_model()


def test_model_reads_a_pair_both_ways(model):
    a = "said : the mountain pass was open to traffic all day on friday"
    b = "told reporters : the pass stayed closed to all vehicles on friday"
    forward, backward = model.probabilities([(a, b), (b, a)])
    assert forward == pytest.approx(backward)
    assert model.probabilities([]) == []


def test_a_pair_reads_the_same_alone_and_among_others(model):
    """The int8 model quantizes its activations over what it runs at once: a pair read among
    others of other lengths must read as it does alone."""
    pair = (
        "said : the mountain pass was open to traffic all day on friday",
        "told reporters : the pass stayed closed to all vehicles on friday",
    )
    others = [
        ("said : " + "the convoy reached the depot at noon " * k, "denied : the guards were armed")
        for k in range(1, 12)
    ]
    alone = model.probabilities([pair])[0]
    assert model.probabilities([*others[:5], pair, *others[5:]])[5] == pytest.approx(alone)


def test_pairs_that_cannot_reach_the_least_asked_are_read_one_way(model):
    pairs = [
        (
            "said : the mountain pass was open to traffic all day on friday",
            "told reporters : the pass stayed closed to all vehicles on friday",
        ),
        ("said : the mayor opened the new library", "said : heavy rain fell across the region"),
    ]
    full = model.probabilities(pairs)
    bounded = model.probabilities(pairs, least=0.85)
    for whole, bound in zip(full, bounded, strict=True):
        assert (whole >= 0.85) == (bound >= 0.85)
        if whole >= 0.85:
            assert bound == pytest.approx(whole)


#: Written for this test: each first statement against a conflicting and a compatible one.
PAIRS = [
    (
        "said : the guards at the depot were unarmed when the convoy arrived",
        "told reporters : depot guards opened fire on the convoy with rifles",
        "said : none of the depot guards was carrying a weapon at the time",
    ),
    (
        "said : all 212 passengers were brought ashore by midnight",
        "according to : dozens of passengers were still trapped on the lower deck on saturday",
        "told reporters : the last passengers reached the harbour late on friday night",
    ),
    (
        "said : the factory owners were warned about the cracks a week before",
        "denied : that anyone had raised concerns about the building before it fell",
        "said : the owners had not yet been questioned by police",
    ),
    (
        "said : the election commission finished counting on tuesday",
        "told reporters : counting in the northern districts had not yet begun by wednesday",
        "said : turnout was 61 percent, slightly up on the last vote",
    ),
    (
        "said : the strike ended after the union accepted a 7 percent rise",
        "said : the walkout went on for a third week as talks broke down",
        "said : trains would run normally from thursday",
    ),
]


def test_conflicting_statements_score_above_compatible_ones(model):
    """On pairs it never saw, read as the corpus level reads two reports of the same day,
    the model ranks the conflicting account above the compatible one for most claims (three
    of these five), and on average by a clear margin. It is not perfect: a negation that
    agrees ("none of the guards was carrying a weapon") reads as a conflict."""
    same_day = [tuple(f"day 1 : {text}" for text in texts) for texts in PAIRS]  # `pair_texts`
    conflicting = model.probabilities([(a, b) for a, b, _ in same_day])
    compatible = model.probabilities([(a, c) for a, _, c in same_day])
    assert sum(x > y for x, y in zip(conflicting, compatible, strict=True)) >= 3
    assert sum(conflicting) / len(PAIRS) > sum(compatible) / len(PAIRS) + 0.2
