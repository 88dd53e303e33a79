"""plot_weights / plot_gradients: one histogram per chosen layer of its weights or their gradients.

Layers are chosen by index among the layers that hold a weight matrix or kernel (for FFNN,
`model.layers[i]`), or by dotted name; see jaring.viz.layers. Watching these histograms
over training shows vanishing or exploding gradients and dead or saturated layers.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from jaring.nn.module import Module
from jaring.viz.figure import NEGATIVE, POSITIVE, finish, grid, new_figure
from jaring.viz.layers import select_layers, to_numpy


def _layer_values(
    module: Module, gradients: bool, include_bias: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """(weights, biases) of one layer flattened: parameters with >= 2 axes, then 1-axis ones."""
    weights, biases = [], []
    for param in module._parameters.values():
        if param is None:
            continue
        source = param.grad if gradients else param
        values = to_numpy(source)
        if values is None:
            continue
        (weights if param.ndim >= 2 else biases).append(values.ravel())
    w = np.concatenate(weights) if weights else np.zeros(0)
    b = np.concatenate(biases) if include_bias and biases else None
    return w, b


def _plot(model: Module, layers: Any, path: Any, bins: int, include_bias: bool, gradients: bool) -> Figure:
    what = "gradients" if gradients else "weights"
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"plot_{what}: bins must be a positive integer, got {bins!r}")
    chosen = select_layers(model, layers)
    rows, cols = grid(len(chosen), columns=3)
    fig = new_figure(4.0 * cols, 3.0 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, (index, name, module) in zip(axes, chosen):
        w, b = _layer_values(module, gradients, include_bias)
        if w.size == 0:
            raise ValueError(
                f"plot_gradients: layer {index} ({name}) has no gradients yet; run a backward pass "
                "(loss.backward() or model.fit) first"
            )
        label = "weight gradients" if gradients else "weights"
        ax.hist(w, bins=bins, color=POSITIVE, alpha=0.75, label=label)
        if b is not None and b.size:
            bias_label = "bias gradients" if gradients else "biases"
            ax.hist(b, bins=bins, color=NEGATIVE, alpha=0.6, label=bias_label)
        ax.set_title(f"layer {index}: {name} ({type(module).__name__})", fontsize=10)
        ax.text(
            0.98, 0.95, f"mean {w.mean():.3g}\nstd {w.std():.3g}\nn {w.size}",
            transform=ax.transAxes, ha="right", va="top", fontsize=8,
            bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.8},
        )  # fmt: skip
        ax.set_xlabel("gradient" if gradients else "value")
        ax.set_ylabel("count")
        if b is not None:
            ax.legend(fontsize=8, loc="upper left")
    for ax in axes[len(chosen) :]:
        ax.set_visible(False)
    fig.suptitle(f"{type(model).__name__}: {'gradient' if gradients else 'weight'} distributions")
    return finish(fig, path)


def plot_weights(
    model: Module,
    layers: Any = None,
    path: str | os.PathLike | None = None,
    bins: int = 50,
    include_bias: bool = False,
) -> Figure:
    """Histogram of each chosen layer's weights (layers=[0, 2] or names; None = all). Returns the Figure.

    Examples:
        >>> from jaring.models import FFNN
        >>> fig = plot_weights(FFNN([4, 8, 3], ["relu", "softmax"], seed=0), layers=[0, 1])
        >>> len(fig.axes)
        2
    """
    return _plot(model, layers, path, bins, include_bias, gradients=False)


def plot_gradients(
    model: Module,
    layers: Any = None,
    path: str | os.PathLike | None = None,
    bins: int = 50,
    include_bias: bool = False,
) -> Figure:
    """Histogram of each chosen layer's weight gradients from the last backward pass. Returns the Figure.

    Examples:
        >>> import numpy as np
        >>> from jaring.models import FFNN
        >>> model = FFNN([4, 8, 3], ["relu", "softmax"], seed=0)
        >>> _ = model.fit(np.ones((6, 4), dtype=np.float32), np.arange(6) % 3, epochs=1)
        >>> len(plot_gradients(model).axes)
        2
    """
    return _plot(model, layers, path, bins, include_bias, gradients=True)
