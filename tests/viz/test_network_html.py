"""jaring/viz/network_html.py: the page's data, its self-containment and its arguments (no browser here)."""

import base64
import json
import re

import numpy as np
import pytest

import jaring.nn as nn
from jaring.viz import network
from jaring.viz.network_html import describe, render
from tests.viz.models import trained_mlp


def _decode(b64: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(b64), dtype="<f4")


def _payload(page: str) -> dict:
    raw = re.search(r'<script type="application/json" id="jaring-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(raw.replace("<\\/", "</"))


def test_weights_gradients_and_biases_travel_exactly():
    model = trained_mlp((5, 4, 3))
    data = describe(model)
    assert [c["size"] for c in data["columns"]] == [5, 4, 3]
    assert [c["label"] for c in data["columns"]] == ["input", "hidden 1", "output"]
    assert [c["activation"] for c in data["columns"]] == [None, "relu", "linear"]
    for link, layer in zip(data["links"], (model[0], model[2])):
        np.testing.assert_array_equal(
            _decode(link["w"]).reshape(link["rows"], link["cols"]), layer.weight.numpy()
        )
        np.testing.assert_array_equal(_decode(link["g"]), layer.weight.grad.numpy().ravel())
        np.testing.assert_array_equal(_decode(link["b"]), layer.bias.numpy())
        np.testing.assert_array_equal(_decode(link["bg"]), layer.bias.grad.numpy())


def test_page_is_self_contained(tmp_path):
    path = network(trained_mlp(), tmp_path / "sub" / "net.html", title="a </script> title")
    page = path.read_text()
    assert page.startswith("<!DOCTYPE html>") and "window.jaring" in page and ".neuron" in page
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|https?://(?!www\.w3\.org)", page)
    assert _payload(page)["title"] == "a </script> title"  # escaped, so the page is not cut short


def test_no_gradients_yet_and_blocks():
    conv = nn.Conv2D(2, 3, input_dim=1, data_format="channels_first")
    model = nn.Sequential(conv, nn.ReLU(), nn.Flatten(), nn.Linear(32, 2))
    data = describe(model)
    conv = data["columns"][0]
    assert conv["kind"] == "block" and conv["activation"] == "relu"
    assert [p["name"] for p in conv["params"]] == ["weight", "bias"] and conv["params"][0]["grad"] is None
    assert data["links"][-1]["g"] is None and data["links"][-1]["gstats"] is None
    assert "params" not in data["columns"][-1] and "module" not in conv


def test_big_network_page_stays_small_enough():
    page = render(
        nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    )
    n_params = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10
    assert len(page) < 4 * n_params * 4 / 3 + 200_000  # float32 base64, no JSON number lists


@pytest.mark.parametrize("kwargs", [{"fold_threshold": 0}, {"top_edges": True}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="must be a positive integer"):
        render(trained_mlp(), **kwargs)


def test_the_returned_path_shows_the_page_inline(tmp_path):
    page = network(trained_mlp((3, 2)), tmp_path / "net.html", title='"quoted" & <b>')
    assert page == tmp_path / "net.html" and page.read_text().startswith("<!DOCTYPE html>")
    inline = page._repr_html_()
    assert inline.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') and inline.endswith("</iframe>")
    srcdoc = inline[len('<iframe srcdoc="') : inline.index('" style=')]
    assert '"' not in srcdoc and "<" not in srcdoc  # escaped whole: the page cannot end the attribute
