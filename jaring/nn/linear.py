"""Fully connected layers: PyTorch's Linear and Keras's Dense, both y = x @ W.T + b (one fused op).

The weight has PyTorch's shape (out_features, in_features) in both; Dense's "kernel" is that
weight (Keras stores its transpose, (in, units)). Its memory layout is backend.linear_weight's
decision; the op writes the weight gradient, and the optimizer its state, in the same layout.
"""

from __future__ import annotations

import math
from typing import Any
from collections.abc import Callable

import numpy as np

from jaring import backend
from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn import init
from jaring.nn.activation import get_activation
from jaring.nn.module import Module, Parameter
from jaring.nn.renamed import Renamed
from jaring.validation import check_bool
from jaring.random import get_rng


def _weight(array: Any) -> Parameter:
    """A weight Parameter in the layout backend.linear_weight decides."""
    return Parameter(backend.linear_weight(array))


def _check_size(value: Any, what: str, layer: str, allow_none: bool = False) -> None:
    if allow_none and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{layer}: {what} must be a positive integer, got {value!r}")


def _layer_input(x: Any, weight: Parameter, layer: Module, width: int) -> Tensor:
    """x as a tensor of the weight's dtype whose last dimension is `width` (or a clear error)."""
    if not isinstance(x, Tensor):
        x = Tensor(x, dtype=weight.dtype)
    elif x.dtype != weight.dtype:
        x = F.cast(x, weight.dtype)
    if x.ndim == 0 or x.shape[-1] != width:
        raise ValueError(
            f"{type(layer).__name__}({layer.extra_repr()}) expected input of shape (..., {width}), "
            f"got {x.shape}"
        )
    return x


class Linear(Module):
    """y = x @ weight.T + bias, with weight of shape (out_features, in_features) as in PyTorch.

    weight_init / bias_init take an initializer name or callable (see jaring.nn.init);
    None means PyTorch's default: both uniform in +-1/sqrt(in_features).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> layer = nn.Linear(4, 3, seed=0)
        >>> layer.weight.shape, layer(jaring.ones(2, 4)).shape
        ((3, 4), (2, 3))
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        weight_init: str | Callable | None = None,
        bias_init: str | Callable | None = None,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        _check_size(in_features, "in_features", "Linear")
        _check_size(out_features, "out_features", "Linear")
        self.in_features, self.out_features = int(in_features), int(out_features)
        rng = get_rng(seed)
        bound = 1.0 / math.sqrt(self.in_features)
        default = init.resolve("uniform", lower=-bound, upper=bound)
        w_init = default if weight_init is None else init.resolve(weight_init, argument="Linear weight_init")
        self.weight = _weight(w_init((self.out_features, self.in_features), seed=rng, dtype=dtype))
        if check_bool("Linear", "bias", bias):
            b_init = default if bias_init is None else init.resolve(bias_init, argument="Linear bias_init")
            self.bias = Parameter(b_init((self.out_features,), seed=rng, dtype=dtype))
        else:
            self.register_parameter("bias", None)

    def forward(self, x: Any) -> Tensor:
        x = _layer_input(x, self.weight, self, self.in_features)
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
        )


class Dense(Module):
    """Keras's Dense: `units` outputs, an optional activation, weights created on first call.

    input_dim is the size of the input's last axis (Keras's word; PyTorch's Linear calls it
    in_features). When None the layer learns it from the first input (or from
    `model.build(input_shape)`); until then it has no parameters. The old keyword and attribute
    `in_features` still work for one release, with a DeprecationWarning.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> layer = nn.Dense(3, activation="relu", seed=0)
        >>> layer.built
        False
        >>> out = layer(jaring.ones(2, 5))
        >>> layer.input_dim, out.shape, bool((out.numpy() >= 0).all())
        (5, (2, 3), True)
    """

    in_features = Renamed("input_dim")

    def __init__(
        self,
        units: int,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: str | Callable = "glorot_uniform",
        bias_initializer: str | Callable = "zeros",
        input_dim: int | None = None,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        _check_size(units, "units", "Dense")
        _check_size(input_dim, "input_dim", "Dense", allow_none=True)
        self.units, self.use_bias, self.input_dim = (
            int(units),
            check_bool("Dense", "use_bias", use_bias),
            None,
        )
        self._kernel_init = init.resolve(kernel_initializer, argument="Dense kernel_initializer")
        self._bias_init = init.resolve(bias_initializer, argument="Dense bias_initializer")
        self._rng, self._dtype = get_rng(seed), dtype
        self.activation = get_activation(activation)
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)
        if input_dim is not None:
            self._create(int(input_dim), dtype)

    def _create(self, input_dim: int, dtype: Any) -> None:
        self.input_dim = input_dim
        self.weight = _weight(self._kernel_init((self.units, input_dim), seed=self._rng, dtype=dtype))
        if self.use_bias:
            self.bias = Parameter(self._bias_init((self.units,), seed=self._rng, dtype=dtype))

    @property
    def built(self) -> bool:
        """True once the weights exist (input_dim given, or learned from the first input)."""
        return self.input_dim is not None

    def forward(self, x: Any) -> Tensor:
        if self.input_dim is None:
            shape = x.shape if hasattr(x, "shape") else np.shape(x)
            if len(shape) == 0 or shape[-1] < 1:
                raise ValueError(
                    f"Dense(units={self.units}) needs inputs of shape (..., features), got {shape}"
                )
            self._create(int(shape[-1]), self._dtype)
            if isinstance(x, Tensor) and backend.device_of(x.data) != "cpu":
                self.to(backend.device_of(x.data))
        x = _layer_input(x, self.weight, self, self.input_dim)
        return self.activation(F.linear(x, self.weight, self.bias))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "input_dim": self.input_dim}

    def extra_repr(self) -> str:
        features = "?" if self.input_dim is None else self.input_dim
        return f"units={self.units}, input_dim={features}, use_bias={self.use_bias}"
