"""Batches: read inputs, analyse each article, store them; one bad article never stops a run."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tqdm import tqdm

from .analyze import default_pipeline
from .article import Analysis, Article
from .errors import ModelError
from .io import Defaults, Problem, read_articles
from .store import Store


def _say(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass
class BatchSummary:
    """What happened to each article of a batch, and how many problems were reported."""

    outcomes: Counter[str] = field(default_factory=Counter)
    problems: int = 0

    @property
    def done(self) -> int:
        return sum(n for kind, n in self.outcomes.items() if kind != "failed")


def collect(
    paths: Iterable[str], *, defaults: Defaults, fmt: str, summary: BatchSummary, say: Problem
) -> list[Article]:
    """Read every article up front, so the progress bar knows the total."""

    def problem(message: str) -> None:
        summary.problems += 1
        say(f"newsgraph: {message}")

    return list(read_articles(paths, defaults=defaults, fmt=fmt, on_problem=problem))


def analyze_all(
    articles: list[Article],
    *,
    summary: BatchSummary,
    progress: bool = True,
    say: Problem = _say,
    desc: str = "analyzing",
    pipeline: str | None = None,
) -> Iterator[Analysis]:
    """Analyses in input order; an article whose analysis fails is reported and skipped."""
    run = default_pipeline(pipeline)
    bar = tqdm(
        articles,
        desc=desc,
        unit="article",
        disable=not progress or len(articles) < 2,
        file=sys.stderr,
        leave=False,
    )
    for article in bar:
        try:
            yield run(article)
        except ModelError:
            raise
        except Exception as exc:  # one bad article must not sink the batch
            summary.outcomes["failed"] += 1
            say(
                f"newsgraph: error: article {article.id}: analysis failed "
                f"({exc.__class__.__name__}: {exc}); skipped"
            )
    bar.close()


def ingest_articles(
    articles: list[Article],
    store: Store,
    *,
    summary: BatchSummary,
    progress: bool = True,
    say: Problem = _say,
    pipeline: str | None = None,
) -> BatchSummary:
    """Store each article's analysis; stored articles with the same text are not re-analysed."""
    todo = []
    for article in articles:
        if store.contains(article.id, article.text):
            summary.outcomes["unchanged"] += 1
        else:
            todo.append(article)
    for analysis in analyze_all(
        todo, summary=summary, progress=progress, say=say, desc="ingesting", pipeline=pipeline
    ):
        summary.outcomes[store.ingest(analysis)] += 1
    return summary
