"""The pipeline checks its order before any text is processed (no model needed)."""

from dataclasses import replace

import pytest

from newsgraph import Article, Pipeline, PipelineError, stage
from newsgraph.analyze import default_pipeline, pipeline_name


@stage("first", requires=("article",), assigns=("form",))
def first(analysis):
    return replace(analysis, form="raw")


@stage("second", requires=("form",), assigns=("sentences",))
def second(analysis):
    return analysis


def test_pipeline_in_order_runs_stages():
    result = Pipeline([first, second])(Article.from_text("Hello."))
    assert result.form == "raw"


def test_misordered_pipeline_fails_at_construction_and_says_how_to_fix():
    with pytest.raises(PipelineError) as error:
        Pipeline([second, first])
    message = str(error.value)
    assert message.startswith("E002")
    assert "'form'" in message and "first" in message and "move it earlier" in message


def test_requirement_nobody_assigns_is_named():
    with pytest.raises(PipelineError, match="add a stage that assigns it"):
        Pipeline([second])


def test_duplicate_stage_is_refused():
    with pytest.raises(PipelineError, match="E001"):
        Pipeline([first, first])


@pytest.mark.parametrize("name", ["accurate", "fast", "baseline"])
def test_every_shipped_pipeline_is_valid_and_ordered(name):
    names = default_pipeline(name).names
    assert names[:5] == ["form", "nlp", "ner", "entities", "references"]


def test_pipeline_choice_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_PIPELINE", "fast")
    assert pipeline_name() == "fast"
    assert pipeline_name("baseline") == "baseline"
    monkeypatch.setenv("NEWSGRAPH_PIPELINE", "turbo")
    with pytest.raises(PipelineError, match="E003 unknown pipeline 'turbo'"):
        pipeline_name()


def test_stages_do_not_mutate_their_input():
    article = Article.from_text("Some text.")
    from newsgraph.article import Analysis

    before = Analysis(article=article)
    after = first(before)
    assert before.form is None and after.form == "raw"


def test_a_pipeline_can_stop_after_the_stage_an_evaluation_needs():
    from newsgraph.analyze import default_pipeline

    full = default_pipeline("fast").names
    assert full[-1] == "conflicts" and "times" in full and "places" in full
    assert default_pipeline("fast", until="entities").names == full[: full.index("entities") + 1]


def test_analyze_given_an_article_object_says_what_it_takes():
    """`analyze` takes text; an `Article` passed to it gets a clear error naming the call
    that takes articles, not a failure deep in the first stage."""
    from newsgraph.analyze import analyze

    with pytest.raises(TypeError, match="analyze_articles"):
        analyze(Article.from_text("Police said the road was closed.", id="a"))
