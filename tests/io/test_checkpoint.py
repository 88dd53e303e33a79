"""save / load: round trips, atomic writes, and damaged or hostile files that must fail cleanly."""

import json
import os
import pickle
import zipfile

import numpy as np
import pytest
from safetensors.numpy import save as st_save

import jaring
from jaring import nn
from jaring.io import CheckpointError, load, read_metadata, save

EXECUTED: list = []


class Evil(nn.Module):
    """A Module whose construction has a side effect: loading must never build it uninvited."""

    def __init__(self, units: int = 1) -> None:
        super().__init__()
        EXECUTED.append(units)


class Payload:
    """Unpickling this would run code: a loader that unpickles would append to EXECUTED."""

    def __reduce__(self):
        return (EXECUTED.append, ("unpickled",))


def predictions(model, x):
    model.eval()
    with jaring.no_grad():
        return model(jaring.tensor(x)).numpy()


def write_archive(path, document, weights=b"", extra=None):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("model.json", document if isinstance(document, bytes) else json.dumps(document))
        z.writestr("weights.safetensors", weights)
        for name, data in (extra or {}).items():
            z.writestr(name, data)


def linear_document(in_features=2, out_features=3):
    config = {"in_features": in_features, "out_features": out_features}
    return {
        "format": "jaring",
        "version": 1,
        "model": {"__module__": "jaring.nn.linear.Linear", "config": config},
    }


@pytest.fixture
def saved(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.ReLU())
    path = save(model, tmp_path / "model.jaring")
    return model, path


def test_round_trip_of_a_sequential_with_many_layer_kinds(tmp_path):
    model = nn.Sequential(
        nn.Linear(5, 8, seed=np.random.default_rng(0), weight_init=lambda shape: np.ones(shape)),
        nn.LayerNorm(8),
        nn.LeakyReLU(0.2),
        nn.Dropout(0.3, seed=1),
        nn.Dense(6, activation="gelu", seed=2),
        nn.RMSNorm(6, eps=1e-6),
        nn.Linear(6, 3, bias=False, seed=3),
        nn.Softmax(axis=-1),
    )
    x = np.random.default_rng(1).normal(size=(4, 5)).astype(np.float32)
    model.build((None, 5))
    with jaring.no_grad():
        model[1].weight.data[:] = np.linspace(0.5, 1.5, 8)  # non-default values must survive too
    path = save(model, tmp_path / "seq")
    assert path.suffix == ".jaring"
    restored = load(path)
    assert repr(restored) == repr(model)
    np.testing.assert_array_equal(predictions(restored, x), predictions(model, x))
    assert restored.state_dict().keys() == model.state_dict().keys()


def test_named_sequential_float64_and_extra_config(tmp_path):
    model = nn.Sequential(
        {"hidden": nn.Linear(2, 3, seed=0), "act": nn.Tanh(), "out": nn.Linear(3, 1, seed=1)}
    )
    model.double()
    path = save(model, tmp_path / "named.jaring", extra_config={"lr": 0.01, "history": {"loss": [1.0, 0.5]}})
    restored = load(path)
    assert [name for name, _ in restored.named_children()] == ["hidden", "act", "out"]
    assert restored.hidden.weight.dtype == np.float64
    x = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(predictions(restored, x), predictions(model, x))
    assert read_metadata(path)["extra"] == {"lr": 0.01, "history": {"loss": [1.0, 0.5]}}


def test_failed_save_leaves_the_previous_file_intact(saved, monkeypatch):
    model, path = saved
    before = path.read_bytes()
    with pytest.raises(TypeError, match="JSON cannot hold a function"):
        save(nn.Sequential(nn.Lambda(lambda x: x)), path)

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        save(nn.Sequential(nn.Linear(3, 9)), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["model.jaring"]  # no temporary files left
    np.testing.assert_array_equal(load(path)[0].weight.numpy(), model[0].weight.numpy())


def test_truncated_and_garbage_files(saved, tmp_path):
    _, path = saved
    data = path.read_bytes()
    for name, content in [
        ("truncated", data[: len(data) // 2]),
        ("garbage", b"\x00not a zip" * 10),
        ("empty", b""),
    ]:
        bad = tmp_path / f"{name}.jaring"
        bad.write_bytes(content)
        with pytest.raises(CheckpointError, match="not a readable jaring model file"):
            load(bad)
    with pytest.raises(FileNotFoundError, match="no model file"):
        load(tmp_path / "missing.jaring")


def test_damaged_members(tmp_path):
    weights = st_save({"weight": np.zeros((3, 2), np.float32), "bias": np.zeros(3, np.float32)})
    cases = {
        "bad json": (b"{not json", weights, "not valid JSON"),
        "other format": (
            {"format": "keras", "version": 1, "model": {}},
            weights,
            "does not describe a jaring model",
        ),
        "new version": ({**linear_document(), "version": 99}, weights, "format version 99"),
        "bad weights": (
            linear_document(),
            b"\x10\x00\x00\x00\x00\x00\x00\x00{garbage",
            "weights.safetensors is corrupt",
        ),
        "short weights": (linear_document(), weights[:-5], "weights.safetensors is corrupt"),
        "wrong shape": (
            linear_document(2, 4),
            weights,
            r"tensor 'weight' has shape \(3, 2\).*expects shape \(4, 2\)",
        ),
        "missing tensor": (
            linear_document(),
            st_save({"weight": np.zeros((3, 2), np.float32)}),
            "missing: \\['bias'\\]",
        ),
        "bad config": (
            {
                **linear_document(),
                "model": {
                    "__module__": "jaring.nn.linear.Linear",
                    "config": {"in_features": -2, "out_features": 3},
                },
            },
            weights,
            "cannot rebuild Linear",
        ),  # fmt: skip
        "unknown argument": (
            {
                **linear_document(),
                "model": {
                    "__module__": "jaring.nn.linear.Linear",
                    "config": {"in_features": 2, "out_features": 3, "evil": 1},
                },
            },
            weights,
            "cannot rebuild",
        ),  # fmt: skip
    }
    for name, (document, blob, message) in cases.items():
        path = tmp_path / f"{name}.jaring"
        write_archive(path, document, blob)
        with pytest.raises(CheckpointError, match=message):
            load(path)
    mixed = tmp_path / "mixed.jaring"
    write_archive(
        mixed, linear_document(), st_save({"weight": np.zeros((3, 2), np.float16), "bias": np.zeros(3)})
    )
    with pytest.raises(CheckpointError, match="dtype"):
        load(mixed)


def test_hostile_files_execute_nothing(tmp_path):
    weights = st_save({"weight": np.zeros((3, 2), np.float32), "bias": np.zeros(3, np.float32)})
    hostile = {
        "os.system": "unknown layer type 'os.system'",
        "builtins.eval": "unknown layer type",
        "jaring.io.checkpoint.os": "unknown layer type",
        f"{__name__}.Evil": "jaring layers only",
    }
    for target, message in hostile.items():
        path = tmp_path / "hostile.jaring"
        write_archive(
            path, {**linear_document(), "model": {"__module__": target, "config": {"units": 1}}}, weights
        )
        with pytest.raises(CheckpointError, match=message):
            load(path)
    pickled = tmp_path / "pickled.jaring"
    write_archive(pickled, linear_document(), pickle.dumps({"weight": Payload()}))
    with pytest.raises(CheckpointError):
        load(pickled)
    extra = tmp_path / "extra.jaring"
    write_archive(extra, linear_document(), weights, extra={"payload.pkl": pickle.dumps(Payload())})
    with pytest.raises(CheckpointError, match="exactly model.json and weights.safetensors"):
        load(extra)
    deep = tmp_path / "deep.jaring"
    write_archive(
        deep, b'{"format": "jaring", "version": 1, "model": ' + b"[" * 10**5 + b"]" * 10**5 + b"}", weights
    )
    with pytest.raises(CheckpointError, match="not valid JSON"):
        load(deep)
    not_modules = tmp_path / "not_modules.jaring"
    write_archive(not_modules, {**linear_document(), "model": {"__module__": "jaring.nn.module.Sequential",
                  "config": {"modules": [[1, 2], {"a": "b"}]}}}, weights)  # fmt: skip
    with pytest.raises(CheckpointError, match="cannot rebuild Sequential"):
        load(not_modules)
    assert EXECUTED == []


def test_custom_objects_allow_your_own_classes(tmp_path):
    class Scale(nn.Module):
        def __init__(self, factor: float = 2.0) -> None:
            super().__init__()
            self.factor = factor
            self.weight = nn.Parameter(np.ones(2, np.float32))

        def forward(self, x):
            return x * self.weight * self.factor

    path = save(nn.Sequential(Scale(3.0)), tmp_path / "custom.jaring")
    with pytest.raises(CheckpointError, match="custom_objects"):
        load(path)
    restored = load(path, custom_objects={"Scale": Scale})
    assert restored[0].factor == 3.0
    with pytest.raises(TypeError, match="must be a Module subclass"):
        load(path, custom_objects={"Scale": dict})


def test_a_file_naming_a_class_where_it_used_to_live_still_loads(tmp_path):
    model = nn.Sequential(nn.Linear(2, 3, seed=0))
    path = save(model, tmp_path / "new.jaring")
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("model.json"))
        weights = archive.read("weights.safetensors")
    assert document["model"]["__module__"] == "jaring.nn.container.Sequential"
    document["model"]["__module__"] = "jaring.nn.module.Sequential"  # as files written before the move say
    write_archive(tmp_path / "old.jaring", document, weights)
    x = np.ones((1, 2), np.float32)
    np.testing.assert_array_equal(predictions(load(tmp_path / "old.jaring"), x), predictions(model, x))


@pytest.mark.slow
def test_a_saved_ready_model_loads_in_a_fresh_process_that_imports_only_io(tmp_path):
    """The ready models register themselves when the package loads; io imports none of them."""
    import subprocess
    import sys

    from jaring.models import FFNN

    path = FFNN([3, 2], ["softmax"], seed=0).save(tmp_path / "ffnn.jaring")
    code = f"from jaring.io import load; print(type(load({str(path)!r})).__name__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "FFNN"


def test_a_name_without_suffix_means_the_same_jaring_file_for_save_and_load(tmp_path):
    model = nn.Sequential(nn.Linear(2, 3, seed=0))
    written = save(model, tmp_path / "m")
    assert written == tmp_path / "m.jaring" and written.is_file()
    np.testing.assert_array_equal(load(tmp_path / "m")[0].weight.numpy(), model[0].weight.numpy())
    assert read_metadata(str(tmp_path / "m"))["format"] == "jaring"
    dotted = save(model, tmp_path / "m.v2")  # a suffix of any kind is kept as given
    assert dotted.name == "m.v2" and isinstance(load(dotted), nn.Sequential)
