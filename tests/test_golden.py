"""Golden articles written by the team: tests/data/golden/<case>.txt + <case>.expected.json.

Each expected file says what a careful reader finds; the test checks the form, the sentence
count, and that the share of expected entities found (name and type) stays above the floor
recorded in the file, which rises as the entity models improve.
"""

import json

import pytest

import newsgraph

from conftest import TEST_DATA

pytestmark = pytest.mark.model
CASES = sorted(p.name.removesuffix(".txt") for p in (TEST_DATA / "golden").glob("*.txt"))


@pytest.mark.parametrize("case", CASES)
def test_golden_article(case):
    folder = TEST_DATA / "golden"
    text = (folder / f"{case}.txt").read_text(encoding="utf-8")
    expected = json.loads((folder / f"{case}.expected.json").read_text(encoding="utf-8"))
    record = newsgraph.analysis_to_dict(
        newsgraph.analyze(text, id=case, published=expected["published"])
    )
    for key, value in expected["article"].items():
        assert record["article"][key] == value, key
    assert len(record["sentences"]) == expected["sentences"]
    found = {(e["name"], e["type"]) for e in record["entities"]}
    wanted = {(e["name"], e["type"]) for e in expected["entities"]}
    recall = len(found & wanted) / len(wanted)
    assert recall >= expected["min_entity_recall"], sorted(wanted - found)


def test_golden_cases_exist():
    assert len(CASES) >= 2
