"""ASGD: averaged stochastic gradient descent (Polyak and Juditsky), with torch's step-size schedule.

The parameters follow SGD with a decaying step eta_t = lr / (1 + lambd lr t)^alpha; the state's
`ax` is the running average of the parameters, taken from step t0 on (before it, ax is the
parameter itself). Read the average from `opt.state[p]["ax"]` to evaluate with it.
"""

from __future__ import annotations

from typing import Any

from jaring.optim.torch_options import ALL
from jaring.optim.optimizer import Optimizer, Params
from jaring.optim.torch_checks import check_real, check_torch_number, import_known_state


class ASGD(Optimizer):
    """p <- p (1 - lambd eta) - eta g,  ax <- ax + mu (p - ax),
    eta <- lr / (1 + lambd lr t)^alpha,  mu <- 1 / max(1, t - t0).

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.ASGD([w], lr=0.1)
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> opt.zero_grad()
        >>> w.numpy().round(4), opt.state[w]["ax"].round(4)
        (array([ 0.8, -1.6], dtype=float32), array([ 0.8, -1.6], dtype=float32))
    """

    torch_options = ALL

    def __init__(
        self,
        params: Params,
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0.0,
        **options: Any,
    ) -> None:
        super().__init__(
            params, dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay), **options
        )

    def _check(self, group: dict) -> None:
        name = self._name
        group["lr"] = check_torch_number(name, "learning rate", group["lr"])
        group["weight_decay"] = check_torch_number(name, "weight_decay value", group["weight_decay"])
        for option in ("lambd", "alpha", "t0"):
            group[option] = check_real(name, option, group[option])

    def _update(self, p: Any, g: Any, state: dict, group: dict, xp: Any) -> None:
        if not state:
            state["step"] = 0
            state["eta"] = group["lr"]
            state["mu"] = 1.0
            state["ax"] = xp.zeros_like(p)
        step = state["step"] = state["step"] + 1
        lr, lambd, eta = group["lr"], group["lambd"], state["eta"]
        g = self._with_weight_decay(p, g, group["weight_decay"], xp)
        tmp, ax = self._buffer(p, 1), state["ax"]
        p *= 1.0 - lambd * eta
        xp.multiply(g, -eta, out=tmp)
        p += tmp
        if state["mu"] != 1:
            xp.subtract(p, ax, out=tmp)
            tmp *= state["mu"]
            ax += tmp
        else:
            ax[...] = p
        state["eta"] = lr / (1.0 + lambd * lr * step) ** group["alpha"]
        state["mu"] = 1.0 / max(1.0, step - group["t0"])

    def _import_state(self, entry: dict, group: dict) -> dict:
        return import_known_state(self._name, entry, ("ax",), scalars=("eta", "mu"))
