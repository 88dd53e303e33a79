"""Losses as modules (loss_fn = nn.CrossEntropyLoss(); loss = loss_fn(pred, target)) and
`get_loss` to pick one by name, Keras style ("mse", "cce", ...).

Each module is a thin call into the fused loss ops of jaring.functional; `reduction` is
"mean" (default), "sum" or "none".
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import numpy as np

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.ops.loss_checks import REDUCTIONS


class _Loss(Module):
    """Holds and checks `reduction` for every loss module; class or element weights are buffers."""

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in REDUCTIONS:
            raise ValueError(
                f"{type(self).__name__}: unknown reduction {reduction!r}; choose from {REDUCTIONS}"
            )
        self.reduction = reduction

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, weight arrays as nested lists so that JSON can hold them."""
        config = super().get_config()
        for name in ("weight", "pos_weight"):
            value = config.get(name)
            if value is not None:
                config[name] = (value.numpy() if isinstance(value, Tensor) else np.asarray(value)).tolist()
        return config

    def _weights(self, **weights: Any) -> None:
        for name, value in weights.items():
            self.register_buffer(name, None if value is None else Tensor(value))


class MSELoss(_Loss):
    """Mean squared error between predictions and targets of the same shape.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.MSELoss()(jaring.tensor([1.0, 2.0]), jaring.tensor([1.0, 4.0])).item()
        2.0
    """

    def forward(self, pred: Any, target: Any) -> Tensor:
        return F.mse_loss(pred, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error between predictions and targets of the same shape ("mae").

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.L1Loss()(jaring.tensor([1.0, 2.0]), jaring.tensor([1.0, 4.0])).item()
        1.0
    """

    def forward(self, pred: Any, target: Any) -> Tensor:
        return F.l1_loss(pred, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Squared error below `beta`, absolute error above it (torch.nn.SmoothL1Loss)."""

    def __init__(self, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(reduction)
        self.beta = beta

    def forward(self, pred: Any, target: Any) -> Tensor:
        return F.smooth_l1_loss(pred, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """Squared error below `delta`, delta times the absolute error above it ("huber", as Keras's
    Huber and torch.nn.HuberLoss).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.HuberLoss(delta=2.0)(jaring.tensor([0.5, 3.0]), jaring.zeros(2)).item()
        2.0625
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        self.delta = delta

    def forward(self, pred: Any, target: Any) -> Tensor:
        return F.huber_loss(pred, target, reduction=self.reduction, delta=self.delta)


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities (after a sigmoid), clipped to [eps, 1 - eps];
    weight rescales each element's loss (broadcast), as in torch.nn.BCELoss.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> round(nn.BCELoss()(jaring.tensor([0.9, 0.2]), jaring.tensor([1.0, 0.0])).item(), 4)
        0.1643
    """

    def __init__(self, reduction: str = "mean", eps: float = 1e-7, *, weight: Any = None) -> None:
        super().__init__(reduction)
        self.eps = eps
        self._weights(weight=weight)

    def forward(self, probs: Any, target: Any) -> Tensor:
        return F.binary_cross_entropy(
            probs, target, reduction=self.reduction, eps=self.eps, weight=self.weight
        )


class BCEWithLogitsLoss(_Loss):
    """Sigmoid and binary cross-entropy fused: takes raw scores, stable for any value.

    weight rescales each element's loss; pos_weight (e.g. one per class, broadcast along the
    last axis) weighs the positive targets, as in torch.nn.BCEWithLogitsLoss.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> round(nn.BCEWithLogitsLoss()(jaring.tensor([2.0, -1.0]), jaring.tensor([1.0, 0.0])).item(), 4)
        0.2201
    """

    def __init__(self, reduction: str = "mean", *, weight: Any = None, pos_weight: Any = None) -> None:
        super().__init__(reduction)
        self._weights(weight=weight, pos_weight=pos_weight)

    def forward(self, logits: Any, target: Any) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            logits, target, reduction=self.reduction, weight=self.weight, pos_weight=self.pos_weight
        )


class CategoricalCrossEntropy(_Loss):
    """Keras's categorical cross-entropy: probabilities (after a softmax) vs one-hot targets.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> probs, one_hot = jaring.tensor([[0.7, 0.2, 0.1]]), jaring.tensor([[1.0, 0.0, 0.0]])
        >>> round(nn.CategoricalCrossEntropy()(probs, one_hot).item(), 4)  # -log 0.7
        0.3567
    """

    def __init__(self, reduction: str = "mean", eps: float = 1e-7) -> None:
        super().__init__(reduction)
        self.eps = eps

    def forward(self, probs: Any, target: Any) -> Tensor:
        return F.categorical_cross_entropy(probs, target, reduction=self.reduction, eps=self.eps)


class CrossEntropyLoss(_Loss):
    """PyTorch's cross-entropy: raw scores (logits, no softmax) vs integer labels or one-hot
    targets; log-softmax and the negative log-likelihood in one stable op.

    weight (one per class), ignore_index (default -100) and label_smoothing as in
    torch.nn.CrossEntropyLoss; reduction stays the first positional argument (jaring's order),
    so pass the others by name.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> logits = jaring.tensor([[2.0, 0.0, 0.0], [0.0, 3.0, 0.0]], requires_grad=True)
        >>> loss = nn.CrossEntropyLoss()(logits, jaring.tensor([0, 1]))
        >>> round(loss.item(), 4)
        0.1672
        >>> loss.backward()
        >>> logits.grad.shape
        (2, 3)
    """

    def __init__(
        self,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
        *,
        weight: Any = None,
        ignore_index: int = -100,
    ) -> None:
        super().__init__(reduction)
        self.label_smoothing, self.ignore_index = label_smoothing, ignore_index
        self._weights(weight=weight)

    def forward(self, logits: Any, target: Any) -> Tensor:
        return F.cross_entropy(
            logits,
            target,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
            weight=self.weight,
            ignore_index=self.ignore_index,
        )


class NLLLoss(_Loss):
    """Negative log-likelihood of integer labels given log-probabilities (after LogSoftmax);
    weight and ignore_index as in torch.nn.NLLLoss.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> log_probs = jaring.tensor([[-0.1, -2.5], [-3.0, -0.05]])
        >>> round(nn.NLLLoss()(log_probs, jaring.tensor([0, 1])).item(), 3)
        0.075
    """

    def __init__(self, reduction: str = "mean", *, weight: Any = None, ignore_index: int = -100) -> None:
        super().__init__(reduction)
        self.ignore_index = ignore_index
        self._weights(weight=weight)

    def forward(self, log_probs: Any, labels: Any) -> Tensor:
        return F.nll_loss(
            log_probs, labels, reduction=self.reduction, weight=self.weight, ignore_index=self.ignore_index
        )


class LossFunction(Module):
    """Wraps a plain function fn(pred, target) -> scalar Tensor as a loss module.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> from jaring import nn
        >>> def mae(pred, target):
        ...     return F.mean(F.abs(pred - target))
        >>> loss_fn = nn.LossFunction(mae)
        >>> loss_fn, loss_fn(jaring.tensor([1.0, 2.0]), jaring.tensor([2.0, 4.0])).item()
        (LossFunction(mae), 1.5)
    """

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
    "mae": L1Loss,
    "mean_absolute_error": L1Loss,
    "l1": L1Loss,
    "huber": HuberLoss,
    "smooth_l1": SmoothL1Loss,
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

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.get_loss("mse"), nn.get_loss("categorical_crossentropy"), nn.get_loss("cross_entropy")
        (MSELoss(), CategoricalCrossEntropy(), CrossEntropyLoss())
        >>> nn.get_loss("mse", reduction="sum")(jaring.tensor([1.0, 2.0]), jaring.zeros(2)).item()
        5.0
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
