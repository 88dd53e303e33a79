"""plot_network: a static picture (PNG, SVG, PDF) of the same graph as the HTML page, for small networks.

Neurons as circles, one line per weight (blue positive, red negative, stronger = more
opaque and thicker), a "+1" bias node above each layer with dashed bias edges, the activation
under each column. Layers wider than `fold_threshold` are drawn as one group box with their
weight statistics, joined to their neighbours by aggregated grey edges.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from jaring.nn.module import Module
from jaring.viz.figure import finish, new_figure
from jaring.viz.layers import network_columns

_BLUE, _RED = np.array([0.12, 0.47, 0.71]), np.array([0.84, 0.15, 0.16])
_BOX_H = 0.5  # half height of a group or block box, in neuron-column units


def _colors(values: np.ndarray, scale: float) -> np.ndarray:
    rel = np.clip(np.abs(values) / scale, 0.0, 1.0)
    rgb = np.where(values[:, None] >= 0, _BLUE, _RED)
    return np.column_stack([rgb, 0.15 + 0.8 * rel])


def _ys(size: int) -> np.ndarray:
    """Neuron heights in [-1, 1] (one neuron sits in the middle)."""
    return np.zeros(1) if size == 1 else np.linspace(1.0, -1.0, size) * min(1.0, 0.2 * (size - 1))


def plot_network(
    model: Module, path: str | os.PathLike | None = None, fold_threshold: int = 16, title: str | None = None
) -> Figure:
    """Draw `model`'s neurons, weights (coloured by sign and size), biases and activations.

    Returns the Figure; saves it when `path` is given (.png, .svg, .pdf).

    Examples:
        >>> from jaring.models import FFNN
        >>> fig = plot_network(FFNN([3, 4, 2], ["relu", "softmax"], seed=0), "network.png")
    """
    valid = isinstance(fold_threshold, (int, np.integer)) and not isinstance(fold_threshold, bool)
    if not valid or fold_threshold < 1:
        raise ValueError(f"plot_network: fold_threshold must be a positive integer, got {fold_threshold!r}")
    columns, links = network_columns(model)
    for column in columns:
        column["folded"] = column["kind"] == "block" or column["size"] > fold_threshold
        column["ys"] = np.zeros(1) if column["folded"] else _ys(column["size"])
    fig = new_figure(max(4.0, 2.3 * len(columns)), 5.2)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_aspect("equal")
    for k, link in enumerate(links):
        _draw_link(ax, k, columns[k], columns[k + 1], link)
    for k, column in enumerate(columns):
        _draw_column(ax, k, column, links[k - 1] if k > 0 else None, links[k] if k < len(links) else None)
    ax.set_xlim(-0.7, len(columns) - 0.3)
    ax.set_ylim(-1.55, 1.75)
    ax.set_title(title or f"{type(model).__name__}: {model.num_parameters():,} parameters")
    return finish(fig, path, dpi=150)


def _segments(x1: float, y1: np.ndarray, x2: float, y2: np.ndarray) -> np.ndarray:
    """Line segments from (x1, y1[n]) to (x2, y2[n]), shaped (n, 2, 2) for a LineCollection."""
    n = len(y1)
    return np.stack([np.column_stack([np.full(n, x1), y1]), np.column_stack([np.full(n, x2), y2])], axis=1)


def _edge_x(k: int, column: dict[str, Any], side: int) -> float:
    return k + side * (0.25 if column["folded"] else 0.0)


def _draw_link(ax: Any, k: int, a: dict[str, Any], b: dict[str, Any], link: dict[str, Any]) -> None:
    x1, x2 = _edge_x(k, a, 1), _edge_x(k + 1, b, -1)
    if link["kind"] == "flow":
        ax.annotate("", (x2, 0), (x1, 0), arrowprops={"arrowstyle": "->", "color": "#7a6236", "lw": 2})
        return
    W = link["W"]
    ya, yb = a["ys"], b["ys"]
    if not a["folded"] and not b["folded"]:
        jj, ii = np.meshgrid(np.arange(len(yb)), np.arange(len(ya)), indexing="ij")
        values = W.ravel()
        scale = float(np.abs(values).max()) or 1.0
        segments = _segments(x1, ya[ii.ravel()], x2, yb[jj.ravel()])
        widths = 0.3 + 1.5 * np.abs(values) / scale
        ax.add_collection(
            LineCollection(segments, colors=_colors(values, scale), linewidths=widths, zorder=1)
        )
    else:
        # Aggregated edges: one per visible neuron (or one in all) with the mean |weight| as width.
        if not a["folded"]:
            strength, starts, ends = np.abs(W).mean(axis=0), ya, np.zeros(len(ya))
        elif not b["folded"]:
            strength, starts, ends = np.abs(W).mean(axis=1), np.zeros(len(yb)), yb
        else:
            strength, starts, ends = np.array([np.abs(W).mean()]), np.zeros(1), np.zeros(1)
        rel = strength / (strength.max() or 1.0)
        segments = _segments(x1, starts, x2, ends)
        ax.add_collection(
            LineCollection(segments, colors="0.45", alpha=0.6, linewidths=0.8 + 3 * rel, zorder=1)
        )
    if link["B"] is not None:
        targets = yb if not b["folded"] else np.zeros(1)
        values = link["B"] if not b["folded"] else np.array([link["B"].mean()])
        scale = float(np.abs(values).max()) or 1.0
        segments = _segments(float(k), np.full(len(targets), 1.35), x2, targets)
        ax.add_collection(
            LineCollection(segments, colors=_colors(values, scale), linewidths=0.8, linestyles="--", zorder=1)
        )


def _draw_column(
    ax: Any, k: int, column: dict[str, Any], in_link: dict[str, Any] | None, out_link: dict[str, Any] | None
) -> None:
    label = column["label"] if column["kind"] == "block" else f"{column['label']}\n{column['size']}"
    ax.text(k, 1.55, label, ha="center", va="center", fontsize=9, fontweight="bold")
    if column["activation"]:
        ax.text(k, -1.35, column["activation"], ha="center", va="center", fontsize=9, style="italic",
                color="#7a3b8f")  # fmt: skip
    if column["folded"]:
        face = "#f4ecdc" if column["kind"] == "block" else "#dde7f3"
        ax.add_patch(FancyBboxPatch((k - 0.25, -_BOX_H), 0.5, 2 * _BOX_H, boxstyle="round,pad=0.02",
                                    facecolor=face, edgecolor="#3b4a5c", zorder=3))  # fmt: skip
        if column["kind"] == "block":
            text = _wrap(column["detail"])
        else:
            text = f"{column['size']} neurons\n(folded)"
            if in_link is not None and in_link["kind"] == "dense":
                W = in_link["W"]
                text += f"\nweights\nmean {W.mean():.1e}\nstd {W.std():.2g}"
        ax.text(k, 0, text, ha="center", va="center", fontsize=6.5, zorder=4)
    else:
        radius = min(0.06, 0.4 * (column["ys"][0] - column["ys"][1])) if column["size"] > 1 else 0.06
        for y in column["ys"]:
            face = "white" if k == 0 else "#eef3fa"
            ax.add_patch(Circle((k, y), radius, facecolor=face, edgecolor="#3b4a5c", zorder=3))
    if out_link is not None and out_link["kind"] == "dense" and out_link["B"] is not None:
        ax.add_patch(FancyBboxPatch((k - 0.07, 1.28), 0.14, 0.14, boxstyle="round,pad=0.01",
                                    facecolor="#f2f2f2", edgecolor="#666", zorder=3))  # fmt: skip
        ax.text(k, 1.35, "+1", ha="center", va="center", fontsize=7, zorder=4)


def _wrap(text: str, width: int = 16) -> str:
    lines, line = [], ""
    for word in text.replace(",", ", ").split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:6])
