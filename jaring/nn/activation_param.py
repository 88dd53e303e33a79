"""torch.nn's remaining activation layers: PReLU (a learnable slope), Threshold, GLU and the shrinks.

PReLU's state dict is torch's (one `weight` of shape (num_parameters,)), so a torch PReLU's weights
load as they are. The argument-free ones are registered by name for get_activation.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.nn.activation import ACTIVATIONS
from jaring.nn.init import weight_dtype
from jaring.nn.module import Module, Parameter
from jaring.ops import activation_gated, activation_param, activation_shrink
from jaring.validation import check_int, check_real


class PReLU(Module):
    """max(0, x) + weight * min(0, x) with a learnable weight: one slope (num_parameters=1) or one
    per channel (num_parameters=C, channels on axis 1), each starting at `init`.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> act = nn.PReLU()
        >>> act(jaring.tensor([-2.0, 0.0, 2.0])), act.weight.shape
        (tensor([-0.5,  0. ,  2. ], grad_fn=<PReLUFunction>), (1,))
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, dtype: Any = None) -> None:
        super().__init__()
        self.num_parameters = check_int("PReLU", "num_parameters", num_parameters, 1)
        self.init = check_real("PReLU", "init", init)
        self.weight = Parameter(np.full(self.num_parameters, self.init, dtype=weight_dtype(dtype)))

    def forward(self, x: Any) -> Tensor:
        return activation_param.prelu(x, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class Threshold(Module):
    """x where x > threshold, else value.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Threshold(0.1, 20.0)(jaring.tensor([0.0, 0.5]))
        tensor([20. ,  0.5])
    """

    def __init__(self, threshold: float, value: float) -> None:
        super().__init__()
        self.threshold = check_real("Threshold", "threshold", threshold)
        self.value = check_real("Threshold", "value", value)

    def forward(self, x: Any) -> Tensor:
        return activation_param.threshold(x, self.threshold, self.value)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}"


class GLU(Module):
    """Gated linear unit: halves a, b of `dim`, then a * sigmoid(b).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.GLU()(jaring.ones(2, 6)).shape
        (2, 3)
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = check_int("GLU", "dim", dim)

    def forward(self, x: Any) -> Tensor:
        return activation_gated.glu(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Tanhshrink(Module):
    """x - tanh(x).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Tanhshrink()(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([-1.036,  0.   ,  1.036])
    """

    def forward(self, x: Any) -> Tensor:
        return activation_shrink.tanhshrink(x)


class Hardshrink(Module):
    """x where |x| > lambd, else 0.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Hardshrink(0.5)(jaring.tensor([-1.0, 0.3, 0.6]))
        tensor([-1. ,  0. ,  0.6])
    """

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = check_real("Hardshrink", "lambd", lambd, 0.0)

    def forward(self, x: Any) -> Tensor:
        return activation_shrink.hardshrink(x, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Module):
    """x - lambd * sign(x) where |x| > lambd, else 0.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Softshrink(0.5)(jaring.tensor([-1.0, 0.3, 0.75]))
        tensor([-0.5 ,  0.  ,  0.25])
    """

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = check_real("Softshrink", "lambd", lambd, 0.0)

    def forward(self, x: Any) -> Tensor:
        return activation_shrink.softshrink(x, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


ACTIVATIONS.update({"tanhshrink": Tanhshrink, "hardshrink": Hardshrink, "softshrink": Softshrink})
