"""`make bench`: full `analyze` throughput against spaCy `en_core_web_sm` alone, in one run.

The peer and each pipeline run over the same articles in the same process, in alternating
rounds, best round counted; the number that matters is the ratio, since absolute speed
depends on the machine and on what else it is doing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from importlib import resources

from .analyze import default_pipeline
from .article import Article
from .io import Defaults, read_articles
from .stages.nlp import load_spacy_peer


def demo_articles() -> list[Article]:
    """The built-in sample corpus shipped with the package."""
    corpus = resources.files("newsgraph.demo").joinpath("corpus.jsonl")
    with resources.as_file(corpus) as path:
        return list(read_articles([str(path)], defaults=Defaults()))


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def benchmark(articles: list[Article], *, pipelines: Sequence[str], repeat: int = 3) -> dict:
    texts = [a.text for a in articles]
    nlp = load_spacy_peer()

    def spacy_alone() -> None:
        for _ in nlp.pipe(texts):
            pass

    runs: dict[str, Callable[[], None]] = {"spacy": spacy_alone}
    for name in pipelines:
        run = default_pipeline(name)

        def analyze_all(run=run) -> None:
            for article in articles:
                run(article)

        runs[name] = analyze_all
        run(articles[0])  # load models before timing
    list(nlp.pipe(texts[:1]))
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            times[name].append(_timed(run))
    words = sum(len(t.split()) for t in texts)
    best = {name: min(values) for name, values in times.items()}
    return {
        "articles": len(articles),
        "words": words,
        "repeat": repeat,
        "words_per_s": {name: round(words / t) for name, t in best.items()},
        "ratio": {name: round(best["spacy"] / best[name], 3) for name in pipelines},
    }


def format_bench(result: dict) -> str:
    lines = [
        f"throughput over {result['articles']} articles, {result['words']} words "
        f"(best of {result['repeat']} alternating rounds)",
        f"  {'spaCy en_core_web_sm alone':<34}: {result['words_per_s']['spacy']:>8} words/s",
    ]
    for name, ratio in result["ratio"].items():
        lines.append(
            f"  {'newsgraph analyze --pipeline ' + name:<34}: "
            f"{result['words_per_s'][name]:>8} words/s   ratio to spaCy alone {ratio:.3f}"
        )
    return "\n".join(lines)
