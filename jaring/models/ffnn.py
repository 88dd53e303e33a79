"""FFNN: a feed-forward network described by its layer sizes and one activation per layer.

model = FFNN([784, 128, 64, 10], ["relu", "relu", "softmax"], loss="cce", weight_init="he", seed=0)
model.fit(x_train, y_train, batch_size=64, lr=0.01, epochs=10, verbose=1)
probs = model.predict(x_test)

`model(x)` returns the outputs after the last activation (probabilities for softmax);
`model.logits(x)` stops before it. Training a softmax output with "cce" (or a sigmoid output
with "bce") uses the logits and the fused, stable loss; the softmax is applied only when
predicting. Weights and gradients per layer: `model.layers[i].weight`, `.bias`, their `.grad`
after a backward pass, or as NumPy arrays `model.weights(i)` and `model.gradients(i)`.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable, Sequence

import numpy as np

from jaring import backend
from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn import init
from jaring.nn.activation import get_activation
from jaring.nn.linear import Linear
from jaring.nn.container import ModuleList
from jaring.nn.module import Module
from jaring.nn.norm import RMSNorm
from jaring.models.base import ReadyModel
from jaring.optim import penalty
from jaring.random import get_rng
from jaring.training.objective import check_loss_name


def _check_sizes(layer_sizes: Any) -> list[int]:
    sizes = list(layer_sizes) if isinstance(layer_sizes, (list, tuple)) else None
    if not sizes or len(sizes) < 2:
        raise ValueError(f"FFNN: layer_sizes needs at least an input and an output size, got {layer_sizes!r}")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"FFNN: every layer size must be a positive integer, got {layer_sizes!r}")
    return [int(n) for n in sizes]


class FFNN(ReadyModel):
    """Linear layers of `layer_sizes` with `activations[i]` after layer i (see the module docstring).

    weight_init: an initializer name (see jaring.nn.init, e.g. "he", "glorot_uniform",
    "uniform", "normal") or a function, with weight_init_kwargs such as {"lower": -0.1,
    "upper": 0.1, "seed": 1} for uniform or {"mean": 0, "variance": 0.01} for normal (a
    "seed" there overrides `seed`). Biases start at zero. rmsnorm=True puts an RMSNorm before
    each hidden activation. l1 / l2 add l1 * sum|W| + l2 * sum W^2 over the weights (not the
    biases) to the training loss.

    Examples:
        >>> from sklearn.datasets import load_iris
        >>> x, y = load_iris(return_X_y=True)
        >>> model = FFNN([4, 16, 3], ["relu", "softmax"], seed=0)
        >>> history = model.fit(x / 8, y, epochs=30, lr=0.01, optimizer="adam", seed=0)
        >>> model.evaluate(x / 8, y, metrics=["accuracy"])["accuracy"] > 0.9
        True
        >>> model.predict(x[:2] / 8).shape
        (2, 3)
    """

    def __init__(
        self,
        layer_sizes: Sequence[int] = (784, 128, 64, 10),
        activations: Sequence[Any] = ("relu", "relu", "softmax"),
        loss: str | Callable = "cce",
        weight_init: str | Callable = "he",
        weight_init_kwargs: dict | None = None,
        seed: Any = None,
        rmsnorm: bool = False,
        l1: float = 0.0,
        l2: float = 0.0,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        sizes = _check_sizes(layer_sizes)
        activations = list(activations) if isinstance(activations, (list, tuple)) else [activations]
        if len(activations) != len(sizes) - 1:
            raise ValueError(
                f"FFNN: {len(sizes) - 1} layers ({sizes}) need {len(sizes) - 1} activations, "
                f"got {len(activations)}: {activations}"
            )
        if isinstance(loss, str):
            check_loss_name(loss)
        elif not callable(loss):
            raise TypeError(f"FFNN: loss must be a name or a function, got {type(loss).__name__}")
        for name, value in (("l1", l1), ("l2", l2)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise ValueError(f"FFNN: {name} must be a number >= 0, got {value!r}")
        if weight_init_kwargs is not None and not isinstance(weight_init_kwargs, dict):
            raise TypeError(
                f"FFNN: weight_init_kwargs must be a dict of the initializer's arguments or None, "
                f"got {weight_init_kwargs!r:.80}"
            )
        kwargs = dict(weight_init_kwargs or {})
        rng = get_rng(kwargs.pop("seed", seed))
        w_init = init.resolve(weight_init, argument="FFNN weight_init", **kwargs)
        self.layer_sizes, self.loss = sizes, loss
        self.l1, self.l2 = float(l1), float(l2)
        self.layers = ModuleList(
            Linear(n_in, n_out, weight_init=w_init, bias_init="zeros", seed=rng, dtype=dtype)
            for n_in, n_out in zip(sizes[:-1], sizes[1:])
        )
        self.acts = ModuleList(get_activation(a) for a in activations)
        self.norms = ModuleList(RMSNorm(n, dtype=dtype) for n in sizes[1:-1]) if rmsnorm else None

    # ----- forward ----------------------------------------------------------------------
    @property
    def output_activation(self) -> Module:
        """The last layer's activation (Softmax, Sigmoid, Identity, ...)."""
        return self.acts[-1]

    def logits(self, x: Any) -> Tensor:
        """The network's output before the last activation (what the fused losses train on)."""
        dtype = self.layers[0].weight.dtype
        if not isinstance(x, Tensor):
            x = Tensor(x, dtype=dtype)
        elif x.dtype != dtype:
            x = F.cast(x, dtype)
        if x.ndim == 0 or x.shape[-1] != self.layer_sizes[0]:
            raise ValueError(
                f"FFNN expected input of shape (N, {self.layer_sizes[0]}) (layer_sizes[0] = "
                f"{self.layer_sizes[0]} features), got {x.shape}"
            )
        # The width was checked once, here at the boundary; each layer's own check would repeat it.
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = F.linear(x, layer.weight, layer.bias)
            if i < last:
                if self.norms is not None:
                    x = self.norms[i](x)
                x = self.acts[i](x)
        return x

    def regularization_loss(self) -> Tensor | None:
        """l1 * sum|W| + l2 * sum W^2 over the weight matrices; fit adds it to the loss."""
        if not self.l1 and not self.l2:
            return None
        return penalty([layer.weight for layer in self.layers], l1=self.l1, l2=self.l2)

    # ----- inspection -------------------------------------------------------------------
    def _layer(self, i: int) -> Linear:
        n = len(self.layers)
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not -n <= i < n:
            raise IndexError(f"FFNN has {n} layers (indices 0..{n - 1}), got layer {i!r}")
        return self.layers[int(i)]

    def weights(self, i: int) -> dict[str, np.ndarray]:
        """{"weight": (out, in) array, "bias": (out,) array} of layer i, as NumPy copies."""
        layer = self._layer(i)
        return {"weight": layer.weight.numpy().copy(), "bias": layer.bias.numpy().copy()}

    def gradients(self, i: int) -> dict[str, np.ndarray | None]:
        """The gradients of layer i's weight and bias from the last backward (None before one)."""
        layer = self._layer(i)
        return {
            name: (None if p.grad is None else backend.to_numpy(p.grad.data).copy())
            for name, p in (("weight", layer.weight), ("bias", layer.bias))
        }

    def extra_repr(self) -> str:
        extra = f"layer_sizes={self.layer_sizes}, loss={self.loss!r}"
        if self.l1 or self.l2:
            extra += f", l1={self.l1}, l2={self.l2}"
        return extra
