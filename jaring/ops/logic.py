"""Logic and tests: & | ^ ~, logical_and/or/xor/not, isnan isinf isfinite isclose, any/all.

None of these has a derivative, so they return tensors outside the graph, as the comparisons
do. The bitwise operators take boolean and integer tensors (dtypes promote as in PyTorch) and
refuse floats, as torch does; the logical_* functions take any dtype and give booleans.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, pick_keepdims, resolve_axis
from jaring.ops.promotion import promote


def _bitwise(name: str, a: Any, b: Any, ufunc: str) -> Tensor:
    a, b = promote(a, b)
    if a.dtype.kind not in "biu":
        raise TypeError(f"{name} takes boolean or integer tensors, got {a.dtype}")
    xp = backend.array_module(a.data, b.data)
    try:
        return Tensor._from_op(getattr(xp, ufunc)(a.data, b.data), None)
    except ValueError:
        raise ValueError(f"{name}: shapes {a.shape} and {b.shape} cannot be broadcast together") from None


def bitwise_and(a: Any, b: Any) -> Tensor:
    """a & b: logical and of booleans, bitwise and of integers.

    Examples:
        >>> import jaring
        >>> jaring.bitwise_and(jaring.tensor([12, 10]), jaring.tensor([10, 6]))
        tensor([8, 2])
    """
    return _bitwise("bitwise_and", a, b, "bitwise_and")


def bitwise_or(a: Any, b: Any) -> Tensor:
    """a | b: logical or of booleans, bitwise or of integers.

    Examples:
        >>> import jaring
        >>> jaring.bitwise_or(jaring.tensor([12, 10]), jaring.tensor([10, 6]))
        tensor([14, 14])
    """
    return _bitwise("bitwise_or", a, b, "bitwise_or")


def bitwise_xor(a: Any, b: Any) -> Tensor:
    """a ^ b: exclusive or of booleans or of integer bits.

    Examples:
        >>> import jaring
        >>> jaring.bitwise_xor(jaring.tensor([12, 10]), jaring.tensor([10, 6]))
        tensor([ 6, 12])
    """
    return _bitwise("bitwise_xor", a, b, "bitwise_xor")


def bitwise_not(a: Any) -> Tensor:
    """~a: logical not of booleans, bitwise not of integers.

    Examples:
        >>> import jaring
        >>> jaring.bitwise_not(jaring.tensor([True, False]))
        tensor([False,  True])
        >>> jaring.bitwise_not(jaring.tensor([0, 5]))
        tensor([-1, -6])
    """
    a = as_tensor(a)
    if a.dtype.kind not in "biu":
        raise TypeError(f"bitwise_not takes boolean or integer tensors, got {a.dtype}")
    return Tensor._from_op(backend.array_module(a.data).invert(a.data), None)


def _logical(name: str, a: Any, b: Any) -> Tensor:
    a, b = as_tensor(a), as_tensor(b, like=a if isinstance(a, Tensor) else None)
    xp = backend.array_module(a.data, b.data)
    try:
        return Tensor._from_op(getattr(xp, name)(a.data, b.data), None)
    except ValueError:
        raise ValueError(f"{name}: shapes {a.shape} and {b.shape} cannot be broadcast together") from None


def logical_and(a: Any, b: Any) -> Tensor:
    """True where both are nonzero.

    Examples:
        >>> import jaring
        >>> jaring.logical_and(jaring.tensor([1, 0, 2]), jaring.tensor([3, 4, 0]))
        tensor([ True, False, False])
    """
    return _logical("logical_and", a, b)


def logical_or(a: Any, b: Any) -> Tensor:
    """True where either is nonzero.

    Examples:
        >>> import jaring
        >>> jaring.logical_or(jaring.tensor([1, 0, 0]), jaring.tensor([0, 0, 5]))
        tensor([ True, False,  True])
    """
    return _logical("logical_or", a, b)


def logical_xor(a: Any, b: Any) -> Tensor:
    """True where exactly one is nonzero.

    Examples:
        >>> import jaring
        >>> jaring.logical_xor(jaring.tensor([True, True]), jaring.tensor([True, False]))
        tensor([False,  True])
    """
    return _logical("logical_xor", a, b)


def logical_not(a: Any) -> Tensor:
    """True where a is zero.

    Examples:
        >>> import jaring
        >>> jaring.logical_not(jaring.tensor([0.0, 2.5]))
        tensor([ True, False])
    """
    a = as_tensor(a)
    return Tensor._from_op(backend.array_module(a.data).logical_not(a.data), None)


def _test(name: str, a: Any) -> Tensor:
    a = as_tensor(a)
    return Tensor._from_op(getattr(backend.array_module(a.data), name)(a.data), None)


def isnan(a: Any) -> Tensor:
    """True where a is nan.

    Examples:
        >>> import jaring
        >>> jaring.isnan(jaring.tensor([1.0, float("nan"), float("inf")]))
        tensor([False,  True, False])
    """
    return _test("isnan", a)


def isinf(a: Any) -> Tensor:
    """True where a is +inf or -inf.

    Examples:
        >>> import jaring
        >>> jaring.isinf(jaring.tensor([1.0, float("nan"), -float("inf")]))
        tensor([False, False,  True])
    """
    return _test("isinf", a)


def isfinite(a: Any) -> Tensor:
    """True where a is neither inf nor nan.

    Examples:
        >>> import jaring
        >>> jaring.isfinite(jaring.tensor([1.0, float("nan"), float("inf")]))
        tensor([ True, False, False])
    """
    return _test("isfinite", a)


def isclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
    """|a - b| <= atol + rtol * |b| elementwise (torch's and NumPy's rule, not symmetric in a, b).

    Examples:
        >>> import jaring
        >>> jaring.isclose(jaring.tensor([1.0 + 1e-6, 1.1]), 1.0)
        tensor([ True, False])
    """
    a, b = promote(a, b)
    xp = backend.array_module(a.data, b.data)
    return Tensor._from_op(xp.isclose(a.data, b.data, rtol=rtol, atol=atol, equal_nan=equal_nan), None)


def _reduce_bool(name: str, x: Any, axis: Any, keepdims: bool, dim: Any) -> Tensor:
    x = as_tensor(x)
    axes = resolve_axis(name, axis, x.ndim, dim=dim, many=True) if x.ndim else None
    out = getattr(backend.array_module(x.data), name)(x.data, axis=axes, keepdims=keepdims)
    return Tensor._from_op(out, None)


def any(
    x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None, keepdim: bool | None = None
) -> Tensor:
    """True where any element along `axis` (`dim`) is nonzero; every axis when None.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[0, 0], [0, 3]])
        >>> jaring.any(x, dim=1), jaring.any(x)
        (tensor([False,  True]), tensor(True))
    """
    return _reduce_bool("any", x, axis, pick_keepdims(keepdims, keepdim), dim)


def all(
    x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None, keepdim: bool | None = None
) -> Tensor:
    """True where every element along `axis` (`dim`) is nonzero; every axis when None.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[1, 2], [0, 3]])
        >>> jaring.all(x, dim=1), jaring.all(x)
        (tensor([ True, False]), tensor(False))
    """
    return _reduce_bool("all", x, axis, pick_keepdims(keepdims, keepdim), dim)
