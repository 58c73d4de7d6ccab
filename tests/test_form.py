"""Form detection and the cased view (no model needed)."""

from hypothesis import given
from hypothesis import strategies as st

from newsgraph import Article
from newsgraph.article import Analysis
from newsgraph.stages.form import detect_form, detect_form_stage, detect_tokenized, truecase


def test_lowercase_text_is_caseless():
    assert detect_form("the mayor said on monday the bridge would reopen .") == "caseless"


def test_ordinary_text_is_raw():
    assert detect_form("The mayor said on Monday the bridge would reopen.") == "raw"


def test_all_caps_text_carries_no_case_either():
    assert detect_form("MAYOR SAYS BRIDGE WILL REOPEN ON MONDAY") == "caseless"


def test_text_without_letters_is_raw():
    assert detect_form("1996-08-22 12:00") == "raw"


def test_tokenized_text_is_detected():
    assert detect_tokenized("police said , however , that it was over .\nhe left .")
    assert not detect_tokenized("Police said, however, that it was over. He left.")


def test_truecase_restores_known_names_and_sentence_starts():
    cased = truecase("officials in germany said . the u.s. agreed .", sentence_per_line=False)
    assert cased.startswith("Officials in Germany said . The U.S. agreed")


def test_truecase_starts_each_line_in_line_form():
    cased = truecase("he left .\nshe stayed .", sentence_per_line=True)
    assert cased == "He left .\nShe stayed ."


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_truecase_never_changes_length_or_letters(text):
    for per_line in (True, False):
        cased = truecase(text, sentence_per_line=per_line)
        assert len(cased) == len(text)
        assert all(a.casefold() == b.casefold() for a, b in zip(cased, text, strict=True))


def test_form_stage_keeps_the_article_text():
    text = "the minister said on friday .\nhe resigned ."
    result = detect_form_stage(Analysis(article=Article.from_text(text)))
    assert result.form == "caseless" and result.tokenized
    assert result.article.text == text
    assert len(result.layers["view"].text) == len(text)
