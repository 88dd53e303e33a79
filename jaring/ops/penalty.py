"""L1 and L2 penalties: a scalar Tensor to add to the loss, l1 * sum|w| + l2 * sum w^2.

The convention has no 1/2 factor: `penalty(ws, l2=c)` is exactly `c * sum(w ** 2)`, whose
gradient is 2 c w, the same as writing that expression in PyTorch. (torch.optim's
`weight_decay=c` instead adds c w to the gradient, i.e. it equals l2 = c / 2.)

Which tensors to penalise is the caller's choice; usually the weights, not the biases:
    loss = loss + penalty([layer.weight for layer in layers], l1=1e-5, l2=1e-4)
"""

from __future__ import annotations

import numbers
from typing import Any
from collections.abc import Iterable

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor


class Penalty(Function):
    """l1 * sum|w| + l2 * sum w^2 over several tensors in one op (one graph node, no temporaries kept)."""

    @staticmethod
    def forward(ctx: Context, *arrays: Any, l1: float, l2: float) -> Any:
        ctx.save_for_backward(*arrays)
        ctx.l1, ctx.l2 = l1, l2
        xp = backend.array_module(*arrays)
        total = xp.zeros((), xp.result_type(*arrays))
        for a in arrays:
            if l1:
                total = total + l1 * xp.abs(a).sum()
            if l2:
                total = total + l2 * xp.vdot(a.ravel(), a.ravel())
        return total

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        l1, l2 = ctx.l1, ctx.l2
        grads = []
        for a, needed in zip(ctx.saved, ctx.needs_input_grad):
            if not needed:
                grads.append(None)
                continue
            if l1:
                out = backend.array_module(a).sign(a)  # d|w|/dw, 0 at w = 0 as in PyTorch
                out *= l1
                if l2:
                    out += (2 * l2) * a
            else:
                out = a * (2 * l2)
            out *= grad.astype(a.dtype, copy=False)
            grads.append(out)
        return tuple(grads)


def _strength(name: str, value: Any) -> float:
    """A penalty strength as a float >= 0, or a clear error naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"penalty: {name} must be a number, got {value!r}")
    value = float(value)
    if not value >= 0.0:  # NaN fails this too
        raise ValueError(f"penalty: {name} must be in [0.0, inf), got {value}")
    return value


def _tensors(params: Any, owner: str) -> list:
    if isinstance(params, Tensor):
        return [params]
    if isinstance(params, (str, bytes, dict)) or not isinstance(params, Iterable):
        raise TypeError(f"{owner} expects a Tensor or a list of Tensors, got {type(params).__name__}")
    out = list(params)
    for i, p in enumerate(out):
        if not isinstance(p, Tensor):
            raise TypeError(f"{owner}: item {i} is a {type(p).__name__}, not a jaring Tensor")
        if p.dtype.kind != "f":
            raise TypeError(f"{owner}: item {i} has dtype {p.dtype}; penalties apply to float tensors")
    if not out:
        raise ValueError(f"{owner}: no tensors given; pass the weights to penalise")
    return out


def penalty(params: Tensor | Iterable[Tensor], l1: float = 0.0, l2: float = 0.0) -> Tensor:
    """l1 * sum|w| + l2 * sum w^2 over `params`, as a scalar Tensor to add to the loss.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w1, w2 = jaring.tensor([1.0, -2.0]), jaring.tensor([[3.0]])
        >>> round(optim.penalty([w1, w2], l1=0.1, l2=0.01).item(), 4)  # 0.1 * 6 + 0.01 * 14
        0.74
    """
    tensors = _tensors(params, "penalty")
    l1 = _strength("l1", l1)
    l2 = _strength("l2", l2)
    if not l1 and not l2:
        xp = backend.array_module(tensors[0].data)
        return Tensor._from_op(xp.zeros((), xp.result_type(*[t.data for t in tensors])), None)
    return Penalty.apply(*tensors, l1=l1, l2=l2)


def l1_penalty(params: Tensor | Iterable[Tensor], strength: float) -> Tensor:
    """strength * sum|w| (lasso): pushes weights to exactly zero.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0, 0.0], requires_grad=True)
        >>> loss = optim.l1_penalty(w, 0.5)
        >>> loss.backward()
        >>> loss.item(), w.grad.tolist()  # the gradient is strength * sign(w)
        (1.5, [0.5, -0.5, 0.0])
    """
    return penalty(params, l1=strength)


def l2_penalty(params: Tensor | Iterable[Tensor], strength: float) -> Tensor:
    """strength * sum w^2 (ridge, no 1/2 factor): shrinks weights towards zero.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> loss = optim.l2_penalty(w, 0.5)
        >>> loss.backward()
        >>> loss.item(), w.grad.tolist()  # the gradient is 2 * strength * w
        (2.5, [1.0, -2.0])
    """
    return penalty(params, l2=strength)
