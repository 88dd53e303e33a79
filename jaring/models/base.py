"""ReadyModel: the Keras-style methods every ready model shares (fit, predict, evaluate, save, load, plot).

A subclass sets `self.loss` (a loss name or function) and provides `logits(x)` and
`output_activation`, so that training with "cce"/"bce" uses the fused loss on logits
(see jaring.training.objective) and `model(x)` applies the activation.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from collections.abc import Callable, Sequence

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.optim import Optimizer
from jaring.optim.lr_scheduler import LRScheduler
from jaring.training.callbacks import Callback
from jaring.training.fit import evaluate as _evaluate
from jaring.training.fit import fit as _fit
from jaring.training.fit import predict as _predict
from jaring.training.history import History
from jaring.training.metrics import to_labels


class ReadyModel(Module):
    """Base of FFNN, CNN, ...: forward = output_activation(logits(x)); fit/predict/evaluate/save/load."""

    loss: str | Callable

    @property
    def output_activation(self) -> Module:
        """The last layer's activation (Softmax, Sigmoid, Identity, ...)."""
        raise NotImplementedError(f"{type(self).__name__} must define output_activation")

    def logits(self, x: Any) -> Tensor:
        """The network's output before the last activation (what the fused losses train on)."""
        raise NotImplementedError(f"{type(self).__name__} must define logits(x)")

    def forward(self, x: Any) -> Tensor:
        return self.output_activation(self.logits(x))

    # ----- Keras-style training ---------------------------------------------------------
    def fit(
        self,
        x: Any,
        y: Any = None,
        batch_size: int = 32,
        lr: float = 0.01,
        epochs: int = 1,
        validation_data: Any = None,
        verbose: int = 0,
        optimizer: str | Optimizer = "sgd",
        callbacks: Sequence[Callback] = (),
        metrics: Sequence[str | Callable] = (),
        shuffle: bool = True,
        seed: Any = None,
        error_threshold: float | None = None,
        scheduler: LRScheduler | None = None,
        resume_from: str | os.PathLike | None = None,
    ) -> History:
        """Train with the model's loss (see jaring.training.fit); returns the History.

        resume_from: a file written by ModelCheckpoint(..., save_optimizer=True), to continue
        that run exactly (see jaring.training.resume).
        """
        return _fit(
            self, x, y, loss=self.loss, optimizer=optimizer, lr=lr, batch_size=batch_size, epochs=epochs,
            validation_data=validation_data, verbose=verbose, callbacks=callbacks, metrics=metrics,
            shuffle=shuffle, seed=seed, error_threshold=error_threshold, scheduler=scheduler,
            resume_from=resume_from,
        )  # fmt: skip

    def predict(self, x: Any, batch_size: int = 256) -> np.ndarray:
        """Outputs after the last activation (class probabilities for softmax), as NumPy."""
        return _predict(self, x, batch_size)

    def predict_classes(self, x: Any, batch_size: int = 256) -> np.ndarray:
        """The most likely class of each sample (a 0/1 threshold at 0.5 for one sigmoid output)."""
        return to_labels(self.predict(x, batch_size))

    def evaluate(
        self, x: Any, y: Any = None, metrics: Sequence[str | Callable] | None = None, batch_size: int = 256
    ) -> dict[str, float]:
        """{"loss": ..., "accuracy": ...} on (x, y) with the model's loss, without training.

        metrics=None means accuracy for a classification loss and none for "mse".
        """
        if metrics is None:
            metrics = (
                () if self.loss in ("mse", "mean_squared_error") or callable(self.loss) else ("accuracy",)
            )
        return _evaluate(self, x, y, loss=self.loss, metrics=metrics, batch_size=batch_size)

    # ----- files ------------------------------------------------------------------------
    def save(self, path: str | os.PathLike, extra_config: dict | None = None) -> Path:
        """Write architecture and weights to one .jaring file (see jaring.io.save); returns its path."""
        from jaring.io import save

        return save(self, path, extra_config)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "ReadyModel":
        """Read a model written by `save` (a path without a suffix means path + ".jaring", as in
        `save`); the file must hold this class of model."""
        from jaring.io import load

        model = load(path)
        if not isinstance(model, cls):
            raise TypeError(f"{path} holds a {type(model).__name__}, not an {cls.__name__}")
        return model

    # ----- pictures (thin calls into jaring.viz, which takes any Module) --------------------
    def plot_network(self, path: str | os.PathLike | None = None, **kwargs: Any) -> Any:
        """Draw the network's neurons, weights and biases (see jaring.viz.plot_network)."""
        from jaring.viz import plot_network  # matplotlib loads on the first picture only

        return plot_network(self, path, **kwargs)

    def plot_weights(self, layers: Any = None, path: Any = None, **kwargs: Any) -> Any:
        """One histogram per chosen layer of its weights (layers=[0, 2]: indices of layers with weights)."""
        from jaring.viz import plot_weights

        return plot_weights(self, layers, path, **kwargs)

    def plot_gradients(self, layers: Any = None, path: Any = None, **kwargs: Any) -> Any:
        """One histogram per chosen layer of its weight gradients from the last backward pass."""
        from jaring.viz import plot_gradients

        return plot_gradients(self, layers, path, **kwargs)
