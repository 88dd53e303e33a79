"""CNN: a convolutional classifier built from a few numbers, like the course's Keras model.

model = CNN(input_shape=(28, 28, 1), num_classes=10, filters=[32, 64], kernel_size=3,
            pooling="max", pool_size=2, dense_units=[64], activation="relu", seed=0)
model.fit(x_train, y_train, batch_size=64, lr=1e-3, epochs=3, optimizer="adam", verbose=1)
labels = model.predict_classes(x_test)

Each conv block is Conv2D(filters[i], kernel_size[i], padding, activation) then a pooling
layer ("max" or "avg", pool_size); then Flatten, one Dense(units, activation) per entry of
dense_units, and Dense(num_classes) with softmax. That is exactly this Sequential, which gives
the same weights and outputs for the same seed (the layers draw from one generator in order):

    rng = jaring.random.get_rng(0)
    model = nn.Sequential(
        nn.Conv2D(32, 3, padding="same", activation="relu", input_dim=1, seed=rng),
        nn.MaxPool2D(2),
        nn.Conv2D(64, 3, padding="same", activation="relu", input_dim=32, seed=rng),
        nn.MaxPool2D(2),
        nn.Flatten(),
        nn.Dense(64, activation="relu", input_dim=7 * 7 * 64, seed=rng),
        nn.Dense(10, activation="softmax", input_dim=64, seed=rng),
    )

data_format="channels_last" (Keras's habit, the default) takes images (N, H, W, C) and
input_shape (H, W, C); "channels_first" (PyTorch's) takes (N, C, H, W) and input_shape
(C, H, W). Grayscale images without a channel axis, (N, H, W), are accepted when C is 1.
Training with loss="cce" uses the logits and the fused cross-entropy; predict applies softmax.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable, Sequence

import numpy as np

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.models.base import ReadyModel
from jaring.nn.activation import get_activation
from jaring.nn.conv import Conv2D
from jaring.nn.layout import check_data_format
from jaring.nn.linear import Dense
from jaring.nn.container import Sequential
from jaring.nn.module import Module
from jaring.nn.pooling import AvgPool2D, MaxPool2D
from jaring.nn.reshape import Flatten
from jaring.ops.geometry import pair
from jaring.random import get_rng
from jaring.training.objective import check_loss_name

POOLING = {"max": MaxPool2D, "avg": AvgPool2D, "average": AvgPool2D}


def _positive(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"CNN: {what} must be a positive integer, got {value!r}")
    return int(value)


def _per_layer(value: Any, name: str, conv_layers: int) -> list:
    """A scalar repeated for every conv layer, or a list with exactly one entry per layer."""
    if not isinstance(value, (list, tuple)):
        return [value] * conv_layers
    if len(value) != conv_layers:
        raise ValueError(
            f"CNN: {name} has {len(value)} entries {list(value)} but there are {conv_layers} conv layers; "
            f"give one entry per conv layer, or a single value for all of them"
        )
    return list(value)


def _conv_layers(conv_layers: Any, filters: Any, kernel_size: Any) -> int:
    """The number of conv layers: given, or read off the per-layer lists (which must agree)."""
    lengths = {
        name: len(v)
        for name, v in (("filters", filters), ("kernel_size", kernel_size))
        if isinstance(v, (list, tuple))
    }
    if conv_layers is not None:
        return _positive(conv_layers, "conv_layers")
    if not lengths:
        return 1
    if len(set(lengths.values())) > 1:
        raise ValueError(
            f"CNN: filters and kernel_size must list one entry per conv layer, got lengths {lengths}"
        )
    return _positive(next(iter(lengths.values())), "the number of conv layers (length of filters)")


class CNN(ReadyModel):
    """Conv blocks (conv + pool), a dense head and a softmax output; see the module docstring.

    filters, kernel_size: one value for every conv layer or a list with one per layer (a
    kernel entry may be a pair (kh, kw)); conv_layers defaults to the lists' length.
    padding: "same" (keeps the size) or "valid". pooling: "max" or "avg", after every conv
    layer, with pool_size (int or pair) and stride pool_size. kernel_initializer: the name
    or function for conv and dense weights (biases start at zero).

    Examples:
        >>> import numpy as np
        >>> model = CNN(input_shape=(8, 8, 1), num_classes=3, filters=[4], dense_units=[8], seed=0)
        >>> images = np.random.default_rng(0).random((6, 8, 8, 1), dtype=np.float32)
        >>> history = model.fit(images, np.arange(6) % 3, epochs=1, seed=0)
        >>> model.predict(images).shape
        (6, 3)
    """

    def __init__(
        self,
        input_shape: Sequence[int] = (32, 32, 3),
        num_classes: int = 10,
        filters: int | Sequence[int] = (32, 64),
        kernel_size: int | Sequence[Any] = 3,
        conv_layers: int | None = None,
        pooling: str = "max",
        pool_size: int | tuple = 2,
        dense_units: Sequence[int] = (64,),
        activation: str = "relu",
        padding: str = "same",
        data_format: str = "channels_last",
        loss: str | Callable = "cce",
        kernel_initializer: str | Callable = "glorot_uniform",
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.data_format = check_data_format("CNN", data_format)
        shape = tuple(input_shape) if isinstance(input_shape, (list, tuple)) else ()
        if len(shape) != 3:
            layout = "(H, W, C)" if data_format == "channels_last" else "(C, H, W)"
            raise ValueError(
                f"CNN: input_shape must be {layout} for data_format={data_format!r}, got {input_shape!r}"
            )
        self.input_shape = tuple(_positive(s, "every input_shape entry") for s in shape)
        channels, h, w = (
            self.input_shape[2:] + self.input_shape[:2] if data_format == "channels_last" else shape
        )
        n_classes = _positive(num_classes, "num_classes")
        n_conv = _conv_layers(conv_layers, filters, kernel_size)
        filters = [_positive(f, "every filters entry") for f in _per_layer(filters, "filters", n_conv)]
        kernels = [pair(k, "CNN kernel_size") for k in _per_layer(kernel_size, "kernel_size", n_conv)]
        pool = pair(pool_size, "CNN pool_size")
        key = pooling.lower() if isinstance(pooling, str) else None
        if key not in POOLING:
            raise ValueError(f"CNN: pooling must be 'max' or 'avg' (alias 'average'), got {pooling!r}")
        if not isinstance(padding, str) or padding.lower() not in ("same", "valid"):
            raise ValueError(f"CNN: padding must be 'same' or 'valid', got {padding!r}")
        units = list(dense_units) if isinstance(dense_units, (list, tuple)) else [dense_units]
        units = [_positive(u, "every dense_units entry") for u in units]
        if isinstance(loss, str):
            check_loss_name(loss)
        elif not callable(loss):
            raise TypeError(f"CNN: loss must be a name or a function, got {type(loss).__name__}")
        self.loss = loss

        rng = get_rng(seed)
        layers: list[Module] = []
        for i, (n_filters, kernel) in enumerate(zip(filters, kernels)):
            if padding.lower() == "valid":
                h, w = h - kernel[0] + 1, w - kernel[1] + 1
            if min(h, w) < 1 or h < pool[0] or w < pool[1]:
                raise ValueError(
                    f"CNN: input {self.input_shape} is too small for {n_conv} conv blocks: conv layer "
                    f"{i + 1} (kernel {kernel}, padding {padding!r}) leaves {max(h, 0)}x{max(w, 0)} pixels, "
                    f"fewer than pool_size {pool}; use fewer conv layers, a smaller pool_size or kernel, "
                    "or padding='same'"
                )
            conv = Conv2D(
                n_filters,
                kernel,
                padding=padding,
                activation=activation,
                input_dim=channels,
                kernel_initializer=kernel_initializer,
                data_format=data_format,
                seed=rng,
                dtype=dtype,
            )
            layers.append(conv)
            layers.append(POOLING[key](pool, data_format=data_format))
            channels, h, w = n_filters, h // pool[0], w // pool[1]
        layers.append(Flatten())
        features = channels * h * w
        for n in units:
            layers.append(
                Dense(
                    n,
                    activation,
                    kernel_initializer=kernel_initializer,
                    input_dim=features,
                    seed=rng,
                    dtype=dtype,
                )
            )
            features = n
        layers.append(
            Dense(n_classes, kernel_initializer=kernel_initializer, input_dim=features, seed=rng, dtype=dtype)
        )
        self.layers = Sequential(*layers)
        self.softmax = get_activation("softmax")

    @property
    def output_activation(self) -> Module:
        """The softmax applied to the logits when predicting."""
        return self.softmax

    def logits(self, x: Any) -> Tensor:
        """Class scores before the softmax, for images in the model's data_format."""
        if not isinstance(x, Tensor):
            x = Tensor(x, dtype=self.layers[0].weight.dtype)
        expected, last = self.input_shape, self.data_format == "channels_last"
        channels, hw = (expected[2], expected[:2]) if last else (expected[0], expected[1:])
        if channels == 1 and x.ndim == 3 and x.shape[1:] == hw:
            x = F.unsqueeze(x, 3 if last else 1)
        if x.ndim != 4 or x.shape[1:] != expected:
            layout = "(N, H, W, C)" if self.data_format == "channels_last" else "(N, C, H, W)"
            raise ValueError(
                f"CNN expected images of shape (N, {', '.join(map(str, expected))}), i.e. {layout} "
                f"(data_format={self.data_format!r}), got {x.shape}"
            )
        return self.layers(x)

    def extra_repr(self) -> str:
        return f"input_shape={self.input_shape}, data_format={self.data_format!r}, loss={self.loss!r}"
