"""What fit() minimises: a loss by name or function, fused with the model's final softmax/sigmoid.

A loss name means the same in fit, jaring.nn (get_loss) and jaring.functional:
- on probabilities: "cce" ("categorical_crossentropy", "sparse_categorical_crossentropy",
  "categorical_cross_entropy"; integer labels or one-hot targets) and "bce"
  ("binary_crossentropy", "binary_cross_entropy"), as F.categorical_cross_entropy and
  F.binary_cross_entropy;
- on logits: "cross_entropy" (F.cross_entropy) and "bce_with_logits"
  ("binary_cross_entropy_with_logits");
- "nll" (log-probabilities) and "mse" ("mean_squared_error"); for regression with outliers
  "mae" ("mean_absolute_error", "l1"), "huber" and "smooth_l1" (torch's defaults, delta = beta = 1).
When a model ends in the activation a probability loss needs (a Sequential whose last layer is
Softmax/Sigmoid or a Dense with it, or a model with `logits(x)` and `output_activation`, such
as FFNN), fit trains on its logits with the fused, numerically stable loss: the same value as
the activation followed by the textbook formula, without log(0). A logits loss on a model that
ends in Softmax/Sigmoid is refused (its outputs are probabilities). A loss given as a function
or Module receives the model's full outputs unchanged. No loss (None, fit's default) means
"cce" for a model that ends in Softmax and "cross_entropy" for any other.
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
from jaring.nn.container import Sequential
from jaring.nn.module import Module
from jaring.training.metrics import to_labels

LOSS_NAMES: dict[str, str] = {
    # on probabilities (after a softmax / sigmoid)
    "cce": "cce",
    "categorical_crossentropy": "cce",
    "categorical_cross_entropy": "cce",
    "sparse_categorical_crossentropy": "cce",
    "bce": "bce",
    "binary_crossentropy": "bce",
    "binary_cross_entropy": "bce",
    # on logits (raw scores)
    "cross_entropy": "cross_entropy",
    "bce_with_logits": "bce_with_logits",
    "binary_cross_entropy_with_logits": "bce_with_logits",
    # others
    "mse": "mse",
    "mean_squared_error": "mse",
    "mae": "mae",
    "mean_absolute_error": "mae",
    "l1": "mae",
    "huber": "huber",
    "smooth_l1": "smooth_l1",
    "nll": "nll",
    "nll_loss": "nll",
}
CLASS_LABEL_LOSSES = ("cce", "cross_entropy", "nll")  # these take integer class labels
BINARY_LOSSES = ("bce", "bce_with_logits")
_FUSED = {"cce": (Softmax, F.cross_entropy), "bce": (Sigmoid, F.binary_cross_entropy_with_logits)}
_ON_LOGITS = {"cross_entropy": F.cross_entropy, "bce_with_logits": F.binary_cross_entropy_with_logits}
_REGRESSION = {"mse": F.mse_loss, "mae": F.l1_loss, "huber": F.huber_loss, "smooth_l1": F.smooth_l1_loss}


def check_loss_name(loss: Any) -> str:
    """The canonical name ("cce", "bce", "cross_entropy", "bce_with_logits", "mse", "mae", "huber",
    "smooth_l1", "nll"), or an error."""
    key = loss.lower().replace("-", "_") if isinstance(loss, str) else None
    if key not in LOSS_NAMES:
        raise ValueError(f"unknown loss {loss!r}; choose from {sorted(LOSS_NAMES)}, a function or a Module")
    return LOSS_NAMES[key]


def _categorical(probs: Any, target: Any) -> Tensor:
    """F.categorical_cross_entropy, also for integer labels (one-hot encoded here)."""
    labels = target.data if isinstance(target, Tensor) else np.asarray(target)
    if labels.dtype.kind in "iu" and labels.shape == tuple(probs.shape[:-1]):
        xp = backend.array_module(probs.data)
        target = Tensor._from_op(xp.eye(probs.shape[-1], dtype=probs.dtype)[xp.asarray(labels)], None)
    return F.categorical_cross_entropy(probs, target)


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
    """forward(x) -> outputs and loss(outputs, y) -> scalar Tensor, plus target preparation.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> from jaring.training import Objective
        >>> objective = Objective(nn.Sequential(nn.Linear(4, 3, seed=0), nn.Softmax()), "cce")
        >>> objective.logits  # fused: forward stops before the Softmax, the loss takes the logits
        True
        >>> loss = objective.loss(objective.forward(jaring.ones(2, 4)), jaring.tensor([0, 2]))
        >>> round(float(loss), 4)
        1.4659
    """

    def __init__(self, model: Any, loss: Any) -> None:
        self.model = model
        self.kind: str | None = None
        self.logits = False
        self.forward: Callable[[Any], Any] = model
        if loss is None:  # cross-entropy, whichever the model's outputs need
            loss = "cce" if isinstance(split_output_activation(model)[1], Softmax) else "cross_entropy"
        if isinstance(loss, str):
            self.kind = check_loss_name(loss)
            self._loss = {**_REGRESSION, "nll": F.nll_loss, **_ON_LOGITS}.get(self.kind)
            forward, activation = split_output_activation(model)
            if self.kind in _FUSED:
                wanted, fused = _FUSED[self.kind]
                if isinstance(activation, wanted):
                    self.forward, self._loss, self.logits = forward, fused, True
                else:  # the outputs are taken as probabilities, as the name says
                    self._loss = _categorical if self.kind == "cce" else F.binary_cross_entropy
            elif self.kind in _ON_LOGITS:
                if isinstance(activation, (Softmax, Sigmoid)):
                    raise ValueError(
                        f"loss {loss!r} takes logits, but the model ends in {type(activation).__name__}, so "
                        "its outputs are probabilities: use 'cce' (softmax) or 'bce' (sigmoid), which fit "
                        "fuses with that activation, or remove the activation"
                    )
                self.logits = True
        elif callable(loss):
            self._loss = loss
        else:
            raise TypeError(
                f"loss must be a name, a function(outputs, targets) or a Module, got {type(loss).__name__}"
            )

    def loss(self, outputs: Any, targets: Any) -> Tensor:
        return self._loss(outputs, targets)

    def prepare_targets(self, y: Any, dtype: Any) -> Any:
        """Targets as the loss expects them: int64 class labels, or floats in the model's dtype."""
        if self.kind in CLASS_LABEL_LOSSES and y.ndim == 1:
            if y.dtype.kind == "f":
                if not np.all(y == np.round(y)):
                    raise ValueError(f"{self.kind} needs integer class labels, got non-integer values in y")
                if y.size and np.abs(y).max() >= 2**53:  # past this, int64 would wrap or round
                    raise ValueError(f"{self.kind} needs class labels, got {float(np.abs(y).max()):g} in y")
            return y.astype(np.int64, copy=False)
        if self.kind is not None:
            with np.errstate(over="ignore"):  # values beyond the dtype's range are reported by fit
                return y.astype(dtype, copy=False)
        return y

    def fit_targets(self, y: Any, out_shape: tuple) -> Any:
        """(N,) targets for an (N, 1) output as (N, 1) for "bce" and "mse": a common mix-up, fixed here."""
        one_column = len(out_shape) == 2 and out_shape[1] == 1
        if self.kind in ("bce", "bce_with_logits", *_REGRESSION) and y.ndim == 1 and one_column:
            return y.reshape(-1, 1)
        return y

    def predicted_labels(self, outputs: Any) -> np.ndarray:
        """Class labels from a batch of outputs (argmax, or a threshold for one output column)."""
        if self.logits and outputs.ndim == 2 and outputs.shape[1] == 1:
            return (backend.to_numpy(outputs)[:, 0] > 0).astype(np.int64)
        return to_labels(outputs)
