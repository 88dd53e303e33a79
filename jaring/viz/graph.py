"""draw_graph(tensor): the ops and tensors that produced a value, with data and gradient per node.

Like micrograd's draw_dot: tensors are boxes (name, shape, data, grad), ops are ellipses,
arrows follow the forward pass left to right. Rendered by graphviz when its `dot` binary is
installed, otherwise laid out in layers and written as SVG by jaring itself.

Gradients: while the graph is still alive (before backward, or after backward with
retain_graph=True) every node shows d(tensor.sum())/d(node), computed here without touching
any `.grad`. After a plain backward the graph's saved arrays are freed, so the nodes show
their `.grad` (leaves, and tensors that called retain_grad()).
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.engine import propagate
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module, Parameter

_ENGINES = ("auto", "graphviz", "jaring")
_CHAR_W, _LINE_H, _PAD = 7.0, 16.0, 8.0
_GAP_X, _GAP_Y = 46.0, 18.0


@dataclass
class GraphDrawing:
    """The drawn graph: `svg` text, graphviz `dot` source, which `engine` drew it, and its `nodes`.

    Shows itself inline in Jupyter; `save(path)` writes .svg or .dot (and .png/.pdf with graphviz).
    """

    svg: str
    dot: str
    engine: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: str | os.PathLike) -> Path:
        """Write the drawing; the format follows the extension (.svg, .dot/.gv, .png, .pdf)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        suffix = target.suffix.lower()
        if suffix == ".svg":
            target.write_text(self.svg, encoding="utf-8")
        elif suffix in (".dot", ".gv"):
            target.write_text(self.dot, encoding="utf-8")
        elif suffix in (".png", ".pdf"):
            if shutil.which("dot") is None:
                raise RuntimeError(
                    f"saving the graph as {suffix} needs graphviz's `dot` program (apt-get install graphviz, "
                    "brew install graphviz or conda install graphviz); .svg and .dot work without it"
                )
            target.write_bytes(_run_dot(self.dot, suffix[1:]))
        else:
            raise ValueError(f"draw_graph can save .svg, .dot, .gv, .png or .pdf, got {target.name!r}")
        return target


def _summary(array: Any) -> str:
    """A short text for an array: its values when tiny, otherwise mean and std."""
    if array is None:
        return "none"
    a = np.asarray(backend.to_numpy(array))
    if a.size <= 4:
        return np.array2string(a.astype(np.float64) if a.dtype.kind == "f" else a, precision=4,
                               separator=", ", suppress_small=True).replace("\n", "")  # fmt: skip
    if a.dtype.kind not in "fc":
        return f"{a.dtype} values"
    return f"mean {a.mean():.4g}, std {a.std():.4g}"


def _live_gradients(root: Tensor) -> dict[int, Any]:
    """d(root.sum())/d(node) for every tensor in the graph, by the engine's own walk, no side effects."""
    grads: dict[int, Any] = {}
    ones = backend.array_module(root.data).ones_like(root.data)
    for tensor, g in propagate(root, ones, release=False, run_hooks=False):  # drawing calls no hook
        prev = grads.get(id(tensor))
        grads[id(tensor)] = g if prev is None else prev + g
    return grads


def _collect(root: Tensor, max_nodes: int) -> tuple[list[Tensor], list[tuple[Tensor, Tensor]]]:
    """Every tensor reachable from root (parents before children) and the (parent, child) pairs."""
    tensors, pairs, seen, stack = [], [], {id(root)}, [root]
    while stack:
        t = stack.pop()
        tensors.append(t)
        if len(tensors) > max_nodes:
            raise ValueError(
                f"draw_graph: the graph has more than {max_nodes} tensors; draw a smaller example (one "
                "sample, one time step) or raise max_nodes"
            )
        if t._ctx is None:
            continue
        for parent in t._ctx.parents:
            pairs.append((parent, t))
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    tensors.reverse()
    return tensors, pairs


def _names(named: Any) -> dict[int, str]:
    if named is None:
        return {}
    if isinstance(named, Module):
        return {id(p): n for n, p in named.named_parameters()}
    if isinstance(named, dict):
        return {id(t): str(n) for n, t in named.items()}
    raise TypeError(
        f"draw_graph: names must be a Module or a dict {{name: tensor}}, got {type(named).__name__}"
    )


def _nodes(
    root: Tensor, names: dict[int, str], max_nodes: int
) -> tuple[list[dict], list[tuple[str, str]], str]:
    tensors, pairs = _collect(root, max_nodes)
    note = ""
    if root._ctx is not None and not root._ctx.released:
        try:
            grads = _live_gradients(root)
        except Exception as exc:  # an op whose backward cannot run twice: fall back, and say why
            grads, note = {}, f"gradients from .grad only ({type(exc).__name__}: {exc})"
    else:
        grads = {}
    nodes, edges = [], []
    for t in tensors:
        tid = f"t{id(t)}"
        grad = grads.get(id(t))
        if grad is None and t.grad is not None:
            grad = t.grad.data
        kind = "parameter" if isinstance(t, Parameter) else ("leaf" if t._ctx is None else "result")
        name = names.get(id(t)) or t.name or ("output" if t is root else kind)
        nodes.append(
            {"id": tid, "kind": "tensor", "name": name, "shape": tuple(t.shape), "data": _summary(t.data),
             "grad": _summary(grad) if t.requires_grad else "no grad"}
        )  # fmt: skip
        if t._ctx is not None:
            oid = f"o{id(t)}"
            nodes.append({"id": oid, "kind": "op", "name": t._ctx.fn.__name__})
            edges.append((oid, tid))
    for parent, child in pairs:
        edges.append((f"t{id(parent)}", f"o{id(child)}"))
    return nodes, edges, note


def _lines(node: dict[str, Any]) -> list[str]:
    if node["kind"] == "op":
        return [node["name"]]
    return [f"{node['name']} {node['shape']}", f"data: {node['data']}", f"grad: {node['grad']}"]


def to_dot(nodes: list[dict], edges: list[tuple[str, str]]) -> str:
    """graphviz source: tensors as records, ops as ellipses, left to right."""

    def esc(text: str) -> str:
        for ch in '\\{}|<>"':
            text = text.replace(ch, "\\" + ch)
        return text

    out = ["digraph jaring {", "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=11];']
    for node in nodes:
        if node["kind"] == "op":
            style = 'shape=ellipse, style=filled, fillcolor="#f4ecdc"'
            out.append(f'  {node["id"]} [label="{esc(node["name"])}", {style}];')
        else:
            label = " | ".join(esc(line) for line in _lines(node))  # with rankdir=LR, fields stack vertically
            fill = "#dde7f3" if node["kind"] == "tensor" and node["grad"] != "no grad" else "#f2f2f2"
            out.append(f'  {node["id"]} [label="{label}", shape=record, style=filled, fillcolor="{fill}"];')
    out.extend(f"  {a} -> {b};" for a, b in edges)
    out.append("}")
    return "\n".join(out) + "\n"


def _run_dot(source: str, fmt: str) -> bytes:
    result = subprocess.run(
        [shutil.which("dot") or "dot", f"-T{fmt}"], input=source.encode(), capture_output=True, timeout=60
    )
    if result.returncode != 0:
        raise RuntimeError(f"graphviz failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def to_svg(nodes: list[dict], edges: list[tuple[str, str]]) -> str:
    """jaring's own drawing: nodes in layers by longest path from the inputs, arrows left to right."""
    by_id = {n["id"]: n for n in nodes}
    parents: dict[str, list[str]] = {n["id"]: [] for n in nodes}
    for a, b in edges:
        parents[b].append(a)
    rank: dict[str, int] = {}
    order = _topological(nodes, parents)
    for nid in order:
        rank[nid] = 1 + max((rank[p] for p in parents[nid]), default=-1)
    layers: dict[int, list[str]] = {}
    for nid in order:
        layers.setdefault(rank[nid], []).append(nid)
    sizes = {}
    for nid, node in by_id.items():
        lines = _lines(node)
        width = max(len(s) for s in lines) * _CHAR_W + 2 * _PAD
        sizes[nid] = (width + (16 if node["kind"] == "op" else 0), len(lines) * _LINE_H + 2 * _PAD)
    pos: dict[str, tuple[float, float]] = {}
    x = 10.0
    height = 0.0
    extents: dict[int, float] = {}
    for r in sorted(layers):
        ids = layers[r]
        # Barycentre: order each layer by the mean height of its parents, to limit crossings.
        ids.sort(key=lambda n: np.mean([pos[p][1] for p in parents[n]]) if parents[n] else 0.0)
        column_w = max(sizes[n][0] for n in ids)
        y = 10.0
        for nid in ids:
            w, h = sizes[nid]
            pos[nid] = (x + (column_w - w) / 2, y + h / 2)
            y += h + _GAP_Y
        height = max(height, y)
        extents[r] = y
        x += column_w + _GAP_X
    for r, ids in layers.items():  # centre each layer vertically
        shift = (height - extents[r]) / 2
        for nid in ids:
            pos[nid] = (pos[nid][0], pos[nid][1] + shift)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{x:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {x:.0f} {height:.0f}" font-family="Helvetica, Arial, sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for a, b in edges:
        (xa, ya), (xb, yb) = pos[a], pos[b]
        x1, x2 = xa + sizes[a][0], xb
        mid = (x1 + x2) / 2
        parts.append(
            f'<path d="M{x1:.1f},{ya:.1f} C{mid:.1f},{ya:.1f} {mid:.1f},{yb:.1f} {x2:.1f},{yb:.1f}" '
            'fill="none" stroke="#555" stroke-width="1.2" marker-end="url(#arrow)"/>'
        )
    for nid, node in by_id.items():
        (x0, yc), (w, h) = pos[nid], sizes[nid]
        lines = _lines(node)
        if node["kind"] == "op":
            parts.append(
                f'<ellipse cx="{x0 + w / 2:.1f}" cy="{yc:.1f}" rx="{w / 2:.1f}" ry="{h / 2:.1f}" '
                f'fill="#f4ecdc" stroke="#7a6236" class="op" data-id="{nid}"/>'
            )
        else:
            fill = "#dde7f3" if node["grad"] != "no grad" else "#f2f2f2"
            parts.append(
                f'<rect x="{x0:.1f}" y="{yc - h / 2:.1f}" width="{w:.1f}" height="{h:.1f}" rx="4" '
                f'fill="{fill}" stroke="#3b4a5c" class="tensor" data-id="{nid}"/>'
            )
        for n, line in enumerate(lines):
            ty = yc - h / 2 + _PAD + _LINE_H * (n + 0.75)
            anchor = (
                f'x="{x0 + w / 2:.1f}" text-anchor="middle"'
                if node["kind"] == "op"
                else f'x="{x0 + _PAD:.1f}"'
            )
            weight = ' font-weight="bold"' if n == 0 and node["kind"] == "tensor" else ""
            parts.append(f'<text {anchor} y="{ty:.1f}"{weight}>{html.escape(line)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _topological(nodes: list[dict], parents: dict[str, list[str]]) -> list[str]:
    """Node ids with every parent before its children (iterative, for deep graphs)."""
    order, done = [], set()
    for node in nodes:
        stack = [(node["id"], False)]
        while stack:
            nid, expanded = stack.pop()
            if expanded:
                if nid not in done:
                    done.add(nid)
                    order.append(nid)
                continue
            if nid in done:
                continue
            stack.append((nid, True))
            stack.extend((p, False) for p in parents[nid] if p not in done)
    return order


def draw_graph(
    tensor: Tensor,
    path: str | os.PathLike | None = None,
    names: Module | dict | None = None,
    engine: str = "auto",
    max_nodes: int = 300,
) -> GraphDrawing:
    """Draw the computational graph behind `tensor` (see the module docstring for the gradients).

    names: a Module (its parameters are labelled by dotted name) or {name: tensor}. engine:
    "auto" (graphviz when `dot` is installed), "graphviz" or "jaring". Saves when `path` is given.

    Examples:
        >>> import jaring
        >>> w = jaring.tensor([1.0, 2.0], requires_grad=True)
        >>> loss = (w * 3).sum()
        >>> loss.backward()
        >>> drawing = draw_graph(loss, "graph.svg", names={"w": w}, engine="jaring")
        >>> drawing.engine, drawing.svg.startswith("<svg")
        ('jaring', True)
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"draw_graph needs a jaring Tensor, got {type(tensor).__name__}")
    if engine not in _ENGINES:
        raise ValueError(f"draw_graph: engine must be one of {_ENGINES}, got {engine!r}")
    has_dot = shutil.which("dot") is not None
    if engine == "graphviz" and not has_dot:
        raise RuntimeError(
            "engine='graphviz' needs graphviz's `dot` program (apt-get install graphviz, brew install "
            "graphviz or conda install graphviz); engine='jaring' draws without it"
        )
    nodes, edges, note = _nodes(tensor, _names(names), max_nodes)
    dot = to_dot(nodes, edges)
    use_dot = engine == "graphviz" or (engine == "auto" and has_dot)
    svg = _run_dot(dot, "svg").decode("utf-8") if use_dot else to_svg(nodes, edges)
    drawing = GraphDrawing(
        svg=svg, dot=dot, engine="graphviz" if use_dot else "jaring", nodes=nodes, note=note
    )
    if path is not None:
        drawing.save(path)
    return drawing
