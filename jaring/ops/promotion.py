"""PyTorch's type promotion, in one place, for the arithmetic ops (NumPy's rules differ).

NumPy would turn float32 + an int array, int / int, int ** 0.5 and exp(int) into float64,
silently leaving the float32 default. PyTorch ranks the operands in three groups: tensors with
dimensions, 0-d tensors, then Python numbers. The highest group decides the dtype, and a lower
group only counts when it brings a higher category (bool < integer < float): then an int
tensor with a float 0-d tensor takes that tensor's float dtype, and with a Python float the
default float dtype (float32). Within one group, int with float gives the float dtype.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


def _python_number(value: Any) -> bool:
    """Python numbers and NumPy scalars rank below all tensors, as torch ranks its wrapped numbers."""
    return isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating))


def promote_types(a: np.dtype, b: np.dtype) -> np.dtype:
    """Two tensor dtypes combined: int or bool with a float gives that float (not float64)."""
    a, b = np.dtype(a), np.dtype(b)
    if a.kind == "f" and b.kind != "f":
        return a
    if b.kind == "f" and a.kind != "f":
        return b
    return np.promote_types(a, b)


def _scalar_dtype(value: Any) -> np.dtype:
    """The dtype a Python number counts as: bool, int64, or the default float dtype."""
    if isinstance(value, (bool, np.bool_)):
        return np.dtype(bool)
    if isinstance(value, (int, np.integer)):
        return np.dtype(np.int64)
    return np.dtype(backend.get_default_dtype())


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """torch's combine_categories: a lower-priority group counts only in a higher category."""
    if higher is None:
        return lower
    if lower is None or _CATEGORY[higher.kind] >= _CATEGORY[lower.kind]:
        return higher
    return promote_types(higher, lower)


def _group_dtype(dtypes: list) -> np.dtype | None:
    out = None
    for d in dtypes:
        out = d if out is None else promote_types(out, d)
    return out


def result_type(*operands: Any) -> np.dtype:
    """The dtype torch gives an arithmetic op on `operands` (Tensors, arrays or Python numbers)."""
    groups: tuple[list, list, list] = ([], [], [])
    for x in operands:
        if _python_number(x):
            groups[2].append(_scalar_dtype(x))
        else:
            data = x.data if isinstance(x, Tensor) else Tensor(x).data
            groups[0 if data.ndim else 1].append(data.dtype)
    dims, zero_dim, numbers = (_group_dtype(g) for g in groups)
    return _combine(dims, _combine(zero_dim, numbers))


def float_type(dtype: np.dtype) -> np.dtype:
    """`dtype` for an op whose result is always floating (true division, exp, log, sqrt...)."""
    return dtype if dtype.kind == "f" else np.dtype(backend.get_default_dtype())


def to_dtype(x: Any, dtype: np.dtype, like: Tensor | None = None) -> Tensor:
    """`x` (Tensor, array or Python number) as a Tensor of `dtype`; a float cast keeps the graph."""
    if isinstance(x, Tensor):
        if x.data.dtype == dtype:
            return x
        from jaring.ops.arith import cast  # arith imports this module

        return cast(x, dtype)
    if not _python_number(x):
        x = Tensor(x).data  # nested lists and arrays, checked as Tensor() checks them
    xp = backend.array_module(like.data) if like is not None else np
    return Tensor._from_op(xp.asarray(x, dtype=dtype), None)


def promote(a: Any, b: Any, floating: bool = False) -> tuple[Tensor, Tensor]:
    """Both operands as Tensors of torch's result dtype (a float dtype if `floating`)."""
    dtype = result_type(a, b)
    if floating:
        dtype = float_type(dtype)
    like = a if isinstance(a, Tensor) else b if isinstance(b, Tensor) else None
    return to_dtype(a, dtype, like), to_dtype(b, dtype, like)


def can_cast(result: np.dtype, target: np.dtype) -> bool:
    """Whether an in-place op may write a `result` dtype into a `target` tensor (torch's rule:
    never down a category, float into int or int into bool; float64 into float32 is allowed)."""
    return _CATEGORY[np.dtype(result).kind] <= _CATEGORY[np.dtype(target).kind]
