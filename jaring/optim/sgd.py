"""SGD: (stochastic) gradient descent with optional momentum, Nesterov momentum and L2 weight decay.

With the defaults it is the plain rule p <- p - lr * grad; the formulas follow torch.optim.SGD,
including its momentum buffer, which starts as a copy of the first gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import kernels
from jaring.optim.torch_options import WITH_FUSED
from jaring.optim.optimizer import Optimizer, Params, check_number


class SGD(Optimizer):
    """Gradient descent: p <- p - lr * (grad + weight_decay * p), optionally with momentum.

    momentum: v <- momentum * v + (1 - dampening) * grad, then p <- p - lr * v
    (nesterov: p <- p - lr * (grad + momentum * v)).

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.SGD([w], lr=0.1, momentum=0.9)
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> opt.zero_grad()
        >>> w.numpy().round(4)
        array([ 0.8, -1.6], dtype=float32)
    """

    torch_options = WITH_FUSED

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
        **options: Any,
    ) -> None:
        defaults = dict(
            lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov, weight_decay=weight_decay
        )
        super().__init__(params, defaults, **options)

    def _check(self, group: dict) -> None:
        super()._check(group)
        for name in ("momentum", "dampening", "weight_decay"):
            group[name] = check_number(self._name, name, group[name])
        group["nesterov"] = bool(group["nesterov"])
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                f"{self._name}: nesterov=True needs momentum > 0 and dampening = 0, "
                f"got momentum={group['momentum']}, dampening={group['dampening']}"
            )

    def _update(self, p: Any, g: Any, state: dict, group: dict, xp: Any) -> None:
        g = self._with_weight_decay(p, g, group["weight_decay"], xp)
        momentum = group["momentum"]
        tmp = self._buffer(p, 1)
        if momentum:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = g.astype(p.dtype, copy=True)
            else:
                buf *= momentum
                if group["dampening"]:
                    xp.multiply(g, 1.0 - group["dampening"], out=tmp)
                    buf += tmp
                else:
                    buf += g
            if group["nesterov"]:
                xp.multiply(buf, momentum, out=tmp)
                tmp += g
                g = tmp
            else:
                g = buf
        xp.multiply(g, -group["lr"], out=tmp)
        p += tmp

    def _fused(self, p: np.ndarray, g: np.ndarray, state: dict, group: dict) -> bool:
        fused = kernels.family("optim")
        momentum = group["momentum"]
        first = momentum and "momentum_buffer" not in state
        if first:
            state["momentum_buffer"] = np.empty_like(p)
        arrays = self._flat_arrays(p, g, state, ("momentum_buffer",) if momentum else ())
        if arrays is None:
            if first:
                del state["momentum_buffer"]
            return False
        key = (p.dtype, group["lr"], group["weight_decay"], momentum, group["dampening"])
        lr, weight_decay, momentum, damped, tiny = self._kernel_scalars(
            key, lambda: self._scalars_for(p.dtype, group)
        )
        buf = arrays[2] if momentum else fused.empty_like(p)
        fused.sgd(
            arrays[0],
            arrays[1],
            buf,
            lr,
            weight_decay,
            momentum,
            damped,
            group["nesterov"],
            bool(first),
            tiny,
        )
        return True

    def _scalars_for(self, dtype: np.dtype, group: dict) -> tuple:
        """The kernel's scalars (lr, weight_decay, momentum, 1 - dampening, flush threshold) in `dtype`."""
        cast = dtype.type
        return (
            cast(group["lr"]),
            cast(group["weight_decay"]),
            cast(group["momentum"]),
            cast(1.0 - group["dampening"]),
            kernels.family("optim").smallest_normal(dtype),
        )
