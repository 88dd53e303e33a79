"""torch's `Tensor.apply_(fn)` and `Tensor.map_(other, fn)`: a Python callable run on every
element, in place, on a CPU tensor that does not require grad (as torch, which refuses both)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.autograd.versions import advance
from jaring.ops.common import as_tensor
from jaring.ops.inplace import _write


def _check(t: Tensor, fn: Any, name: str) -> None:
    if not isinstance(t, Tensor):
        raise TypeError(f"{name}: expected a Tensor, got {type(t).__name__}")
    if not callable(fn):
        raise TypeError(f"{name}: expected a callable, got {type(fn).__name__}")
    if t.requires_grad:
        raise RuntimeError(
            f"Can't call {name}() on Variable that requires grad. Use var.detach().{name}() instead."
        )
    if backend.array_module(t.data) is not np:
        raise TypeError(f"{name} is only implemented on CPU tensors")


def _store(t: Tensor, values: list, name: str) -> Tensor:
    _write(t, np.array(values, dtype=t.dtype).reshape(t.shape), name)
    advance(t, t.data)
    return t


def apply_(self: Tensor, callable: Callable[[Any], Any]) -> Tensor:
    """Replace each element x by callable(x) (a Python number in, one out) and return self.

    Slow (one Python call per element): for tests and small tensors, as in torch.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1.0, 2.0, 3.0])
        >>> x.apply_(lambda v: v * v + 1)
        tensor([ 2.,  5., 10.])
    """
    _check(self, callable, "apply_")
    return _store(self, [callable(v) for v in np.ravel(self.data).tolist()], "apply_")


def map_(self: Tensor, tensor: Any, callable: Callable[[Any, Any], Any]) -> Tensor:
    """Replace each element x by callable(x, y), y the matching element of `tensor` broadcast to
    self's shape, and return self (torch's Tensor.map_).

    Examples:
        >>> import jaring
        >>> x = jaring.ones(2, 3)
        >>> x.map_(jaring.tensor([1.0, 2.0, 3.0]), lambda a, b: a + b).tolist()
        [[2.0, 3.0, 4.0], [2.0, 3.0, 4.0]]
    """
    _check(self, callable, "map_")
    other = as_tensor(tensor).data
    try:
        other = np.broadcast_to(backend.to_numpy(other), self.shape)
    except ValueError:
        raise RuntimeError(
            f"map_: the tensor of shape {tuple(np.shape(other))} cannot be broadcast to "
            f"self's shape {self.shape}"
        ) from None
    pairs = zip(np.ravel(self.data).tolist(), np.ravel(other).tolist())
    return _store(self, [callable(a, b) for a, b in pairs], "map_")


METHODS: dict[str, Any] = {"apply_": apply_, "map_": map_}
