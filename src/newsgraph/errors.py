"""The exceptions newsgraph raises; each message says what went wrong and how to fix it."""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class of every error newsgraph raises on purpose."""


class PipelineError(NewsgraphError):
    """A pipeline whose stages are out of order or miss what they require (E001-E009)."""


class InputError(NewsgraphError):
    """Input that cannot be read as articles (missing, empty, binary, malformed)."""


class ModelError(NewsgraphError):
    """A model or data file newsgraph needs is not installed."""


class StoreError(NewsgraphError):
    """The SQLite store cannot be opened or is of an unknown schema version."""
