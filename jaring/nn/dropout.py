"""Dropout layer: randomly zeroes activations while training, does nothing in eval mode."""

from __future__ import annotations

from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.ops.dropout import check_probability
from jaring.random import get_rng


class Dropout(Module):
    """Inverted dropout with drop probability p (0 <= p < 1); the identity after .eval().

    With an int `seed` the layer owns a Generator, so its sequence of masks is reproducible;
    with seed=None each call draws from jaring's process-wide generator (jaring.manual_seed).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> drop = nn.Dropout(0.5, seed=0)
        >>> x = jaring.ones(1000)
        >>> kept = drop(x).numpy()
        >>> sorted(set(kept.tolist())), drop.eval()(x).numpy().min()
        ([0.0, 2.0], np.float32(1.0))
    """

    def __init__(self, p: float = 0.5, seed: Any = None) -> None:
        super().__init__()
        self.p = check_probability(p, "Dropout")
        self._rng = None if seed is None else get_rng(seed)

    def forward(self, x: Any) -> Tensor:
        return F.dropout(x, self.p, training=self.training, seed=self._rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"
