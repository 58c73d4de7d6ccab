"""The PolNeAR reader, its research-form conversion and the attribution scorer, on
documents written here."""

import pytest

from newsgraph.evaluate.attribution import FormScores, score_document
from newsgraph.evaluate.polnear import (
    Attribution,
    AttributionDocument,
    read_ann,
    read_polnear,
    seed_form,
)

TEXT = (
    "Port talks.\n\n"
    "“The strike will go on,” union spokeswoman Katrin Vollmer said on Monday.\n\n"
    "The company’s offer, Vollmer added, was “not serious”.\n"
)


def at(text, *pieces, length=None):
    """Character spans of each piece (its first occurrence), cut to `length` if given."""
    found = []
    for piece in pieces:
        start = text.index(piece)
        found.append((start, start + (length or len(piece))))
    return tuple(found)


ANN = """T1\tSource 41 72\tunion spokeswoman Katrin Vollmer
T2\tCue 73 77\tsaid
T3\tContent 14 38\t“The strike will go on,”
T4\tAttribution 73 77\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
E2\tAttribution:T8 Content:T7 Content2:T9 Cue:T6 Source:T5
T5\tSource 110 117\tVollmer
T6\tCue 118 123\tadded
T7\tContent 92 108\tThe company’s offer
T9\tContent 125 143\twas “not serious”.
T8\tAttribution 118 123\tadded
#1\tAnnotatorNotes T1\ta note
that runs on
"""


def test_brat_events_may_name_spans_defined_later_and_carry_two_contents():
    first, second = read_ann(ANN)
    assert first.source == ((41, 72),) and first.cue == ((73, 77),)
    assert second.source == ((110, 117),)
    assert second.content == ((92, 108), (125, 143))


def test_reader_takes_one_annotator_per_article_and_the_date_from_the_name(tmp_path):
    folder = tmp_path / "data" / "dev"
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    stem = "paper_2016-10-02_port-talks"
    (folder / "text" / f"{stem}.txt").write_text(TEXT, encoding="utf-8")
    (folder / "attributions" / f"{stem}_a1.ann").write_text(ANN, encoding="utf-8")
    (folder / "attributions" / f"{stem}_b2.ann").write_text("", encoding="utf-8")
    (document,) = read_polnear(tmp_path, "dev")
    assert document.published == "2016-10-02" and len(document.attributions) == 2
    with pytest.raises(Exception, match="no PolNeAR test split"):
        read_polnear(tmp_path, "test")


def document():
    text = TEXT
    first = Attribution(
        at(text, "union spokeswoman Katrin Vollmer"),
        at(text, "said"),
        at(text, "“The strike will go on,”"),
    )
    second = Attribution(
        at(text, "Vollmer added", length=7),
        at(text, "added"),
        at(text, "The company’s offer", "was “not serious”."),
    )
    return AttributionDocument("d", text, "2016-10-02", (first, second))


@pytest.mark.model
def test_research_form_carries_every_gold_span_through():
    converted = seed_form(document())
    assert converted.text == (
        "port talks .\n"
        "the strike will go on , union spokeswoman katrin vollmer said on monday .\n"
        "the company s offer , vollmer added , was not serious .\n"
    )
    first, second = converted.attributions
    text = converted.text
    assert [text[a:b] for a, b in first.source] == ["union spokeswoman katrin vollmer"]
    assert [text[a:b] for a, b in first.content] == ["the strike will go on ,"]
    assert [text[a:b] for a, b in second.content] == ["the company s offer", "was not serious ."]


def predicted(text, source, cue, *content):
    def span(piece):
        start = text.index(piece)
        return {"start": start, "end": start + len(piece), "text": piece}

    record = {
        "source": span(source) if source else {"start": None, "end": None},
        "cue": span(cue),
        "content": span(content[0]),
    }
    if len(content) > 1:
        record["content"]["parts"] = [span(c) for c in content]
    return record


def test_scores_pair_statements_first_and_forgive_edge_punctuation():
    doc = document()
    text = doc.text
    scores = FormScores()
    score_document(
        doc,
        [
            # right source and cue; content without its quote marks still covers the same words
            predicted(text, "union spokeswoman Katrin Vollmer", "said", "The strike will go on"),
            # right cue, half of the content, no source
            predicted(text, None, "added", "was “not serious”."),
            # a statement that is not in the gold
            predicted(text, None, "Port", "talks"),
        ],
        scores,
    )
    rows = {role: tally.as_dict() for role, tally in scores.roles.items()}
    assert scores.paired == 2
    assert rows["source"]["precision"] == 1.0 and rows["source"]["recall"] == 0.5
    assert (
        rows["cue"]["precision"] == pytest.approx(2 / 3, abs=1e-3) and rows["cue"]["recall"] == 1.0
    )
    assert rows["content"]["f1"] == pytest.approx(
        0.4, abs=1e-3
    )  # 1 of 3 predicted, 1 of 2 gold exact
    assert 0.5 < rows["content"]["overlap_recall"] < 1.0
