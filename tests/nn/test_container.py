"""jaring/nn/container.py: Sequential and ModuleList hold, index, slice and register their layers."""

import pytest

import jaring
from jaring import nn


def test_sequential_container_behaviour():
    layers = [nn.Linear(2, 4), nn.Linear(4, 3), nn.Linear(3, 1)]
    model = nn.Sequential(*layers)
    assert len(model) == 3 and model[0] is layers[0] and model[-1] is layers[2]
    assert list(model) == layers
    tail = model[1:]
    assert isinstance(tail, nn.Sequential) and list(tail) == layers[1:]
    with pytest.raises(IndexError, match="out of range.*length 3"):
        model[3]
    keras_style = nn.Sequential(layers)
    assert list(keras_style) == layers
    extra = nn.Linear(1, 5)
    assert model.append(extra) is model and model[3] is extra and model(jaring.ones(6, 2)).shape == (6, 5)
    named = nn.Sequential({"hidden": nn.Linear(2, 3), "out": nn.Linear(3, 1)})
    assert [n for n, _ in named.named_parameters()] == [
        "hidden.weight",
        "hidden.bias",
        "out.weight",
        "out.bias",
    ]
    with pytest.raises(TypeError, match="holds Modules"):
        nn.Sequential(nn.Linear(2, 2), "relu")


def test_module_list():
    ml = nn.ModuleList([nn.Linear(2, 2)]).extend([nn.Linear(2, 3)])
    assert len(ml) == 2 and ml[-1].out_features == 3 and len(list(ml.parameters())) == 4
    with pytest.raises(TypeError, match="no forward"):
        ml(jaring.ones(2))
