"""Normal(loc, scale): the Gaussian, reparameterisable (rsample), with cdf and icdf."""

from __future__ import annotations

import math
from typing import Any

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.distributions import constraints
from jaring.distributions.distribution import Distribution, broadcast_all, rng_of
from jaring.ops.exp_log import erf
from jaring.ops.special import erfinv

_LOG_SQRT_2PI = math.log(math.sqrt(2 * math.pi))


def noise_array(like: Tensor, shape: tuple, noise: Any, draw: Any) -> Any:
    """The standard draw behind an rsample: `noise` when given (checked against `shape`), else `draw()`."""
    xp = backend.array_module(like.data)
    if noise is None:
        return xp.asarray(draw(shape), dtype=like.dtype)
    array = xp.asarray(getattr(noise, "data", noise), dtype=like.dtype)
    if array.shape != shape:
        raise ValueError(f"noise must have the sample's shape {shape}, got {array.shape}")
    return array


class Normal(Distribution):
    """A batch of normal distributions with mean `loc` and standard deviation `scale` (> 0).

    `rsample(noise=eps)` uses a given standard normal draw `eps` instead of a fresh one.

    Examples:
        >>> import jaring
        >>> from jaring.distributions import Normal
        >>> loc = jaring.tensor([0.0, 1.0], requires_grad=True)
        >>> d = Normal(loc, 2.0)
        >>> d.log_prob(jaring.tensor([0.0, 0.0])).sum().backward()
        >>> loc.grad
        tensor([ 0.  , -0.25])
        >>> d.rsample((3,), seed=0).shape
        (3, 2)
    """

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(self.loc.shape, validate_args=validate_args)

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def stddev(self) -> Tensor:
        return self.scale

    @property
    def variance(self) -> Tensor:
        return self.scale**2

    def rsample(
        self, sample_shape: Any = (), *, seed: Any = None, generator: Any = None, noise: Any = None
    ) -> Tensor:
        shape = self._extended_shape(sample_shape)
        eps = noise_array(self.loc, shape, noise, rng_of(seed, generator).standard_normal)
        return self.loc + Tensor(eps) * self.scale

    def log_prob(self, value: Any) -> Tensor:
        value = self._value(value, self.loc)
        return -((value - self.loc) ** 2) / (2 * self.variance) - self.scale.log() - _LOG_SQRT_2PI

    def cdf(self, value: Any) -> Tensor:
        value = self._value(value, self.loc)
        return 0.5 * (1 + erf((value - self.loc) / self.scale / math.sqrt(2)))

    def icdf(self, value: Any) -> Tensor:
        value = value if isinstance(value, Tensor) else Tensor(value, dtype=self.loc.dtype)
        return self.loc + self.scale * erfinv(2 * value - 1) * math.sqrt(2)

    def entropy(self) -> Tensor:
        return 0.5 + 0.5 * math.log(2 * math.pi) + self.scale.log()
