"""In an executed notebook, jaring's pictures show inline: figures as PNG, the network page as HTML,
computational graphs as SVG (each through its _repr_*_ method, without pyplot)."""

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

CELLS = {
    "setup": "import numpy as np\nfrom jaring import viz\nfrom jaring.models import FFNN\n"
    "model = FFNN([4, 5, 3], ['relu', 'softmax'], seed=0)\n"
    "history = model.fit(np.random.default_rng(0).random((20, 4), dtype=np.float32), np.arange(20) % 3,"
    " epochs=2, seed=0)",
    "curves": "viz.plot_history(history)",
    "weights": "model.plot_weights()",
    "gradients": "viz.plot_gradients(model)",
    "activations": "viz.plot_activations()",
    "network": "viz.network(model, 'net.html')",
    "graph": "viz.draw_graph((model.layers[0].weight * 2).sum(), engine='jaring')",
}
PNG = "image/png"
EXPECTED = {"curves": PNG, "weights": PNG, "gradients": PNG, "activations": PNG,
            "network": "text/html", "graph": "image/svg+xml"}  # fmt: skip


@pytest.mark.slow
def test_pictures_show_inline_in_an_executed_notebook(tmp_path):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(code) for code in CELLS.values()]
    nbclient.NotebookClient(
        book, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    ).execute()
    shown = {name: set().union(*(o.get("data", {}).keys() for o in cell.outputs))
             for name, cell in zip(CELLS, book.cells)}  # fmt: skip
    for name, mime in EXPECTED.items():
        assert mime in shown[name], f"{name}: the notebook showed only {sorted(shown[name])}"
    assert (tmp_path / "net.html").exists()
