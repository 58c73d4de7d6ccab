"""Headline-vs-article stance (FNC-1): agree, disagree, discuss or unrelated.

Three steps, all offline and without torch (ONNX Runtime, tokenizers and numpy):

1. Lexical relatedness. Headline and body are cut into word-pieces by the model's own
   tokenizer; six overlap features (TF-IDF cosines, IDF-weighted coverage of the headline in
   the body and in its best sentence, bigram coverage) feed a logistic regression. A pair far
   below its threshold is called ``unrelated`` without running the network.
2. Cross-encoder. The other pairs go through a fine-tuned MiniLM that reads
   ``[CLS] headline [SEP] body sentences [SEP]``, the body sentences being the first one and
   those sharing most with the headline, in their original order, up to the model's length.
3. Combiner. A small multinomial logistic regression over the lexical features, the
   network's log-probabilities and (when the shipped config says so) counts of denial and
   hedging words gives the final four probabilities.

Everything the steps need (IDF table, feature scaling, regression weights, lengths) sits in
``models/stance-minilm/config.json``; ``scripts/train_stance_minilm.py`` writes it.

Use::

    from newsgraph.stance import load_stance_model

    model = load_stance_model()
    labels = model.predict([(headline, body), ...])        # ["discuss", "unrelated", ...]
    probs = model.probabilities([(headline, body), ...])   # [{"agree": 0.1, ...}, ...]
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ModelError
from .onnx_session import onnx_session, text_model_parts

__all__ = [
    "CUE_FEATURES",
    "FEATURES",
    "LABELS",
    "PairFeaturizer",
    "StanceModel",
    "load_stance_model",
    "split_sentences",
    "stance_model_dir",
]

#: Output order of probabilities (and of the network's logits).
LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")

#: Names of the lexical features, in the order `PairFeaturizer.features` returns them.
FEATURES: tuple[str, ...] = (
    "cosine_body",
    "cosine_best_sentence",
    "coverage_body",
    "coverage_best_sentence",
    "coverage_lead",
    "bigram_coverage_body",
)

#: Words that signal a denial or a hedge; counted by `PairFeaturizer.cues`.
REFUTING = (
    "fake", "hoax", "false", "falsely", "deny", "denies", "denied", "debunk", "debunked",
    "untrue", "not true", "no evidence", "rumor", "rumour", "fabricated", "satire", "satirical",
    "misleading", "myth", "refute", "refuted", "refutes", "dismissed", "baseless", "bogus",
    "prank", "never", "not", "doubt", "doubts", "retract", "retracted",
)  # fmt: skip
HEDGING = (
    "reportedly", "allegedly", "alleged", "claim", "claims", "claimed", "according to",
    "rumored", "rumoured", "unconfirmed", "unverified", "apparently", "appears", "may", "might",
    "could", "possibly", "purportedly", "suggest", "suggests", "sources", "report", "reports",
    "reported", "said", "says", "believed",
)  # fmt: skip
_REFUTING = re.compile(r"\b(?:" + "|".join(REFUTING) + r")\b")
_HEDGING = re.compile(r"\b(?:" + "|".join(HEDGING) + r")\b")

#: Names of the cue features, in the order `PairFeaturizer.cues` returns them.
CUE_FEATURES: tuple[str, ...] = (
    "headline_refuting",
    "headline_hedging",
    "headline_question",
    "body_refuting",
    "body_hedging",
    "near_refuting",
    "near_hedging",
)

#: Progress hook: called with the number of pairs just finished.
Progress = Callable[[int], None]

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+|\s*\n+\s*")


def split_sentences(text: str) -> list[str]:
    """Sentences of a body: cut after . ! ? (and closing quotes) before a space, and at newlines.

    Deliberately crude: abbreviations split too, which only costs a slightly worse choice of
    sentences to show the network.
    """
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


@dataclass
class _Body:
    """Word-pieces of one body and the statistics the features need, computed once per body."""

    sentences: list[list[int]]
    counts: Counter[int]
    norm: float
    sentence_sets: list[set[int]]
    sentence_counts: list[Counter[int]]
    sentence_norms: list[float]
    lead: set[int]
    bigrams: set[tuple[int, int]]
    texts: list[str]


class PairFeaturizer:
    """Word-pieces, lexical features and network inputs of (headline, body) pairs.

    Shared by training and inference, so both read a pair the same way. ``tokenizer`` is a
    ``tokenizers.Tokenizer`` (the base model's, lowercasing); ``idf`` has one weight per
    vocabulary id.
    """

    def __init__(
        self, tokenizer: Any, idf: Sequence[float], max_length: int, max_headline: int
    ) -> None:
        tokenizer.no_padding()
        tokenizer.no_truncation()
        self.tokenizer = tokenizer
        self.idf = list(idf)
        self.max_length = max_length
        self.max_headline = max_headline
        self.cls_id = tokenizer.token_to_id("[CLS]")
        self.sep_id = tokenizer.token_to_id("[SEP]")
        self.pad_id = tokenizer.token_to_id("[PAD]") or 0
        self._bodies: dict[str, _Body] = {}
        self._headlines: dict[str, list[int]] = {}

    # ---------------------------------------------------------------- word-pieces

    def pieces(self, texts: list[str]) -> list[list[int]]:
        """Word-piece ids of each text, without [CLS] / [SEP]."""
        if not texts:
            return []
        return [e.ids for e in self.tokenizer.encode_batch(texts, add_special_tokens=False)]

    def _weight(self, counts: Counter[int]) -> float:
        return math.sqrt(sum((c * self.idf[i]) ** 2 for i, c in counts.items()))

    def body(self, text: str) -> _Body:
        """The cached word-piece view of a body."""
        found = self._bodies.get(text)
        if found is not None:
            return found
        split = split_sentences(text)
        kept = [(t, p) for t, p in zip(split, self.pieces(split), strict=True) if p]
        sentences = [p for _, p in kept] or [[]]
        flat = [i for s in sentences for i in s]
        counts = Counter(flat)
        sentence_counts = [Counter(s) for s in sentences]
        body = _Body(
            sentences=sentences,
            counts=counts,
            norm=self._weight(counts),
            sentence_sets=[set(s) for s in sentences],
            sentence_counts=sentence_counts,
            sentence_norms=[self._weight(c) for c in sentence_counts],
            lead={i for s in sentences[:3] for i in s},
            bigrams=set(zip(flat, flat[1:], strict=False)),
            texts=[t.lower() for t, _ in kept] or [""],
        )
        self._bodies[text] = body
        return body

    def headline(self, text: str) -> list[int]:
        """The cached word-pieces of a headline."""
        found = self._headlines.get(text)
        if found is None:
            found = self._headlines[text] = self.pieces([text])[0]
        return found

    def clear(self) -> None:
        """Forget cached bodies and headlines (they are kept only to share work within a run)."""
        self._bodies.clear()
        self._headlines.clear()

    # ---------------------------------------------------------------- features

    def _cosine(self, head: Counter[int], head_norm: float, other: Counter[int], norm: float):
        if not head_norm or not norm:
            return 0.0
        dot = sum(c * other[i] * self.idf[i] ** 2 for i, c in head.items() if i in other)
        return dot / (head_norm * norm)

    def features(self, headline: str, body_text: str) -> list[float]:
        """The six lexical features of `FEATURES` for one pair (all in [0, 1])."""
        head = self.headline(headline)
        body = self.body(body_text)
        counts = Counter(head)
        head_norm = self._weight(counts)
        unique = set(head)
        total = sum(self.idf[i] for i in unique) or 1.0

        def coverage(words: set[int]) -> float:
            return sum(self.idf[i] for i in unique if i in words) / total

        best_cosine = max(
            self._cosine(counts, head_norm, c, n)
            for c, n in zip(body.sentence_counts, body.sentence_norms, strict=True)
        )
        best_coverage = max(coverage(s) for s in body.sentence_sets)
        head_bigrams = set(zip(head, head[1:], strict=False))
        bigrams = len(head_bigrams & body.bigrams) / len(head_bigrams) if head_bigrams else 0.0
        return [
            self._cosine(counts, head_norm, body.counts, body.norm),
            best_cosine,
            coverage(set(body.counts)),
            best_coverage,
            coverage(body.lead),
            bigrams,
        ]

    def _ranked_sentences(self, headline: str, body: _Body) -> list[int]:
        """Body sentence indexes by decreasing IDF-weighted overlap with the headline."""
        head = set(self.headline(headline)[: self.max_headline])
        scores = [
            (sum(self.idf[i] for i in head if i in s), -k) for k, s in enumerate(body.sentence_sets)
        ]
        return [-k for _, k in sorted(scores, reverse=True)]

    def cues(self, headline: str, body_text: str) -> list[float]:
        """The seven features of `CUE_FEATURES`: denial and hedge words, log-scaled counts.

        ``near_*`` count in the three sentences sharing most with the headline, where a body
        states its position on the claim.
        """
        body = self.body(body_text)
        head = headline.lower()
        near = " ".join(body.texts[k] for k in self._ranked_sentences(headline, body)[:3])
        whole = " ".join(body.texts)
        return [
            math.log1p(len(_REFUTING.findall(head))),
            math.log1p(len(_HEDGING.findall(head))),
            1.0 if "?" in head else 0.0,
            math.log1p(len(_REFUTING.findall(whole))),
            math.log1p(len(_HEDGING.findall(whole))),
            math.log1p(len(_REFUTING.findall(near))),
            math.log1p(len(_HEDGING.findall(near))),
        ]

    # ---------------------------------------------------------------- network input

    def selected_body(self, headline: str, body_text: str) -> list[int]:
        """Body word-pieces shown to the network.

        The first sentence always; then sentences by decreasing IDF-weighted overlap with the
        headline until the room left by the headline is full; kept in body order. A sentence
        that does not fit whole is cut.
        """
        body = self.body(body_text)
        room = self.max_length - 3 - min(len(self.headline(headline)), self.max_headline)
        order = [0] + [k for k in self._ranked_sentences(headline, body) if k]
        chosen: list[tuple[int, list[int]]] = []
        used = 0
        for k in order:
            if used >= room:
                break
            take = body.sentences[k][: room - used]
            chosen.append((k, take))
            used += len(take)
        return [i for _, take in sorted(chosen) for i in take]

    def encode(self, headline: str, body_text: str) -> tuple[list[int], list[int]]:
        """``(input_ids, token_type_ids)`` of ``[CLS] headline [SEP] body [SEP]``."""
        head = self.headline(headline)[: self.max_headline]
        body = self.selected_body(headline, body_text)
        ids = [self.cls_id, *head, self.sep_id, *body, self.sep_id]
        types = [0] * (len(head) + 2) + [1] * (len(body) + 1)
        return ids, types


def _softmax(np: Any, logits: Any) -> Any:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


class StanceModel:
    """The shipped stance model: (headline, body) pairs in, FNC-1 labels or probabilities out."""

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        np, config, tokenizer = text_model_parts(
            "the stance model", folder, ("labels.json", "model.int8.onnx")
        )
        self.np = np
        self.config = config
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        self.labels = tuple(labels[str(i)] for i in range(len(labels)))
        if self.labels != LABELS:
            raise ModelError(f"{folder}/labels.json lists {self.labels}, expected {LABELS}")
        self.featurizer = PairFeaturizer(
            tokenizer,
            config["idf"],
            int(config["max_length"]),
            int(config["max_headline"]),
        )
        gate = config["gate"]
        self.gate_mean = np.asarray(gate["mean"], dtype=np.float64)
        self.gate_scale = np.asarray(gate["scale"], dtype=np.float64)
        self.gate_weights = np.asarray(gate["weights"], dtype=np.float64)
        self.gate_bias = float(gate["bias"])
        self.gate_threshold = float(gate["threshold"])
        combiner = config.get("combiner")
        self.combiner = None
        self.combiner_cues = bool(combiner and combiner.get("cues"))
        if combiner:
            self.combiner = {
                key: np.asarray(combiner[key], dtype=np.float64)
                for key in ("mean", "scale", "weights", "bias")
            }
        self.session, self.input_names = onnx_session(folder / "model.int8.onnx", threads)

    def related_probability(self, features: Any) -> Any:
        """P(related) of each row of lexical features, from the gate's logistic regression."""
        np = self.np
        z = (features - self.gate_mean) / self.gate_scale
        return 1.0 / (1.0 + np.exp(-(z @ self.gate_weights + self.gate_bias)))

    def network_probabilities(self, pairs: Sequence[tuple[str, str]], batch_size: int = 16):
        """The cross-encoder's softmax over `LABELS` for each pair (no gate, no combiner)."""
        np = self.np
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float64)
        encoded = [self.featurizer.encode(h, b) for h, b in pairs]
        order = sorted(range(len(pairs)), key=lambda k: len(encoded[k][0]))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = max(len(encoded[k][0]) for k in rows)
            ids = np.full((len(rows), width), self.featurizer.pad_id, dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for r, k in enumerate(rows):
                row_ids, row_types = encoded[k]
                ids[r, : len(row_ids)] = row_ids
                types[r, : len(row_types)] = row_types
                mask[r, : len(row_ids)] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.input_names:
                feed["token_type_ids"] = types
            logits = self.session.run(None, feed)[0].astype(np.float64)
            out[rows] = _softmax(np, logits)
        return out

    def probabilities(
        self,
        pairs: Sequence[tuple[str, str]],
        batch_size: int = 16,
        progress: Progress | None = None,
    ) -> list[dict[str, float]]:
        """Probability of each label (`LABELS`) for each (headline, body) pair.

        A pair the lexical gate rejects gets ``unrelated`` = 1 - P(related) and shares the rest
        equally; the network is not run for it. ``progress`` is called with the number of
        pairs finished after each block of ``batch_size * 8`` pairs.
        """
        np = self.np
        result = np.zeros((len(pairs), len(LABELS)), dtype=np.float64)
        block = max(1, batch_size * 8)
        try:
            for start in range(0, len(pairs), block):
                part = pairs[start : start + block]
                result[start : start + len(part)] = self._block(part, batch_size)
                if progress is not None:
                    progress(len(part))
        finally:
            self.featurizer.clear()
        return [dict(zip(LABELS, (float(p) for p in row), strict=True)) for row in result]

    def _block(self, pairs: Sequence[tuple[str, str]], batch_size: int) -> Any:
        np = self.np
        features = np.asarray([self.featurizer.features(h, b) for h, b in pairs], dtype=float)
        related = self.related_probability(features) if len(pairs) else np.zeros(0)
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float64)
        out[:, :3] = (related / 3.0)[:, None]
        out[:, 3] = 1.0 - related
        keep = [k for k in range(len(pairs)) if related[k] >= self.gate_threshold]
        if keep:
            network = self.network_probabilities([pairs[k] for k in keep], batch_size)
            cues = None
            if self.combiner_cues:
                cues = np.asarray([self.featurizer.cues(*pairs[k]) for k in keep], dtype=float)
            out[keep] = self.combine(features[keep], network, cues)
        return out

    def combine(self, features: Any, network: Any, cues: Any = None) -> Any:
        """Final probabilities from lexical features, network probabilities and (when the
        combiner uses them) cue features; one row per pair."""
        np = self.np
        if self.combiner is None:
            return network
        c = self.combiner
        parts = [features, np.log(np.clip(network, 1e-6, 1.0))]
        if self.combiner_cues:
            parts.append(cues)
        x = np.concatenate(parts, axis=1)
        z = (x - c["mean"]) / c["scale"]
        return _softmax(np, z @ c["weights"] + c["bias"])

    def predict(
        self,
        pairs: Sequence[tuple[str, str]],
        batch_size: int = 16,
        progress: Progress | None = None,
    ) -> list[str]:
        """The most probable label of each (headline, body) pair."""
        probs = self.probabilities(pairs, batch_size=batch_size, progress=progress)
        return [max(p, key=p.__getitem__) for p in probs]


def stance_model_dir() -> Path:
    """The folder of the shipped stance model."""
    return Path(str(resources.files("newsgraph.models").joinpath("stance-minilm")))


@lru_cache(maxsize=1)
def load_stance_model() -> StanceModel:
    """The shipped stance model, loaded once per process."""
    folder = stance_model_dir()
    if not folder.is_dir():
        raise ModelError(f"model folder {folder} is missing; reinstall newsgraph")
    return StanceModel(folder)
