"""TextVectorizer: turn sentences into padded int64 token-id sequences, as Keras TextVectorization.

Standardise (lowercase, strip punctuation), split on whitespace, map each word to its index in
a vocabulary learnt by `adapt(texts)`: 0 is padding, 1 is the out-of-vocabulary token "[UNK]",
then words from most to least frequent (ties in order of first appearance, so it is
deterministic). The configuration, vocabulary included, is JSON-safe for saving with a model.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

PAD, OOV = "", "[UNK]"
_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_PUNCTUATION = str.maketrans("", "", string.punctuation)


class TextVectorizer:
    """Map texts to int64 arrays of token ids: `vec.adapt(train_texts); ids = vec(texts)`.

    Args:
        max_tokens: vocabulary size including padding and "[UNK]" (None: no limit), as in Keras.
        output_sequence_length: pad with 0 or truncate at the end to this length; None pads
            each call's output to its longest text.
        standardize: "lower_and_strip_punctuation" (default), "lower", "strip_punctuation",
            None, or a callable str -> str (a callable cannot be saved in get_config).
        split: "whitespace" (default) or a callable str -> list of tokens (not saveable either).

    Examples:
        >>> from jaring.data import TextVectorizer
        >>> vec = TextVectorizer(output_sequence_length=4).adapt(["the cat sat", "the dog ran!"])
        >>> vec.vocabulary()
        ['', '[UNK]', 'the', 'cat', 'sat', 'dog', 'ran']
        >>> vec(["The cat ran", "a dog"]).tolist()
        [[2, 3, 6, 0], [1, 5, 0, 0]]
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        output_sequence_length: int | None = None,
        standardize: str | Callable[[str], str] | None = "lower_and_strip_punctuation",
        split: str | Callable[[str], list[str]] = "whitespace",
        vocabulary: Sequence[str] | None = None,
    ) -> None:
        if max_tokens is not None and (not isinstance(max_tokens, int) or max_tokens < 2):
            raise ValueError(
                f"TextVectorizer: max_tokens must be an int >= 2 (padding + [UNK]) or None, "
                f"got {max_tokens!r}"
            )
        if output_sequence_length is not None and (
            not isinstance(output_sequence_length, int) or output_sequence_length < 1
        ):
            raise ValueError(
                "TextVectorizer: output_sequence_length must be a positive int or None, "
                f"got {output_sequence_length!r}"
            )
        if not (standardize is None or callable(standardize) or standardize in _STANDARDIZE):
            raise ValueError(
                f"TextVectorizer: unknown standardize {standardize!r}; use one of {', '.join(_STANDARDIZE)}, "
                "None or a callable"
            )
        if not (callable(split) or split == "whitespace"):
            raise ValueError(f"TextVectorizer: unknown split {split!r}; use 'whitespace' or a callable")
        self.max_tokens = max_tokens
        self.output_sequence_length = output_sequence_length
        self.standardize = standardize
        self.split = split
        self._vocab: list[str] | None = None
        self._index: dict[str, int] = {}
        if vocabulary is not None:
            self.set_vocabulary(vocabulary)

    # ----- tokenising -------------------------------------------------------------------
    def tokenize(self, text: str) -> list[str]:
        """The tokens of one text after standardisation and splitting."""
        if not isinstance(text, str):
            raise TypeError(f"TextVectorizer works on str, got {type(text).__name__}")
        if callable(self.standardize):
            text = self.standardize(text)
        elif self.standardize is not None:
            if self.standardize != "strip_punctuation":
                text = text.lower()
            if self.standardize != "lower":
                text = text.translate(_PUNCTUATION)
        return self.split(text) if callable(self.split) else text.split()

    # ----- vocabulary -------------------------------------------------------------------
    def adapt(self, texts: Iterable[str]) -> TextVectorizer:
        """Learn the vocabulary from `texts`: most frequent first, ties by first appearance."""
        texts = _as_texts(texts)
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(self.tokenize(text))
        counts.pop(PAD, None)
        counts.pop(OOV, None)
        limit = None if self.max_tokens is None else self.max_tokens - 2
        # Counter keeps first-appearance order and most_common sorts stably, hence deterministic ties.
        words = [w for w, _ in counts.most_common(limit)]
        self._set(words)
        return self

    fit = adapt

    def set_vocabulary(self, vocabulary: Sequence[str]) -> None:
        """Use a given vocabulary (a list of words, with or without the leading '' and '[UNK]')."""
        words = list(vocabulary)
        if words[:2] == [PAD, OOV]:
            words = words[2:]
        if len(set(words)) != len(words) or PAD in words or OOV in words:
            raise ValueError(
                "TextVectorizer: the vocabulary must hold distinct words other than '' and '[UNK]'"
            )
        if self.max_tokens is not None and len(words) + 2 > self.max_tokens:
            raise ValueError(f"TextVectorizer: {len(words) + 2} tokens exceed max_tokens={self.max_tokens}")
        self._set(words)

    def _set(self, words: list[str]) -> None:
        self._vocab = [PAD, OOV, *words]
        self._index = {w: i for i, w in enumerate(self._vocab)}

    def vocabulary(self) -> list[str]:
        """All tokens by index: ['', '[UNK]', most frequent word, ...]."""
        return list(self._require_vocab())

    get_vocabulary = vocabulary

    def vocabulary_size(self) -> int:
        """Number of indices, padding and [UNK] included (the Embedding's input_dim)."""
        return len(self._require_vocab())

    def _require_vocab(self) -> list[str]:
        if self._vocab is None:
            raise RuntimeError("TextVectorizer has no vocabulary yet: call adapt(texts) first")
        return self._vocab

    # ----- encoding ---------------------------------------------------------------------
    def __call__(self, texts: str | Iterable[str]) -> np.ndarray:
        """Token ids, int64 (N, length); a single str gives (length,)."""
        self._require_vocab()
        single = isinstance(texts, str)
        texts = [texts] if single else _as_texts(texts)
        get = self._index.get
        rows = [[get(token, 1) for token in self.tokenize(t)] for t in texts]
        length = self.output_sequence_length
        if length is None:
            length = max((len(r) for r in rows), default=0)
        out = np.zeros((len(rows), length), dtype=np.int64)
        for i, row in enumerate(rows):
            row = row[:length]
            out[i, : len(row)] = row
        return out[0] if single else out

    def decode(self, ids: Sequence[int] | np.ndarray) -> str:
        """The words of one id sequence, padding dropped (to inspect what the model sees)."""
        vocab = self._require_vocab()
        return " ".join(vocab[int(i)] for i in np.asarray(ids).reshape(-1) if int(i) != 0)

    # ----- saving -----------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """A JSON-safe dict that `from_config` turns back into an equal vectorizer."""
        if callable(self.standardize) or callable(self.split):
            raise ValueError(
                "TextVectorizer.get_config: a custom standardize/split callable cannot be saved as JSON; "
                "use the built-in options or rebuild the vectorizer with your callable and set_vocabulary()"
            )
        return {
            "max_tokens": self.max_tokens,
            "output_sequence_length": self.output_sequence_length,
            "standardize": self.standardize,
            "split": self.split,
            "vocabulary": None if self._vocab is None else list(self._vocab),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> TextVectorizer:
        known = {"max_tokens", "output_sequence_length", "standardize", "split", "vocabulary"}
        unknown = set(config) - known
        if unknown:
            raise ValueError(
                f"TextVectorizer.from_config: unknown keys {sorted(unknown)}; known: {sorted(known)}"
            )
        return cls(**config)

    def __repr__(self) -> str:
        size = "not adapted" if self._vocab is None else f"vocabulary_size={len(self._vocab)}"
        return (
            f"TextVectorizer(max_tokens={self.max_tokens}, "
            f"output_sequence_length={self.output_sequence_length}, "
            f"standardize={self.standardize!r}, {size})"
        )


def _as_texts(texts: Iterable[str]) -> list[str]:
    if isinstance(texts, str) or not isinstance(texts, Iterable):
        raise TypeError(f"TextVectorizer expects a list of str, got {texts!r:.80} (a {type(texts).__name__})")
    texts = list(texts)
    bad = next((t for t in texts if not isinstance(t, str)), None)
    if bad is not None:
        raise TypeError(f"TextVectorizer expects a list of str, found a {type(bad).__name__}: {bad!r}")
    return texts
