"""Ways to make tensors: from data, filled with a constant, ranges, identity and random draws."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from jaring import backend
from jaring.allocation import check_fits_in_memory
from jaring.autograd.tensor import Tensor
from jaring.random import get_rng

# The most values arange makes (8 GiB of int64), so a typo such as arange(1e12) fails at once.
MAX_ARANGE = 2**30


def _shape(shape: tuple) -> tuple:
    # Accept both zeros(2, 3) and zeros((2, 3)), as PyTorch does.
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for n in shape:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"a shape holds non-negative integers, got {shape}")
    shape = tuple(int(n) for n in shape)
    check_fits_in_memory(shape, 8, "a tensor")
    return shape


def _float(dtype: Any) -> np.dtype:
    return backend.get_default_dtype() if dtype is None else np.dtype(dtype)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor from a number, nested list, array or Tensor (float lists become float32).

    Always a copy, as torch.tensor: changing the array afterwards cannot change the tensor or
    its gradients. `from_numpy` and `as_tensor` share the array's memory instead.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        >>> x.shape, x.dtype, x.requires_grad
        ((2, 2), dtype('float32'), True)
    """
    out = Tensor(data, requires_grad=requires_grad, dtype=dtype)
    source = data.data if isinstance(data, Tensor) else data
    if out.data is source:  # no conversion made a fresh array
        out.data = source.copy(order="K")  # keeps the memory layout (column-major weights stay so)
    return out


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing `array`'s memory and dtype (torch.from_numpy): each sees the other's writes.

    Examples:
        >>> import numpy as np, jaring
        >>> a = np.zeros(3, dtype=np.float32)
        >>> t = jaring.from_numpy(a)
        >>> a[0] = 5.0
        >>> t.numpy()
        array([5., 0., 0.], dtype=float32)
    """
    if type(array) is not np.ndarray:
        raise TypeError(f"from_numpy: expected a NumPy ndarray, got {type(array).__name__}")
    return Tensor(array)


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """`data` as a tensor without copying when it can (torch.as_tensor).

    A Tensor or an array that already has `dtype` (any dtype when None) is shared, so writes to
    one show in the other; anything else (lists, numbers, another dtype) is converted into new
    memory. A Tensor comes back as it is, graph and all.

    Examples:
        >>> import numpy as np, jaring
        >>> a = np.ones(2, dtype=np.float32)
        >>> jaring.as_tensor(a).numpy() is a, jaring.as_tensor(a, dtype="float64").dtype
        (True, dtype('float64'))
    """
    if isinstance(data, Tensor) and (dtype is None or data.dtype == np.dtype(dtype)):
        return data
    return Tensor(data, dtype=dtype)


def zeros(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros of the given shape (float32 unless `dtype`).

    Examples:
        >>> import jaring
        >>> jaring.zeros(2, 3).shape
        (2, 3)
    """
    return Tensor(np.zeros(_shape(shape), dtype=_float(dtype)), requires_grad=requires_grad)


def empty(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor to be filled in (torch.empty); jaring fills it with zeros, so that a value read
    before it is written is the same on every run.

    Examples:
        >>> import jaring
        >>> jaring.empty(2).numpy()
        array([0., 0.], dtype=float32)
    """
    return zeros(*shape, dtype=dtype, requires_grad=requires_grad)


def empty_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    """A tensor of t's shape and dtype to be filled in (zeros, as `empty`).

    Examples:
        >>> import jaring
        >>> jaring.empty_like(jaring.tensor([1, 2, 3])).dtype
        dtype('int64')
    """
    return Tensor(np.zeros(t.shape, dtype=t.dtype), requires_grad=requires_grad)


def ones(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones of the given shape (float32 unless `dtype`).

    Examples:
        >>> import jaring
        >>> jaring.ones(3).numpy()
        array([1., 1., 1.], dtype=float32)
    """
    return Tensor(np.ones(_shape(shape), dtype=_float(dtype)), requires_grad=requires_grad)


def full(shape: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of `shape` filled with `fill_value`.

    Examples:
        >>> import jaring
        >>> jaring.full((2,), 7.0).numpy()
        array([7., 7.], dtype=float32)
    """
    if isinstance(fill_value, bool) or not isinstance(fill_value, numbers.Real):
        raise TypeError(
            f"full: fill_value must be a number, got {fill_value!r:.80} (a {type(fill_value).__name__})"
        )
    shape = _shape((shape,) if isinstance(shape, (tuple, list)) else (shape,))
    return Tensor(np.full(shape, fill_value, dtype=_float(dtype)), requires_grad=requires_grad)


def zeros_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    """Zeros of t's shape and dtype.

    Examples:
        >>> import jaring
        >>> jaring.zeros_like(jaring.ones(2, 2)).tolist()
        [[0.0, 0.0], [0.0, 0.0]]
    """
    return Tensor(np.zeros_like(t.numpy()), requires_grad=requires_grad)


def ones_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    """Ones of t's shape and dtype.

    Examples:
        >>> import jaring
        >>> jaring.ones_like(jaring.zeros(2)).numpy()
        array([1., 1.], dtype=float32)
    """
    return Tensor(np.ones_like(t.numpy()), requires_grad=requires_grad)


def arange(start: float, stop: float | None = None, step: float = 1, dtype: Any = None) -> Tensor:
    """Evenly spaced values in [start, stop); integers unless a float bound or dtype says otherwise.

    Examples:
        >>> import jaring
        >>> jaring.arange(0, 10, 3).numpy()
        array([0, 3, 6, 9])
    """
    for name, value in (("start", start), ("stop", stop), ("step", step)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
            raise TypeError(f"arange: {name} must be a number, got {value!r:.80} (a {type(value).__name__})")
        if value is not None and not math.isfinite(value):
            raise ValueError(f"arange: {name} must be finite, got {value}")
    if step == 0:
        raise ValueError("arange: step must not be 0 (the range would never reach stop)")
    count = math.ceil((start if stop is None else stop - start) / (1 if stop is None else step))
    if count > MAX_ARANGE:
        raise ValueError(f"arange: the range has {count:,} values, more than {MAX_ARANGE:,}")
    values = np.arange(start, stop, step) if stop is not None else np.arange(start)
    if dtype is None and values.dtype.kind == "f":
        dtype = backend.get_default_dtype()
    return Tensor(values, dtype=dtype)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """The n x m identity matrix (m defaults to n).

    Examples:
        >>> import jaring
        >>> jaring.eye(2).numpy()
        array([[1., 0.],
               [0., 1.]], dtype=float32)
    """
    _shape((n,) if m is None else (n, m))
    return Tensor(np.eye(n, m, dtype=_float(dtype)), requires_grad=requires_grad)


def _draws_from(what: str, seed: Any, generator: Any) -> Any:
    """The generator a draw uses: `seed` (jaring's word) or `generator` (torch's), not both."""
    if seed is not None and generator is not None:
        raise TypeError(f"{what}: pass seed= or generator=, not both (they name the same thing)")
    return get_rng(seed if generator is None else generator)


def rand(
    *shape: Any, seed: Any = None, dtype: Any = None, requires_grad: bool = False, generator: Any = None
) -> Tensor:
    """Uniform draws in [0, 1); `seed` is an int or a numpy Generator, `generator` (torch's
    spelling) a jaring.Generator or the same.

    Examples:
        >>> import jaring
        >>> a, b = jaring.rand(3, seed=0), jaring.rand(3, seed=0)
        >>> bool((a.numpy() == b.numpy()).all()), bool(((0 <= a.numpy()) & (a.numpy() < 1)).all())
        (True, True)
    """
    values = (
        _draws_from("rand", seed, generator).random(_shape(shape), dtype=np.float64).astype(_float(dtype))
    )
    return Tensor(values, requires_grad=requires_grad)


def randn(
    *shape: Any, seed: Any = None, dtype: Any = None, requires_grad: bool = False, generator: Any = None
) -> Tensor:
    """Standard normal draws; `seed` is an int or a numpy Generator, `generator` (torch's
    spelling) a jaring.Generator or the same.

    Examples:
        >>> import jaring
        >>> w = jaring.randn(4, 3, seed=0, requires_grad=True)
        >>> w.shape, w.requires_grad
        ((4, 3), True)
    """
    values = _draws_from("randn", seed, generator).standard_normal(_shape(shape)).astype(_float(dtype))
    return Tensor(values, requires_grad=requires_grad)


# ----- ranges and integer draws (issue 13) ---------------------------------------------------


def linspace(start: float, end: float, steps: int, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """`steps` evenly spaced values from `start` to `end`, both included (torch.linspace).

    Examples:
        >>> import jaring
        >>> jaring.linspace(0, 1, 5).numpy()
        array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
    """
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ValueError(f"linspace: {name} must be a finite number, got {value!r:.80}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"linspace: steps must be an integer >= 0, got {steps!r:.80}")
    _shape((steps,))
    return Tensor(np.linspace(start, end, int(steps)).astype(_float(dtype)), requires_grad=requires_grad)


def randint(
    low: int,
    high: Any = None,
    size: Any = None,
    *,
    seed: Any = None,
    dtype: Any = None,
    generator: Any = None,
) -> Tensor:
    """Integers drawn uniformly from [low, high) (int64); randint(high, size) starts at 0, as in torch.

    `seed` is an int or a NumPy Generator (`generator`, torch's spelling, a jaring.Generator or the
    same); without one the generator `manual_seed` set is used.

    Examples:
        >>> import jaring
        >>> labels = jaring.randint(0, 10, (4,), seed=0)
        >>> labels.dtype, bool(((labels.numpy() >= 0) & (labels.numpy() < 10)).all())
        (dtype('int64'), True)
    """
    if size is None:  # randint(high, size)
        low, high, size = 0, low, high
    if size is None:
        raise TypeError("randint needs a size, e.g. randint(10, (3,)) or randint(0, 10, (3,))")
    for name, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"randint: {name} must be an int, got {value!r:.80}")
    if high <= low:
        raise ValueError(f"randint: high ({high}) must be larger than low ({low})")
    shape = _shape(tuple(size) if isinstance(size, (tuple, list)) else (size,))
    values = _draws_from("randint", seed, generator).integers(low, high, size=shape, dtype=np.int64)
    return Tensor(values, dtype=np.int64 if dtype is None else dtype)
