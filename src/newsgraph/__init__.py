"""newsgraph: who said what, who did what to whom, where and when, and where sources disagree.

>>> import newsgraph
>>> result = newsgraph.analyze("Mayor Ana Ruiz said on Monday the bridge will reopen.")
>>> newsgraph.analysis_to_dict(result)["entities"][0]["name"]
'Ana Ruiz'
"""

from .analyze import analyze, analyze_articles, default_pipeline
from .article import (
    Analysis,
    Article,
    Conflict,
    Entity,
    Event,
    Mention,
    Place,
    Quantity,
    Reference,
    Sentence,
    Source,
    Span,
    Statement,
    TimeExpression,
)
from .contract import SCHEMA, analysis_from_dict, analysis_to_dict
from .errors import InputError, ModelError, NewsgraphError, PipelineError, StoreError
from .pipeline import Pipeline, Stage, stage

__version__ = "0.1.0"

__all__ = [
    "SCHEMA",
    "Analysis",
    "Article",
    "Conflict",
    "Entity",
    "Event",
    "InputError",
    "Mention",
    "ModelError",
    "NewsgraphError",
    "Pipeline",
    "PipelineError",
    "Place",
    "Quantity",
    "Reference",
    "Sentence",
    "Source",
    "Span",
    "Stage",
    "Statement",
    "StoreError",
    "TimeExpression",
    "analysis_from_dict",
    "analysis_to_dict",
    "analyze",
    "analyze_articles",
    "default_pipeline",
    "stage",
]
