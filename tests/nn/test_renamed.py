"""Renamed arguments: every lazy layer says input_dim, old spellings warn for a release, old files load."""

import json
import warnings
import zipfile

import numpy as np
import pytest

import jaring
from jaring import nn
from jaring.io import load, save
from jaring.nn.renamed import Renamed, renamed_arguments

# (layer class, its old name, other constructor arguments, an input of input size 3)
LAZY = [
    (nn.Dense, "in_features", {"units": 2}, np.ones((4, 3), np.float32)),
    (nn.Conv2D, "in_channels", {"filters": 2, "kernel_size": 1}, np.ones((1, 2, 2, 3), np.float32)),
    (nn.BatchNorm2D, "num_features", {}, np.ones((2, 2, 2, 3), np.float32)),
    (nn.SimpleRNN, None, {"units": 2}, np.ones((1, 4, 3), np.float32)),
    (nn.LSTM, None, {"units": 2}, np.ones((1, 4, 3), np.float32)),
    (nn.GRU, None, {"units": 2}, np.ones((1, 4, 3), np.float32)),
]


@pytest.mark.parametrize(("cls", "old", "kwargs", "x"), LAZY, ids=[row[0].__name__ for row in LAZY])
def test_every_lazy_layer_takes_and_learns_input_dim(cls, old, kwargs, x):
    given = cls(**kwargs, input_dim=3)
    learned = cls(**kwargs)
    assert given.built and not learned.built and learned.input_dim is None
    learned(jaring.tensor(x))
    assert learned.input_dim == 3 and learned.get_config()["input_dim"] == 3
    assert "input_dim=3" in repr(learned)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new name never warns
        cls.from_config(learned.get_config())


@pytest.mark.parametrize(("cls", "old", "kwargs", "x"), [row for row in LAZY if row[1]], ids=lambda v: str(v))
def test_old_keyword_and_attribute_warn_and_still_work(cls, old, kwargs, x):
    with pytest.warns(DeprecationWarning, match=rf"{cls.__name__}\({old}=\.\.\.\) is deprecated.*input_dim"):
        layer = cls(**kwargs, **{old: 3})
    assert layer.input_dim == 3 and layer.get_config()["input_dim"] == 3 and old not in layer.get_config()
    layer(jaring.tensor(x))
    with pytest.warns(
        DeprecationWarning, match=rf"{cls.__name__}\.{old} is deprecated.*\.input_dim"
    ) as record:
        assert getattr(layer, old) == 3
    assert record[0].filename == __file__  # the warning points at the caller's line
    with pytest.warns(DeprecationWarning):
        setattr(layer, old, 3)
    assert layer.input_dim == 3
    with pytest.raises(TypeError, match=f"got both {old}= and input_dim="):
        cls(**kwargs, input_dim=3, **{old: 3})


def test_renamed_arguments_are_collected_from_the_class_and_its_bases():
    class Base(nn.Module):
        width = Renamed("size")

        def __init__(self, size: int = 1) -> None:
            super().__init__()
            self.size = size

    class Child(Base):
        depth = Renamed("layers")

    assert renamed_arguments(Base) == {"width": "size"}
    assert renamed_arguments(Child) == {"width": "size", "depth": "layers"}
    with pytest.warns(DeprecationWarning, match=r"Base\(width=\.\.\.\)"):
        assert Base(width=5).size == 5
    assert Base.width.old == "width" and Base.width.new == "size"


def test_files_saved_with_the_old_names_load_silently(tmp_path):
    model = nn.Sequential(
        nn.Conv2D(2, 3, input_dim=1, seed=0),
        nn.BatchNorm2D(),
        nn.Flatten(),
        nn.Dense(3, seed=1),
    )
    x = np.random.default_rng(0).normal(size=(2, 5, 5, 1)).astype(np.float32)
    model.build(x.shape)
    model.eval()
    expected = model(jaring.tensor(x)).numpy()
    path = save(model, tmp_path / "new.jaring")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["model.json"])
    layers = document["model"]["config"]["modules"]
    for layer, old in zip(layers, ["in_channels", "num_features", None, "in_features"]):
        if old:
            layer["config"][old] = layer["config"].pop("input_dim")
    members["model.json"] = json.dumps(document).encode()
    old_path = tmp_path / "old.jaring"
    with zipfile.ZipFile(old_path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert b"in_features" in members["model.json"] and b"input_dim" not in members["model.json"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = load(old_path)
    loaded.eval()
    np.testing.assert_array_equal(loaded(jaring.tensor(x)).numpy(), expected)
    assert [getattr(layer, "input_dim", None) for layer in loaded] == [1, 2, None, 18]
