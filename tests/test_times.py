"""Time expressions and their values, on sentences written here (no model needed)."""

from datetime import date

import pytest

from newsgraph.stages.times import find_times

SATURDAY = date(2019, 3, 16)  # publication date of the made-up stories below


def values(text, anchor=SATURDAY):
    return [(text[f.start : f.end], f.type, f.value) for f in find_times(text, anchor)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("the union said on saturday it would strike", ("saturday", "DATE", "2019-03-16")),
        ("talks broke down on thursday .", ("thursday", "DATE", "2019-03-14")),
        ("the vote will take place on tuesday", ("tuesday", "DATE", "2019-03-19")),
        ("the deal was signed on oct. 12 .", ("oct. 12", "DATE", "2018-10-12")),
        ("It opened on 4 March 2017.", ("4 March 2017", "DATE", "2017-03-04")),
        ("the dam has leaked since june", ("june", "DATE", "2018-06")),
        (
            "it had been shut for scheduled maintenance since sunday",
            ("sunday", "DATE", "2019-03-10"),
        ),
        ("an evacuation last august failed", ("last august", "DATE", "2018-08")),
        ("prices rose earlier this year", ("earlier this year", "DATE", "2019")),
        ("the six-year-long war", ("six-year-long", "DURATION", "P6Y")),
        ("the strike lasted 48 hours", ("48 hours", "DURATION", "PT48H")),
        ("it met every week", ("every week", "SET", "P1W")),
        ("the plant was built in 1987 .", ("1987", "DATE", "1987")),
        ("ten years ago the port closed", ("ten years ago", "DATE", "2009")),
        ("the border reopened last week", ("last week", "DATE", "2019-W10")),
        ("the ferry leaves at 6 a.m. daily", ("6 a.m.", "TIME", "2019-03-16T06:00")),
        # "to" after a verb of going is a place, not a plan
        ("about 900 families returned to oldport on friday", ("friday", "DATE", "2019-03-15")),
        ("Families went back to the camp on Friday.", ("Friday", "DATE", "2019-03-15")),
        ("the ferry is expected to sail on tuesday", ("tuesday", "DATE", "2019-03-19")),
    ],
)
def test_expressions_are_found_and_normalised_against_the_publication_date(text, expected):
    assert expected in values(text)


def test_a_day_joined_to_today_is_the_next_day():
    found = values("the town may be cleared on saturday or sunday")
    assert ("sunday", "DATE", "2019-03-17") in found


def test_without_a_publication_date_relative_values_stay_underspecified():
    found = values("talks resume on oct. 12 and again on friday", anchor=None)
    assert ("oct. 12", "DATE", "XXXX-10-12") in found
    assert ("friday", "DATE", "XXXX-WXX-5") in found


def test_numbers_that_are_not_years_or_ages_that_are_not_durations_are_left_alone():
    found = values("a 22-year-old man and 2000 troops ; children 6 months and older")
    assert found == []


def quantities(text):
    import newsgraph

    return [(q.text, q.value, q.unit) for q in newsgraph.analyze(text).quantities]


@pytest.mark.model
def test_quantities_have_a_value_and_what_they_count():
    found = quantities(
        "Some 4,000 members joined the strike. The offer was worth 1.2 billion euros, "
        "or 6.5 percent more, and dozens of buses left with between 300 and 400 fighters. "
        "On one side, three civilians died in 2019."
    )
    assert ("Some 4,000 members", 4000, "members") in found
    assert ("1.2 billion euros", 1_200_000_000, "euros") in found
    assert ("6.5 percent", 6.5, "percent") in found
    assert ("dozens of buses", None, "buses") in found
    assert ("between 300 and 400 fighters", None, "fighters") in found
    assert ("three civilians", 3, "civilians") in found
    assert not [q for q in found if q[0] in ("one side", "2019")]
