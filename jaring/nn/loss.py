"""Losses as modules (loss_fn = nn.CrossEntropyLoss(); loss = loss_fn(pred, target)) and
`get_loss` to pick one by name, Keras style ("mse", "cce", ...).

Each module is a thin call into the fused loss ops of jaring.functional; `reduction` is
"mean" (default), "sum" or "none".
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.ops.loss import REDUCTIONS


class _Loss(Module):
    """Holds and checks `reduction` for every loss module."""

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in REDUCTIONS:
            raise ValueError(
                f"{type(self).__name__}: unknown reduction {reduction!r}; choose from {REDUCTIONS}"
            )
        self.reduction = reduction


class MSELoss(_Loss):
    """Mean squared error between predictions and targets of the same shape."""

    def forward(self, pred: Any, target: Any) -> Tensor:
        return F.mse_loss(pred, target, reduction=self.reduction)


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities (after a sigmoid), clipped to [eps, 1 - eps]."""

    def __init__(self, reduction: str = "mean", eps: float = 1e-7) -> None:
        super().__init__(reduction)
        self.eps = eps

    def forward(self, probs: Any, target: Any) -> Tensor:
        return F.binary_cross_entropy(probs, target, reduction=self.reduction, eps=self.eps)


class BCEWithLogitsLoss(_Loss):
    """Sigmoid and binary cross-entropy fused: takes raw scores, stable for any value."""

    def forward(self, logits: Any, target: Any) -> Tensor:
        return F.binary_cross_entropy_with_logits(logits, target, reduction=self.reduction)


class CategoricalCrossEntropy(_Loss):
    """Keras's categorical cross-entropy: probabilities (after a softmax) vs one-hot targets."""

    def __init__(self, reduction: str = "mean", eps: float = 1e-7) -> None:
        super().__init__(reduction)
        self.eps = eps

    def forward(self, probs: Any, target: Any) -> Tensor:
        return F.categorical_cross_entropy(probs, target, reduction=self.reduction, eps=self.eps)


class CrossEntropyLoss(_Loss):
    """PyTorch's cross-entropy: raw scores (logits, no softmax) vs integer labels or one-hot
    targets; log-softmax and the negative log-likelihood in one stable op."""

    def __init__(self, reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(reduction)
        self.label_smoothing = label_smoothing

    def forward(self, logits: Any, target: Any) -> Tensor:
        return F.cross_entropy(logits, target, reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_Loss):
    """Negative log-likelihood of integer labels given log-probabilities (after LogSoftmax)."""

    def forward(self, log_probs: Any, labels: Any) -> Tensor:
        return F.nll_loss(log_probs, labels, reduction=self.reduction)


class LossFunction(Module):
    """Wraps a plain function fn(pred, target) -> scalar Tensor as a loss module."""

    def __init__(self, fn: Callable[[Any, Any], Tensor]) -> None:
        super().__init__()
        if not callable(fn):
            raise TypeError(f"LossFunction needs a callable, got {type(fn).__name__}")
        self.fn = fn

    def forward(self, pred: Any, target: Any) -> Tensor:
        return self.fn(pred, target)

    def extra_repr(self) -> str:
        return getattr(self.fn, "__name__", repr(self.fn))


LOSSES: dict[str, type] = {
    "mse": MSELoss,
    "mean_squared_error": MSELoss,
    "bce": BCELoss,
    "binary_crossentropy": BCELoss,
    "binary_cross_entropy": BCELoss,
    "bce_with_logits": BCEWithLogitsLoss,
    "binary_cross_entropy_with_logits": BCEWithLogitsLoss,
    "cce": CategoricalCrossEntropy,
    "categorical_crossentropy": CategoricalCrossEntropy,
    "categorical_cross_entropy": CategoricalCrossEntropy,
    "cross_entropy": CrossEntropyLoss,
    "nll": NLLLoss,
    "nll_loss": NLLLoss,
}


def get_loss(spec: str | Module | type | Callable, **kwargs: Any) -> Module:
    """A loss module from a name, a loss Module (returned as is), a Module class or a function.

    Names mean what they mean in fit and jaring.functional (see jaring.training.objective).
    On probabilities: "bce"/"binary_crossentropy", "cce"/"categorical_crossentropy" (one-hot
    targets). On raw scores (logits): "cross_entropy" (integer labels), "bce_with_logits".
    "nll" takes log-probabilities; "mse". kwargs go to the class, e.g. get_loss("mse", reduction="sum").
    """
    if isinstance(spec, Module):
        return spec
    if isinstance(spec, type) and issubclass(spec, Module):
        return spec(**kwargs)
    if isinstance(spec, str):
        key = spec.lower().replace("-", "_")
        if key not in LOSSES:
            raise ValueError(f"unknown loss {spec!r}; choose from {sorted(LOSSES)} or pass a function")
        return LOSSES[key](**kwargs)
    if callable(spec):
        return LossFunction(spec)
    raise TypeError(f"a loss is a name, a Module or a function, got {type(spec).__name__}: {spec!r}")
