"""Uniform(low, high): flat on [low, high), reparameterisable (rsample)."""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.distributions import constraints
from jaring.distributions.distribution import Distribution, broadcast_all, rng_of
from jaring.distributions.normal import noise_array


class Uniform(Distribution):
    """A batch of uniform distributions on [low, high), low < high.

    `rsample(noise=u)` uses a given draw `u` from [0, 1) instead of a fresh one.

    Examples:
        >>> import jaring
        >>> from jaring.distributions import Uniform
        >>> high = jaring.tensor([2.0, 4.0], requires_grad=True)
        >>> d = Uniform(0.0, high)
        >>> d.entropy().sum().backward()
        >>> high.grad
        tensor([0.5 , 0.25])
        >>> d.mean
        tensor([1., 2.], grad_fn=<Div>)
    """

    arg_constraints = {"low": constraints.real, "high": constraints.real}
    has_rsample = True

    def __init__(self, low: Any, high: Any, validate_args: bool | None = None) -> None:
        self.low, self.high = broadcast_all(low, high)
        super().__init__(self.low.shape, validate_args=validate_args)
        if self._validate_args:
            self._check("low", self.low, constraints.LessThan(self.high))

    @property
    def support(self) -> constraints.Interval:
        return constraints.Interval(self.low, self.high)

    @property
    def mean(self) -> Tensor:
        return (self.high + self.low) / 2

    @property
    def stddev(self) -> Tensor:
        return (self.high - self.low) / 12**0.5

    @property
    def variance(self) -> Tensor:
        return (self.high - self.low) ** 2 / 12

    def rsample(
        self, sample_shape: Any = (), *, seed: Any = None, generator: Any = None, noise: Any = None
    ) -> Tensor:
        shape = self._extended_shape(sample_shape)
        uniform = noise_array(self.low, shape, noise, rng_of(seed, generator).random)
        return self.low + Tensor(uniform) * (self.high - self.low)

    def log_prob(self, value: Any) -> Tensor:
        """-log(high - low) inside [low, high), -inf outside (the gradient is torch's either way)."""
        value = self._value(value, self.low)
        xp = backend.array_module(self.low.data)
        inside = (self.low.data <= value.data) & (self.high.data > value.data)
        return Tensor(xp.where(inside, 0.0, -xp.inf).astype(self.low.dtype)) - (self.high - self.low).log()

    def cdf(self, value: Any) -> Tensor:
        value = self._value(value, self.low)
        return ((value - self.low) / (self.high - self.low)).clamp(min=0, max=1)

    def icdf(self, value: Any) -> Tensor:
        value = value if isinstance(value, Tensor) else Tensor(value, dtype=self.low.dtype)
        return value * (self.high - self.low) + self.low

    def entropy(self) -> Tensor:
        return (self.high - self.low).log()
