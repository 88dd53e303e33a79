"""Distribution: what every distribution shares (shapes, sampling arguments, checks, printing).

A distribution holds a batch of independent ones (`batch_shape`), each over values of
`event_shape`; `sample(sample_shape)` returns `sample_shape + batch_shape + event_shape`.
Arguments are checked as torch checks them (its `validate_args=True` default).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.distributions import constraints
from jaring.ops.arith import cast
from jaring.ops.shape import broadcast_to
from jaring.random import get_rng


def broadcast_all(*values: Any) -> list[Tensor]:
    """Parameters as Tensors of one float dtype and one broadcast shape (torch's broadcast_all).

    Tensors keep their dtype and their graph; Python numbers take the tensors' dtype, or the
    default dtype when no tensor or array is given; NumPy arrays keep their float dtype.
    """
    arrays = [v for v in values if isinstance(v, Tensor) or isinstance(v, np.ndarray)]
    if arrays:
        dtype = np.result_type(*[v.dtype for v in arrays])
        dtype = dtype if np.issubdtype(dtype, np.floating) else backend.get_default_dtype()
    else:
        dtype = backend.get_default_dtype()
    tensors = []
    for v in values:
        if isinstance(v, Tensor):
            tensors.append(v if v.dtype == dtype else cast(v, dtype))
        else:
            tensors.append(Tensor(np.asarray(v, dtype=dtype)))
    xp = backend.array_module(*[t.data for t in tensors])
    tensors = [t if backend.array_module(t.data) is xp else Tensor(xp.asarray(t.data)) for t in tensors]
    shape = np.broadcast_shapes(*[t.shape for t in tensors])
    return [t if t.shape == shape else broadcast_to(t, shape) for t in tensors]


def sample_shape_of(sample_shape: Any) -> tuple:
    """`sample_shape` as a tuple of sizes (a tuple, list, torch-like Size or one int)."""
    shape = (sample_shape,) if isinstance(sample_shape, (int, np.integer)) else tuple(sample_shape)
    for n in shape:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"sample_shape holds non-negative integers, got {sample_shape!r:.80}")
    return tuple(int(n) for n in shape)


def rng_of(seed: Any, generator: Any) -> np.random.Generator:
    """The generator to draw from: `generator` or `seed` (int or Generator), else jaring's global one."""
    if seed is not None and generator is not None:
        raise ValueError("give seed= or generator=, not both")
    return get_rng(generator if generator is not None else seed)


class Distribution:
    """The base class: shapes, `sample`/`rsample` arguments, parameter and value checks.

    Examples:
        >>> import jaring
        >>> from jaring.distributions import Normal
        >>> d = Normal(jaring.zeros(3), 1.0)
        >>> d.batch_shape, d.event_shape, d.sample((5,), seed=0).shape
        ((3,), (), (5, 3))
    """

    has_rsample = False
    arg_constraints: dict = {}
    support: Any = None
    _validate_args = True

    def __init__(
        self, batch_shape: tuple = (), event_shape: tuple = (), validate_args: bool | None = None
    ) -> None:
        self._batch_shape, self._event_shape = tuple(batch_shape), tuple(event_shape)
        if validate_args is not None:
            self._validate_args = bool(validate_args)
        if self._validate_args:
            for name in self._given():
                self._check(name, getattr(self, name), self.arg_constraints[name])

    def _given(self) -> tuple:
        """The parameters the user gave (Categorical and Bernoulli take probs or logits)."""
        return tuple(self.arg_constraints)

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        """Turn argument checks on or off for every distribution made afterwards (as torch)."""
        Distribution._validate_args = bool(value)

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    @property
    def event_shape(self) -> tuple:
        return self._event_shape

    def _extended_shape(self, sample_shape: Any = ()) -> tuple:
        return sample_shape_of(sample_shape) + self._batch_shape + self._event_shape

    def _check(self, name: str, value: Tensor, constraint: constraints.Constraint) -> None:
        ok = constraint.check(value.data)
        if not bool(ok.all()):
            raise ValueError(
                f"Expected parameter {name} (Tensor of shape {value.shape}) of distribution {self!r} "
                f"to satisfy the constraint {constraint!r}, but found invalid values:\n{value.data}"
            )

    def _validate_sample(self, value: Tensor) -> None:
        """Raise as torch does for a value of the wrong shape or outside the support."""
        event = len(self._event_shape)
        if event and value.shape[-event:] != self._event_shape:
            raise ValueError(
                f"The right-most size of value must match event_shape: {value.shape} vs {self._event_shape}."
            )
        try:
            np.broadcast_shapes(value.shape, self._batch_shape + self._event_shape)
        except ValueError:
            raise ValueError(
                f"Value is not broadcastable with batch_shape+event_shape: {value.shape} vs "
                f"{self._batch_shape + self._event_shape}."
            ) from None
        if not bool(self.support.check(value.data).all()):
            raise ValueError(
                f"Expected value argument (Tensor of shape {value.shape}) to be within the support "
                f"({self.support!r}) of the distribution {self!r}, but found invalid values:\n{value.data}"
            )

    def _value(self, value: Any, like: Tensor) -> Tensor:
        """`value` as a Tensor (numbers and arrays take `like`'s dtype), checked when validating."""
        if not isinstance(value, Tensor):
            value = Tensor(backend.array_module(like.data).asarray(value, dtype=like.dtype))
        if self._validate_args:
            self._validate_sample(value)
        return value

    def sample(self, sample_shape: Any = (), *, seed: Any = None, generator: Any = None) -> Tensor:
        """A draw of shape sample_shape + batch_shape + event_shape, outside the graph."""
        return self.rsample(sample_shape, seed=seed, generator=generator).detach()

    def rsample(
        self, sample_shape: Any = (), *, seed: Any = None, generator: Any = None, noise: Any = None
    ) -> Tensor:
        """A reparameterised draw: gradients flow from it into the parameters."""
        raise NotImplementedError(f"{type(self).__name__} does not implement rsample")

    def log_prob(self, value: Any) -> Tensor:
        raise NotImplementedError

    def cdf(self, value: Any) -> Tensor:
        raise NotImplementedError

    def icdf(self, value: Any) -> Tensor:
        raise NotImplementedError

    def entropy(self) -> Tensor:
        raise NotImplementedError

    @property
    def mean(self) -> Tensor:
        raise NotImplementedError

    @property
    def variance(self) -> Tensor:
        raise NotImplementedError

    @property
    def stddev(self) -> Tensor:
        return self.variance.sqrt()

    def __repr__(self) -> str:
        shown = []
        for name in self._given():
            value = getattr(self, name)
            size = int(np.prod(value.shape))
            shown.append(f"{name}: {float(value.data.reshape(-1)[0]) if size == 1 else value.shape}")
        return f"{type(self).__name__}({', '.join(shown)})"
