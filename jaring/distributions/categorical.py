"""Categorical(probs=None, logits=None): one of K classes, the policy of a REINFORCE agent."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.distributions import constraints
from jaring.distributions.distribution import Distribution, rng_of
from jaring.ops.gather import gather
from jaring.ops.shape import broadcast_to
from jaring.ops.softmax import softmax


def as_parameter(value: Any) -> Tensor:
    """A probs or logits argument as a float Tensor (numbers and int arrays take the default dtype)."""
    if isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    dtype = array.dtype if np.issubdtype(array.dtype, np.floating) else backend.get_default_dtype()
    return Tensor(array.astype(dtype))


def clamp_probs(probs: Tensor) -> Tensor:
    """Probabilities kept off 0 and 1 by the dtype's eps, so their logarithms stay finite (as torch)."""
    eps = float(np.finfo(probs.dtype).eps)
    return probs.clamp(min=eps, max=1 - eps)


class Categorical(Distribution):
    """A batch of distributions over 0..K-1, from `probs` (normalised) or `logits` (log-normalised).

    Examples:
        >>> import jaring
        >>> from jaring.distributions import Categorical
        >>> d = Categorical(logits=jaring.tensor([0.0, 0.0, 0.0, 0.0]))
        >>> d.probs
        tensor([0.25, 0.25, 0.25, 0.25])
        >>> action = d.sample(seed=0)
        >>> action.shape, action.dtype
        ((), dtype('int64'))
        >>> round(float(d.entropy()), 4)
        1.3863
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real}
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        name = "probs" if probs is not None else "logits"
        param = as_parameter(probs if probs is not None else logits)
        if param.ndim < 1:
            raise ValueError(f"`{name}` parameter must be at least one-dimensional.")
        if probs is not None:
            self.probs = param / param.sum(-1, keepdim=True)
            self.logits = clamp_probs(self.probs).log()
        else:
            self.logits = param - param.logsumexp(-1, keepdim=True)
            self.probs = softmax(self.logits, dim=-1)
        self._name = name
        self._num_events = param.shape[-1]
        super().__init__(param.shape[:-1], validate_args=validate_args)

    def _given(self) -> tuple:
        return (self._name,)

    @property
    def param_shape(self) -> tuple:
        return self.probs.shape

    @property
    def support(self) -> constraints.IntegerInterval:
        return constraints.IntegerInterval(0, self._num_events - 1)

    @property
    def mean(self) -> Tensor:
        xp = backend.array_module(self.probs.data)
        return Tensor(xp.full(self.batch_shape, xp.nan, dtype=self.probs.dtype))

    @property
    def mode(self) -> Tensor:
        return Tensor(self.probs.data.argmax(-1))

    @property
    def variance(self) -> Tensor:
        return self.mean

    def sample(self, sample_shape: Any = (), *, seed: Any = None, generator: Any = None) -> Tensor:
        """Integer classes (int64) of shape sample_shape + batch_shape, drawn by inverse cdf."""
        shape = self._extended_shape(sample_shape)
        probs = self.probs.data
        xp = backend.array_module(probs)
        cumulative = xp.cumsum(probs, axis=-1)
        uniform = xp.asarray(rng_of(seed, generator).random(shape + (1,)), dtype=probs.dtype)
        classes = (uniform * cumulative[..., -1:] >= cumulative).sum(-1)
        return Tensor(xp.minimum(classes, self._num_events - 1).astype(np.int64))

    def log_prob(self, value: Any) -> Tensor:
        """log P(value) for integer classes `value`, broadcast against batch_shape."""
        value = self._value(value, self.probs)
        shape = np.broadcast_shapes(value.shape + (1,), self.logits.shape)
        index = broadcast_to(Tensor(value.data.astype(np.int64)).unsqueeze(-1), shape[:-1] + (1,))
        return gather(broadcast_to(self.logits, shape), -1, index).squeeze(-1)

    def _value(self, value: Any, like: Tensor) -> Tensor:
        if not isinstance(value, Tensor):
            value = Tensor(np.asarray(value))
        if self._validate_args:
            self._validate_sample(value)
        return value

    def entropy(self) -> Tensor:
        logits = self.logits.clamp(min=float(np.finfo(self.logits.dtype).min))
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """Every class 0..K-1 along a new first dimension, broadcast over batch_shape if `expand`."""
        xp = backend.array_module(self.probs.data)
        values = xp.arange(self._num_events, dtype=np.int64).reshape((-1,) + (1,) * len(self.batch_shape))
        return Tensor(
            xp.broadcast_to(values, (self._num_events,) + self.batch_shape).copy() if expand else values
        )
