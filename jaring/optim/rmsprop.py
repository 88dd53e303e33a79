"""RMSprop: divide the gradient by a running root-mean-square of recent gradients (torch's formulas).

centered=True subtracts the squared running mean of the gradient (an estimate of its
variance); momentum > 0 keeps a velocity of the scaled steps.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import kernels
from jaring.optim.torch_options import ALL
from jaring.optim.optimizer import Optimizer, Params, check_number


class RMSprop(Optimizer):
    """s <- alpha s + (1 - alpha) g^2,  p <- p - lr * g / (sqrt(s) + eps).

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.RMSprop([w], lr=0.1)
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> opt.zero_grad()
        >>> w.numpy().round(4)
        array([ 0., -1.], dtype=float32)
    """

    torch_options = ALL

    def __init__(
        self,
        params: Params,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        **options: Any,
    ) -> None:
        defaults = dict(
            lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum, centered=centered
        )
        super().__init__(params, defaults, **options)

    def _check(self, group: dict) -> None:
        super()._check(group)
        group["alpha"] = check_number(self._name, "alpha", group["alpha"])
        if group["alpha"] > 1.0:
            raise ValueError(f"{self._name}: alpha must be in [0, 1], got {group['alpha']}")
        for name in ("eps", "weight_decay", "momentum"):
            group[name] = check_number(self._name, name, group[name])
        group["centered"] = bool(group["centered"])

    def _initialise(self, p: Any, state: dict, group: dict, xp: Any) -> None:
        if not state:
            state["step"] = 0
            state["square_avg"] = xp.zeros_like(p)
            if group["momentum"] > 0:
                state["momentum_buffer"] = xp.zeros_like(p)
            if group["centered"]:
                state["grad_avg"] = xp.zeros_like(p)

    def _update(self, p: Any, g: Any, state: dict, group: dict, xp: Any) -> None:
        self._initialise(p, state, group, xp)
        state["step"] += 1
        alpha, lr = group["alpha"], group["lr"]
        g = self._with_weight_decay(p, g, group["weight_decay"], xp)
        square_avg = state["square_avg"]
        tmp = self._buffer(p, 1)
        xp.multiply(g, 1.0 - alpha, out=tmp)
        tmp *= g
        square_avg *= alpha
        square_avg += tmp
        if group["centered"]:
            grad_avg = state["grad_avg"]
            xp.subtract(g, grad_avg, out=tmp)
            tmp *= 1.0 - alpha
            grad_avg += tmp
            xp.multiply(grad_avg, grad_avg, out=tmp)
            xp.subtract(square_avg, tmp, out=tmp)
            xp.sqrt(tmp, out=tmp)
        else:
            xp.sqrt(square_avg, out=tmp)
        tmp += group["eps"]
        xp.divide(g, tmp, out=tmp)
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]
            buf *= group["momentum"]
            buf += tmp
            xp.multiply(buf, -lr, out=tmp)
        else:
            tmp *= -lr
        p += tmp

    def _fused(self, p: np.ndarray, g: np.ndarray, state: dict, group: dict) -> bool:
        fused = kernels.family("optim")
        self._initialise(p, state, group, np)
        names = ("square_avg", *(n for n in ("grad_avg", "momentum_buffer") if n in state))
        arrays = self._flat_arrays(p, g, state, names)
        if arrays is None:
            return False
        given = dict(zip(names, arrays[2:]))
        none = fused.empty_like(p)
        state["step"] += 1
        key = (p.dtype, group["lr"], group["alpha"], group["eps"], group["weight_decay"], group["momentum"])
        lr, alpha, eps, weight_decay, momentum, tiny = self._kernel_scalars(
            key, lambda: self._scalars_for(p.dtype, group)
        )
        fused.rmsprop(
            arrays[0],
            arrays[1],
            given["square_avg"],
            given.get("grad_avg", none),
            given.get("momentum_buffer", none),
            lr,
            alpha,
            eps,
            weight_decay,
            momentum,
            tiny,
        )
        return True

    def _scalars_for(self, dtype: np.dtype, group: dict) -> tuple:
        """The kernel's scalars in `dtype`: lr, (alpha, 1 - alpha), eps, weight_decay, momentum, and
        the flush threshold."""
        cast, alpha = dtype.type, group["alpha"]
        return (
            cast(group["lr"]),
            (cast(alpha), cast(1.0 - alpha)),
            cast(group["eps"]),
            cast(group["weight_decay"]),
            cast(group["momentum"]),
            kernels.family("optim").smallest_normal(dtype),
        )
