"""Bernoulli(probs=None, logits=None): a coin that lands 1 with probability probs."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.distributions import constraints
from jaring.distributions.categorical import clamp_probs
from jaring.distributions.distribution import Distribution, broadcast_all, rng_of
from jaring.ops.activation import sigmoid, softplus


class Bernoulli(Distribution):
    """A batch of 0/1 outcomes, from `probs` in [0, 1] or from `logits` (log-odds).

    Examples:
        >>> import jaring
        >>> from jaring.distributions import Bernoulli
        >>> d = Bernoulli(logits=jaring.tensor([0.0, 2.0]))
        >>> d.log_prob(jaring.tensor([1.0, 0.0]))
        tensor([-0.6931, -2.1269])
        >>> d.sample((4,), seed=0).shape
        (4, 2)
    """

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            (self.probs,) = broadcast_all(probs)
            clamped = clamp_probs(self.probs)
            self.logits = clamped.log() - (-clamped).log1p()
        else:
            (self.logits,) = broadcast_all(logits)
            self.probs = sigmoid(self.logits)
        self._name = "probs" if probs is not None else "logits"
        super().__init__(self.probs.shape, validate_args=validate_args)

    def _given(self) -> tuple:
        return (self._name,)

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        mode = (self.probs.data >= 0.5).astype(self.probs.dtype)
        mode[self.probs.data == 0.5] = np.nan
        return Tensor(mode)

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = (), *, seed: Any = None, generator: Any = None) -> Tensor:
        """0.0/1.0 draws in the parameters' dtype, of shape sample_shape + batch_shape."""
        shape = self._extended_shape(sample_shape)
        probs = self.probs.data
        uniform = rng_of(seed, generator).random(shape)
        return Tensor(
            (backend.array_module(probs).asarray(uniform, dtype=probs.dtype) < probs).astype(probs.dtype)
        )

    def log_prob(self, value: Any) -> Tensor:
        value = self._value(value, self.logits)
        return self.logits * value - softplus(self.logits)

    def entropy(self) -> Tensor:
        return softplus(self.logits) - self.logits * self.probs
