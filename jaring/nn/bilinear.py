"""Bilinear: y = x1^T A x2 + b, torch's nn.Bilinear (the op is jaring/ops/bilinear.py)."""

from __future__ import annotations

import math
from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn import init
from jaring.nn.module import Module, Parameter
from jaring.random import get_rng
from jaring.validation import check_bool, check_int


def _as_input(x: Any, weight: Parameter) -> Tensor:
    """x as a tensor of the weight's dtype (a float64 input meets float32 weights as in Linear)."""
    if not isinstance(x, Tensor):
        return Tensor(x, dtype=weight.dtype)
    return x if x.dtype == weight.dtype else F.cast(x, weight.dtype)


class Bilinear(Module):
    """y[..., o] = x1[..., :] @ weight[o] @ x2[..., :] + bias[o], as torch's nn.Bilinear.

    weight has torch's shape (out_features, in1_features, in2_features); weight and bias start
    uniform in +-1/sqrt(in1_features), torch's initialisation, drawn from `seed` (an int or a
    NumPy Generator; jaring.manual_seed's stream when None). The two inputs share their leading
    dims: (*, in1_features) and (*, in2_features) give (*, out_features).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> layer = nn.Bilinear(3, 4, 2, seed=0)
        >>> layer.weight.shape, layer(jaring.ones(5, 3), jaring.ones(5, 4)).shape
        ((2, 3, 4), (5, 2))
        >>> layer
        Bilinear(in1_features=3, in2_features=4, out_features=2, bias=True)
    """

    def __init__(
        self,
        in1_features: int,
        in2_features: int,
        out_features: int,
        bias: bool = True,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        in1 = check_int("Bilinear", "in1_features", in1_features)
        if in1 <= 0:
            raise ValueError(f"in1_features must be > 0, but got (in1_features={in1})")
        self.in1_features = in1
        self.in2_features = check_int("Bilinear", "in2_features", in2_features, low=0)
        self.out_features = check_int("Bilinear", "out_features", out_features, low=0)
        rng = get_rng(seed)
        bound = 1.0 / math.sqrt(in1)
        draw = init.resolve("uniform", lower=-bound, upper=bound)
        shape = (self.out_features, self.in1_features, self.in2_features)
        self.weight = Parameter(draw(shape, seed=rng, dtype=dtype))
        if check_bool("Bilinear", "bias", bias):
            self.bias = Parameter(draw((self.out_features,), seed=rng, dtype=dtype))
        else:
            self.register_parameter("bias", None)

    def forward(self, input1: Any, input2: Any) -> Tensor:
        return F.bilinear(
            _as_input(input1, self.weight), _as_input(input2, self.weight), self.weight, self.bias
        )

    def extra_repr(self) -> str:
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )
