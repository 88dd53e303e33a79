"""plot_history: training and validation loss (and every metric) per epoch, one panel each."""

from __future__ import annotations

import os
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from jaring.viz.figure import POSITIVE, SECOND, finish, grid, new_figure


def _as_dict(history: Any) -> tuple[list[float], dict[str, list[float]]]:
    """(epochs, {key: values}) from a History, its `.history` dict or `to_dict()` output."""
    if hasattr(history, "history") and isinstance(history.history, dict):
        values, epochs = history.history, list(getattr(history, "epoch", []) or [])
    elif isinstance(history, dict):
        values = {k: v for k, v in history.items() if k != "epoch"}
        epochs = list(history.get("epoch", []))
    else:
        raise TypeError(
            f"plot_history needs a History (what fit returns) or its dict, got {type(history).__name__}"
        )
    values = {k: [float(x) for x in v] for k, v in values.items()}
    if not values or not any(values.values()):
        raise ValueError("plot_history: the history is empty; train for at least one epoch first")
    longest = max(len(v) for v in values.values())
    if len(epochs) != longest:
        epochs = list(range(1, longest + 1))
    return epochs, values


def plot_history(
    history: Any, path: str | os.PathLike | None = None, metrics: list[str] | None = None
) -> Figure:
    """Training vs validation curves per epoch: "loss" first, then each metric (or only `metrics`).

    A "val_x" entry is drawn in the panel of "x". Returns the Figure; saves it when `path` is given.

    Examples:
        >>> curves = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.5, 0.8, 0.9]}
        >>> fig = plot_history(curves)
        >>> len(fig.axes)
        2
    """
    epochs, values = _as_dict(history)
    keys = [k for k in values if not k.startswith("val_")]
    keys += [k[4:] for k in values if k.startswith("val_") and k[4:] not in keys]
    keys = sorted(keys, key=lambda k: k != "loss")  # stable: the rest keep their order
    if metrics is not None:
        unknown = [m for m in metrics if m not in keys]
        if unknown:
            raise ValueError(f"plot_history: no entries for {unknown}; the history has {keys}")
        keys = [k for k in keys if k in metrics]
    rows, cols = grid(len(keys), columns=2)
    fig = new_figure(5.0 * cols, 3.4 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, key in zip(axes, keys):
        for label, name, color in (("training", key, POSITIVE), ("validation", f"val_{key}", SECOND)):
            series = values.get(name)
            if series:
                xs = epochs[len(epochs) - len(series) :]  # a key that started late ends with the rest
                ax.plot(xs, series, marker="o", markersize=3, color=color, label=label)
        ax.set_title(key)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend()
    for ax in axes[len(keys) :]:
        ax.set_visible(False)
    return finish(fig, path)
