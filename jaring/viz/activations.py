"""plot_activations: the activation functions students meet first, each with its derivative.

The derivatives are not written by hand here: they come from jaring's own backward pass,
so the picture also shows what the autograd engine computes.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.viz.figure import POSITIVE, SECOND, finish, grid, new_figure


def _functions(leaky_slope: float, elu_alpha: float) -> dict[str, tuple[str, Callable]]:
    return {
        "sigmoid": ("sigmoid", F.sigmoid),
        "tanh": ("tanh", F.tanh),
        "relu": ("ReLU", F.relu),
        "leaky_relu": (f"leaky ReLU (slope {leaky_slope:g})", lambda x: F.leaky_relu(x, leaky_slope)),
        "elu": (f"ELU (alpha {elu_alpha:g})", lambda x: F.elu(x, elu_alpha)),
        "swish": ("swish / SiLU", F.silu),
        "binary_step": ("binary step", F.binary_step),
    }


def activation_curves(
    name: str, x: np.ndarray, leaky_slope: float = 0.1, elu_alpha: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """(f(x), f'(x)) of activation `name`, the derivative from jaring's backward."""
    funcs = _functions(leaky_slope, elu_alpha)
    if name not in funcs:
        raise ValueError(f"unknown activation {name!r}; choose from {list(funcs)}")
    t = Tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    y = funcs[name][1](t)
    if y.requires_grad:
        y.sum().backward()
        slope = t.grad.numpy()
    else:  # binary step records no graph: its derivative is zero wherever it is defined
        slope = np.zeros_like(t.data)
    return y.numpy(), slope


def plot_activations(
    path: str | os.PathLike | None = None,
    names: list[str] | None = None,
    x_range: tuple[float, float] = (-5.0, 5.0),
    leaky_slope: float = 0.1,
    elu_alpha: float = 1.0,
) -> Figure:
    """One panel per activation (sigmoid, tanh, ReLU, leaky ReLU, ELU, swish, binary step): f and f'.

    leaky_slope is 0.1 rather than the layer default 0.01 so the negative side is visible.
    Returns the Figure; saves it when `path` is given.

    Examples:
        >>> fig = plot_activations("activations.png", names=["relu", "tanh"])
        >>> len(fig.axes)
        2
    """
    funcs = _functions(leaky_slope, elu_alpha)
    names = list(funcs) if names is None else list(names)
    unknown = [n for n in names if n not in funcs]
    if unknown or not names:
        raise ValueError(f"plot_activations: unknown or no names {unknown}; choose from {list(funcs)}")
    low, high = x_range
    if not low < high:
        raise ValueError(f"plot_activations: x_range must be (low, high) with low < high, got {x_range}")
    x = np.linspace(low, high, 401)
    rows, cols = grid(len(names), columns=4)
    fig = new_figure(3.3 * cols, 2.8 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, name in zip(axes, names):
        y, slope = activation_curves(name, x, leaky_slope, elu_alpha)
        ax.plot(x, y, color=POSITIVE, label="f(x)")
        ax.plot(x, slope, color=SECOND, linestyle="--", label="f'(x)")
        ax.axhline(0, color="0.6", linewidth=0.7)
        ax.axvline(0, color="0.6", linewidth=0.7)
        ax.set_title(funcs[name][0])
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    return finish(fig, path)
