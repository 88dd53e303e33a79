"""jaring/nn/container_dict.py: ModuleDict and ParameterDict side by side with torch's: the dict API,
registration and torch's key names, errors word for word, repr, state_dict both ways, optimizers,
deepcopy, and saving through jaring.io.save / jaring.save."""

import copy
from collections import OrderedDict

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from jaring.io import CheckpointError, load, save


def same_error(call_ours, call_theirs):
    """Both raise the same exception type with the same message (torch -> jaring spelled alike)."""
    with pytest.raises(Exception) as theirs:
        call_theirs()
    with pytest.raises(type(theirs.value)) as ours:
        call_ours()
    assert str(ours.value) == str(theirs.value).replace("torch.nn.", "jaring.nn.")
    return str(ours.value)


def module_pair():
    """A jaring and a torch ModuleDict of the same layers, holding the same weights."""
    ours = nn.ModuleDict({"b": nn.Linear(2, 3, seed=0), "a": nn.ReLU(), "c": nn.Linear(3, 1, seed=1)})
    theirs = torch.nn.ModuleDict(
        {"b": torch.nn.Linear(2, 3), "a": torch.nn.ReLU(), "c": torch.nn.Linear(3, 1)}
    )
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    return ours, theirs


# ----- ModuleDict ---------------------------------------------------------------------------------
def test_module_dict_api_matches_torch():
    ours, theirs = module_pair()
    assert list(ours) == list(theirs) == ["b", "a", "c"]
    assert list(ours.keys()) == list(theirs.keys()) and len(ours) == len(theirs) == 3
    assert [type(m).__name__ for m in ours.values()] == [type(m).__name__ for m in theirs.values()]
    assert [k for k, _ in ours.items()] == [k for k, _ in theirs.items()]
    assert ("a" in ours, "z" in ours, 3 in ours) == ("a" in theirs, "z" in theirs, 3 in theirs)
    assert [k for k, _ in ours.named_parameters()] == [k for k, _ in theirs.named_parameters()]
    assert (
        list(ours.state_dict()) == list(theirs.state_dict()) == ["b.weight", "b.bias", "c.weight", "c.bias"]
    )
    for mapping in (ours, theirs):
        mapping["d"] = type(mapping["b"])(3, 3)  # a new key goes last
        mapping["b"] = type(mapping["a"])()  # replacing keeps the place
        del mapping["a"]
    assert list(ours) == list(theirs) == ["b", "c", "d"]
    assert not hasattr(ours, "a") and isinstance(ours.b, nn.ReLU)
    assert [k for k, _ in ours.named_parameters()] == [k for k, _ in theirs.named_parameters()]
    popped = ours.pop("d")
    assert isinstance(popped, nn.Linear) and list(ours) == ["b", "c"] == [k for k in theirs if k != "d"]
    ours.clear()
    assert len(ours) == 0 and list(ours.parameters()) == [] and not hasattr(ours, "c")
    ours["c"] = nn.Linear(1, 1)  # a cleared key can be used again
    assert list(ours) == ["c"]


def test_module_dict_update_orders_as_torch():
    cases = [
        lambda L: {"z": L(1, 1), "a": L(1, 2)},
        lambda L: OrderedDict([("z", L(1, 1)), ("a", L(1, 2))]),
        lambda L: [("z", L(1, 1)), ["a", L(1, 2)]],
        lambda L: (pair for pair in [("z", L(1, 1)), ("a", L(1, 2))]),
    ]
    for make in cases:
        ours, theirs = nn.ModuleDict({"m": nn.ReLU()}), torch.nn.ModuleDict({"m": torch.nn.ReLU()})
        ours.update(make(nn.Linear))
        theirs.update(make(torch.nn.Linear))
        assert list(ours) == list(theirs) == ["m", "z", "a"]
    other = nn.ModuleDict([("y", nn.ReLU()), ("x", nn.ReLU())])
    assert list(nn.ModuleDict(other)) == ["y", "x"]  # another ModuleDict keeps its order
    assert list(nn.ModuleDict()) == [] and list(nn.ModuleDict(None)) == []


@pytest.mark.parametrize(
    "call",
    [
        lambda nn_, d: d["nope"],
        lambda nn_, d: d.__delitem__("nope"),
        lambda nn_, d: d.pop("nope"),
        lambda nn_, d: d.update(3),
        lambda nn_, d: d.update([1]),
        lambda nn_, d: d.update([("x", nn_.ReLU(), 3)]),
        lambda nn_, d: d.update(["abc"]),
        lambda nn_, d: d.update([("x", 3)]),
        lambda nn_, d: d.update({"x": "relu"}),
        lambda nn_, d: d.update({"a.b": nn_.ReLU()}),
        lambda nn_, d: d.update({"": nn_.ReLU()}),
        lambda nn_, d: d.update({"keys": nn_.ReLU()}),
        lambda nn_, d: d.update({"training": nn_.ReLU()}),
        lambda nn_, d: d.update({5: nn_.ReLU()}),
        lambda nn_, d: d.__setitem__(None, nn_.ReLU()),
        lambda nn_, d: d(torch.ones(1)),
        lambda nn_, d: nn_.ModuleDict(3),
    ],
)
def test_module_dict_errors_are_torchs(call):
    ours, theirs = module_pair()
    same_error(lambda: call(nn, ours), lambda: call(torch.nn, theirs))
    assert list(ours) == ["b", "a", "c"]  # a refused entry changes nothing


def test_module_dict_repr_matches_torch():
    ours, theirs = module_pair()
    ours["none"], theirs["none"] = None, None
    assert repr(ours) == repr(theirs)
    assert repr(nn.ModuleDict()) == repr(torch.nn.ModuleDict()) == "ModuleDict()"
    nested = (
        nn.Sequential(nn.ModuleDict({"x": nn.Linear(2, 2)})),
        torch.nn.Sequential(torch.nn.ModuleDict({"x": torch.nn.Linear(2, 2)})),
    )
    assert repr(nested[0]) == repr(nested[1])


class Heads(nn.Module):
    """A model choosing a head by name, as torch code does with a ModuleDict."""

    def __init__(self):
        super().__init__()
        self.trunk = nn.Linear(4, 3, seed=0)
        self.heads = nn.ModuleDict({"cls": nn.Linear(3, 2, seed=1), "reg": nn.Linear(3, 1, seed=2)})
        self.scales = nn.ParameterDict({"cls": jaring.ones(2), "reg": jaring.full((1,), 2.0)})

    def forward(self, x, head):
        return self.heads[head](jaring.relu(self.trunk(x))) * self.scales[head]


class TorchHeads(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = torch.nn.Linear(4, 3)
        self.heads = torch.nn.ModuleDict({"cls": torch.nn.Linear(3, 2), "reg": torch.nn.Linear(3, 1)})
        self.scales = torch.nn.ParameterDict({"cls": torch.ones(2), "reg": torch.full((1,), 2.0)})

    def forward(self, x, head):
        return self.heads[head](torch.relu(self.trunk(x))) * self.scales[head]


X = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)


def test_state_dict_round_trips_with_torch_and_an_optimizer_trains_every_entry():
    ours, theirs = Heads(), TorchHeads()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    fresh = Heads()
    fresh.load_state_dict(theirs.state_dict())  # torch's tensors load as they are
    for k, v in ours.state_dict().items():
        np.testing.assert_array_equal(fresh.state_dict()[k], v)
    opt_ours = jaring.optim.SGD(ours.parameters(), lr=0.1)
    opt_theirs = torch.optim.SGD(theirs.parameters(), lr=0.1)
    assert len(list(ours.parameters())) == len(list(theirs.parameters())) == 8
    for head in ("cls", "reg", "cls"):
        opt_ours.zero_grad()
        opt_theirs.zero_grad()
        ours(jaring.tensor(X), head).sum().backward()
        theirs(torch.tensor(X), head).sum().backward()
        opt_ours.step()
        opt_theirs.step()
    for k, v in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[k], v.numpy(), rtol=1e-5, atol=1e-6, err_msg=k)
    assert not np.array_equal(ours.state_dict()["scales.reg"], [2.0])  # the ParameterDict trained


def test_deepcopy_copies_entries_and_keeps_the_api():
    model = Heads()
    twin = copy.deepcopy(model)
    assert list(twin.heads) == ["cls", "reg"] and list(twin.scales) == ["cls", "reg"]
    assert twin.heads["cls"] is not model.heads["cls"] and twin.scales["cls"] is not model.scales["cls"]
    np.testing.assert_array_equal(
        twin(jaring.tensor(X), "reg").numpy(), model(jaring.tensor(X), "reg").numpy()
    )
    twin.scales["new"] = jaring.zeros(3)
    del twin.heads["reg"]
    assert "new" not in model.scales and "reg" in model.heads


def test_a_model_with_dict_containers_saves_and_loads(tmp_path):
    model = nn.Sequential(
        nn.ModuleDict([("z", nn.Linear(2, 3, seed=0)), ("a", nn.ReLU()), ("gone", None)]),
        nn.ParameterDict(
            [
                ("w", jaring.ones(2, 2)),
                ("note", "text"),
                ("frozen", nn.Parameter(jaring.zeros(3), requires_grad=False)),
            ]
        ),
    )
    for path in (save(model, tmp_path / "m"), tmp_path / "top.jaring"):
        if path.name == "top.jaring":
            jaring.save(model, path)
            again = jaring.load(path)
        else:
            again = load(path)
        assert list(again[0]) == ["z", "a", "gone"] and again[0]["gone"] is None
        assert list(again[1]) == ["w", "note", "frozen"] and again[1]["note"] == "text"
        assert again[1]["frozen"].requires_grad is False and again[1]["w"].requires_grad is True
        assert repr(again) == repr(model)
        for k, v in model.state_dict().items():
            np.testing.assert_array_equal(again.state_dict()[k], v)


class Block(nn.Module):
    """A user's own layer, outside jaring."""

    def __init__(self, width=2):
        super().__init__()
        self.inner = nn.Linear(width, width, seed=3)

    def forward(self, x):
        return self.inner(x)


class Wrapped(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def test_user_modules_in_a_module_dict_save_and_load_with_custom_objects(tmp_path):
    model = nn.ModuleDict({"mine": Block(3), "theirs": nn.Linear(3, 1)})
    path = save(model, tmp_path / "user")
    with pytest.raises(CheckpointError, match="Block.*custom_objects"):
        load(path)
    again = load(path, custom_objects={"Block": Block})
    assert isinstance(again["mine"], Block) and again["mine"].inner.in_features == 3
    np.testing.assert_array_equal(again["mine"].inner.weight.numpy(), model["mine"].inner.weight.numpy())


def test_an_entry_json_cannot_hold_is_refused_before_any_file_is_written(tmp_path):
    for model in (nn.ModuleDict({"f": Wrapped(lambda x: x)}), nn.ParameterDict({"f": print})):
        with pytest.raises(TypeError, match=r"cannot save .*f.*JSON cannot hold"):
            save(model, tmp_path / "bad")
        assert list(tmp_path.iterdir()) == []
    with pytest.raises(TypeError, match="would load as a Parameter"):
        save(nn.ParameterDict({"d": {"__parameter__": 1}}), tmp_path / "bad")


def test_a_subclass_with_its_own_init_saves_its_arguments(tmp_path):
    class Experts(nn.ModuleDict):
        def __init__(self, n):
            super().__init__({f"e{i}": nn.Linear(2, 2, seed=i) for i in range(n)})

    again = load(save(Experts(3), tmp_path / "experts"), custom_objects={"Experts": Experts})
    assert list(again) == ["e0", "e1", "e2"]


# ----- ParameterDict ------------------------------------------------------------------------------
def param_pair():
    ours = nn.ParameterDict({"b": jaring.ones(2), "a": nn.Parameter(jaring.zeros(3, 1))})
    theirs = torch.nn.ParameterDict({"b": torch.ones(2), "a": torch.nn.Parameter(torch.zeros(3, 1))})
    return ours, theirs


def test_parameter_dict_wraps_sorts_and_registers_as_torch():
    ours, theirs = param_pair()
    assert list(ours) == list(theirs) == ["a", "b"]  # a plain dict is sorted by key, as torch does
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in ours.values())
    assert [k for k, _ in ours.named_parameters()] == [k for k, _ in theirs.named_parameters()]
    raw = np.arange(3, dtype=np.float32)
    ours["arr"] = raw  # an array is wrapped as a tensor is, sharing memory
    assert isinstance(ours["arr"], nn.Parameter) and np.shares_memory(ours["arr"].data, raw)
    tensor = jaring.ones(2)
    ours["t"] = tensor
    assert ours["t"] is not tensor and ours["t"].data is tensor.data
    for d in (ours, theirs):
        d.update([("z", type(d["a"])(d["a"].data if d is theirs else d["a"].data)), ("y", 1)])
    assert list(ours)[-2:] == list(theirs)[-2:] == ["z", "y"]  # pairs keep their order
    assert ours["y"] == 1 and [k for k, _ in ours.named_parameters()][-1] == "z"


def test_parameter_dict_methods_match_torch():
    ours, theirs = param_pair()
    for d in (ours, theirs):
        d["x"] = 5
        d["n"] = None
    assert list(ours) == list(theirs) and list(reversed(ours)) == list(reversed(theirs))
    assert ours.get("x") == 5 and ours.get("q", 7) == 7 and ours.setdefault("x", 9) == 5
    assert [k for k, _ in ours.named_parameters()] == [k for k, _ in theirs.named_parameters()]
    key, value = ours.popitem()
    assert (key, value) == theirs.popitem() == ("n", None)
    assert ours.pop("x") == theirs.pop("x") == 5
    copied = ours.copy()
    assert list(copied) == list(ours) and copied["a"] is ours["a"]
    merged = ours | nn.ParameterDict({"c": jaring.ones(1)})
    assert list(merged) == ["a", "b", "c"] and list(ours) == ["a", "b"]
    assert list(nn.ParameterDict({"c": jaring.ones(1)}).__ror__(ours)) == ["a", "b", "c"]
    ours |= nn.ParameterDict({"c": jaring.ones(1)})
    assert list(ours) == ["a", "b", "c"]
    fresh = ours.fromkeys(["u", "v"], jaring.ones(2))
    assert list(fresh) == ["u", "v"] and isinstance(fresh["u"], nn.Parameter)
    ours["a"] = None  # a Parameter's slot may be emptied, as torch allows
    assert "a" in ours and [k for k, _ in ours.named_parameters()] == ["b", "c"]
    ours.clear()
    assert len(ours) == 0 and list(ours.parameters()) == [] and not hasattr(ours, "b")


@pytest.mark.parametrize(
    "call",
    [
        lambda T, d: d.__delitem__("nope"),
        lambda T, d: d[3],
        lambda T, d: d.__setitem__(3, T.ones(1)),
        lambda T, d: d.update(3),
        lambda T, d: d.update([1]),
        lambda T, d: d.update([("a", T.ones(1), 3)]),
        lambda T, d: d.__setitem__("c.d", T.ones(1)),
        lambda T, d: d.__setitem__("", T.ones(1)),
        lambda T, d: d.__setitem__("keys", T.ones(1)),
        lambda T, d: d.__setitem__("b", 3),
        lambda T, d: nn.ParameterDict().popitem() if T is jaring else torch.nn.ParameterDict().popitem(),
        lambda T, d: d(T.ones(1)),
    ],
)
def test_parameter_dict_errors_are_torchs(call):
    ours, theirs = param_pair()
    same_error(lambda: call(jaring, ours), lambda: call(torch, theirs))
    assert list(ours) == ["a", "b"]  # a refused entry leaves no stray key (torch's sometimes does)


def test_a_missing_key_is_torchs_attribute_error_and_a_key_error():
    ours, theirs = param_pair()
    same_error(lambda: ours["nope"], lambda: theirs["nope"])
    same_error(lambda: ours.pop("nope"), lambda: theirs.pop("nope"))
    with pytest.raises(KeyError):
        ours["nope"]
    assert ours.get("keys") is None  # not the method of that name


def test_parameter_dict_repr_matches_torch():
    ours, theirs = param_pair()
    assert repr(ours) == repr(theirs).replace("torch.", "jaring.")
    ours["x"], theirs["x"] = 3, 3
    ours["d"], theirs["d"] = (
        nn.Parameter(jaring.ones(2, dtype=np.float64)),
        torch.nn.Parameter(torch.ones(2, dtype=torch.float64)),
    )
    assert repr(ours) == repr(theirs).replace("torch.", "jaring.")
    one, theirs_one = nn.ParameterDict({"w": jaring.ones(())}), torch.nn.ParameterDict({"w": torch.ones(())})
    assert repr(one) == repr(theirs_one).replace("torch.", "jaring.")
    assert repr(nn.ParameterDict()) == "ParameterDict()"


def test_module_to_casts_the_entries():
    d = nn.ParameterDict({"w": jaring.ones(2)})
    d.double()
    assert d["w"].dtype == np.float64 and isinstance(d["w"], nn.Parameter)


def test_keys_the_file_format_reserves_still_round_trip(tmp_path):
    model = nn.Sequential(
        nn.ModuleDict({"__tuple__": nn.Linear(2, 2, seed=0), "b": nn.ReLU()}),
        nn.ParameterDict([("__dtype__", jaring.ones(2)), ("a", jaring.zeros(1))]),
    )
    again = load(save(model, tmp_path / "reserved"))
    assert list(again[0]) == ["__tuple__", "b"] and list(again[1]) == ["__dtype__", "a"]
    np.testing.assert_array_equal(again[0]["__tuple__"].weight.numpy(), model[0]["__tuple__"].weight.numpy())


def test_a_damaged_parameter_entry_is_a_clear_error():
    for bad in (
        {"__parameter__": {"shape": (2,)}},
        {"__parameter__": {"shape": (-1,), "dtype": np.float32, "requires_grad": True}},
        {"__parameter__": {"shape": (2,), "dtype": "str", "requires_grad": True}},
        {"__parameter__": {"shape": (2,), "dtype": np.float32, "requires_grad": "yes"}},
    ):
        with pytest.raises(ValueError, match="saved Parameter"):
            nn.ParameterDict.from_config({"parameters": {"w": bad}})
