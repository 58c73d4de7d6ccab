"""`analyze()`: the library's core call, and the pipelines behind it.

Two pipelines ship, like spaCy's sm and trf: ``accurate`` (the default) recognizes names
with a MiniLM model run by ONNX Runtime; ``fast`` with a spaCy CNN. ``baseline`` runs
en_core_web_sm's own recognizer and exists to measure the others against. Choose one with
the ``pipeline`` argument, ``--pipeline`` on the command line, or ``NEWSGRAPH_PIPELINE``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache

from .article import Analysis, Article
from .errors import PipelineError
from .pipeline import Pipeline
from .stages.conflicts import conflicts_stage
from .stages.entities import entities_stage
from .stages.form import detect_form_stage
from .stages.ner import RECOGNIZERS, ner_stage
from .stages.nlp import parse_stage
from .stages.places import places_stage
from .stages.quantities import quantities_stage
from .stages.references import references_stage
from .stages.statements import statements_stage
from .stages.times import times_stage

PIPELINES = tuple(RECOGNIZERS)
DEFAULT_PIPELINE = "accurate"


def pipeline_name(name: str | None = None) -> str:
    """The pipeline to use: the one named, else ``NEWSGRAPH_PIPELINE``, else the default."""
    chosen = name or os.environ.get("NEWSGRAPH_PIPELINE") or DEFAULT_PIPELINE
    if chosen not in RECOGNIZERS:
        raise PipelineError(
            f"E003 unknown pipeline {chosen!r}; choose one of {', '.join(PIPELINES)}"
        )
    return chosen


@lru_cache(maxsize=2 * len(PIPELINES))
def _build(name: str, until: str | None = None) -> Pipeline:
    stages = [
        detect_form_stage,
        parse_stage(ner=name == "baseline"),
        ner_stage(name),
        entities_stage,
        references_stage,
        times_stage,
        places_stage,
        quantities_stage,
        statements_stage(name),
        conflicts_stage,
    ]
    if until is not None:
        names = [s.name for s in stages]
        stages = stages[: names.index(until) + 1]
    return Pipeline(stages)


def default_pipeline(name: str | None = None, *, until: str | None = None) -> Pipeline:
    """form -> nlp -> ner -> entities -> references -> times -> places -> quantities ->
    statements -> conflicts; with `until`, only the stages up to and including that one (what an
    evaluation needs)."""
    return _build(pipeline_name(name), until)


def analyze(
    text: str,
    *,
    id: str | None = None,
    source: str | None = None,
    published: date | str | None = None,
    title: str | None = None,
    url: str | None = None,
    pipeline: str | None = None,
) -> Analysis:
    """Analyse one article given as text; metadata is optional."""
    if not isinstance(text, str):
        hint = " (analyse an Article with analyze_articles)" if isinstance(text, Article) else ""
        raise TypeError(f"analyze() takes the article's text, not {type(text).__name__}{hint}")
    article = Article.from_text(
        text, id=id, source=source, published=published, title=title, url=url
    )
    return default_pipeline(pipeline)(article)


def analyze_articles(
    articles: Iterable[Article], pipeline: str | None = None
) -> Iterator[Analysis]:
    run = default_pipeline(pipeline)
    for article in articles:
        yield run(article)
