"""`analyze()`: the library's core call, and the default pipeline behind it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache

from .article import Analysis, Article
from .pipeline import Pipeline
from .stages.entities import entities_stage
from .stages.form import detect_form_stage
from .stages.nlp import parse_stage


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """form -> nlp -> entities; later stages append here as their issues land."""
    return Pipeline([detect_form_stage, parse_stage, entities_stage])


def analyze(
    text: str,
    *,
    id: str | None = None,
    source: str | None = None,
    published: date | str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Analysis:
    """Analyse one article given as text; metadata is optional."""
    article = Article.from_text(
        text, id=id, source=source, published=published, title=title, url=url
    )
    return default_pipeline()(article)


def analyze_articles(articles: Iterable[Article]) -> Iterator[Analysis]:
    pipeline = default_pipeline()
    for article in articles:
        yield pipeline(article)
