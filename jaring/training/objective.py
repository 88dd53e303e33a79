"""What fit() minimises: a loss by name or function, fused with the model's final softmax/sigmoid.

Loss names: "cce" (categorical cross-entropy; also "categorical_crossentropy", "cross_entropy",
"sparse_categorical_crossentropy"), "bce" ("binary_crossentropy"), "mse" ("mean_squared_error")
and "nll". For "cce" and "bce" the model's raw outputs are taken as logits, except when the
model ends in a Softmax (for "cce") or Sigmoid (for "bce"): a Sequential whose last layer is
that activation (or a Dense with it), or a model with `logits(x)` and `output_activation`
(such as FFNN). Then training skips that last activation and uses the fused, numerically
stable loss on logits (cross_entropy / binary_cross_entropy_with_logits), which gives the same
loss as the activation followed by the textbook formula, without log(0). A loss given as a
function or Module receives the model's full outputs (after its last activation) unchanged.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import numpy as np

from jaring import backend
from jaring import functional as F
from jaring.autograd.function import no_grad
from jaring.autograd.tensor import Tensor
from jaring.nn.activation import Sigmoid, Softmax
from jaring.nn.linear import Dense
from jaring.nn.module import Module, Sequential
from jaring.training.metrics import to_labels

LOSS_NAMES: dict[str, str] = {
    "cce": "cce",
    "categorical_crossentropy": "cce",
    "categorical_cross_entropy": "cce",
    "cross_entropy": "cce",
    "sparse_categorical_crossentropy": "cce",
    "bce": "bce",
    "binary_crossentropy": "bce",
    "binary_cross_entropy": "bce",
    "mse": "mse",
    "mean_squared_error": "mse",
    "nll": "nll",
}


def check_loss_name(loss: Any) -> str:
    """The canonical short name ("cce", "bce", "mse", "nll") of a loss name, or a clear error."""
    key = loss.lower().replace("-", "_") if isinstance(loss, str) else None
    if key not in LOSS_NAMES:
        raise ValueError(f"unknown loss {loss!r}; choose from {sorted(LOSS_NAMES)}, a function or a Module")
    return LOSS_NAMES[key]


def _run(modules: list, x: Any) -> Any:
    for module in modules:
        x = module(x)
    return x


def _dense_logits(body: list, dense: Dense) -> Callable[[Any], Tensor]:
    def forward(x: Any) -> Tensor:
        x = _run(body, x)
        if dense.weight is None:  # a lazy Dense learns its input size on its first call
            with no_grad():
                dense(x)
        return F.linear(x, dense.weight, dense.bias)

    return forward


def split_output_activation(model: Any) -> tuple[Callable[[Any], Tensor], Module | None]:
    """(forward that stops before the final activation, that activation), or (model, None)."""
    if callable(getattr(model, "logits", None)) and isinstance(
        getattr(model, "output_activation", None), Module
    ):
        return model.logits, model.output_activation
    if isinstance(model, Sequential) and len(model):
        layers = list(model)
        last, body = layers[-1], layers[:-1]
        if isinstance(last, (Softmax, Sigmoid)):
            return (lambda x: _run(body, x)), last
        if isinstance(last, Dense) and isinstance(last.activation, (Softmax, Sigmoid)):
            return _dense_logits(body, last), last.activation
    return model, None


class Objective:
    """forward(x) -> outputs and loss(outputs, y) -> scalar Tensor, plus target preparation."""

    def __init__(self, model: Any, loss: Any) -> None:
        self.model = model
        self.kind: str | None = None
        self.logits = False
        self.forward: Callable[[Any], Any] = model
        if isinstance(loss, str):
            self.kind = check_loss_name(loss)
            self._loss = {
                "cce": F.cross_entropy,
                "bce": F.binary_cross_entropy_with_logits,
                "mse": F.mse_loss,
                "nll": F.nll_loss,
            }[self.kind]
            if self.kind in ("cce", "bce"):
                forward, activation = split_output_activation(model)
                wanted = Softmax if self.kind == "cce" else Sigmoid
                if isinstance(activation, wanted):
                    self.forward = forward
                self.logits = True
        elif callable(loss):
            self._loss = loss
        else:
            raise TypeError(
                f"loss must be a name, a function(outputs, targets) or a Module, got {type(loss).__name__}"
            )

    def loss(self, outputs: Any, targets: Any) -> Tensor:
        return self._loss(outputs, targets)

    def prepare_targets(self, y: Any, n_outputs: int | None, dtype: Any) -> Any:
        """Targets as the loss expects them: int64 class labels, or floats shaped like the outputs."""
        if self.kind in ("cce", "nll") and y.ndim == 1:
            if y.dtype.kind == "f":
                if not np.all(y == np.round(y)):
                    raise ValueError(f"{self.kind} needs integer class labels, got non-integer values in y")
                if y.size and np.abs(y).max() >= 2**53:  # past this, int64 would wrap or round
                    raise ValueError(f"{self.kind} needs class labels, got {float(np.abs(y).max()):g} in y")
            return y.astype(np.int64, copy=False)
        if self.kind in ("cce", "nll"):
            return y.astype(dtype, copy=False)
        if self.kind in ("bce", "mse"):
            if y.ndim == 1 and n_outputs == 1:
                y = y.reshape(-1, 1)  # (N,) targets for a (N, 1) output: a common mix-up, fixed here
            with np.errstate(over="ignore"):  # values beyond the dtype's range are reported by fit
                return y.astype(dtype, copy=False)
        return y

    def predicted_labels(self, outputs: Any) -> np.ndarray:
        """Class labels from a batch of outputs (argmax, or a threshold for one output column)."""
        if self.logits and outputs.ndim == 2 and outputs.shape[1] == 1:
            return (backend.to_numpy(outputs)[:, 0] > 0).astype(np.int64)
        return to_labels(outputs)
