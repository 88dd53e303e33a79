"""torch's extra keywords on the reductions: `dtype=` (cast the input first) and `unbiased=`
(the older spelling of var/std's `correction`), shared by reduce, scan, product and softmax."""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops.arith import cast
from jaring.ops.common import as_tensor


def cast_input(x: Any, dtype: Any) -> Tensor:
    """`x` as a Tensor converted to `dtype` before a reduction, as torch's `dtype=` does (None:
    unchanged); a float-to-float cast passes the gradient back, converted to x's dtype."""
    x = as_tensor(x)
    if dtype is None or x.dtype == dtype:
        return x
    return cast(x, dtype)


def pick_correction(name: str, correction: Any, unbiased: bool | None) -> Any:
    """var/std's divisor correction from torch's `correction=` or `unbiased=` (True: 1, False:
    0); default 1. Both at once is a TypeError, as torch refuses that combination."""
    if unbiased is not None and correction is not None:
        raise TypeError(f"{name}(): pass correction= or unbiased=, not both (unbiased=True is correction=1)")
    if unbiased is not None:
        if not isinstance(unbiased, bool):
            raise TypeError(f"{name}(): unbiased must be a bool, got {type(unbiased).__name__}")
        return 1 if unbiased else 0
    return 1 if correction is None else correction
