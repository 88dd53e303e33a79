"""Normalisation layers over the trailing feature axes: LayerNorm and RMSNorm (fused ops)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import functional as F
from jaring.allocation import reserve
from jaring.autograd.tensor import Tensor
from jaring.nn.init import weight_dtype
from jaring.nn.module import Module, Parameter
from jaring.validation import check_bool, check_real


def _as_shape(layer: str, shape: Any) -> tuple:
    if not isinstance(shape, (int, np.integer, tuple, list)):
        raise TypeError(f"{layer}: the normalized shape must be an integer or a tuple, got {shape!r:.80}")
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if not shape or any(isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1 for n in shape):
        raise ValueError(f"{layer}: the normalized shape must be one or more positive integers, got {shape}")
    return tuple(int(n) for n in shape)


def _check_input(layer: Module, x: Any, shape: tuple) -> Tensor:
    x = x if isinstance(x, Tensor) else Tensor(x)
    if x.ndim < len(shape) or x.shape[x.ndim - len(shape) :] != shape:
        raise ValueError(
            f"{type(layer).__name__}({layer.extra_repr()}) expected input of shape (..., "
            f"{', '.join(map(str, shape))}), got {x.shape}"
        )
    return x


class LayerNorm(Module):
    """Normalise each sample over its last dims to mean 0, variance 1, then scale and shift.

    `normalized_shape` is an int (the feature count) or the tuple of trailing dims.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> out = nn.LayerNorm(4)(jaring.tensor([[1.0, 2.0, 3.0, 4.0]]))
        >>> round(float(out.numpy().mean()), 6), round(float(out.numpy().std()), 3)
        (0.0, 1.0)
    """

    def __init__(
        self,
        normalized_shape: int | tuple,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.normalized_shape = _as_shape("LayerNorm", normalized_shape)
        self.eps = check_real("LayerNorm", "eps", eps, 0.0, low_open=True)
        self.elementwise_affine = check_bool("LayerNorm", "elementwise_affine", elementwise_affine)
        bias = check_bool("LayerNorm", "bias", bias)
        dtype = weight_dtype(dtype)
        reserve(math.prod(self.normalized_shape) * self.elementwise_affine * (1 + bool(bias)))
        if self.elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype=dtype))
        else:
            self.register_parameter("weight", None)
        if self.elementwise_affine and bias:
            self.bias = Parameter(np.zeros(self.normalized_shape, dtype=dtype))
        else:
            self.register_parameter("bias", None)

    def forward(self, x: Any) -> Tensor:
        x = _check_input(self, x, self.normalized_shape)
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class RMSNorm(Module):
    """Divide each sample by the root mean square of its last dims, then scale (learnable).

    eps=None uses the machine epsilon of the input's dtype, PyTorch's default.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.RMSNorm(2)(jaring.tensor([[3.0, 4.0]])).numpy().round(3)
        array([[0.849, 1.131]], dtype=float32)
    """

    def __init__(
        self,
        dim: int | tuple,
        eps: float | None = None,
        elementwise_affine: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.normalized_shape = _as_shape("RMSNorm", dim)
        self.eps = None if eps is None else check_real("RMSNorm", "eps", eps, 0.0, low_open=True)
        self.elementwise_affine = check_bool("RMSNorm", "elementwise_affine", elementwise_affine)
        reserve(math.prod(self.normalized_shape) * self.elementwise_affine)
        if self.elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype=weight_dtype(dtype)))
        else:
            self.register_parameter("weight", None)

    def forward(self, x: Any) -> Tensor:
        x = _check_input(self, x, self.normalized_shape)
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
