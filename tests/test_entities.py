"""Canonical entities, aliases, roles and references, from mentions given by hand.

The recognizer is replaced by a stage that returns the mentions a test names, so these tests
check grouping, naming and linking whatever the entity model finds.
"""

import re
from dataclasses import replace

import pytest

from newsgraph import Article, Mention, Pipeline
from newsgraph.pipeline import Stage
from newsgraph.stages.entities import display_name, entities_from_mentions, entities_stage
from newsgraph.stages.form import detect_form_stage
from newsgraph.stages.nlp import parse_stage
from newsgraph.stages.references import references_stage


def mentions_of(text, names):
    """Every whole-word occurrence of each (name, type) in `text`."""
    found = []
    for name, kind in names:
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            found.append(Mention(match.start(), match.end(), name, kind))
    return found


def entities(text, names, caseless=None):
    caseless = text == text.lower() if caseless is None else caseless
    return {e.name: e for e in entities_from_mentions(text, mentions_of(text, names), caseless)}


def test_acronym_defined_in_brackets_joins_its_name():
    text = "the syrian democratic forces ( sdf ) took the town . the sdf said so ."
    found = entities(text, [("syrian democratic forces", "ORG"), ("sdf", "ORG")])
    assert list(found) == ["Syrian Democratic Forces"]
    assert found["Syrian Democratic Forces"].aliases == ("SDF",)
    assert len(found["Syrian Democratic Forces"].mentions) == 3


def test_bracketed_acronym_recovers_a_name_the_recognizer_split():
    text = "the u.s.-backed syrian democratic forces ( sdf ) advanced . the sdf said so ."
    split = [("syrian", "MISC"), ("democratic", "ORG"), ("sdf", "ORG")]
    found = entities(text, split)
    assert found["Syrian Democratic Forces"].type == "ORG"
    assert found["Syrian Democratic Forces"].aliases == ("SDF",)
    assert "Syrian" not in found


def test_vowel_less_word_before_a_group_noun_is_an_organisation():
    text = "the kurdish xkp militia attacked . the army said the xkp fighters left ."
    found = entities(text, [("kurdish", "MISC")])
    assert found["XKP"].type == "ORG" and len(found["XKP"].mentions) == 2
    assert "Army" not in found  # an ordinary word before a group noun is not an acronym


def test_dictionary_names_one_actor_under_one_canonical_name():
    text = "islamic state lost ground . daesh fighters left . isis denied it ."
    found = entities(text, [("islamic state", "ORG"), ("daesh", "ORG"), ("isis", "ORG")])
    assert list(found) == ["Islamic State"]
    aliases = found["Islamic State"].aliases
    assert {"Daesh", "ISIS", "ISIL"} <= set(aliases)
    assert not {"Daash", "Da'esh"} & set(aliases)  # spelling variants of an alias kept once


def test_initials_link_a_short_form_to_its_name():
    text = "islamic state fighters left . the final defeat of is came ."
    found = entities(text, [("islamic state", "ORG"), ("is", "ORG")])
    assert "IS" in found["Islamic State"].aliases


def test_surname_joins_the_full_name_and_titles_stay_out_of_names():
    text = "Col. Ryan Dillon said so. Dillon added more. Ryan Dillon left."
    spans = [(0, 16), (26, 32), (45, 56)]
    mentions = [Mention(s, e, text[s:e], "PERSON") for s, e in spans]
    found = {e.name: e for e in entities_from_mentions(text, mentions, False)}
    assert list(found) == ["Ryan Dillon"]
    texts = [m.text for m in found["Ryan Dillon"].mentions]
    assert texts == ["Ryan Dillon", "Dillon", "Ryan Dillon"]


@pytest.mark.parametrize(
    "surface,kind,expected",
    [
        ("talal silo", "PERSON", "Talal Silo"),
        ("syrian observatory for human rights", "ORG", "Syrian Observatory for Human Rights"),
        ("raqqa s civil council", "ORG", "Raqqa's Civil Council"),
        ("deir al-zor", "LOC", "Deir al-Zor"),
        ("ypg", "ORG", "YPG"),
        ("u.s.", "LOC", "U.S."),
        ("u.s.-backed", "MISC", "U.S.-backed"),
        ("kremlin-backed", "MISC", "Kremlin-backed"),
    ],
)
def test_caseless_names_get_display_case(surface, kind, expected):
    assert display_name(surface, kind, caseless=True) == expected


def test_cased_names_keep_their_case_and_shouting_is_calmed():
    assert display_name("McDonald's", "ORG", caseless=False) == "McDonald's"
    assert display_name("HAMBURG", "LOC", caseless=False) == "Hamburg"
    assert display_name("NATO", "ORG", caseless=False) == "NATO"


def given_mentions(names):
    def run(analysis):
        return replace(
            analysis,
            layers={**analysis.layers, "mentions": tuple(mentions_of(analysis.text, names))},
        )

    return Stage("ner", run, requires=("docs", "view"), assigns=("mentions",))


@pytest.mark.model
def test_roles_and_pronouns_resolve_in_caseless_text():
    text = (
        "sdf spokesman talal silo said the fighters would leave .\n"
        "but omar alloush , a member of the civil council , said they would stay .\n"
        "he said it would take place overnight .\n"
        "coalition spokesman col. ryan dillon said the coalition was ready .\n"
        "he added that the spokesman could not comment .\n"
    )
    names = [
        ("sdf", "ORG"),
        ("talal silo", "PERSON"),
        ("omar alloush", "PERSON"),
        ("ryan dillon", "PERSON"),
    ]
    pipeline = Pipeline(
        [
            detect_form_stage,
            parse_stage(ner=False),
            given_mentions(names),
            entities_stage,
            references_stage,
        ]
    )
    analysis = pipeline(Article.from_text(text))
    found = {e.name: e for e in analysis.entities}
    assert found["Talal Silo"].roles == ("SDF spokesman",)
    assert found["Omar Alloush"].roles == ("member of the civil council",)
    assert found["Ryan Dillon"].roles == ("coalition spokesman",)
    assert [r.text for r in found["Omar Alloush"].references] == ["he"]
    dillon = [(r.text, r.kind) for r in found["Ryan Dillon"].references]
    assert dillon == [("he", "pronoun"), ("the spokesman", "nominal")]
    for entity in analysis.entities:
        for ref in entity.references:
            assert text[ref.start : ref.end] == ref.text


@pytest.mark.model
def test_a_short_form_that_is_a_common_word_counts_only_where_no_verb_fits():
    text = (
        "islamic state fighters held the town .\n"
        "the defeat of is came on friday .\n"
        "the town is quiet and the is fighters have left .\n"
        "is used the town as a base .\n"
        "officials said that is fighters must surrender .\n"
        "it is not clear what is next , is it ?\n"
    )
    pipeline = Pipeline(
        [
            detect_form_stage,
            parse_stage(ner=False),
            given_mentions([("islamic state", "ORG")]),
            entities_stage,
        ]
    )
    found = {e.name: e for e in pipeline(Article.from_text(text)).entities}
    short = [m for m in found["Islamic State"].mentions if m.text == "is"]
    lines = [text.count("\n", 0, m.start) for m in short]
    assert lines == [1, 2, 3, 4]
    assert "IS" in found["Islamic State"].aliases
