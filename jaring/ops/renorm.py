"""renorm: every slice along a dim whose p-norm exceeds maxnorm scaled down to that norm.

Composed from the p-norm (PNorm, whose gradient at a zero slice is 0), where and a product, so the
gradient goes through the scale factor too, as torch's renorm backward does.
"""

from __future__ import annotations

import math
from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.select import where
from jaring.ops.tensor_methods_torch import norm


def renorm(input: Any, p: float, dim: int, maxnorm: float) -> Tensor:
    """`input` with each slice input.select(dim, i) whose p-norm is above `maxnorm` multiplied by
    maxnorm / (norm + 1e-7), the others left as they are, as torch.renorm. Also `x.renorm(...)`.

    Examples:
        >>> import jaring
        >>> jaring.renorm(jaring.tensor([[3.0, 4.0], [0.3, 0.4]]), p=2, dim=0, maxnorm=1).tolist()
        [[0.6000000238418579, 0.800000011920929], [0.30000001192092896, 0.4000000059604645]]
    """
    x = as_tensor(input)
    if x.dtype.kind != "f":
        raise TypeError(f"renorm: expects a floating-point input, got {x.dtype}")
    if isinstance(p, bool) or not isinstance(p, (int, float)) or math.isnan(p) or p <= 0:
        raise ValueError(f"renorm: non-positive-norm not supported, got p={p!r}")
    if isinstance(maxnorm, bool) or not isinstance(maxnorm, (int, float)) or not maxnorm >= 0:
        raise ValueError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm!r}")
    if x.ndim < 2:
        raise ValueError(f"renorm: input needs at least 2 dimensions, got {x.ndim} dimensions")
    axis = resolve_axis("renorm", dim, x.ndim, name="dim")
    others = tuple(d for d in range(x.ndim) if d != axis)
    size = norm(x, p=p, dim=others, keepdim=True)
    factor = where(size > maxnorm, maxnorm / (size + 1e-7), 1.0)
    return x * factor
