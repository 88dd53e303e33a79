"""TextClassifier: Embedding -> [Bidirectional] SimpleRNN/LSTM/GRU x n -> Dropout -> Dense softmax.

model = TextClassifier(cell="lstm", units=[16, 16], direction="bi", vocab_size=3000,
                       sequence_length=60, num_classes=3, seed=0)
model.fit(train_texts, train_labels, epochs=20, validation_data=(val_texts, val_labels))
model.predict(["filmnya bagus sekali", "pelayanannya buruk"])   # class probabilities

Raw texts are turned into token ids by the model's TextVectorizer, which `fit` adapts to the
training texts on first use (max_tokens=vocab_size, output_sequence_length=sequence_length)
and which is saved in the same .jaring file, so a loaded model predicts from raw strings.
Token-id arrays (N, time) work everywhere too. With mask_zero (the default) padding is
masked: padded and unpadded sequences give the same prediction.
"""

from __future__ import annotations

import os

from typing import Any
from collections.abc import Callable, Sequence

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.data.text import TextVectorizer
from jaring.models.base import ReadyModel
from jaring.nn.activation import Softmax
from jaring.nn.dropout import Dropout
from jaring.nn.embedding import Embedding
from jaring.nn.linear import Linear
from jaring.nn.container import ModuleList
from jaring.nn.module import Module
from jaring.nn.bidirectional import Bidirectional
from jaring.nn.recurrent import GRU, LSTM, SimpleRNN
from jaring.optim import Optimizer
from jaring.optim.lr_scheduler import LRScheduler
from jaring.random import get_rng
from jaring.training.callbacks import Callback
from jaring.training.history import History

CELLS: dict[str, type] = {"rnn": SimpleRNN, "simplernn": SimpleRNN, "lstm": LSTM, "gru": GRU}
DIRECTIONS = ("uni", "bi")


def _positive(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"TextClassifier: {name} must be a positive integer, got {value!r}")
    return int(value)


def _units(units: Any, num_layers: int | None) -> list[int]:
    """One width per recurrent layer from an int (repeated num_layers times) or a list."""
    if isinstance(units, (list, tuple)):
        if not units:
            raise ValueError("TextClassifier: units must not be empty")
        if num_layers is not None and num_layers != len(units):
            raise ValueError(
                f"TextClassifier: num_layers={num_layers} but units lists {len(units)} widths {list(units)}"
            )
        return [_positive("every entry of units", u) for u in units]
    return [_positive("units", units)] * _positive("num_layers", 1 if num_layers is None else num_layers)


def _is_texts(x: Any) -> bool:
    """A str, or a non-empty list, tuple or 1-D NumPy array of str."""
    if isinstance(x, np.ndarray) and x.dtype.kind in "UO" and x.ndim == 1:
        x = x.tolist()
    return isinstance(x, str) or (
        isinstance(x, (list, tuple)) and len(x) > 0 and all(isinstance(t, str) for t in x)
    )


def _adapted(vectorizer: TextVectorizer | None) -> bool:
    """Whether the vectorizer exists and has a vocabulary."""
    try:
        return vectorizer is not None and vectorizer.vocabulary_size() > 0
    except RuntimeError:
        return False


class TextClassifier(ReadyModel):
    """A recurrent text classifier in the seed's layout (see the module docstring).

    cell: "rnn" (SimpleRNN), "lstm" or "gru". units: one int for every layer (with
    num_layers) or a list, one width per layer. direction: "uni" or "bi" (every recurrent
    layer wrapped in Bidirectional, merge "concat"). vocab_size: the Embedding's rows, padding
    and [UNK] included (may be None when an adapted `vectorizer` is given). sequence_length:
    the length texts are padded or cut to (None: the longest text of each call). dropout:
    the drop probability before the Dense layer. vectorizer: a TextVectorizer (adapted or
    not), its get_config() dict, or None (one is made when fit first sees texts).

    Examples:
        >>> texts = ["bagus sekali", "buruk sekali", "biasa saja", "sangat bagus", "sangat buruk", "saja"]
        >>> model = TextClassifier(vocab_size=20, sequence_length=4, cell="lstm", units=4, seed=0)
        >>> history = model.fit(texts, [2, 0, 1, 2, 0, 1], epochs=2, seed=0)
        >>> model.predict(["bagus"]).shape
        (1, 3)
    """

    def __init__(
        self,
        vocab_size: int | None = 3000,
        sequence_length: int | None = 60,
        num_classes: int = 3,
        cell: str = "lstm",
        units: int | Sequence[int] = 16,
        num_layers: int | None = None,
        direction: str = "uni",
        embedding_dim: int = 64,
        dropout: float = 0.5,
        mask_zero: bool = True,
        vectorizer: TextVectorizer | dict | None = None,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        key = cell.lower() if isinstance(cell, str) else None
        if key not in CELLS:
            raise ValueError(f"TextClassifier: unknown cell {cell!r}; choose from {', '.join(CELLS)}")
        if direction not in DIRECTIONS:
            raise ValueError(f"TextClassifier: unknown direction {direction!r}; choose from 'uni' or 'bi'")
        if isinstance(vectorizer, dict):
            vectorizer = TextVectorizer.from_config(vectorizer)
        elif vectorizer is not None and not isinstance(vectorizer, TextVectorizer):
            raise TypeError(
                f"TextClassifier: vectorizer must be a TextVectorizer, its config dict or None, "
                f"got {type(vectorizer).__name__}"
            )
        if vocab_size is None:
            if not _adapted(vectorizer):
                raise ValueError("TextClassifier: give vocab_size, or an adapted vectorizer to take it from")
            vocab_size = vectorizer.vocabulary_size()
        self.vocab_size = _positive("vocab_size", vocab_size)
        if _adapted(vectorizer):
            self._check_vocabulary(vectorizer)
        if sequence_length is not None:
            sequence_length = _positive("sequence_length", sequence_length)
        self.sequence_length = sequence_length
        self.num_classes = _positive("num_classes", num_classes)
        self.units = _units(units, num_layers)
        self.cell, self.direction = CELLS[key].__name__, direction
        self.loss = "cce"
        self.vectorizer = vectorizer
        rng = get_rng(seed)
        self.embedding = Embedding(
            self.vocab_size,
            _positive("embedding_dim", embedding_dim),
            mask_zero=mask_zero,
            seed=rng,
            dtype=dtype,
        )
        layers, width = [], embedding_dim
        for i, n in enumerate(self.units):
            layer = CELLS[key](
                n, return_sequences=i < len(self.units) - 1, input_dim=width, seed=rng, dtype=dtype
            )
            layers.append(Bidirectional(layer) if direction == "bi" else layer)
            width = 2 * n if direction == "bi" else n
        self.recurrent = ModuleList(layers)
        self.dropout = Dropout(dropout, seed=rng)
        self.dense = Linear(width, self.num_classes, weight_init="glorot_uniform", seed=rng, dtype=dtype)
        self.softmax = Softmax()

    # ----- text -------------------------------------------------------------------------
    def _check_vocabulary(self, vectorizer: TextVectorizer) -> None:
        if vectorizer.vocabulary_size() > self.vocab_size:
            raise ValueError(
                f"TextClassifier: the vectorizer's vocabulary has {vectorizer.vocabulary_size()} tokens, "
                f"more than the Embedding's vocab_size={self.vocab_size}"
            )

    def prepare_inputs(self, x: Any, adapt: bool = False) -> Any:
        """Token ids for x: texts go through the vectorizer (adapted to them first when
        `adapt` and it has no vocabulary yet); arrays of ids pass unchanged."""
        if not _is_texts(x):
            return x
        if not _adapted(self.vectorizer):
            if not adapt:
                raise RuntimeError(
                    "TextClassifier has no vocabulary yet: call fit(texts, labels) first, or pass an "
                    "adapted TextVectorizer as vectorizer="
                )
            if self.vectorizer is None:
                self.vectorizer = TextVectorizer(self.vocab_size, self.sequence_length)
            self.vectorizer.adapt(x)
            self._check_vocabulary(self.vectorizer)
        return self.vectorizer([x] if isinstance(x, str) else [str(t) for t in x])

    # ----- forward ----------------------------------------------------------------------
    @property
    def output_activation(self) -> Module:
        return self.softmax

    def logits(self, x: Any) -> Tensor:
        ids = self.prepare_inputs(x)
        shape = tuple(ids.shape) if hasattr(ids, "shape") else np.shape(ids)
        if len(shape) != 2:
            raise ValueError(
                "TextClassifier expects token ids of shape (batch, time) or a list of texts, "
                f"got shape {shape}"
            )
        h = self.embedding(ids)
        for layer in self.recurrent:
            h = layer(h)
        return self.dense(self.dropout(h))

    # ----- Keras-style use on texts -----------------------------------------------------
    def fit(
        self,
        x: Any,
        y: Any = None,
        batch_size: int = 32,
        lr: float = 0.005,
        epochs: int = 1,
        validation_data: Any = None,
        verbose: int = 0,
        optimizer: str | Optimizer = "adam",
        callbacks: Sequence[Callback] = (),
        metrics: Sequence[str | Callable] = (),
        shuffle: bool = True,
        seed: Any = None,
        error_threshold: float | None = None,
        scheduler: LRScheduler | None = None,
        resume_from: str | os.PathLike | None = None,
    ) -> History:
        """Train on texts (or token ids) and labels with Adam by default; returns the History.

        resume_from continues a run saved by ModelCheckpoint(..., save_optimizer=True); pass the
        same texts, so the vocabulary adapted from them is the same one."""
        x = self.prepare_inputs(x, adapt=True)
        if isinstance(validation_data, (tuple, list)) and len(validation_data) == 2:
            validation_data = (self.prepare_inputs(validation_data[0]), validation_data[1])
        return super().fit(
            x, y, batch_size=batch_size, lr=lr, epochs=epochs, validation_data=validation_data,
            verbose=verbose, optimizer=optimizer, callbacks=callbacks, metrics=metrics, shuffle=shuffle,
            seed=seed, error_threshold=error_threshold, scheduler=scheduler, resume_from=resume_from,
        )  # fmt: skip

    def predict(self, x: Any, batch_size: int = 256) -> np.ndarray:
        """Class probabilities (N, num_classes) for texts or token ids."""
        return super().predict(self.prepare_inputs(x), batch_size)

    def evaluate(
        self, x: Any, y: Any = None, metrics: Sequence[str | Callable] | None = None, batch_size: int = 256
    ) -> dict[str, float]:
        """{"loss": ..., "accuracy": ...} on texts (or token ids) and labels; add "macro_f1" via metrics."""
        return super().evaluate(self.prepare_inputs(x), y, metrics, batch_size)

    # ----- files ------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, with the current vectorizer (vocabulary included) as JSON."""
        config = super().get_config()
        config["vectorizer"] = None if self.vectorizer is None else self.vectorizer.get_config()
        return config

    def extra_repr(self) -> str:
        return (
            f"cell={self.cell!r}, units={self.units}, direction={self.direction!r}, "
            f"vocab_size={self.vocab_size}, num_classes={self.num_classes}"
        )
