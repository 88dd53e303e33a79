"""torch.nn.init's in-place initialisers: `nn.init.kaiming_normal_(layer.weight)` fills a Tensor.

Each function writes new values into `tensor.data` (its dtype and memory layout kept), records
nothing in the autograd graph, keeps `requires_grad`, counts one in-place change in the tensor's
version (as torch's do under no_grad) and returns the same tensor. Fans are torch's
`_calculate_fan_in_and_fan_out`, read from the tensor's shape: dim 0 is fan_out, dim 1 fan_in,
each times the product of dims 2: (nn.Linear and nn.Conv2d weights are (out, in, *kernel)).
`generator` is a NumPy or jaring Generator, an int seed, or None for jaring's global generator (reset by
jaring.manual_seed). Random values are drawn in float64 with NumPy and then cast and moved to
the tensor's dtype and device (CuPy too). Gains and fans come from jaring/nn/init_gain.py.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.autograd.versions import advance
from jaring.generator import Generator
from jaring.nn.init_gain import _calculate_correct_fan, _calculate_fan_in_and_fan_out, calculate_gain
from jaring.random import get_rng


def _checked(tensor: Any, name: str, floating: bool = False) -> Tensor:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"nn.init.{name}: expected a jaring Tensor or an array, got {type(tensor).__name__}")
    if floating and tensor.dtype.kind != "f":
        raise TypeError(
            f"nn.init.{name} draws floating-point values and needs a floating-point tensor; "
            f"this one is {tensor.dtype} (torch: not implemented for integer tensors)"
        )
    return tensor


def _rng(generator: Any, name: str) -> np.random.Generator:
    if isinstance(generator, bool) or not (
        generator is None or isinstance(generator, (int, np.integer, np.random.Generator, Generator))
    ):
        raise TypeError(
            f"nn.init.{name}: generator must be a numpy Generator, an int seed or None "
            f"(or a jaring.Generator), got {type(generator).__name__}"
        )
    return get_rng(generator)


def _write(tensor: Tensor, values: Any, name: str) -> Tensor:
    """Put `values` (a NumPy array or a number) into tensor's own memory, outside the graph."""
    data = tensor.data
    if isinstance(data, np.generic):  # a NumPy scalar has no memory to write into
        tensor.data = np.array(values, dtype=data.dtype)
    else:
        if isinstance(values, np.ndarray):
            values = backend.to_device(values, backend.device_of(data))
        try:
            data[...] = values
        except ValueError as exc:  # read-only memory, e.g. a broadcast view
            raise RuntimeError(f"nn.init.{name}: cannot write into this tensor's memory ({exc})") from None
    advance(tensor, tensor.data)
    return tensor


def _uniform(tensor: Tensor, a: float, b: float, generator: Any, name: str) -> Tensor:
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a:g} > to={b:g}")
    return _write(tensor, _rng(generator, name).uniform(a, b, tensor.shape), name)


def _normal(tensor: Tensor, mean: float, std: float, generator: Any, name: str) -> Tensor:
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    return _write(tensor, _rng(generator, name).normal(mean, std, tensor.shape), name)


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    """Fill `tensor` in place with draws from U(a, b).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> w = nn.init.uniform_(jaring.empty(3, 5), -0.1, 0.1, generator=0)
        >>> bool((w.abs() <= 0.1).all())
        True
    """
    return _uniform(_checked(tensor, "uniform_", floating=True), a, b, generator, "uniform_")


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> Tensor:
    """Fill `tensor` in place with draws from N(mean, std^2) (a standard deviation, as torch's).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.init.normal_(jaring.empty(3, 5), std=0.02, generator=0).shape
        (3, 5)
    """
    return _normal(_checked(tensor, "normal_", floating=True), mean, std, generator, "normal_")


def _accepted(size: int, draw: Any, accept: Any) -> np.ndarray:
    """`size` values of `draw(n)` that pass `accept(values)`, redrawing the rejected ones."""
    out = np.empty(size)
    todo = np.arange(size)
    while todo.size:
        candidates = draw(todo.size)
        ok = accept(candidates)
        out[todo[ok]] = candidates[ok]
        todo = todo[~ok]
    return out


def trunc_normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: Any = None,
) -> Tensor:
    """Fill `tensor` in place with N(mean, std^2) draws redrawn until they lie in [a, b].

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> w = nn.init.trunc_normal_(jaring.empty(100), std=0.02, a=-0.04, b=0.04, generator=0)
        >>> bool((w.abs() <= 0.04).all())
        True
    """
    _checked(tensor, "trunc_normal_", floating=True)
    if a > b:
        raise ValueError(f"nn.init.trunc_normal_: a ({a}) must not exceed b ({b})")
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
            "The distribution of values may be incorrect.",
            stacklevel=2,
        )
    rng = _rng(generator, "trunc_normal_")
    cdf = lambda x: (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0  # noqa: E731
    size = math.prod(tensor.shape)
    if cdf((b - mean) / std) - cdf((a - mean) / std) > 0.3:  # most normal draws land inside
        values = _accepted(size, lambda n: rng.normal(mean, std, n), lambda v: (v >= a) & (v <= b))
    else:  # a narrow window: uniform candidates in [a, b], kept with the normal's relative density
        peak = -0.5 * ((max(a, min(mean, b)) - mean) / std) ** 2
        density = lambda v: -0.5 * ((v - mean) / std) ** 2 - peak  # noqa: E731
        values = _accepted(
            size, lambda n: rng.uniform(a, b, n), lambda v: np.log(rng.random(v.size)) <= density(v)
        )
    return _write(tensor, values.reshape(tensor.shape), "trunc_normal_")


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill `tensor` in place with `val` (cast to its dtype, as torch's fill_).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.init.constant_(jaring.empty(2, 2), 0.5)
        tensor([[0.5000, 0.5000],
                [0.5000, 0.5000]])
    """
    _checked(tensor, "constant_")
    if isinstance(val, Tensor):
        val = val.item()
    if not isinstance(val, (bool, int, float, np.number, np.bool_)):
        raise TypeError(f"nn.init.constant_: val must be a number, got {type(val).__name__}")
    return _write(tensor, val, "constant_")


def ones_(tensor: Tensor) -> Tensor:
    """Fill `tensor` with 1 in place.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.init.ones_(jaring.empty(3))
        tensor([1., 1., 1.])
    """
    return _write(_checked(tensor, "ones_"), 1, "ones_")


def zeros_(tensor: Tensor) -> Tensor:
    """Fill `tensor` with 0 in place (as nn.init.zeros_(layer.bias)).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.init.zeros_(jaring.ones(3))
        tensor([0., 0., 0.])
    """
    return _write(_checked(tensor, "zeros_"), 0, "zeros_")


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-D `tensor` with the identity (ones on the main diagonal), in place.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.init.eye_(jaring.empty(2, 3))
        tensor([[1., 0., 0.],
                [0., 1., 0.]])
    """
    if _checked(tensor, "eye_").ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _write(tensor, np.eye(*tensor.shape), "eye_")


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fill a 3-, 4- or 5-D conv weight in place so the convolution passes its input through.

    Each of the `groups` keeps as many channels as it can: weight[g * out_per_group + d, d,
    centre] = 1 for d < min(out_per_group, in_channels), zeros elsewhere.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> w = nn.init.dirac_(jaring.empty(2, 2, 3))
        >>> w[:, :, 1]
        tensor([[1., 0.],
                [0., 1.]])
    """
    dims = _checked(tensor, "dirac_").ndim
    if dims not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    shape = tensor.shape
    if shape[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = shape[0] // groups
    values = np.zeros(shape)
    centre = tuple(n // 2 for n in shape[2:])
    for g in range(groups):
        for d in range(min(per_group, shape[1])):
            values[(g * per_group + d, d, *centre)] = 1
    return _write(tensor, values, "dirac_")


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot/Xavier uniform in place: U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> w = nn.init.xavier_uniform_(jaring.empty(4, 2), generator=0)
        >>> bool((w.abs() <= 1.0).all())
        True
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(_checked(tensor, "xavier_uniform_", floating=True))
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return _uniform(tensor, -bound, bound, generator, "xavier_uniform_")


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """Glorot/Xavier normal in place: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.init.xavier_normal_(jaring.empty(4, 2), generator=0).shape
        (4, 2)
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(_checked(tensor, "xavier_normal_", floating=True))
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return _normal(tensor, 0.0, std, generator, "xavier_normal_")


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str, name: str) -> float | None:
    """gain / sqrt(fan), or None (after torch's warning) for a tensor without elements."""
    if 0 in _checked(tensor, name, floating=True).shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return None
    fan = _calculate_correct_fan(tensor, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Tensor:
    """He/Kaiming uniform in place: U(-b, b) with b = gain * sqrt(3 / fan), fan = fan_in or fan_out.

    `a` is the negative slope of a leaky_relu (0 gives relu's gain sqrt(2)).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> w = nn.init.kaiming_uniform_(jaring.empty(4, 6), nonlinearity="relu", generator=0)
        >>> bool((w.abs() <= 1.0).all())
        True
    """
    std = _kaiming_std(tensor, a, mode, nonlinearity, "kaiming_uniform_")
    if std is None:
        return tensor
    return _uniform(tensor, -math.sqrt(3.0) * std, math.sqrt(3.0) * std, generator, "kaiming_uniform_")


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Tensor:
    """He/Kaiming normal in place: N(0, std^2) with std = gain / sqrt(fan), fan = fan_in or fan_out.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> conv = nn.Conv2d(3, 8, 3)
        >>> nn.init.kaiming_normal_(conv.weight, mode="fan_out", nonlinearity="relu").shape
        (8, 3, 3, 3)
    """
    std = _kaiming_std(tensor, a, mode, nonlinearity, "kaiming_normal_")
    if std is None:
        return tensor
    return _normal(tensor, 0.0, std, generator, "kaiming_normal_")


def orthogonal_(tensor: Tensor, gain: float = 1, generator: Any = None) -> Tensor:
    """A (semi-)orthogonal matrix times `gain`, in place; dims after the first are flattened.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> w = nn.init.orthogonal_(jaring.empty(3, 5), generator=0).numpy()
        >>> bool(abs(w @ w.T - jaring.eye(3).numpy()).max() < 1e-5)
        True
    """
    if _checked(tensor, "orthogonal_", floating=True).ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if math.prod(tensor.shape) == 0:
        return tensor
    rows = tensor.shape[0]
    cols = math.prod(tensor.shape) // rows
    flat = _rng(generator, "orthogonal_").standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))  # makes the decomposition unique, so the draw is uniform (Haar)
    if rows < cols:
        q = q.T
    return _write(tensor, (gain * q).reshape(tensor.shape), "orthogonal_")


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator: Any = None) -> Tensor:
    """A 2-D `tensor` of N(0, std^2) draws with ceil(sparsity * rows) zeros in each column, in place.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> w = nn.init.sparse_(jaring.empty(10, 3), sparsity=0.3, generator=0)
        >>> (w.numpy() == 0).sum(axis=0).tolist()
        [3, 3, 3]
    """
    if _checked(tensor, "sparse_", floating=True).ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    rows, cols = tensor.shape
    rng = _rng(generator, "sparse_")
    values = rng.normal(0.0, std, (rows, cols))
    zero_rows = rng.random((rows, cols)).argsort(axis=0)[: math.ceil(sparsity * rows)]
    values[zero_rows, np.arange(cols)] = 0.0  # a random permutation of the rows per column
    return _write(tensor, values, "sparse_")


__all__ = [
    "constant_",
    "dirac_",
    "eye_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "orthogonal_",
    "sparse_",
    "trunc_normal_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]
