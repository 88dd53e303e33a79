"""jaring/viz/layers.py: forward order, dense layers with activations, layer selection and its errors."""

import pytest

import jaring.nn as nn
from jaring.models import FFNN
from jaring.viz.layers import network_columns, select_layers, stages, weighted_layers


def test_ffnn_layers_interleave_with_their_activations():
    model = FFNN([6, 5, 4, 3], ["relu", "tanh", "softmax"], seed=0)
    found = stages(model)
    assert [s.name for s in found] == ["layers.0", "layers.1", "layers.2"]
    assert [s.activation for s in found] == ["relu", "tanh", "softmax"]
    assert [n for n, _ in weighted_layers(model)] == ["layers.0", "layers.1", "layers.2"]


def test_sequential_dense_activation_and_blocks():
    model = nn.Sequential(
        nn.Conv2D(2, 3, input_dim=1, data_format="channels_first"), nn.ReLU(), nn.Flatten(),
        nn.Dense(4, activation="sigmoid", input_dim=2 * 4 * 4), nn.Linear(4, 2),
    )  # fmt: skip
    found = stages(model)
    assert [type(s).__name__ for s in found] == ["Block", "Block", "DenseLayer", "DenseLayer"]
    assert found[0].activations == ["relu"]
    assert [s.activation for s in found[2:]] == ["sigmoid", "linear"]
    columns, links = network_columns(model)
    assert [c["kind"] for c in columns] == ["block", "block", "neurons", "neurons", "neurons"]
    assert columns[2]["label"] == "Flatten output" and columns[2]["size"] == 32
    assert columns[-1]["label"] == "output"
    assert [link["kind"] for link in links] == ["flow", "flow", "dense", "dense"]
    assert links[2]["W"].shape == (4, 32) and links[2]["G"] is None


def test_select_layers_by_index_negative_index_and_name():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    assert [i for i, _, _ in select_layers(model, [0, -1])] == [0, 1]
    assert [n for _, n, _ in select_layers(model, "2")] == ["2"]
    assert len(select_layers(model, None)) == 2


@pytest.mark.parametrize(
    "layers, error, message",
    [
        ([5], IndexError, "out of range: this model has 2 layers with weights"),
        (["nope"], ValueError, "no layer named 'nope'"),
        ([1.5], TypeError, "by index or name"),
        ([], ValueError, "selects nothing"),
    ],
)
def test_select_layers_errors_list_the_choices(layers, error, message):
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    with pytest.raises(error, match=message):
        select_layers(model, layers)


def test_unbuilt_lazy_layer_asks_for_build():
    with pytest.raises(ValueError, match="model.build"):
        stages(nn.Sequential(nn.Dense(3)))


def test_non_module_is_refused():
    with pytest.raises(TypeError, match="jaring.nn.Module"):
        stages("not a model")


def test_a_single_layer_is_a_model_too():
    columns, links = network_columns(nn.Dense(3, activation="tanh", input_dim=2))
    assert [(c["label"], c["size"], c["activation"]) for c in columns] == [
        ("input", 2, None),
        ("output", 3, "tanh"),
    ]
    assert links[0]["W"].shape == (3, 2)
