"""Adamax: Adam with the infinity norm, a running maximum of |g|, in place of the squared average."""

from __future__ import annotations

from typing import Any

from jaring.optim.torch_options import ALL
from jaring.optim.optimizer import Optimizer, Params
from jaring.optim.torch_checks import check_betas, check_torch_number, import_known_state


class Adamax(Optimizer):
    """m <- b1 m + (1 - b1) g,  u <- max(b2 u, |g| + eps),  p <- p - lr / (1 - b1^t) * m / u.

    weight_decay adds L2 to the gradient, as torch.optim.Adamax does.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.Adamax([w], lr=0.1)
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> opt.zero_grad()
        >>> w.numpy().round(4)
        array([ 0.9, -1.9], dtype=float32)
    """

    torch_options = ALL

    def __init__(
        self,
        params: Params,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        **options: Any,
    ) -> None:
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay), **options)

    def _check(self, group: dict) -> None:
        name = self._name
        group["lr"] = check_torch_number(name, "learning rate", group["lr"])
        group["eps"] = check_torch_number(name, "epsilon value", group["eps"])
        group["betas"] = check_betas(name, group["betas"])
        group["weight_decay"] = check_torch_number(name, "weight_decay value", group["weight_decay"])

    def _update(self, p: Any, g: Any, state: dict, group: dict, xp: Any) -> None:
        if not state:
            state["step"] = 0
            state["exp_avg"] = xp.zeros_like(p)
            state["exp_inf"] = xp.zeros_like(p)
        step = state["step"] = state["step"] + 1
        beta1, beta2 = group["betas"]
        g = self._with_weight_decay(p, g, group["weight_decay"], xp)
        exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
        tmp = self._buffer(p, 1)
        xp.subtract(g, exp_avg, out=tmp)  # exp_avg <- lerp(exp_avg, g, 1 - beta1)
        tmp *= 1.0 - beta1
        exp_avg += tmp
        exp_inf *= beta2
        xp.abs(g, out=tmp)
        tmp += group["eps"]
        xp.maximum(exp_inf, tmp, out=exp_inf)
        xp.divide(exp_avg, exp_inf, out=tmp)
        tmp *= -group["lr"] / (1.0 - beta1**step)
        p += tmp

    def _import_state(self, entry: dict, group: dict) -> dict:
        return import_known_state(self._name, entry, ("exp_avg", "exp_inf"))
