"""Random draws torch's way: randperm, bernoulli, normal and multinomial.

Each takes `generator=` (a NumPy Generator or an int seed); without one it draws from the
process-wide generator that `jaring.manual_seed` resets, so a script is reproducible. The
numbers are drawn on the CPU and land on the device of the tensor given; the results carry
no gradient (torch's do not flow through the draw either).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.random import get_rng


def _on_device_of(values: np.ndarray, like: Any) -> Tensor:
    device = backend.device_of(like) if like is not None else "cpu"
    return Tensor._from_op(backend.to_device(values, device), None)


def _size(op: str, size: Any) -> tuple:
    size = tuple(size) if isinstance(size, (tuple, list)) else (size,)
    for n in size:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"{op}: size must be a tuple of ints, got {size!r}")
        if n < 0:
            raise ValueError(f"{op}: Trying to create tensor with negative dimension {n}: {list(size)}")
    return tuple(int(n) for n in size)


def randperm(n: int, *, generator: Any = None, dtype: Any = np.int64) -> Tensor:
    """A random permutation of 0 .. n-1 (int64), as torch.randperm.

    Examples:
        >>> import jaring
        >>> sorted(jaring.randperm(5, generator=0).tolist())
        [0, 1, 2, 3, 4]
    """
    (n,) = _size("randperm", n)
    return Tensor(get_rng(generator).permutation(n).astype(dtype))


def bernoulli(x: Any, p: Any = None, *, generator: Any = None) -> Tensor:
    """1 with probability x (each element a probability in [0, 1]), else 0, in x's shape and
    dtype; with a float `p`, every element has probability p (torch.bernoulli).

    Examples:
        >>> import jaring
        >>> jaring.bernoulli(jaring.tensor([0.0, 1.0, 1.0]), generator=0).tolist()
        [0.0, 1.0, 1.0]
    """
    x = as_tensor(x)
    if x.dtype.kind != "f":
        raise TypeError(f"bernoulli: expects a floating tensor of probabilities, got {x.dtype}")
    probs = np.full(x.shape, p, dtype=np.float64) if p is not None else backend.to_numpy(x.data)
    if not np.all((probs >= 0) & (probs <= 1)):
        raise ValueError("bernoulli: expected every probability p to satisfy 0 <= p <= 1")
    draws = get_rng(generator).random(x.shape) < probs
    return _on_device_of(draws.astype(x.dtype), x.data)


def normal(
    mean: Any = 0.0, std: Any = 1.0, size: Any = None, *, generator: Any = None, dtype: Any = None
) -> Tensor:
    """Normal draws: tensor mean and/or std broadcast together (one draw per element), or
    float mean and std with `size`, as torch.normal.

    Examples:
        >>> import jaring
        >>> jaring.normal(jaring.zeros(2, 1), jaring.ones(3), generator=0).shape
        (2, 3)
        >>> jaring.normal(2.0, 0.0, size=(2,)).tolist()
        [2.0, 2.0]
    """
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if not tensors:
        if size is None:
            raise TypeError("normal: with float mean and std, give a size, e.g. normal(0.0, 1.0, size=(3,))")
        if std < 0:
            raise ValueError(f"normal expects std >= 0.0, but found std {std}")
        shape = _size("normal", size)
        values = get_rng(generator).normal(mean, std, shape)
        return Tensor(values.astype(dtype or backend.get_default_dtype()))
    if size is not None:
        raise TypeError("normal: size is only for float mean and std; a tensor mean or std gives the shape")
    for v in tensors:
        if v.dtype.kind != "f":
            raise TypeError(f"normal: expects floating mean and std tensors, got {v.dtype}")
    m, s = (backend.to_numpy(v.data) if isinstance(v, Tensor) else np.asarray(v) for v in (mean, std))
    if np.any(s < 0):
        raise ValueError("normal expects all elements of std >= 0.0")
    try:
        shape = np.broadcast_shapes(m.shape, s.shape)
    except ValueError:
        raise ValueError(
            f"normal: mean of shape {m.shape} and std of shape {s.shape} do not broadcast"
        ) from None
    values = m + s * get_rng(generator).standard_normal(shape)
    return _on_device_of(values.astype(dtype or tensors[0].dtype), tensors[0].data)


def multinomial(x: Any, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Tensor:
    """Category indices (int64) drawn with the weights in each row of x (1-D or 2-D,
    non-negative, not all 0), with or without replacement, as torch.multinomial.

    Examples:
        >>> import jaring
        >>> jaring.multinomial(jaring.tensor([0.0, 1.0, 0.0]), 2, replacement=True).tolist()
        [1, 1]
        >>> jaring.multinomial(jaring.tensor([[1.0, 1.0, 1.0]]), 3, generator=0).shape
        (1, 3)
    """
    x = as_tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"multinomial: prob_dist must be 1 or 2 dim, got shape {x.shape}")
    if x.dtype.kind != "f":
        raise TypeError(f"multinomial: expects a floating tensor of weights, got {x.dtype}")
    if isinstance(num_samples, bool) or not isinstance(num_samples, numbers.Integral) or num_samples <= 0:
        raise ValueError(f"multinomial: cannot sample {num_samples!r} samples: give an int > 0")
    weights = backend.to_numpy(x.data).astype(np.float64).reshape(-1, x.shape[-1])
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError("multinomial: probability tensor contains either `inf`, `nan` or element < 0")
    totals = weights.sum(axis=1)
    if np.any(totals <= 0):
        raise ValueError("multinomial: invalid multinomial distribution (sum of probabilities <= 0)")
    if not replacement and num_samples > weights.shape[1]:
        raise ValueError(
            "multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    rng = get_rng(generator)
    if replacement:
        edges = np.cumsum(weights, axis=1) / totals[:, None]
        u = rng.random((weights.shape[0], num_samples))
        picks = np.stack([np.searchsorted(e, r, side="right") for e, r in zip(edges, u)])
        picks = np.minimum(picks, weights.shape[1] - 1)  # rounding at the top edge
    else:  # the exponential race: the first num_samples to arrive, each at rate w
        with np.errstate(divide="ignore"):
            arrival = rng.exponential(size=weights.shape) / weights
        picks = np.argsort(arrival, axis=1, kind="stable")[:, :num_samples]
    picks = picks.astype(np.int64)
    return _on_device_of(picks if x.ndim == 2 else picks[0], x.data)
