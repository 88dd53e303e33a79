"""jaring/viz/graph.py: the computational graph with data and gradient per node, graphviz or jaring's SVG."""

import shutil
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import jaring
from jaring.viz import draw_graph
from jaring.viz.graph import GraphDrawing
from tests.viz.models import trained_mlp

HAS_DOT = shutil.which("dot") is not None


def _neuron():
    x = jaring.Tensor([1.0, -2.0], name="x")
    w = jaring.Tensor([0.5, 0.25], requires_grad=True, name="w")
    b = jaring.Tensor(0.1, requires_grad=True, name="b")
    return x, w, b, ((x * w).sum() + b).tanh()


def test_nodes_show_data_and_live_gradients_without_touching_grad():
    x, w, b, out = _neuron()
    drawing = draw_graph(out, engine="jaring")
    by_name = {n["name"]: n for n in drawing.nodes if n["kind"] == "tensor"}
    slope = 1 - np.tanh(0.5 * 1 - 0.25 * 2 + 0.1) ** 2
    assert by_name["w"]["grad"] == np.array2string(np.array([slope, -2 * slope]), precision=4, separator=", ")
    assert by_name["b"]["grad"] == f"{slope:.4f}".rstrip("0")
    assert by_name["x"]["grad"] == "no grad" and by_name["x"]["data"] == "[ 1., -2.]"
    assert sorted(n["name"] for n in drawing.nodes if n["kind"] == "op") == [
        "Add",
        "Mul",
        "Sum",
        "TanhFunction",
    ]
    assert w.grad is None and b.grad is None  # drawing computes its own gradients
    out.backward()  # and the graph is still usable afterwards
    np.testing.assert_allclose(w.grad.numpy(), [slope, -2 * slope], rtol=1e-6)


def test_after_backward_the_leaves_show_their_grad():
    _, w, _, out = _neuron()
    out.backward()
    by_name = {n["name"]: n for n in draw_graph(out, engine="jaring").nodes}
    assert by_name["w"]["grad"] == np.array2string(w.grad.numpy(), precision=4, separator=", ")


def test_own_svg_is_valid_and_has_one_shape_per_node(tmp_path):
    model = trained_mlp((3, 2))
    out = model(jaring.tensor(np.ones((1, 3), dtype=np.float32))).relu().sum()
    drawing = draw_graph(out, tmp_path / "g.svg", names=model, engine="jaring")
    assert isinstance(drawing, GraphDrawing) and drawing.engine == "jaring"
    root = ET.fromstring((tmp_path / "g.svg").read_text())
    ns = "{http://www.w3.org/2000/svg}"
    tensors, ops = root.findall(f".//{ns}rect[@class='tensor']"), root.findall(f".//{ns}ellipse[@class='op']")
    assert len(tensors) == sum(n["kind"] == "tensor" for n in drawing.nodes) == 6
    assert len(ops) == 3 and len(root.findall(f".//{ns}path")) >= 6
    assert "0.weight (2, 3)" in drawing.svg and drawing._repr_svg_() == drawing.svg


def test_dot_source_and_saving(tmp_path):
    *_, out = _neuron()
    drawing = draw_graph(out, engine="jaring")
    assert drawing.dot.startswith("digraph jaring {") and "rankdir=LR" in drawing.dot
    assert drawing.save(tmp_path / "g.dot").read_text() == drawing.dot
    with pytest.raises(ValueError, match="\\.svg, \\.dot"):
        drawing.save(tmp_path / "g.jpg")


@pytest.mark.skipif(not HAS_DOT, reason="graphviz's dot is not installed (apt-get install graphviz)")
def test_graphviz_renders_svg_and_png(tmp_path):
    *_, out = _neuron()
    drawing = draw_graph(out, tmp_path / "g.png")
    assert drawing.engine == "graphviz" and "<svg" in drawing.svg and "TanhFunction" in drawing.svg
    from tests.viz.pictures import assert_drawn_png

    assert_drawn_png(tmp_path / "g.png", min_width=150, min_height=80)


def test_without_graphviz_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    *_, out = _neuron()
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        draw_graph(out, engine="graphviz")
    assert draw_graph(out).engine == "jaring"


def test_bad_arguments():
    *_, out = _neuron()
    with pytest.raises(TypeError, match="needs a jaring Tensor"):
        draw_graph(np.ones(2))
    with pytest.raises(ValueError, match="engine must be one of"):
        draw_graph(out, engine="dot")
    with pytest.raises(ValueError, match="more than 2 tensors"):
        draw_graph(out, max_nodes=2)


@pytest.mark.slow
def test_a_long_chain_does_not_recurse():
    x = jaring.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(3000):
        y = y * 1.0
    assert len(draw_graph(y, engine="jaring", max_nodes=10_000).nodes) == 2 * 3000 + 1  # tensors and ops


def test_drawing_a_graph_runs_no_tensor_hook():
    x, w, b, out = _neuron()
    calls = []
    w.register_hook(lambda grad: calls.append(grad) or grad * 100)
    drawing = draw_graph(out, engine="jaring")
    assert calls == []  # a printing hook prints nothing when the graph is only drawn
    by_name = {n["name"]: n for n in drawing.nodes if n["kind"] == "tensor"}
    slope = 1 - np.tanh(0.5 * 1 - 0.25 * 2 + 0.1) ** 2
    assert by_name["w"]["grad"] == np.array2string(np.array([slope, -2 * slope]), precision=4, separator=", ")
    out.backward()
    assert len(calls) == 1  # backward still runs it
    np.testing.assert_allclose(w.grad.numpy(), [100 * slope, -200 * slope], rtol=1e-6)
