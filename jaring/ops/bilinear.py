"""F.bilinear, as torch's: y[..., o] = sum_ij x1[..., i] * weight[o, i, j] * x2[..., j] + bias[o].

Built from matmul, reshape and a product summed over the last axis, so it is differentiable in
all four arguments (and twice, as those ops are): the leading dims are flattened into one batch
of B rows, x1 (B, in1) times the weight laid out as (in1, out * in2) gives (B, out, in2), which
is multiplied by x2 and summed over in2. The checks and their messages are torch's: the four
tensors must share one dtype (nn.Bilinear casts its inputs to its weight's first).
"""

from __future__ import annotations

import math
from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops.arith import add, mul
from jaring.ops.common import as_tensor
from jaring.ops.linalg import matmul
from jaring.ops.reduce import sum as reduce_sum
from jaring.ops.shape import permute, reshape


# torch's C++ names of the dtypes, as its message spells them
_TORCH_NAMES = {
    "float32": "float",
    "float64": "double",
    "float16": "c10::Half",
    "int64": "long int",
    "int32": "int",
}


def _check(x1: Tensor, x2: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    named = [("input1", x1), ("input2", x2), ("weight", weight)] + (
        [("bias", bias)] if bias is not None else []
    )
    if len({t.dtype for _, t in named}) > 1:
        listed = ", ".join(f"{name}: {_TORCH_NAMES.get(t.dtype.name, t.dtype.name)}" for name, t in named)
        raise RuntimeError(f"All tensors must have the same dtype, got {listed}")
    if x1.ndim != x2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {x1.ndim} and {x2.ndim}")
    if x1.ndim == 0:
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    for i in range(x1.ndim - 1):
        if x1.shape[i] != x2.shape[i]:
            raise RuntimeError(
                f"bilinear(): input batch dimensions do not match at dim {i}: "
                f"got {x1.shape[i]} and {x2.shape[i]}"
            )
    for k, x in ((1, x1), (2, x2)):
        _check_dim(weight, k)
        if x.shape[-1] != weight.shape[k]:
            raise RuntimeError(
                f"bilinear(): input{k} size does not match weight size: got {x.shape[-1]} but expected "
                f"{weight.shape[k]}"
            )
    if weight.ndim != 3:
        raise RuntimeError(
            "bilinear(): weight must be 3-D (out_features, in1_features, in2_features), "
            f"got shape {weight.shape}"
        )
    if bias is not None:
        _check_dim(bias, 0)
        if bias.shape[0] != weight.shape[0]:
            raise RuntimeError(
                f"bilinear(): bias size does not match weight size: got {bias.shape[0]} but expected "
                f"{weight.shape[0]}"
            )
        if bias.ndim != 1:
            raise RuntimeError(f"bilinear(): bias must be 1-D (out_features,), got shape {bias.shape}")


def _check_dim(t: Tensor, k: int) -> None:
    """torch's IndexError where t.size(k) does not exist."""
    if t.ndim == 0:
        raise IndexError(f"Dimension specified as {k} but tensor has no dimensions")
    if k >= t.ndim:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-t.ndim}, {t.ndim - 1}], but got {k})"
        )


def bilinear(input1: Any, input2: Any, weight: Any, bias: Any = None) -> Tensor:
    """y = x1^T A x2 + b for inputs (*, in1) and (*, in2), weight (out, in1, in2), bias (out,).

    The leading dims of the two inputs must be equal (they are not broadcast, as in torch); the
    output is (*, out).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x1, x2 = jaring.tensor([[1.0, 2.0]]), jaring.tensor([[3.0, 4.0, 5.0]])
        >>> weight = jaring.ones(1, 2, 3)
        >>> F.bilinear(x1, x2, weight, jaring.tensor([0.5])).tolist()
        [[36.5]]
    """
    x1, x2, weight = as_tensor(input1), as_tensor(input2), as_tensor(weight)
    bias = None if bias is None else as_tensor(bias)
    _check(x1, x2, weight, bias)
    out, in1, in2 = weight.shape
    lead = x1.shape[:-1]
    rows = math.prod(lead)
    laid_out = reshape(permute(weight, (1, 0, 2)), (in1, out * in2))
    partial = reshape(matmul(reshape(x1, (rows, in1)), laid_out), (rows, out, in2))
    y = reshape(reduce_sum(mul(partial, reshape(x2, (rows, 1, in2))), axis=-1), (*lead, out))
    return y if bias is None else add(y, bias)
