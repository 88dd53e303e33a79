"""jaring.save / jaring.load: torch.save's uses (state dicts, checkpoint dicts) in a file that
never holds a pickle, and every kind of damaged or foreign file refused with a clear error."""

import io
import json
import math
import os

import numpy as np
import pytest
from safetensors.numpy import save as st_save

import jaring
from jaring import nn, optim
from jaring.errors import FileFormatError


def test_nested_objects_come_back_with_their_types(tmp_path):
    weight = nn.Parameter(np.arange(6, dtype=np.float32).reshape(2, 3))
    obj = {
        "epoch": 7,
        3: [1.5, None, True, "text", (2, -0.0)],
        "floats": [math.inf, -math.inf],
        ("a", 1): {"nested": {"deeper": np.arange(4).reshape(2, 2)}},
        None: np.float64(2.5),
        "tensor": jaring.tensor([1.0, 2.0], requires_grad=True),
        "ints": jaring.tensor([1, 2, 3]),
        "weight": weight,
        "empty": np.zeros((0, 3), np.float32),
        "zero_d": jaring.tensor(4.0),
    }
    jaring.save(obj, tmp_path / "obj.pt")
    back = jaring.load(tmp_path / "obj.pt")
    assert list(back) == list(obj)
    assert back["epoch"] == 7 and back[3] == [1.5, None, True, "text", (2, -0.0)]
    assert back["floats"] == [math.inf, -math.inf]
    assert math.copysign(1.0, back[3][4][1]) == -1.0
    deeper = back[("a", 1)]["nested"]["deeper"]
    assert isinstance(deeper, np.ndarray) and deeper.dtype == np.int64
    np.testing.assert_array_equal(deeper, np.arange(4).reshape(2, 2))
    assert type(back[None]) is np.float64 and back[None] == 2.5
    assert back["tensor"].requires_grad and back["tensor"].is_leaf
    assert back["ints"].dtype == np.int64 and not back["ints"].requires_grad
    assert isinstance(back["weight"], nn.Parameter)
    np.testing.assert_array_equal(back["weight"].numpy(), weight.numpy())
    assert back["empty"].shape == (0, 3) and back["zero_d"].shape == ()


def test_nan_survives(tmp_path):
    jaring.save({"x": math.nan}, tmp_path / "n.pt")
    assert math.isnan(jaring.load(tmp_path / "n.pt")["x"])


def test_a_training_checkpoint_resumes_exactly(tmp_path):
    def make():
        model = nn.Sequential(nn.Linear(4, 8, seed=0), nn.ReLU(), nn.Linear(8, 3, seed=1))
        return model, optim.Adam(model.parameters(), lr=0.01)

    x, y = jaring.randn(16, 4), jaring.tensor(np.arange(16) % 3)

    def train(model, opt, steps):
        for _ in range(steps):
            opt.zero_grad()
            jaring.functional.cross_entropy(model(x), y).backward()
            opt.step()

    model, opt = make()
    train(model, opt, 5)
    jaring.save({"epoch": 5, "model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "c.pt")
    train(model, opt, 5)
    resumed, resumed_opt = make()
    checkpoint = jaring.load(tmp_path / "c.pt")
    resumed.load_state_dict(checkpoint["model"])
    resumed_opt.load_state_dict(checkpoint["optimizer"])
    train(resumed, resumed_opt, 5)
    for a, b in zip(model.parameters(), resumed.parameters(), strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert checkpoint["epoch"] == 5


def test_a_module_on_its_own_is_a_model_file(tmp_path):
    model = nn.Sequential(nn.Linear(3, 2, seed=0), nn.ReLU())
    jaring.save(model, tmp_path / "model.jaring")
    back = jaring.load(tmp_path / "model.jaring")
    np.testing.assert_array_equal(back[0].weight.numpy(), model[0].weight.numpy())
    jaring.save(model, tmp_path / "bare")  # a path without a suffix means .jaring, as jaring.io.save
    assert type(jaring.load(tmp_path / "bare")).__name__ == "Sequential"


def test_file_objects(tmp_path):
    buffer = io.BytesIO()
    jaring.save({"w": np.ones(3)}, buffer)
    buffer.seek(0)
    np.testing.assert_array_equal(jaring.load(buffer)["w"], np.ones(3))
    with pytest.raises(TypeError, match="to a path"):
        jaring.save(nn.Linear(2, 2), io.BytesIO())


def test_a_plain_safetensors_file_loads_as_tensors(tmp_path):
    torch = pytest.importorskip("torch")
    from safetensors.torch import save_file

    module = torch.nn.Linear(3, 2)
    save_file(module.state_dict(), str(tmp_path / "m.safetensors"))
    state = jaring.load(tmp_path / "m.safetensors")
    assert sorted(state) == ["bias", "weight"]
    np.testing.assert_array_equal(state["weight"].numpy(), module.weight.detach().numpy())
    model = nn.Linear(3, 2)
    model.load_state_dict(state)
    np.testing.assert_array_equal(model.weight.numpy(), module.weight.detach().numpy())


@pytest.mark.parametrize("zipfile_format", [True, False])
def test_pytorch_pickles_are_refused_with_a_way_forward(tmp_path, zipfile_format):
    torch = pytest.importorskip("torch")
    path = tmp_path / "m.pt"
    torch.save({"w": torch.ones(2)}, path, _use_new_zipfile_serialization=zipfile_format)
    with pytest.raises(FileFormatError, match="never unpickles.*safetensors"):
        jaring.load(path)


def test_save_is_atomic_and_leaves_no_stray_files(tmp_path):
    path = tmp_path / "state.pt"
    jaring.save({"w": np.ones(3)}, path)
    with pytest.raises(TypeError, match="a set"):
        jaring.save({"w": np.zeros(3), "bad": {1, 2}}, path)
    np.testing.assert_array_equal(jaring.load(path)["w"], np.ones(3))  # the old file, whole
    assert sorted(os.listdir(tmp_path)) == ["state.pt"]


@pytest.mark.parametrize(
    ("obj", "match"),
    [
        ({"model": nn.Linear(2, 2)}, "save its state_dict"),
        ({"rng": np.random.default_rng(0)}, r"the object\['rng'\] is a Generator"),
        ({"x": np.array(["a"])}, "only bool, integer and float"),
        ({"x": np.array([object()])}, "only bool, integer and float"),
        ({1.5j: 1}, "key of type complex"),
        ({frozenset([1]): 1}, "key of type frozenset"),
    ],
)
def test_what_cannot_be_saved_is_named(tmp_path, obj, match):
    with pytest.raises((TypeError, ValueError), match=match):
        jaring.save(obj, tmp_path / "x.pt")
    assert not os.listdir(tmp_path)


def test_nesting_beyond_the_limit_is_refused_on_both_sides(tmp_path):
    deep: list = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(ValueError, match="nested more than"):
        jaring.save(deep, tmp_path / "deep.pt")
    node: object = []
    for _ in range(100):
        node = [node]
    _write(tmp_path / "deep.pt", {"version": 1, "object": node})
    with pytest.raises(FileFormatError, match="nested more than"):
        jaring.load(tmp_path / "deep.pt")


def _write(path, document, arrays=None, metadata=None):
    meta = {"format": "jaring-object", "object": json.dumps(document)} if metadata is None else metadata
    path.write_bytes(st_save(arrays or {}, metadata=meta))


@pytest.mark.parametrize(
    ("document", "match"),
    [
        ({"version": 1, "object": {"tensor": "7"}}, "refers to array '7'"),
        ({"version": 1, "object": {"array": 0}}, "refers to array 0"),
        ({"version": 1, "object": {"pickle": "os.system"}}, "unknown node"),
        ({"version": 1, "object": {"float": "1e999"}}, "a float node"),
        ({"version": 1, "object": {"dict": [[1, 2, 3]]}}, "key, value"),
        ({"version": 1, "object": {"dict": "x"}}, "expected a list"),
        ({"version": 1, "object": {"dict": [[[1], 2]]}}, "key decodes to a list"),
        ({"version": 2, "object": 1}, "expected version 1"),
        ([1, 2], "expected version 1"),
    ],
)
def test_a_tampered_structure_is_refused(tmp_path, document, match):
    _write(tmp_path / "t.pt", document)
    with pytest.raises(FileFormatError, match=match):
        jaring.load(tmp_path / "t.pt")


def test_structure_that_is_not_json_is_refused(tmp_path):
    _write(tmp_path / "t.pt", None, metadata={"format": "jaring-object", "object": "{not json"})
    with pytest.raises(FileFormatError, match="not valid JSON"):
        jaring.load(tmp_path / "t.pt")


def test_declared_sizes_are_checked_before_anything_is_allocated(tmp_path):
    path = tmp_path / "big.pt"
    jaring.save({"w": np.ones(1000, np.float32)}, path)
    blob = path.read_bytes()
    n = int.from_bytes(blob[:8], "little")
    header = json.loads(blob[8 : 8 + n])
    header["0"]["shape"] = [10**12]
    header["0"]["data_offsets"] = [0, 4 * 10**12]
    raw = json.dumps(header).encode()
    path.write_bytes(len(raw).to_bytes(8, "little") + raw + blob[8 + n :])
    with pytest.raises(FileFormatError, match="corrupt or truncated"):
        jaring.load(path)


@pytest.mark.parametrize("cut", [0, 4, 9, 50, -1])
def test_truncated_files_are_refused(tmp_path, cut):
    path = tmp_path / "t.pt"
    jaring.save({"w": np.ones(100)}, path)
    blob = path.read_bytes()
    path.write_bytes(blob[:cut] if cut >= 0 else blob[:-7])
    with pytest.raises(FileFormatError):
        jaring.load(path)


def test_max_bytes_bounds_the_file(tmp_path):
    path = tmp_path / "t.pt"
    jaring.save({"w": np.ones(1000)}, path)
    with pytest.raises(FileFormatError, match="max_bytes"):
        jaring.load(path, max_bytes=100)
    assert jaring.load(path, max_bytes=10**6)["w"].shape == (1000,)


def test_load_arguments(tmp_path):
    path = tmp_path / "t.pt"
    jaring.save({"w": jaring.ones(2)}, path)
    assert jaring.load(path, map_location="cpu", weights_only=True)["w"].device == "cpu"
    with pytest.raises(ValueError, match="map_location"):
        jaring.load(path, map_location="tpu")
    with pytest.raises(FileNotFoundError):
        jaring.load(tmp_path / "missing.pt")
    (tmp_path / "text.pt").write_text("hello")
    with pytest.raises(FileFormatError):
        jaring.load(tmp_path / "text.pt")
