"""Rprop: resilient backpropagation, a per-weight step size grown or shrunk by the gradient's sign.

Only the sign of the gradient is used. Where it kept its sign the step size grows by etas[1],
where it flipped it shrinks by etas[0] and that weight skips this step (its gradient counts as
0 next time), within step_sizes = (min, max). Meant for full-batch training, as torch says.
"""

from __future__ import annotations

from typing import Any

from jaring.optim.torch_options import ALL
from jaring.optim.optimizer import Optimizer, Params
from jaring.optim.torch_checks import check_pair, check_real, check_torch_number, import_known_state


class Rprop(Optimizer):
    """s <- clip(s * (etaplus if g g_prev > 0, etaminus if < 0, else 1), min, max),
    p <- p - sign(g) s (g taken as 0 where the sign flipped).

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.Rprop([w], lr=0.1)
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> opt.zero_grad()
        >>> w.numpy().round(4), opt.state[w]["step_size"].round(4)
        (array([ 0.9, -1.9], dtype=float32), array([0.1, 0.1], dtype=float32))
    """

    torch_options = ALL

    def __init__(
        self,
        params: Params,
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        **options: Any,
    ) -> None:
        super().__init__(params, dict(lr=lr, etas=etas, step_sizes=step_sizes), **options)

    def _check(self, group: dict) -> None:
        name = self._name
        group["lr"] = check_torch_number(name, "learning rate", group["lr"])
        etas = check_pair(name, "etas", group["etas"])
        for eta in etas:
            check_real(name, "etas", eta)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"{name}: Invalid eta values: {etas[0]}, {etas[1]}")
        group["etas"] = tuple(float(e) for e in etas)
        sizes = check_pair(name, "step_sizes", group["step_sizes"])
        low, high = (check_torch_number(name, "step_sizes value", s) for s in sizes)
        if low > high:
            raise ValueError(f"{name}: step_sizes must be (min, max) with min <= max, got {sizes}")
        group["step_sizes"] = (low, high)

    def _update(self, p: Any, g: Any, state: dict, group: dict, xp: Any) -> None:
        if not state:
            state["step"] = 0
            state["prev"] = xp.zeros_like(p)
            state["step_size"] = xp.full_like(p, group["lr"])
        state["step"] += 1
        (eta_minus, eta_plus), (low, high) = group["etas"], group["step_sizes"]
        prev, step_size = state["prev"], state["step_size"]
        sign, factor = self._buffer(p, 1), self._buffer(p, 2)
        xp.multiply(g, prev, out=sign)
        flipped = sign < 0
        factor.fill(1.0)
        xp.copyto(factor, eta_plus, where=sign > 0)
        xp.copyto(factor, eta_minus, where=flipped)
        step_size *= factor
        xp.clip(step_size, low, high, out=step_size)
        xp.copyto(prev, g)
        xp.copyto(prev, 0.0, where=flipped)
        xp.sign(prev, out=sign)
        sign *= step_size
        p -= sign

    def _import_state(self, entry: dict, group: dict) -> dict:
        return import_known_state(self._name, entry, ("prev", "step_size"))
