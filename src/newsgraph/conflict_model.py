"""The conflict model: whether two statements about one event cannot both be true.

A MiniLM cross-encoder (``models/conflict-minilm``, trained by
``scripts/train_conflicts_minilm.py``) reads ``[CLS] a [SEP] b [SEP]``, where each side is a
statement's cue and content after the day of its report counted from the earlier of the two
(`pair_texts`: ``day 1 : said : the road is closed`` / ``day 3 : said : the road reopened``,
so that a later report can read as an update), and gives the probability that the two
conflict. It reads each pair both ways and averages, so the order of the statements does not
matter. The corpus level (`corpus.cross_conflicts`) asks it about the pairs of statements of
one story, by different speakers, that the rules of `stages.conflicts` do not flag: opposite
accounts in different words ("the road was open to traffic" / "the road remained closed").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ModelError
from .onnx_session import onnx_session, text_model_parts

#: Letters of a word compared when two statements are screened for words in common
#: ("evacuated" = "evacuation").
PREFIX = 5
_WORD = re.compile(r"[^\W\d_]{3,}")
_COMMON = frozenset(
    "the and that this with from have has had was were are for not but they their them its "
    "his her she him been will would said says told there which who what when where than "
    "into after before about over also only more most some any all our out off".split()
)


def gist(text: str) -> frozenset[str]:
    """The content words of a statement text, cut to `PREFIX` letters."""
    return frozenset(w[:PREFIX] for w in _WORD.findall(text.lower()) if w not in _COMMON)


#: The day marks stop here: a report four or more days after the other reads as "day 4".
LAST_DAY = 4


def statement_text(record: dict[str, Any], day: int | None = None) -> str:
    """What the model reads of a stored statement: its cue and its content, after the day of
    its report (`day_marks`) when known."""
    cue = " ".join((record["cue"].get("text") or "").split())
    content = " ".join((record["content"].get("text") or "").split())
    text = f"{cue} : {content}" if cue else content
    return f"day {day} : {text}" if day else text


def day_marks(first: str | None, second: str | None) -> tuple[int | None, int | None]:
    """The days of two reports counted from the earlier one (1, then up to `LAST_DAY`), or
    no marks when either date is unknown."""
    try:
        a, b = date.fromisoformat(first or ""), date.fromisoformat(second or "")
    except ValueError:
        return None, None
    early = min(a, b)
    return (min(1 + (a - early).days, LAST_DAY), min(1 + (b - early).days, LAST_DAY))


def pair_texts(a: dict[str, Any], b: dict[str, Any]) -> tuple[str, str]:
    """What the model reads of two stored statements (records with ``published``)."""
    day_a, day_b = day_marks(a.get("published"), b.get("published"))
    return statement_text(a, day_a), statement_text(b, day_b)


class ConflictModel:
    """The shipped conflict model: pairs of statement texts in, probabilities out."""

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        np, config, tokenizer = text_model_parts("the conflict model", folder, ("model.int8.onnx",))
        self.np = np
        self.config = config
        self.threshold = float(config["threshold"])
        # a denial, two dates or two counts the rules find, read below this, is no conflict
        self.veto = float(config.get("veto", 0.0))
        # a pair with a sentence in an article's own voice is reported from this
        self.own_threshold = float(config.get("own_threshold", self.threshold))
        self.tokenizer = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(int(config["max_length"]))
        self.session, self.input_names = onnx_session(folder / "model.int8.onnx", threads)

    def _one_way(self, pairs: Sequence[tuple[str, str]], batch_size: int) -> Any:
        np = self.np
        encoded = self.tokenizer.encode_batch(list(pairs))
        out = np.zeros(len(pairs), dtype=np.float64)
        order = sorted(range(len(pairs)), key=lambda k: len(encoded[k].ids))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = max(len(encoded[k].ids) for k in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for r, k in enumerate(rows):
                n = len(encoded[k].ids)
                ids[r, :n] = encoded[k].ids
                types[r, :n] = encoded[k].type_ids
                mask[r, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.input_names:
                feed["token_type_ids"] = types
            logits = self.session.run(None, feed)[0].astype(np.float64)
            logits -= logits.max(axis=1, keepdims=True)
            probs = np.exp(logits)
            out[rows] = probs[:, 1] / probs.sum(axis=1)
        return out

    def probabilities(
        self, pairs: Sequence[tuple[str, str]], least: float = 0.0, batch_size: int = 1
    ) -> list[float]:
        """P(conflict) of each (a, b) pair, read both ways and averaged. A caller that only
        asks which pairs reach `least` gets, for a pair read below 2 * `least` - 1 one way
        (which cannot average to `least`), that reading's bound (reading + 1) / 2, below
        `least`, without the second reading.

        One pair per run by default: the int8 model quantizes its activations over the whole
        batch, so a pair read among others could read up to 0.25 apart from the same pair
        read alone."""
        if not pairs:
            return []
        forward = self._one_way(pairs, batch_size)
        out = (forward + 1) / 2
        again = [k for k, p in enumerate(forward) if p >= 2 * least - 1]
        if again:
            backward = self._one_way([(pairs[k][1], pairs[k][0]) for k in again], batch_size)
            out[again] = (forward[again] + backward) / 2
        return [float(x) for x in out]


def conflict_model_dir() -> Path:
    """The folder of the shipped conflict model."""
    return Path(str(resources.files("newsgraph.models").joinpath("conflict-minilm")))


@lru_cache(maxsize=1)
def load_conflict_model() -> ConflictModel:
    """The shipped conflict model, loaded once per process."""
    folder = conflict_model_dir()
    if not folder.is_dir():
        raise ModelError(f"model folder {folder} is missing; reinstall newsgraph")
    return ConflictModel(folder)
