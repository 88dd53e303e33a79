"""Activation functions as layers, and `get_activation` to pick one by name (Keras style).

Each module is a thin call into jaring.functional, so Sequential(Linear(4, 8), ReLU()) and
Dense(8, activation="relu") compute the same thing.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.validation import check_real


class Identity(Module):
    """Returns its input unchanged (the "linear" activation).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Identity()(jaring.tensor([-1.0, 2.0]))
        tensor([-1.,  2.])
    """

    def forward(self, x: Any) -> Any:
        return x


class ReLU(Module):
    """max(0, x), elementwise.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.ReLU()(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([0., 0., 2.])
    """

    def forward(self, x: Any) -> Tensor:
        return F.relu(x)


class LeakyReLU(Module):
    """x for x > 0, negative_slope * x otherwise.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.LeakyReLU(negative_slope=0.5)(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([-1.,  0.,  2.])
    """

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = check_real("LeakyReLU", "negative_slope", negative_slope)

    def forward(self, x: Any) -> Tensor:
        return F.leaky_relu(x, self.negative_slope)


class ELU(Module):
    """x for x > 0, alpha * (exp(x) - 1) otherwise.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.ELU()(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([-0.8647,  0.    ,  2.    ])
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = check_real("ELU", "alpha", alpha)

    def forward(self, x: Any) -> Tensor:
        return F.elu(x, self.alpha)


class Sigmoid(Module):
    """1 / (1 + exp(-x)), squashing values into (0, 1).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Sigmoid()(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([0.1192, 0.5   , 0.8808])
    """

    def forward(self, x: Any) -> Tensor:
        return F.sigmoid(x)


class Tanh(Module):
    """The hyperbolic tangent, squashing values into (-1, 1).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Tanh()(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([-0.964,  0.   ,  0.964])
    """

    def forward(self, x: Any) -> Tensor:
        return F.tanh(x)


class Softmax(Module):
    """Probabilities along `axis` (PyTorch's `dim=` is accepted too).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> probs = nn.Softmax(dim=1)(jaring.tensor([[1.0, 2.0, 3.0]]))
        >>> probs
        tensor([[0.09  , 0.2447, 0.6652]])
        >>> round(float(probs.sum()), 4)
        1.0
    """

    def __init__(self, axis: int = -1, *, dim: int | None = None) -> None:
        super().__init__()
        self.axis = axis if dim is None else dim

    def forward(self, x: Any) -> Tensor:
        return F.softmax(x, self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class LogSoftmax(Module):
    """log(softmax(x)) along `axis`, computed stably in one op (PyTorch's `dim=` accepted).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.LogSoftmax(dim=-1)(jaring.tensor([[0.0, 0.0]]))
        tensor([[-0.6931, -0.6931]])
    """

    def __init__(self, axis: int = -1, *, dim: int | None = None) -> None:
        super().__init__()
        self.axis = axis if dim is None else dim

    def forward(self, x: Any) -> Tensor:
        return F.log_softmax(x, self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class SiLU(Module):
    """x * sigmoid(x), also known as Swish.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.SiLU()(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([-0.2384,  0.    ,  1.7616])
    """

    def forward(self, x: Any) -> Tensor:
        return F.silu(x)


Swish = SiLU


class GELU(Module):
    """x * Phi(x); approximate="tanh" uses the tanh formula of the original paper.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.GELU()(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([-0.0455,  0.    ,  1.9545])
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Any) -> Tensor:
        return F.gelu(x, approximate=self.approximate)


class Softplus(Module):
    """log(1 + exp(beta * x)) / beta, a smooth ReLU (linear above beta * x > threshold).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Softplus()(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([0.1269, 0.6931, 2.1269])
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = check_real("Softplus", "beta", beta, 0.0, low_open=True)
        self.threshold = check_real("Softplus", "threshold", threshold)

    def forward(self, x: Any) -> Tensor:
        return F.softplus(x, self.beta, self.threshold)


class BinaryStep(Module):
    """1 where x >= 0, else 0 (no useful gradient: for teaching, not for training).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.BinaryStep()(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([0., 1., 1.])
    """

    def forward(self, x: Any) -> Tensor:
        return F.binary_step(x)


class Lambda(Module):
    """Wraps a plain function (e.g. a user's activation) as a layer.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> double = nn.Lambda(lambda x: x * 2)
        >>> double(jaring.tensor([-1.0, 3.0]))
        tensor([-2.,  6.])
    """

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        super().__init__()
        if not callable(fn):
            raise TypeError(f"Lambda needs a callable, got {type(fn).__name__}")
        self.fn = fn

    def forward(self, x: Any) -> Any:
        return self.fn(x)

    def extra_repr(self) -> str:
        return getattr(self.fn, "__name__", repr(self.fn))


ACTIVATIONS: dict[str, type] = {
    "linear": Identity,
    "identity": Identity,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "elu": ELU,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "softmax": Softmax,
    "log_softmax": LogSoftmax,
    "silu": SiLU,
    "swish": SiLU,
    "gelu": GELU,
    "softplus": Softplus,
    "binary_step": BinaryStep,
}


def get_activation(spec: str | Module | type | Callable | None, **kwargs: Any) -> Module:
    """An activation layer from a name ("relu", "linear", ...), a Module, a Module class,
    a plain function, or None (no activation: Identity). kwargs go to the class, e.g.
    get_activation("leaky_relu", negative_slope=0.2).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.get_activation("relu"), nn.get_activation(None)
        (ReLU(), Identity())
        >>> nn.get_activation("leaky_relu", negative_slope=0.2), nn.get_activation(jaring.tanh)
        (LeakyReLU(negative_slope=0.2), Lambda(tanh))
    """
    if spec is None:
        return Identity()
    if isinstance(spec, Module):
        return spec
    if isinstance(spec, type) and issubclass(spec, Module):
        return spec(**kwargs)
    if isinstance(spec, str):
        key = spec.lower().replace("-", "_")
        if key not in ACTIVATIONS:
            raise ValueError(
                f"unknown activation {spec!r}; choose from {sorted(ACTIVATIONS)}, None or a function"
            )
        return ACTIVATIONS[key](**kwargs)
    if callable(spec):
        return Lambda(spec)
    raise TypeError(
        f"an activation is a name, a Module, a function or None, got {type(spec).__name__}: {spec!r}"
    )
