"""network(model, path): the model as a self-contained interactive HTML page (no network access needed).

Columns of neurons (input, hidden, output) joined by one edge per weight, a bias node per
layer, the activation under each column. Hover or click an edge for its weight and gradient,
a neuron for its bias and fan-in. Layers wider than `fold_threshold` start folded into one
group node with summary statistics and unfold on demand; between two unfolded wide layers
only the strongest weights are drawn (and every edge of the selected neuron), so even a
784-256-128-10 network stays responsive. Other layers (convolution, recurrence, pooling)
are boxes with their parameter statistics. Weights travel as base64 float32, the script and
style are read from jaring/viz/static and inlined.
"""

from __future__ import annotations

import base64
import html
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from jaring.nn.module import Module
from jaring.viz.layers import network_columns, stats, to_numpy


def _b64(array: np.ndarray | None) -> str | None:
    if array is None:
        return None
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def _grad(param: Any) -> np.ndarray | None:
    return None if param is None or param.grad is None else to_numpy(param.grad)


def describe(model: Module) -> dict[str, Any]:
    """The page's data: columns (neurons or blocks) and links, weights as base64 float32."""
    columns, links = network_columns(model)
    for column in columns:
        module = column.pop("module", None)
        if module is not None:
            column["params"] = [
                {"name": n, "shape": list(p.shape), "value": stats(to_numpy(p)), "grad": stats(_grad(p))}
                for n, p in module.named_parameters()
            ]
    encoded = []
    for link in links:
        if link["kind"] != "dense":
            encoded.append(link)
            continue
        rows, cols = link["W"].shape
        encoded.append(
            {
                "kind": "dense",
                "layer": link["layer"],
                "rows": int(rows),
                "cols": int(cols),
                **{key.lower(): _b64(link[key]) for key in ("W", "G", "B", "BG")},
                "wstats": stats(link["W"]),
                "gstats": stats(link["G"]),
            }
        )
    return {"columns": columns, "links": encoded}


def _static(name: str) -> str:
    return resources.files("jaring.viz").joinpath("static", name).read_text(encoding="utf-8")


def render(model: Module, title: str | None = None, fold_threshold: int = 32, top_edges: int = 1500) -> str:
    """The whole page as one HTML string (see `network`)."""
    for what, value in (("fold_threshold", fold_threshold), ("top_edges", top_edges)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"network: {what} must be a positive integer, got {value!r}")
    title = title or f"{type(model).__name__}: {model.num_parameters():,} parameters"
    data = describe(model)
    data.update(title=title, fold_threshold=int(fold_threshold), top_edges=int(top_edges))
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_static('network.css')}</style>\n</head>\n<body>\n"
        f'<script type="application/json" id="jaring-data">{payload}</script>\n'
        f"<script>\n{_static('network.js')}</script>\n</body>\n</html>\n"
    )


class NetworkPage(
    type(Path())
):  # the concrete PosixPath/WindowsPath: Path itself takes no subclass before 3.12
    """The path of a written network page; Jupyter shows the page itself inline (in an iframe)."""

    height = 620

    def _repr_html_(self) -> str:
        page = html.escape(self.read_text(encoding="utf-8"), quote=True)
        return (f'<iframe srcdoc="{page}" style="width: 100%; height: {self.height}px; border: 0" '
                f'title="{html.escape(self.name)}"></iframe>')  # fmt: skip


def network(
    model: Module,
    path: str | os.PathLike = "network.html",
    title: str | None = None,
    fold_threshold: int = 32,
    top_edges: int = 1500,
) -> NetworkPage:
    """Write the interactive page of `model` to `path` and return the path (open it in any browser).

    fold_threshold: layers with more neurons start folded into a group node. top_edges: how
    many of the strongest weights are drawn between two unfolded layers too wide to draw whole.
    Gradients show when the parameters have them (after a backward pass or fit). The returned
    path is a `pathlib.Path` that shows the page inline when it is a notebook cell's result.

    Examples:
        >>> from jaring.models import FFNN
        >>> page = network(FFNN([4, 8, 3], ["relu", "softmax"], seed=0), "runs/net.html")
        >>> page.name, page.read_text().startswith("<!DOCTYPE html>")
        ('net.html', True)
    """
    target = NetworkPage(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(model, title, fold_threshold, top_edges), encoding="utf-8")
    return target
