"""docs/gallery.py (`make gallery`): per-model pictures and the graph, on a tiny model."""

import pytest
import importlib.util
from pathlib import Path

import numpy as np

from jaring.models import FFNN
from tests.viz.pictures import assert_drawn_png

_SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "gallery.py"
_spec = importlib.util.spec_from_file_location("gallery", _SCRIPT)
gallery = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gallery)


@pytest.mark.slow
def test_pictures_of_a_trained_model_and_the_graph(tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(12, 4)).astype(np.float32), rng.integers(0, 3, size=12)
    model = FFNN([4, 5, 3], ["relu", "softmax"], seed=0)
    history = model.fit(x, y, epochs=2, validation_data=(x, y))
    written = gallery._pictures("tiny", model, history, tmp_path, (x, y))
    assert [p.name for p in written] == [
        "tiny_history.png", "tiny_weights.png", "tiny_gradients.png", "tiny_network.html", "tiny_network.png",
    ]  # fmt: skip
    for path in written:
        if path.suffix == ".png":
            assert_drawn_png(path)
    assert model.layers[0].weight.grad is not None  # the gradient pictures had gradients to show
    svg = gallery._graph(tmp_path).read_text()
    assert "<svg" in svg and "loss" in svg
