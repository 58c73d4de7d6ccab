"""`make bench`: full `analyze` throughput against spaCy `en_core_web_sm` alone, in one run.

Both run over the same articles in the same process, alternating, best of `repeat` rounds;
the number that matters is the ratio, since absolute speed depends on the machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from importlib import resources

from .analyze import default_pipeline
from .article import Article
from .io import Defaults, read_articles
from .stages.nlp import load_spacy


def demo_articles() -> list[Article]:
    """The built-in sample corpus shipped with the package."""
    corpus = resources.files("newsgraph.demo").joinpath("corpus.jsonl")
    with resources.as_file(corpus) as path:
        return list(read_articles([str(path)], defaults=Defaults()))


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def benchmark(articles: list[Article], *, repeat: int = 3) -> dict:
    texts = [a.text for a in articles]
    nlp = load_spacy()
    pipeline = default_pipeline()

    def spacy_alone() -> None:
        for _ in nlp.pipe(texts, batch_size=64):
            pass

    def full_analyze() -> None:
        for article in articles:
            pipeline(article)

    pipeline(articles[0])  # warm up both before timing
    list(nlp.pipe(texts[:1]))
    spacy_times, analyze_times = [], []
    for _ in range(repeat):
        spacy_times.append(_timed(spacy_alone))
        analyze_times.append(_timed(full_analyze))
    words = sum(len(t.split()) for t in texts)
    spacy_best, analyze_best = min(spacy_times), min(analyze_times)
    return {
        "articles": len(articles),
        "words": words,
        "spacy_words_per_s": round(words / spacy_best),
        "analyze_words_per_s": round(words / analyze_best),
        "ratio": round(spacy_best / analyze_best, 3),
        "repeat": repeat,
    }


def format_bench(result: dict) -> str:
    return "\n".join(
        [
            f"throughput over {result['articles']} articles, {result['words']} words "
            f"(best of {result['repeat']} alternating rounds)",
            f"  spaCy en_core_web_sm alone : {result['spacy_words_per_s']:>8} words/s",
            f"  newsgraph analyze (full)   : {result['analyze_words_per_s']:>8} words/s",
            f"  ratio analyze / spaCy      : {result['ratio']:.3f}",
        ]
    )
