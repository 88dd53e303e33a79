"""Losses that are negative log-likelihoods or divergences, with torch.nn.functional's formulas
and defaults: kl_div, poisson_nll_loss and gaussian_nll_loss.

kl_div is one Function (t log t needs torch's xlogy: 0 at t = 0); the other two are written
with the ops. Input and target broadcast, as in torch. `reduction` is "mean" (default), "sum"
or "none"; kl_div also takes "batchmean", the true KL divergence per sample.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops import arith, reduce, select
from jaring.ops.common import as_tensor, floating
from jaring.ops.loss_arguments import broadcast_shapes, check_number, float_like, reduced
from jaring.ops.loss_checks import check_reduction
from jaring.ops.shape import unsqueeze

_MEAN_WARNING = (
    "reduction: 'mean' divides the total loss by both the batch size and the support size."
    "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
    "'mean' will be changed to behave the same as 'batchmean' in the next major release."
)


class KLDivFunction(Function):
    """t (log t - x) per element (0 where t = 0), or exp(t) (t - x) when the target is a log."""

    @staticmethod
    def forward(ctx: Context, x: Any, t: Any, log_target: bool) -> Any:
        xp = backend.array_module(x, t)
        ctx.save_for_backward(x, t)
        ctx.log_target = log_target
        if log_target:
            return xp.exp(t) * (t - x)
        with np.errstate(divide="ignore", invalid="ignore"):  # a negative target gives nan, as torch
            return xp.where(t == 0, 0, t * xp.log(t)) - t * x

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        x, t = ctx.saved
        xp = backend.array_module(x, t)
        need_x, need_t = ctx.needs_input_grad
        grad_x = grad_t = None
        if ctx.log_target:
            p = xp.exp(t)
            grad_x = -p * grad if need_x else None
            grad_t = p * (t - x + 1) * grad if need_t else None
            return grad_x, grad_t
        grad_x = -t * grad if need_x else None
        if need_t:
            with np.errstate(divide="ignore", invalid="ignore"):  # nan at t <= 0, as torch's xlogy
                grad_t = xp.where(t > 0, xp.log(t) + 1 - x, xp.nan) * grad
        return grad_x, grad_t


def kl_div(input: Any, target: Any, *, reduction: str = "mean", log_target: bool = False) -> Tensor:
    """The Kullback-Leibler divergence of `input` (log-probabilities) from `target`
    (probabilities, or log-probabilities with log_target=True): target (log target - input)
    per element, as torch's kl_div.

    reduction="batchmean" (the sum over a batch divided by its size) is the KL divergence per
    sample; "mean" divides by every element and warns, as torch does.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> log_q = F.log_softmax(jaring.tensor([[1.0, 2.0, 3.0]]), axis=1)
        >>> p = jaring.tensor([[0.2, 0.3, 0.5]])
        >>> round(F.kl_div(log_q, p, reduction="batchmean").item(), 4)
        0.078
    """
    op = "kl_div"
    if reduction != "batchmean":
        check_reduction(op, reduction)
    if reduction == "mean":
        warnings.warn(_MEAN_WARNING, UserWarning, stacklevel=2)
    x = floating(input)
    t = float_like(target, x)
    broadcast_shapes(op, input=x, target=t)
    per = KLDivFunction.apply(x, t, log_target=bool(log_target))
    if reduction != "batchmean":
        return reduced(per, reduction)
    total = reduce.sum(per)
    return total / x.shape[0] if x.ndim else total


def poisson_nll_loss(
    input: Any,
    target: Any,
    log_input: bool = True,
    full: bool = False,
    *,
    eps: float = 1e-8,
    reduction: str = "mean",
) -> Tensor:
    """The Poisson negative log-likelihood of counts `target` given the rate `input`:
    exp(input) - target input (log_input=True, the input is a log-rate), else
    input - target log(input + eps) (torch's poisson_nll_loss).

    full=True adds the Stirling term t log t - t + log(2 pi t) / 2 where target > 1 (log t!
    otherwise 0); its target gradient is 0 where target <= 1 (torch's is nan at 0).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> log_rate, counts = jaring.tensor([0.0, 1.0]), jaring.tensor([1.0, 3.0])
        >>> F.poisson_nll_loss(log_rate, counts, reduction="none")
        tensor([ 1.    , -0.2817])
    """
    op = "poisson_nll_loss"
    check_reduction(op, reduction)
    eps = check_number(op, "eps", eps)
    x = floating(input)
    t = float_like(target, x)
    broadcast_shapes(op, input=x, target=t)
    per = arith.exp(x) - t * x if log_input else x - t * arith.log(x + eps)
    if full:
        counted = t > 1
        safe = select.where(counted, t, 2.0)  # no log(0) where the term is dropped
        stirling = safe * arith.log(safe) - safe + 0.5 * arith.log(2 * math.pi * safe)
        per = per + select.where(counted, stirling, 0.0)
    return reduced(per, reduction)


def _variance(op: str, var: Any, x: Tensor) -> Tensor:
    """var checked (>= 0) and shaped to broadcast with the input by torch's rules."""
    if isinstance(var, (int, float, np.floating, np.integer)) and not isinstance(var, bool):
        if var < 0:
            raise ValueError(f"{op}: var has negative entry/entries, got {var}")
        xp = backend.array_module(x.data)
        return Tensor._from_op(xp.full(x.shape, var, dtype=x.dtype), None)
    v = float_like(var, x)
    if v.size and bool((v.data < 0).any()):
        raise ValueError(f"{op}: var has negative entry/entries")
    if v.shape == x.shape:
        return v
    if v.shape == x.shape[:-1]:  # one variance per sample: broadcast over the last axis
        return unsqueeze(v, -1)
    if v.ndim == x.ndim and sum(b for a, b in zip(x.shape, v.shape) if a != b) == 1:
        return v  # size 1 on the one axis where it differs from the input: broadcasts
    raise ValueError(
        f"{op}: var is of incorrect size: got {v.shape} for input {x.shape}; give the input's shape, "
        "its shape without the last axis, or its shape with one axis of size 1"
    )


def gaussian_nll_loss(
    input: Any, target: Any, var: Any, full: bool = False, eps: float = 1e-6, reduction: str = "mean"
) -> Tensor:
    """The Gaussian negative log-likelihood of `target` given the mean `input` and variance
    `var`: (log var + (input - target)^2 / var) / 2, plus log(2 pi) / 2 when full=True (torch's
    gaussian_nll_loss).

    var has the input's shape, or that shape without its last axis or with one axis of size 1
    (one variance shared along it), or is a number >= 0. It is held at eps or more for the
    value, while its gradient passes unclamped, as torch's in-place clamp under no_grad.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> mean, target = jaring.tensor([0.0, 1.0]), jaring.tensor([1.0, 1.0])
        >>> var = jaring.tensor([1.0, 0.5])
        >>> F.gaussian_nll_loss(mean, target, var, reduction="none")
        tensor([ 0.5   , -0.3466])
    """
    op = "gaussian_nll_loss"
    check_reduction(op, reduction)
    eps = check_number(op, "eps", eps)
    x = floating(input)
    t = float_like(target, x)
    v = _variance(op, var, x)
    broadcast_shapes(op, input=x, target=t, var=v)
    xp = backend.array_module(v.data)
    lifted = xp.maximum(v.data, eps).astype(v.dtype, copy=False) - v.data  # 0 where var >= eps
    v = v + as_tensor(lifted) if bool((lifted != 0).any()) else v
    diff = x - t
    per = 0.5 * (arith.log(v) + diff * diff / v)
    if full:
        per = per + 0.5 * math.log(2 * math.pi)
    return reduced(per, reduction)
