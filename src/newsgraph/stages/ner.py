"""The `ner` stage: typed name mentions (PERSON / ORG / LOC / MISC), read alike in both forms.

Two recognizers ship in `newsgraph/models/`, both trained by scripts in `scripts/` on the
CoNLL-2003 training portion with casing and quote-stripping augmentation:

- ``accurate``: an uncased MiniLM token classifier run with ONNX Runtime (int8). Being
  uncased, it reads lowercased text exactly as it reads cased text. It sees several sentences
  at once, so a name is judged in its paragraph.
- ``fast``: a spaCy CNN recognizer over the text as given.

Mentions are returned with offsets into the article text; grouping them into entities is the
`entities` stage's job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..article import Analysis, EntityType, Mention
from ..errors import ModelError
from ..onnx_session import onnx_session
from ..pipeline import Stage
from .form import TextView

if TYPE_CHECKING:
    from spacy.tokens import Doc

CONLL_TYPES: dict[str, EntityType] = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}


def model_dir(name: str) -> Path:
    path = Path(str(resources.files("newsgraph.models").joinpath(name)))
    if not path.is_dir():
        raise ModelError(f"model folder {path} is missing; reinstall newsgraph")
    return path


@dataclass(frozen=True)
class Word:
    """A token of the view text: offsets into the view."""

    start: int
    end: int
    text: str


#: Space-separated tokens, with a slash standing alone ("syria/beirut" in a dateline).
_WORD = re.compile(r"[^\s/]+|/")


def model_words(analysis: Analysis) -> list[list[Word]]:
    """The words the MiniLM model reads, per sentence.

    Tokenized input is read as its space-separated tokens, as the model was trained; other
    text as spaCy's tokens.
    """
    if not analysis.tokenized:
        return sentence_words(analysis.layers["docs"])
    view: TextView = analysis.layers["view"]
    sentences = []
    for sentence in analysis.sentences:
        words = [
            Word(sentence.start + m.start(), sentence.start + m.end(), m.group())
            for m in _WORD.finditer(view.text[sentence.start : sentence.end])
        ]
        if words:
            sentences.append(words)
    return sentences


def sentence_words(docs: Iterable[tuple[int, Doc]]) -> list[list[Word]]:
    """The non-space tokens of every sentence, with view offsets."""
    sentences = []
    for offset, doc in docs:
        for sent in doc.sents:
            words = [
                Word(offset + t.idx, offset + t.idx + len(t.text), t.text)
                for t in sent
                if not t.is_space
            ]
            if words:
                sentences.append(words)
    return sentences


def spans_from_bio(
    labels: Sequence[str], scores: Sequence[float]
) -> Iterator[tuple[int, int, str, float]]:
    """``(first, last + 1, type, mean score)`` for each entity in a BIO2 label sequence.

    An ``I-X`` that does not continue an ``X`` opens a new entity, as most taggers read it.
    """
    start, kind = -1, ""
    for i, label in enumerate([*labels, "O"]):
        prefix, _, label_kind = label.partition("-")
        continues = prefix == "I" and label_kind == kind and start >= 0
        if start >= 0 and not continues:
            yield start, i, kind, sum(scores[start:i]) / (i - start)
            start, kind = -1, ""
        if prefix in ("B", "I") and not continues:
            start, kind = i, label_kind


class OnnxTagger:
    """The MiniLM token classifier: words in, one BIO label and probability per word out."""

    def __init__(self, folder: Path, threads: int | None = None):
        try:
            import numpy as np
            import onnxruntime  # noqa: F401 (missing: the clear error below)
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError(
                f"the accurate pipeline needs onnxruntime and tokenizers ({exc.name} is "
                "missing): pip install onnxruntime tokenizers, or use --pipeline fast"
            ) from exc
        self.np = np
        config = json.loads((folder / "config.json").read_text())
        self.max_length = int(config.get("max_length", 256))
        self.labels = [
            label
            for _, label in sorted(
                (int(k), v) for k, v in json.loads((folder / "labels.json").read_text()).items()
            )
        ]
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")
        self.pad_id = self.tokenizer.token_to_id("[PAD]") or 0
        self.session, self.input_names = onnx_session(folder / "model.int8.onnx", threads)

    def tag(
        self,
        sentences: list[list[str]],
        batch_size: int = 16,
        views: int = 1,
        max_pieces: int | None = None,
    ) -> list[Any]:
        """Label probabilities per word of each sentence: one ``(words, labels)`` array each.

        With ``views=n`` the sentences are read in n packings whose chunk boundaries fall
        1/n of a chunk later each time, and the readings are averaged: a sentence at the edge
        of one chunk sits inside another, with context on both sides. `max_pieces` packs
        shorter chunks than the model was trained with (faster, a little less context).
        """
        np = self.np
        encoded = (
            self.tokenizer.encode_batch(sentences, is_pretokenized=True, add_special_tokens=False)
            if sentences
            else []
        )
        pieces = []  # per sentence: (ids, first-piece position of each word)
        for words, encoding in zip(sentences, encoded, strict=True):
            pieces.append((encoding.ids, self._firsts(encoding.word_ids, len(words))))
        results: list[Any] = [
            np.zeros((len(s), len(self.labels)), dtype=np.float32) for s in sentences
        ]
        for probs in results:
            probs[:, self.labels.index("O")] = 1.0  # words with no word-piece stay outside
        room = min(self.max_length - 2, max_pieces or self.max_length)
        for view in range(views):
            reading = [np.zeros_like(probs) for probs in results] if view else results
            chunks = self._chunks(pieces, first_room=room - view * room // views, full=room)
            for batch_start in range(0, len(chunks), batch_size):
                self._run(chunks[batch_start : batch_start + batch_size], pieces, reading)
            if view:
                for total, extra in zip(results, reading, strict=True):
                    total += extra
        if views > 1:
            for probs in results:
                probs /= views
        return results

    @staticmethod
    def _firsts(word_ids: list[int | None], count: int) -> list[int]:
        """Position of each word's first word-piece (-1 for a word the tokenizer dropped)."""
        firsts = [-1] * count
        for position, word_id in enumerate(word_ids):
            if word_id is not None and firsts[word_id] < 0:
                firsts[word_id] = position
        return firsts

    def _chunks(
        self,
        pieces: list[tuple[list[int], list[int]]],
        first_room: int | None = None,
        full: int | None = None,
    ) -> list[list[tuple[int, int, int]]]:
        """Consecutive sentences packed up to the model's length.

        A chunk is a list of ``(sentence, first piece, end piece)``; a sentence too long for
        one chunk is cut into several. ``first_room`` caps the first chunk (to shift the
        boundaries of a second reading); ``full`` caps every chunk (default: the model's).
        """
        full = full or self.max_length - 2
        room = first_room or full
        chunks: list[list[tuple[int, int, int]]] = []
        current: list[tuple[int, int, int]] = []
        used = 0
        for index, (ids, _) in enumerate(pieces):
            start = 0
            while start < len(ids) or (start == 0 and not ids):
                take = min(len(ids) - start, full)
                if used + take > room and current:
                    chunks.append(current)
                    current, used, room = [], 0, full
                current.append((index, start, start + take))
                used += take
                start += take
                if not ids:
                    break
        if current:
            chunks.append(current)
        return chunks

    def _run(self, batch, pieces, results) -> None:
        np = self.np
        rows = []
        for chunk in batch:
            row = [self.cls_id]
            for index, start, end in chunk:
                row.extend(pieces[index][0][start:end])
            row.append(self.sep_id)
            rows.append(row)
        width = max(len(r) for r in rows)
        input_ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, row in enumerate(rows):
            input_ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self.input_names:
            feed["token_type_ids"] = np.zeros_like(input_ids)
        logits = self.session.run(None, feed)[0]
        shifted = logits - logits.max(axis=-1, keepdims=True)
        probs = np.exp(shifted)
        probs /= probs.sum(axis=-1, keepdims=True)
        for i, chunk in enumerate(batch):
            position = 1
            for index, start, end in chunk:
                for word, first in enumerate(pieces[index][1]):
                    if start <= first < end:
                        results[index][word] = probs[i, position + first - start]
                position += end - start


@lru_cache(maxsize=1)
def load_onnx_tagger() -> OnnxTagger:
    return OnnxTagger(model_dir("ner-minilm"))


@lru_cache(maxsize=1)
def load_spacy_ner() -> Any:
    import spacy

    try:
        return spacy.load(model_dir("ner-spacy"))
    except OSError as exc:
        raise ModelError(f"the fast entity model cannot be loaded: {exc}") from exc


def spans_from_probs(labels: list[str], probs: Any) -> Iterator[tuple[int, int, str, float]]:
    """Entities from per-word label probabilities (best label per word, BIO-decoded)."""
    best = probs.argmax(axis=-1)
    return spans_from_bio(
        [labels[b] for b in best], [float(probs[i, b]) for i, b in enumerate(best)]
    )


def mentions_from_words(
    analysis: Analysis, sentences: list[list[Word]], probs: list[Any], labels: list[str]
) -> list[Mention]:
    view: TextView = analysis.layers["view"]
    mentions = []
    for words, sentence_probs in zip(sentences, probs, strict=True):
        for first, end, kind, score in spans_from_probs(labels, sentence_probs):
            if kind not in CONLL_TYPES:
                continue
            start = view.to_source(words[first].start)
            stop = view.to_source(words[end - 1].end)
            mention = Mention(
                start, stop, analysis.text[start:stop], CONLL_TYPES[kind], round(score, 3)
            )
            mentions.append(mention)
    return mentions


def mentions_onnx(analysis: Analysis) -> list[Mention]:
    tagger = load_onnx_tagger()
    sentences = model_words(analysis)
    probs = tagger.tag([[w.text for w in s] for s in sentences])
    return mentions_from_words(analysis, sentences, probs, tagger.labels)


#: Weight of the MiniLM probabilities against the spaCy model's vote in the ensemble.
ENSEMBLE_WEIGHT = 0.6


def mentions_ensemble(analysis: Analysis) -> list[Mention]:
    """MiniLM probabilities mixed with the spaCy model's labels, word by word.

    The uncased MiniLM reads context; the spaCy model also sees capital letters. Where the
    MiniLM model is sure it decides; where it hesitates, the spaCy model's label tips it.
    """
    tagger = load_onnx_tagger()
    np = tagger.np
    sentences = model_words(analysis)
    probs = tagger.tag([[w.text for w in s] for s in sentences])
    votes = spacy_word_labels(analysis)
    index = {label: i for i, label in enumerate(tagger.labels)}
    outside = index["O"]
    mixed = []
    for words, sentence_probs in zip(sentences, probs, strict=True):
        vote = np.zeros_like(sentence_probs)
        for w, word in enumerate(words):
            vote[w, index.get(votes.get(word.start, "O"), outside)] = 1.0
        mixed.append(ENSEMBLE_WEIGHT * sentence_probs + (1 - ENSEMBLE_WEIGHT) * vote)
    return mentions_from_words(analysis, sentences, mixed, tagger.labels)


def fast_model_docs(text: str) -> Iterator[tuple[int, Any]]:
    """``(offset, Doc)`` of the spaCy entity model over the text's paragraphs.

    Paragraphs, not lines: the model was trained on whole documents, newlines included.
    """
    from .nlp import blocks

    spans = list(blocks(text, by_line=False))
    docs = load_spacy_ner().pipe(text[s:e] for s, e in spans)
    for (offset, _), doc in zip(spans, docs, strict=True):
        yield offset, doc


def spacy_word_labels(analysis: Analysis) -> dict[int, str]:
    """The spaCy model's BIO label of each token, keyed by its start offset in the text."""
    labels = {}
    for offset, doc in fast_model_docs(analysis.text):
        for token in doc:
            if token.ent_iob_ in ("B", "I"):
                labels[offset + token.idx] = f"{token.ent_iob_}-{token.ent_type_}"
    return labels


def mentions_spacy(analysis: Analysis) -> list[Mention]:
    text = analysis.text
    mentions = []
    for offset, doc in fast_model_docs(text):
        for ent in doc.ents:
            kind = CONLL_TYPES.get(ent.label_)
            if kind:
                start, end = offset + ent.start_char, offset + ent.end_char
                mentions.append(Mention(start, end, text[start:end], kind))
    return mentions


#: spaCy (OntoNotes) labels -> newsgraph types, for the baseline recognizer.
ONTONOTES_TYPES: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
}


def mentions_baseline(analysis: Analysis) -> list[Mention]:
    """en_core_web_sm's own recognizer on the cased view (kept as a measured baseline)."""
    view: TextView = analysis.layers["view"]
    mentions = []
    for offset, doc in analysis.layers["docs"]:
        for ent in doc.ents:
            kind = ONTONOTES_TYPES.get(ent.label_)
            if kind:
                start = view.to_source(offset + ent.start_char)
                end = view.to_source(offset + ent.end_char)
                mentions.append(Mention(start, end, analysis.text[start:end], kind))
    return mentions


RECOGNIZERS = {
    "accurate": mentions_ensemble,
    "fast": mentions_spacy,
    "minilm": mentions_onnx,
    "baseline": mentions_baseline,
}


def ner_stage(pipeline: str) -> Stage:
    """The `ner` stage for one of the shipped recognizers."""
    recognize = RECOGNIZERS[pipeline]

    def run(analysis: Analysis) -> Analysis:
        mentions = tuple(sorted(recognize(analysis), key=lambda m: (m.start, m.end)))
        return replace(analysis, layers={**analysis.layers, "mentions": mentions})

    return Stage("ner", run, requires=("docs", "view"), assigns=("mentions",))
