"""Whole-tensor comparisons that answer in Python: is_tensor, equal and allclose (torch's)."""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.tensor import Tensor


def is_tensor(obj: Any) -> bool:
    """True when `obj` is a jaring Tensor (torch.is_tensor).

    Examples:
        >>> import jaring
        >>> jaring.is_tensor(jaring.zeros(2)), jaring.is_tensor([0.0, 0.0])
        (True, False)
    """
    return isinstance(obj, Tensor)


def _tensor(op: str, name: str, value: Any) -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(f"{op}(): argument '{name}' must be Tensor, not {type(value).__name__}")
    return value


def equal(a: Any, b: Any) -> bool:
    """True when a and b have the same shape and the same values (torch.equal; NaN != NaN).

    Examples:
        >>> import jaring
        >>> jaring.equal(jaring.tensor([1, 2]), jaring.tensor([1.0, 2.0]))
        True
        >>> jaring.equal(jaring.tensor([1, 2]), jaring.tensor([[1, 2]]))
        False
    """
    a, b = _tensor("equal", "input", a), _tensor("equal", "other", b)
    if a.shape != b.shape:
        return False
    return bool(backend.array_module(a.data, b.data).all(a.data == b.data))


def allclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """True when |a - b| <= atol + rtol * |b| everywhere, a and b broadcast (torch.allclose).

    Examples:
        >>> import jaring
        >>> jaring.allclose(jaring.tensor([1.0, 2.0]), jaring.tensor([1.0, 2.0 + 1e-9]))
        True
        >>> jaring.allclose(jaring.tensor([1.0]), jaring.tensor([1.1]), atol=0.01)
        False
    """
    a, b = _tensor("allclose", "input", a), _tensor("allclose", "other", b)
    xp = backend.array_module(a.data, b.data)
    try:
        close = xp.isclose(a.data, b.data, rtol=rtol, atol=atol, equal_nan=equal_nan)
    except ValueError:
        raise ValueError(f"allclose: shapes {a.shape} and {b.shape} cannot be broadcast together") from None
    return bool(close.all())
