"""Figures without pyplot: every jaring plot is a matplotlib Figure that works headless and saves itself.

Building a `matplotlib.figure.Figure` directly (not `plt.figure`) needs no display and leaves
pyplot's global figure list alone (no memory growth in loops). Such a figure is unknown to
IPython's inline backend, so jaring's figures say themselves how to show (`_repr_png_`).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from matplotlib.figure import Figure

POSITIVE = "#1f77b4"  # blue: positive weights, training curves
NEGATIVE = "#d62728"  # red: negative weights
SECOND = "#ff7f0e"  # orange: validation curves, derivatives


class InlineFigure(Figure):
    """A matplotlib Figure that Jupyter shows inline as a PNG, with or without pyplot."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()


def new_figure(width: float, height: float) -> InlineFigure:
    """A blank figure of width x height inches with a tight layout, shown inline in Jupyter."""
    return InlineFigure(figsize=(width, height), layout="constrained")


def finish(fig: Figure, path: str | os.PathLike | None, dpi: int = 120) -> Figure:
    """Save `fig` to `path` when one is given (format from the extension, folders created); return it."""
    if path is not None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(target, dpi=dpi)
    return fig


def grid(count: int, columns: int = 3) -> tuple[int, int]:
    """(rows, columns) for `count` small panels, at most `columns` wide."""
    cols = max(1, min(columns, count))
    return (count + cols - 1) // cols, cols
