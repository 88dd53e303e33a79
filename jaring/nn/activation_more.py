"""Layer forms of the bounded and smooth activations (torch.nn's names), registered by name.

`get_activation("mish")` and `nn.Sequential(nn.Linear(4, 8), nn.Hardswish())` both work.
"""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.nn.activation import ACTIVATIONS
from jaring.nn.module import Module
from jaring.ops import activation_bounded as bounded
from jaring.ops import activation_smooth as smooth
from jaring.validation import check_real


class SELU(Module):
    def forward(self, x: Any) -> Tensor:
        return smooth.selu(x)


class CELU(Module):
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = check_real("CELU", "alpha", alpha)

    def forward(self, x: Any) -> Tensor:
        return smooth.celu(x, self.alpha)


class Mish(Module):
    def forward(self, x: Any) -> Tensor:
        return smooth.mish(x)


class LogSigmoid(Module):
    def forward(self, x: Any) -> Tensor:
        return smooth.logsigmoid(x)


class Softmin(Module):
    """softmax(-x) along `dim` (default -1)."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Any) -> Tensor:
        return smooth.softmin(x, self.dim)


class Hardtanh(Module):
    """x clipped to [min_val, max_val]."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0) -> None:
        super().__init__()
        self.min_val = check_real("Hardtanh", "min_val", min_val)
        self.max_val = check_real("Hardtanh", "max_val", max_val)

    def forward(self, x: Any) -> Tensor:
        return bounded.hardtanh(x, self.min_val, self.max_val)


class ReLU6(Module):
    def forward(self, x: Any) -> Tensor:
        return bounded.relu6(x)


class Hardsigmoid(Module):
    def forward(self, x: Any) -> Tensor:
        return bounded.hardsigmoid(x)


class Hardswish(Module):
    def forward(self, x: Any) -> Tensor:
        return bounded.hardswish(x)


class Softsign(Module):
    def forward(self, x: Any) -> Tensor:
        return bounded.softsign(x)


ACTIVATIONS.update(
    {
        "selu": SELU,
        "celu": CELU,
        "mish": Mish,
        "logsigmoid": LogSigmoid,
        "softmin": Softmin,
        "hardtanh": Hardtanh,
        "relu6": ReLU6,
        "hardsigmoid": Hardsigmoid,
        "hardswish": Hardswish,
        "softsign": Softsign,
    }
)
