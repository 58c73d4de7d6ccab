"""The recognizers' plumbing: BIO decoding, packing sentences into chunks, the ensemble."""

import pytest

from newsgraph.stages.ner import OnnxTagger, spans_from_bio


def test_bio_decoding_opens_entities_on_stray_inside_tags():
    labels = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG"]
    scores = [0.9, 0.7, 1.0, 0.8, 0.6, 0.5, 0.4]
    spans = [(s, e, k) for s, e, k, _ in spans_from_bio(labels, scores)]
    assert spans == [(0, 2, "PER"), (3, 5, "LOC"), (5, 6, "LOC"), (6, 7, "ORG")]
    first = next(iter(spans_from_bio(labels, scores)))
    assert first[3] == pytest.approx(0.8)


class _Sized:
    """A tagger with only what chunking needs."""

    max_length = 10


def chunks(lengths, first_room=None):
    pieces = [(list(range(n)), []) for n in lengths]
    return OnnxTagger._chunks(_Sized(), pieces, first_room)


def test_sentences_are_packed_without_splitting_until_one_is_too_long():
    assert chunks([3, 4, 2]) == [[(0, 0, 3), (1, 0, 4)], [(2, 0, 2)]]
    assert chunks([20]) == [[(0, 0, 8)], [(0, 8, 16)], [(0, 16, 20)]]
    assert chunks([0, 2]) == [[(0, 0, 0), (1, 0, 2)]]


def test_a_second_reading_shifts_the_chunk_boundaries_without_cutting_sentences():
    assert chunks([3, 3, 3, 3], first_room=4) == [
        [(0, 0, 3)],
        [(1, 0, 3), (2, 0, 3)],
        [(3, 0, 3)],
    ]
    # a first sentence longer than the shortened first chunk is still read whole
    assert chunks([6, 2], first_room=4) == [[(0, 0, 6)], [(1, 0, 2)]]


def test_first_piece_of_each_word():
    assert OnnxTagger._firsts([0, 0, 1, None, 2, 2], 4) == [0, 2, 4, -1]


@pytest.mark.model
def test_accurate_pipeline_reads_both_forms_alike():
    import newsgraph

    cased = "Officials in Berlin said Angela Merkel met the United Nations envoy on Monday."
    found = {}
    for text in (cased, cased.lower()):
        analysis = newsgraph.analyze(text, pipeline="accurate")
        found[text] = {(e.name, e.type) for e in analysis.entities}
    assert found[cased] == found[cased.lower()]
    assert {("Berlin", "LOC"), ("Angela Merkel", "PERSON"), ("United Nations", "ORG")} <= found[
        cased
    ]
