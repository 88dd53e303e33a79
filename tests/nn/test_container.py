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


def _kinds(container):
    return [type(m).__name__ for m in container]


@pytest.mark.parametrize(
    "edit",
    [
        lambda lib, m: m.__setitem__(0, lib.Linear(4, 3)),
        lambda lib, m: m.__setitem__(-1, lib.Tanh()),
        lambda lib, m: m.__delitem__(1),
        lambda lib, m: m.__delitem__(slice(0, 2)),
        lambda lib, m: m.__delitem__(-1),
        lambda lib, m: m.insert(1, lib.Sigmoid()),
        lambda lib, m: m.pop(1),
    ],
)
@pytest.mark.parametrize("kind", ["Sequential", "ModuleList"])
def test_editing_a_container_in_place_matches_torch(edit, kind):
    torch = pytest.importorskip("torch")
    results = []
    for lib in (nn, torch.nn):
        layers = [lib.Linear(4, 2), lib.ReLU(), lib.Linear(2, 1)]
        container = lib.ModuleList(layers) if kind == "ModuleList" else lib.Sequential(*layers)
        returned = edit(lib, container)
        results.append((_kinds(container), list(container.state_dict()), type(returned).__name__))
    assert results[0] == results[1]


def test_replacing_a_layer_trains_the_new_one():
    model = nn.Sequential(nn.Linear(4, 2, seed=0), nn.ReLU())
    for p in model.parameters():
        p.requires_grad = False
    model[0] = nn.Linear(4, 3, seed=1)  # the fine-tuning idiom: a new head that trains
    assert [p.requires_grad for p in model.parameters()] == [True, True]
    with pytest.raises(IndexError, match="out of range"):
        model[2] = nn.ReLU()
    with pytest.raises(TypeError, match="holds Modules"):
        model[0] = "not a module"


def test_insert_counts_from_the_end_as_a_list_does_and_refuses_beyond_it():
    blocks = nn.ModuleList([nn.ReLU(), nn.Tanh()])
    blocks.insert(-1, nn.Sigmoid())
    assert _kinds(blocks) == ["ReLU", "Sigmoid", "Tanh"]
    with pytest.raises(IndexError, match="out of range"):
        blocks.insert(4, nn.ReLU())
