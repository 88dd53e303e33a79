"""Figures without pyplot: every jaring plot is a matplotlib Figure that works headless and saves itself.

Building `matplotlib.figure.Figure` directly (not `plt.figure`) needs no display, leaves
pyplot's global figure list alone (no memory growth in loops) and still shows inline in Jupyter.
"""

from __future__ import annotations

import os
from pathlib import Path

from matplotlib.figure import Figure

POSITIVE = "#1f77b4"  # blue: positive weights, training curves
NEGATIVE = "#d62728"  # red: negative weights
SECOND = "#ff7f0e"  # orange: validation curves, derivatives


def new_figure(width: float, height: float) -> Figure:
    """A blank Figure of width x height inches with a tight layout."""
    return Figure(figsize=(width, height), layout="constrained")


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
