"""Adam and AdamW: adaptive moment estimation, with PyTorch's formulas and defaults.

Adam's weight_decay is L2 added to the gradient (coupled, as in torch.optim.Adam); AdamW
decays the weights directly, p <- p * (1 - lr * weight_decay), before the Adam step.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import kernels
from jaring.optim.torch_options import ADAM
from jaring.optim.optimizer import Optimizer, Params, check_number


class Adam(Optimizer):
    """m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g^2,
    p <- p - lr * m_hat / (sqrt(v_hat) + eps) with bias-corrected m_hat, v_hat.

    amsgrad=True divides by the running maximum of v instead of v itself.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.Adam([w], lr=0.1)
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> opt.zero_grad()
        >>> w.numpy().round(4)
        array([ 0.9, -1.9], dtype=float32)
    """

    torch_options = ADAM

    _decoupled = False

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        **options: Any,
    ) -> None:
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
        super().__init__(params, defaults, **options)

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
        step, (beta1, beta2), lr, weight_decay = self._advance(p, state, group, xp)
        if weight_decay and self._decoupled:
            p *= 1.0 - lr * weight_decay
        elif weight_decay:
            g = self._with_weight_decay(p, g, weight_decay, xp)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        tmp = self._buffer(p, 1)
        xp.subtract(g, m, out=tmp)  # m <- lerp(m, g, 1 - beta1), as torch writes it
        tmp *= 1.0 - beta1
        m += tmp
        xp.multiply(g, g, out=tmp)
        tmp *= 1.0 - beta2
        v *= beta2
        v += tmp
        if group["amsgrad"]:
            v = xp.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        xp.sqrt(v, out=tmp)
        tmp /= math.sqrt(1.0 - beta2**step)
        tmp += group["eps"]
        xp.divide(m, tmp, out=tmp)
        tmp *= -lr / (1.0 - beta1**step)
        p += tmp

    def _fused(self, p: Any, g: Any, state: dict, group: dict) -> bool:
        fused = kernels.family("optim")
        amsgrad = group["amsgrad"]
        self._initialise(p, state, group, np)
        names = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq") if amsgrad else ("exp_avg", "exp_avg_sq")
        arrays = self._flat_arrays(p, g, state, names)
        if arrays is None:
            return False
        step, betas, lr, weight_decay = self._advance(p, state, group, np)
        key = (p.dtype, step, betas, lr, weight_decay, group["eps"], self._decoupled)
        scalars = self._kernel_scalars(
            key, lambda: self._scalars_for(p.dtype, step, betas, lr, weight_decay, group)
        )
        fused.adam(*arrays[:4], arrays[4] if amsgrad else fused.empty_like(p), *scalars)
        return True

    def _scalars_for(
        self, dtype: np.dtype, step: int, betas: tuple, lr: float, weight_decay: float, group: dict
    ) -> tuple:
        """The kernel's scalar arguments after `adam`'s arrays, cast to the parameters' dtype."""
        fused = kernels.family("optim")
        cast, (beta1, beta2) = dtype.type, betas
        coupled = 0.0 if self._decoupled else weight_decay
        keep = 1.0 - lr * weight_decay if self._decoupled else 1.0
        return (
            (cast(beta1), cast(1.0 - beta1)),
            (cast(beta2), cast(1.0 - beta2)),
            cast(group["eps"]),
            cast(coupled),
            cast(keep),
            cast(lr / (1.0 - beta1**step)),
            cast(math.sqrt(1.0 - beta2**step)),
            fused.smallest_normal(dtype),
        )

    def _initialise(self, p: Any, state: dict, group: dict, xp: Any) -> None:
        if not state:
            state["step"] = 0
            state["exp_avg"] = xp.zeros_like(p)
            state["exp_avg_sq"] = xp.zeros_like(p)
        if group["amsgrad"] and "max_exp_avg_sq" not in state:
            state["max_exp_avg_sq"] = xp.zeros_like(p)

    def _advance(self, p: Any, state: dict, group: dict, xp: Any) -> tuple:
        """Create the state on the first step, count the step; (step, betas, lr, weight_decay)."""
        self._initialise(p, state, group, xp)
        state["step"] += 1
        return state["step"], tuple(group["betas"]), group["lr"], group["weight_decay"]

    # The state that jaring 0.x saved before it kept PyTorch's: the moments as running sums
    # m / (1 - beta1), v / (1 - beta2) under the betas they were summed with.
    _SUMS = {"exp_avg_sum": ("exp_avg", 0), "exp_avg_sq_sum": ("exp_avg_sq", 1)}
    _SUMS["max_exp_avg_sq_sum"] = ("max_exp_avg_sq", 1)

    def _import_state(self, entry: dict, group: dict) -> dict:
        """PyTorch's state (step, exp_avg, exp_avg_sq, max_exp_avg_sq), or the running sums that
        older jaring checkpoints hold, converted once to PyTorch's moments."""
        betas = tuple(entry.get("betas", group["betas"]))
        state = {}
        for name, value in entry.items():
            if name in self._SUMS:
                key, which = self._SUMS[name]
                state[key] = value * (1.0 - betas[which])
            elif name in ("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"):
                state[name] = value
            elif name != "betas":
                raise ValueError(f"{self._name}: unknown state entry {name!r} in a saved state")
        return state


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): p <- p (1 - lr wd), then Adam.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.AdamW([w], lr=0.1, weight_decay=0.01)
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> opt.zero_grad()
        >>> w.numpy().round(4)
        array([ 0.899, -1.898], dtype=float32)
    """

    _decoupled = True

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, **options)
