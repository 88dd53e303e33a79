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
    """scale * (max(0, x) + min(0, alpha * (exp(x) - 1))) with SELU's fixed alpha and scale.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.SELU()(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([-1.5202,  0.    ,  2.1014])
    """

    def forward(self, x: Any) -> Tensor:
        return smooth.selu(x)


class CELU(Module):
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1)).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.CELU(alpha=2.0)(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([-1.2642,  0.    ,  2.    ])
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = check_real("CELU", "alpha", alpha)

    def forward(self, x: Any) -> Tensor:
        return smooth.celu(x, self.alpha)


class Mish(Module):
    """x * tanh(softplus(x)).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Mish()(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([-0.2525,  0.    ,  1.944 ])
    """

    def forward(self, x: Any) -> Tensor:
        return smooth.mish(x)


class LogSigmoid(Module):
    """log(sigmoid(x)), computed without overflow.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.LogSigmoid()(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([-2.1269, -0.6931, -0.1269])
    """

    def forward(self, x: Any) -> Tensor:
        return smooth.logsigmoid(x)


class Softmin(Module):
    """softmax(-x) along `dim` (default -1).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Softmin(dim=1)(jaring.tensor([[1.0, 2.0, 3.0]]))
        tensor([[0.6652, 0.2447, 0.09  ]])
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Any) -> Tensor:
        return smooth.softmin(x, self.dim)


class Hardtanh(Module):
    """x clipped to [min_val, max_val].

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Hardtanh(min_val=-1.0, max_val=1.0)(jaring.tensor([-2.0, 0.5, 2.0]))
        tensor([-1. ,  0.5,  1. ])
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0) -> None:
        super().__init__()
        self.min_val = check_real("Hardtanh", "min_val", min_val)
        self.max_val = check_real("Hardtanh", "max_val", max_val)

    def forward(self, x: Any) -> Tensor:
        return bounded.hardtanh(x, self.min_val, self.max_val)


class ReLU6(Module):
    """min(max(0, x), 6).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.ReLU6()(jaring.tensor([-2.0, 3.0, 8.0]))
        tensor([0., 3., 6.])
    """

    def forward(self, x: Any) -> Tensor:
        return bounded.relu6(x)


class Hardsigmoid(Module):
    """relu6(x + 3) / 6, a cheap sigmoid.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Hardsigmoid()(jaring.tensor([-4.0, 0.0, 4.0]))
        tensor([0. , 0.5, 1. ])
    """

    def forward(self, x: Any) -> Tensor:
        return bounded.hardsigmoid(x)


class Hardswish(Module):
    """x * relu6(x + 3) / 6, a cheap swish.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Hardswish()(jaring.tensor([-4.0, 0.0, 4.0]))
        tensor([0., 0., 4.])
    """

    def forward(self, x: Any) -> Tensor:
        return bounded.hardswish(x)


class Softsign(Module):
    """x / (1 + abs(x)).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Softsign()(jaring.tensor([-3.0, 0.0, 1.0]))
        tensor([-0.75,  0.  ,  0.5 ])
    """

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
