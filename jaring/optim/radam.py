"""RAdam: Adam whose adaptive step is switched on gradually, as the variance of v becomes tractable.

While the length of the approximated simple moving average rho_t is at most 5 the step is
plain momentum SGD on the bias-corrected m; after that Adam's step times the rectification
term r_t (Liu et al., 2019), with torch's formulas.
"""

from __future__ import annotations

import math
from typing import Any

from jaring.optim.moments import decayed_gradient, update_moments
from jaring.optim.torch_options import ALL
from jaring.optim.optimizer import Optimizer, Params
from jaring.optim.torch_checks import check_betas, check_torch_number, import_known_state


class RAdam(Optimizer):
    """m, v as in Adam; p <- p - lr m_hat (r_t sqrt(1 - b2^t) / (sqrt(v) + eps) if rho_t > 5 else 1).

    decoupled_weight_decay=True decays the weights as AdamW does.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.RAdam([w], lr=0.1)
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> opt.zero_grad()
        >>> w.numpy().round(4)
        array([ 0.8, -1.6], dtype=float32)
    """

    torch_options = ALL

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        decoupled_weight_decay: bool = False,
        **options: Any,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults, **options)

    def _check(self, group: dict) -> None:
        name = self._name
        group["lr"] = check_torch_number(name, "learning rate", group["lr"])
        group["eps"] = check_torch_number(name, "epsilon value", group["eps"])
        group["betas"] = check_betas(name, group["betas"])
        group["weight_decay"] = check_torch_number(name, "weight_decay value", group["weight_decay"])
        group["decoupled_weight_decay"] = bool(group["decoupled_weight_decay"])

    def _update(self, p: Any, g: Any, state: dict, group: dict, xp: Any) -> None:
        if not state:
            state["step"] = 0
            state["exp_avg"] = xp.zeros_like(p)
            state["exp_avg_sq"] = xp.zeros_like(p)
        step = state["step"] = state["step"] + 1
        (beta1, beta2), lr = group["betas"], group["lr"]
        g = decayed_gradient(self, p, g, group, xp)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        tmp = self._buffer(p, 1)
        update_moments(exp_avg, exp_avg_sq, g, (beta1, beta2), tmp, xp)
        bias_correction1 = 1.0 - beta1**step
        bias_correction2 = 1.0 - beta2**step
        rho_inf = 2.0 / (1.0 - beta2) - 1.0
        rho_t = rho_inf - 2.0 * step * beta2**step / bias_correction2
        if rho_t > 5.0:
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            xp.sqrt(exp_avg_sq, out=tmp)
            tmp += group["eps"]
            xp.divide(exp_avg, tmp, out=tmp)
            tmp *= -lr * rect * math.sqrt(bias_correction2) / bias_correction1
        else:
            xp.multiply(exp_avg, -lr / bias_correction1, out=tmp)
        p += tmp

    def _import_state(self, entry: dict, group: dict) -> dict:
        return import_known_state(self._name, entry, ("exp_avg", "exp_avg_sq"))
