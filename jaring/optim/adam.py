"""Adam and AdamW: adaptive moment estimation, with PyTorch's formulas and defaults.

Adam's weight_decay is L2 added to the gradient (coupled, as in torch.optim.Adam); AdamW
decays the weights directly, p <- p * (1 - lr * weight_decay), before the Adam step.
"""

from __future__ import annotations

import math
from typing import Any

from jaring.optim.optimizer import Optimizer, Params, check_number


class Adam(Optimizer):
    """m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g^2,
    p <- p - lr * m_hat / (sqrt(v_hat) + eps) with bias-corrected m_hat, v_hat.

    amsgrad=True divides by the running maximum of v instead of v itself.
    """

    _decoupled = False

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
        super().__init__(params, defaults)

    def _check(self, group: dict) -> None:
        super()._check(group)
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"{self._name}: betas must be a pair (beta1, beta2), got {betas!r}")
        group["betas"] = tuple(
            check_number(self._name, f"beta{i + 1}", b, 0.0, 1.0) for i, b in enumerate(betas)
        )
        group["eps"] = check_number(self._name, "eps", group["eps"])
        group["weight_decay"] = check_number(self._name, "weight_decay", group["weight_decay"])
        group["amsgrad"] = bool(group["amsgrad"])

    def _update(self, p: Any, g: Any, state: dict, group: dict, xp: Any) -> None:
        if not state:
            state["step"] = 0
            state["exp_avg"] = xp.zeros_like(p)
            state["exp_avg_sq"] = xp.zeros_like(p)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = xp.zeros_like(p)
        step = state["step"] = state["step"] + 1
        lr, weight_decay = group["lr"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        if weight_decay and self._decoupled:
            p *= 1.0 - lr * weight_decay
        elif weight_decay:
            g = self._with_weight_decay(p, g, weight_decay, xp)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        tmp = self._buffer(p, 1)
        # m <- m + (1 - b1) (g - m), the form torch's lerp_ computes.
        xp.subtract(g, m, out=tmp)
        tmp *= 1.0 - beta1
        m += tmp
        xp.multiply(g, 1.0 - beta2, out=tmp)
        tmp *= g
        v *= beta2
        v += tmp
        if group["amsgrad"]:
            v = xp.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        # lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps), with sqrt(bc2) moved out of the denominator:
        # the same value, one pass over the data fewer.
        bc2_sqrt = math.sqrt(1.0 - beta2**step)
        xp.sqrt(v, out=tmp)
        tmp += group["eps"] * bc2_sqrt
        xp.divide(m, tmp, out=tmp)
        tmp *= -lr * bc2_sqrt / (1.0 - beta1**step)
        p += tmp


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): p <- p (1 - lr wd), then Adam."""

    _decoupled = True

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)
