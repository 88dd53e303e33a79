"""Statistics of data torch's way: cov (with frequency and importance weights), corrcoef and histc.

cov and corrcoef are composed from differentiable ops (sum, matmul, sqrt, clamp), so gradients
reach the input and the aweights as torch's do; histc counts and carries no gradient.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops import reduce
from jaring.ops.arith import sqrt
from jaring.ops.common import as_tensor, floating
from jaring.ops.linalg import matmul
from jaring.ops.select import clamp
from jaring.ops.shape import reshape, squeeze, transpose, unsqueeze
from jaring.ops.triangle import diagonal


def _weights(name: str, w: Any, observations: int, kinds: str, kind_name: str) -> Tensor:
    w = as_tensor(w)
    if w.ndim > 1:
        raise ValueError(
            f"cov(): expected {name} to have one or fewer dimensions but got {name} with {w.ndim} dimensions"
        )
    if w.dtype.kind not in kinds:
        raise TypeError(
            f"cov(): expected {name} to have {kind_name} dtype but got {name} with {w.dtype} dtype"
        )
    if w.size != observations:
        raise ValueError(
            f"cov(): expected {name} to have the same numel as there are observations in the input "
            f"but got {w.size} != {observations}"
        )
    if w.size and bool((w.data < 0).any()):
        raise ValueError(f"cov(): {name} cannot be negative")
    return reshape(w, (observations,))


def cov(input: Any, *, correction: int = 1, fweights: Any = None, aweights: Any = None) -> Tensor:
    """The covariance matrix of the variables in the rows of `input` (observations in the columns;
    a 1-D input is one variable, giving a 0-d result), as torch.cov: `correction` is subtracted
    from the (weighted) count (1: Bessel's), `fweights` are integer repeat counts of each
    observation and `aweights` float importances. Also `x.cov(...)`.

    Examples:
        >>> import jaring
        >>> jaring.cov(jaring.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])).tolist()
        [[1.0, -1.0], [-1.0, 1.0]]
        >>> jaring.cov(jaring.tensor([1.0, 2.0, 4.0]), correction=0).item()
        1.5555...
    """
    x = as_tensor(input)
    if x.ndim > 2:
        raise ValueError(
            f"cov(): expected input to have two or fewer dimensions but got an input with {x.ndim} dimensions"
        )
    x = floating(x) if x.dtype.kind in "biu" else x
    rows = x if x.ndim == 2 else reshape(x, (1, -1))
    observations = rows.shape[1]
    w = None if fweights is None else _weights("fweights", fweights, observations, "iu", "integral")
    a = None if aweights is None else _weights("aweights", aweights, observations, "f", "floating point")
    if a is not None:
        w = a if w is None else w * a
    total = observations if w is None else reduce.sum(w)
    mean = reduce.sum(rows if w is None else rows * w, 1) / total
    if w is not None and correction != 0 and a is not None:
        norm = total - correction * reduce.sum(w * a) / total
    else:
        norm = total - correction
    if float(norm.item() if isinstance(norm, Tensor) else norm) <= 0:
        warnings.warn(
            "cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of "
            "observations.",
            UserWarning,
            stacklevel=2,
        )
        norm = norm * 0
    centered = rows - unsqueeze(mean, 1)
    product = matmul(centered, transpose(centered if w is None else centered * w))
    with np.errstate(divide="ignore", invalid="ignore"):
        return squeeze(product / norm)


def corrcoef(input: Any) -> Tensor:
    """The Pearson correlation coefficients of the variables in the rows of `input` (cov over the
    outer product of the standard deviations, clipped to [-1, 1]), as torch.corrcoef.
    Also `x.corrcoef()`.

    Examples:
        >>> import jaring
        >>> jaring.corrcoef(jaring.tensor([[0.0, 1.0, 2.0], [4.0, 2.0, 0.0]])).tolist()
        [[1.0, -1.0], [-1.0, 1.0]]
    """
    c = cov(input)
    with np.errstate(divide="ignore", invalid="ignore"):
        if c.ndim == 0:
            return c / c
        spread = sqrt(diagonal(c))
        c = c / unsqueeze(spread, 1)
        c = c / unsqueeze(spread, 0)
    return clamp(c, -1, 1)


def _range(x: Tensor, low: float, high: float) -> tuple:
    if low == high and x.size:
        low, high = float(x.data.min()), float(x.data.max())
    if low == high:
        low, high = low - 1, high + 1
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"histc: range of [{low}, {high}] is not finite")
    if low > high:
        raise ValueError("histc: max must be larger than min")
    return low, high


def histc(input: Any, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
    """Counts of the elements in `bins` equal-width bins between `min` and `max` (both 0: the
    data's own least and greatest), as histc: elements outside are left out, those equal
    to max count in the last bin. Float input only; the counts have its dtype and no gradient.
    Also `x.histc(...)`.

    Examples:
        >>> import jaring
        >>> jaring.histc(jaring.tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3).tolist()
        [0.0, 2.0, 1.0, 0.0]
    """
    x = as_tensor(input)
    if x.dtype.kind != "f":
        raise TypeError(f"histc: expects a floating-point input, got {x.dtype}")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins <= 0:
        raise ValueError(f"histc: bins must be > 0, but got {bins!r}")
    low, high = _range(x, float(min), float(max))
    xp = backend.array_module(x.data)
    data = x.data.reshape(-1)
    edges = xp.linspace(low, high, int(bins) + 1).astype(x.dtype)
    inside = data[(data >= edges[0]) & (data <= edges[-1])]
    at = xp.clip(xp.searchsorted(edges, inside, side="right") - 1, 0, int(bins) - 1)
    counts = xp.bincount(at, minlength=int(bins)).astype(x.dtype)
    return Tensor._from_op(counts, None)
