"""Stages and the pipeline that runs them in a checked order.

A stage is a function ``Analysis -> Analysis`` that declares the names it requires and the
names it assigns. `Pipeline` checks at construction that every requirement is assigned by an
earlier stage, so a misordered pipeline fails before any text is processed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from .article import Analysis, Article
from .errors import PipelineError

StageFunc = Callable[[Analysis], Analysis]

#: What an `Analysis` holds before any stage has run.
PROVIDED = frozenset({"article"})


@dataclass(frozen=True)
class Stage:
    name: str
    func: StageFunc
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __call__(self, analysis: Analysis) -> Analysis:
        return self.func(analysis)


def stage(
    name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()
) -> Callable[[StageFunc], Stage]:
    """Decorator that turns ``Analysis -> Analysis`` into a named `Stage`."""

    def wrap(func: StageFunc) -> Stage:
        return Stage(name, func, tuple(requires), tuple(assigns))

    return wrap


class Pipeline:
    """An ordered, validated sequence of stages."""

    def __init__(self, stages: Sequence[Stage]):
        self.stages = tuple(stages)
        validate_order(self.stages)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, article: Article) -> Analysis:
        analysis = Analysis(article=article)
        for current in self.stages:
            analysis = current(analysis)
        return analysis

    def pipe(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        for article in articles:
            yield self(article)


def validate_order(stages: Sequence[Stage]) -> None:
    """Raise `PipelineError` if a stage requires something no earlier stage assigns."""
    seen_names: set[str] = set()
    available = set(PROVIDED)
    for position, current in enumerate(stages):
        if current.name in seen_names:
            raise PipelineError(f"E001 stage '{current.name}' appears twice; remove one of them.")
        seen_names.add(current.name)
        missing = [r for r in current.requires if r not in available]
        if missing:
            providers = {
                r: [s.name for s in stages[position + 1 :] if r in s.assigns] for r in missing
            }
            hint = "; ".join(
                f"'{r}' is assigned by {', '.join(p) if p else 'no stage'}"
                + (" (move it earlier)" if p else " (add a stage that assigns it)")
                for r, p in providers.items()
            )
            raise PipelineError(
                f"E002 stage '{current.name}' (position {position}) requires "
                f"{', '.join(repr(m) for m in missing)}: {hint}."
            )
        available.update(current.assigns)
