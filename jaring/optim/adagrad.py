"""Adagrad: per-coordinate step sizes that shrink with the sum of all past squared gradients."""

from __future__ import annotations

from typing import Any

from jaring.optim.torch_options import WITH_FUSED
from jaring.optim.optimizer import Optimizer, Params, check_number


class Adagrad(Optimizer):
    """s <- s + g^2,  p <- p - lr_t * g / (sqrt(s) + eps), with lr_t = lr / (1 + (t - 1) lr_decay).

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.Adagrad([w], lr=0.1)
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> opt.zero_grad()
        >>> w.numpy().round(4)
        array([ 0.9, -1.9], dtype=float32)
    """

    torch_options = WITH_FUSED

    def __init__(
        self,
        params: Params,
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        **options: Any,
    ) -> None:
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )
        super().__init__(params, defaults, **options)

    def _check(self, group: dict) -> None:
        super()._check(group)
        for name in ("lr_decay", "weight_decay", "initial_accumulator_value", "eps"):
            group[name] = check_number(self._name, name, group[name])

    def _update(self, p: Any, g: Any, state: dict, group: dict, xp: Any) -> None:
        if not state:
            state["step"] = 0
            state["sum"] = xp.full_like(p, group["initial_accumulator_value"])
        step = state["step"] = state["step"] + 1
        g = self._with_weight_decay(p, g, group["weight_decay"], xp)
        clr = group["lr"] / (1.0 + (step - 1) * group["lr_decay"])
        total, tmp = state["sum"], self._buffer(p, 1)
        xp.multiply(g, g, out=tmp)
        total += tmp
        xp.sqrt(total, out=tmp)
        tmp += group["eps"]
        xp.divide(g, tmp, out=tmp)
        tmp *= -clr
        p += tmp
