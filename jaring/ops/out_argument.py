"""torch's `out=` keyword on the top-level functions: `torch.matmul(a, b, out=c)` writes into c.

The result is computed as usual, then written into `out`'s own memory (cast to its dtype; a
tensor of another shape is given the result's shape, as torch resizes it). As in torch, an
`out=` call is not differentiable: it refuses when an input requires grad and grad mode is on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from jaring import backend
from jaring.autograd import function
from jaring.autograd.tensor import Tensor
from jaring.autograd.versions import advance


def _requires_grad(values: Any) -> bool:
    for value in values:
        if isinstance(value, Tensor) and value.requires_grad:
            return True
        if isinstance(value, (list, tuple)) and _requires_grad(value):
            return True
    return False


def with_out(op: Callable[..., Tensor]) -> Callable[..., Any]:
    """`op`, also taking torch's keyword `out=` (a Tensor to write the result into).

    Examples:
        >>> import jaring
        >>> a, c = jaring.ones(2, 2), jaring.zeros(2, 2)
        >>> jaring.matmul(a, a, out=c) is c, c.tolist()
        (True, [[2.0, 2.0], [2.0, 2.0]])
    """

    @functools.wraps(op)
    def call(*args: Any, out: Tensor | None = None, **kwargs: Any) -> Any:
        if out is None:
            return op(*args, **kwargs)
        if not isinstance(out, Tensor):
            raise TypeError(f"{op.__name__}(): argument 'out' must be a Tensor, not {type(out).__name__}")
        if function._grad_enabled and (
            _requires_grad(args) or _requires_grad(kwargs.values()) or out.requires_grad
        ):
            raise RuntimeError(
                f"{op.__name__}(): functions with out=... arguments don't support automatic differentiation, "
                "but one of the arguments requires grad."
            )
        with function.no_grad():
            result = op(*args, **kwargs)
        values = result.data
        if tuple(out.shape) == tuple(result.shape):
            out.data[...] = values.astype(out.dtype, copy=False)
        else:
            out.data = backend.to_device(values.astype(out.dtype), backend.device_of(out.data))
        advance(out, out.data)
        return out

    return call
