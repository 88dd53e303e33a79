"""NAdam: Adam with Nesterov momentum (Dozat, 2016), with torch's momentum schedule and formulas.

The momentum of step t is mu_t = beta1 (1 - 0.5 * 0.96^(t momentum_decay)); the product of all
mu so far is kept in the state as `mu_product`, as torch keeps it.
"""

from __future__ import annotations

from typing import Any

from jaring.optim.moments import decayed_gradient, update_moments
from jaring.optim.torch_options import ALL
from jaring.optim.optimizer import Optimizer, Params
from jaring.optim.torch_checks import check_betas, check_torch_number, import_known_state


class NAdam(Optimizer):
    """m, v as in Adam; p <- p - lr [(1 - mu_t) / (1 - prod mu) g + mu_{t+1} / (1 - prod mu') m]
    / (sqrt(v / (1 - b2^t)) + eps).

    decoupled_weight_decay=True decays the weights as AdamW does (NAdamW).

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.NAdam([w], lr=0.1)
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> opt.zero_grad()
        >>> w.numpy().round(4)
        array([ 0.8, -1.8], dtype=float32)
    """

    torch_options = ALL

    def __init__(
        self,
        params: Params,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        **options: Any,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults, **options)

    def _check(self, group: dict) -> None:
        name = self._name
        group["lr"] = check_torch_number(name, "learning rate", group["lr"])
        group["eps"] = check_torch_number(name, "epsilon value", group["eps"])
        group["betas"] = check_betas(name, group["betas"])
        group["weight_decay"] = check_torch_number(name, "weight_decay value", group["weight_decay"])
        group["momentum_decay"] = check_torch_number(name, "momentum_decay value", group["momentum_decay"])
        group["decoupled_weight_decay"] = bool(group["decoupled_weight_decay"])

    def _update(self, p: Any, g: Any, state: dict, group: dict, xp: Any) -> None:
        if not state:
            state["step"] = 0
            state["mu_product"] = 1.0
            state["exp_avg"] = xp.zeros_like(p)
            state["exp_avg_sq"] = xp.zeros_like(p)
        step = state["step"] = state["step"] + 1
        (beta1, beta2), lr, decay = group["betas"], group["lr"], group["momentum_decay"]
        g = decayed_gradient(self, p, g, group, xp)
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * decay))
        mu_product = state["mu_product"] = state["mu_product"] * mu
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        denom, tmp = self._buffer(p, 1), self._buffer(p, 2)
        update_moments(exp_avg, exp_avg_sq, g, (beta1, beta2), denom, xp)
        xp.divide(exp_avg_sq, 1.0 - beta2**step, out=denom)
        xp.sqrt(denom, out=denom)
        denom += group["eps"]
        xp.divide(g, denom, out=tmp)
        tmp *= -lr * (1.0 - mu) / (1.0 - mu_product)
        p += tmp
        xp.divide(exp_avg, denom, out=tmp)
        tmp *= -lr * mu_next / (1.0 - mu_product * mu_next)
        p += tmp

    def _import_state(self, entry: dict, group: dict) -> dict:
        return import_known_state(self._name, entry, ("exp_avg", "exp_avg_sq"), scalars=("mu_product",))
