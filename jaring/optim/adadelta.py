"""Adadelta: step sizes from running averages of squared gradients and squared updates (torch's formulas).

Its learning rate defaults to 1.0: the ratio of the two running averages already sets the step's
scale, and lr only rescales it, as in Zeiler's paper and torch.optim.Adadelta.
"""

from __future__ import annotations

from typing import Any

from jaring.optim.torch_options import ALL
from jaring.optim.optimizer import Optimizer, Params
from jaring.optim.torch_checks import check_torch_number, import_known_state


class Adadelta(Optimizer):
    """s <- rho s + (1 - rho) g^2,  d <- sqrt(a + eps) / sqrt(s + eps) * g,
    a <- rho a + (1 - rho) d^2,  p <- p - lr * d.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.Adadelta([w])
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> opt.zero_grad()
        >>> w.numpy().round(4)
        array([ 0.9968, -1.9968], dtype=float32)
    """

    torch_options = ALL

    def __init__(
        self,
        params: Params,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        **options: Any,
    ) -> None:
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay), **options)

    def _check(self, group: dict) -> None:
        name = self._name
        group["lr"] = check_torch_number(name, "learning rate", group["lr"])
        group["rho"] = check_torch_number(name, "rho value", group["rho"], 0.0, 1.0, high_included=True)
        group["eps"] = check_torch_number(name, "epsilon value", group["eps"])
        group["weight_decay"] = check_torch_number(name, "weight_decay value", group["weight_decay"])

    def _update(self, p: Any, g: Any, state: dict, group: dict, xp: Any) -> None:
        if not state:
            state["step"] = 0
            state["square_avg"] = xp.zeros_like(p)
            state["acc_delta"] = xp.zeros_like(p)
        state["step"] += 1
        rho, eps = group["rho"], group["eps"]
        g = self._with_weight_decay(p, g, group["weight_decay"], xp)
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]
        delta, std = self._buffer(p, 1), self._buffer(p, 2)
        xp.multiply(g, g, out=delta)
        delta *= 1.0 - rho
        square_avg *= rho
        square_avg += delta
        xp.add(square_avg, eps, out=std)
        xp.sqrt(std, out=std)
        xp.add(acc_delta, eps, out=delta)
        xp.sqrt(delta, out=delta)
        delta /= std
        delta *= g
        xp.multiply(delta, delta, out=std)
        std *= 1.0 - rho
        acc_delta *= rho
        acc_delta += std
        delta *= -group["lr"]
        p += delta

    def _import_state(self, entry: dict, group: dict) -> dict:
        return import_known_state(self._name, entry, ("square_avg", "acc_delta"))
