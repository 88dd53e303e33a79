"""Module and Parameter: registration, state, modes, config, display, building."""

import copy
import warnings

import numpy as np
import pytest

import jaring
from jaring import nn
from jaring.io import load, save


class Block(nn.Module):
    def __init__(self, width: int, scale: float = 1.0, *, gain: float = 2.0) -> None:
        super().__init__()
        self.first = nn.Linear(width, width, seed=0)
        self.scale = nn.Parameter(np.full((width,), scale, np.float32))
        self.layers = nn.ModuleList([nn.Linear(width, width, seed=1), nn.Linear(width, 2, seed=2)])
        self.gain = gain

    def forward(self, x):
        x = self.first(x) * self.scale
        for layer in self.layers:
            x = layer(x)
        return x


def test_registration_order_and_dotted_names():
    names = [name for name, _ in Block(3).named_parameters()]
    assert names == [
        "scale",
        "first.weight",
        "first.bias",
        "layers.0.weight",
        "layers.0.bias",
        "layers.1.weight",
        "layers.1.bias",
    ]
    model = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 1)))
    assert [n for n, _ in model.named_parameters()] == [
        "0.weight",
        "0.bias",
        "1.0.weight",
        "1.0.bias",
        "1.1.weight",
        "1.1.bias",
    ]
    assert [type(m).__name__ for m in model.modules()] == [
        "Sequential",
        "Linear",
        "Sequential",
        "Linear",
        "Linear",
    ]
    assert len(list(model.children())) == 2


def test_parameter_is_a_tensor_requiring_grad():
    p = nn.Parameter([1.0, 2.0])
    assert isinstance(p, jaring.Tensor) and p.requires_grad and p.dtype == np.float32
    assert repr(p).startswith("Parameter containing:")
    with pytest.raises(TypeError, match="floating-point"):
        nn.Parameter([1, 2])


def test_shared_parameters_appear_once_and_counts():
    shared = nn.Linear(3, 3)
    model = nn.Sequential(shared, shared)
    assert len(list(model.parameters())) == 2
    assert model.num_parameters() == 12
    block = Block(3)
    block.first.weight.requires_grad_(False)
    assert block.num_parameters() == 3 + 12 + 12 + 8
    assert block.num_parameters(trainable_only=True) == 3 + 3 + 12 + 8


def test_gradients_reach_every_parameter_and_zero_grad_clears_them():
    model = Block(3)
    model(jaring.randn(4, 3, seed=0)).sum().backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_state_dict_is_a_copy_and_round_trips():
    a, b = Block(3), Block(3)
    for p in b.parameters():
        p.data[...] = 0
    state = a.state_dict()
    assert all(isinstance(v, np.ndarray) for v in state.values())
    state["first.weight"][...] = 7  # editing the copy must not touch the model
    assert not (a.first.weight.numpy() == 7).any()
    b.load_state_dict(a.state_dict())
    x = jaring.randn(2, 3, seed=1)
    np.testing.assert_array_equal(a(x).numpy(), b(x).numpy())


def test_load_state_dict_reports_every_problem_and_changes_nothing():
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    before = model.state_dict()
    bad = model.state_dict()
    del bad["1.bias"]
    bad["extra.weight"] = np.zeros(1)
    bad["0.weight"] = np.ones((4, 2), np.float32)  # wrong shape, listed after the other problems
    with pytest.raises(RuntimeError) as err:
        model.load_state_dict(bad)
    message = str(err.value)
    assert "missing key(s): 1.bias" in message
    assert "unexpected key(s): extra.weight" in message
    assert "0.weight: expected (3, 2), received (4, 2)" in message
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_load_state_dict_non_strict_skips_and_reports():
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    partial = {"0.weight": np.ones((3, 2)), "other": np.zeros(2)}
    result = model.load_state_dict(partial, strict=False)
    assert result.missing_keys == ["0.bias", "1.weight", "1.bias"] and result.unexpected_keys == ["other"]
    assert (model[0].weight.numpy() == 1).all() and model[0].weight.dtype == np.float32
    with pytest.raises(RuntimeError, match="shape mismatch"):
        model.load_state_dict({"0.weight": np.ones(3)}, strict=False)


def test_buffers_are_saved_but_not_trained():
    class Counter(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("count", np.zeros(2, np.float32))

    m = Counter()
    assert list(m.parameters()) == [] and list(m.state_dict()) == ["count"]
    m.load_state_dict({"count": np.array([1.0, 2.0])})
    np.testing.assert_array_equal(m.count.numpy(), [1.0, 2.0])


def test_train_eval_recurse():
    model = Block(2)
    model.eval()
    assert not any(m.training for m in model.modules())
    assert model.train() is model and all(m.training for m in model.modules())


def test_repr_shows_the_tree_with_configs():
    model = nn.Sequential(nn.Linear(784, 128), nn.Sequential(nn.Linear(128, 10)))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=784, out_features=128, bias=True)\n"
        "  (1): Sequential(\n"
        "    (0): Linear(in_features=128, out_features=10, bias=True)\n"
        "  )\n"
        ")"
    )
    assert repr(Block(2)).startswith("Block(\n  width=2\n  (first): Linear(")


def test_config_records_constructor_arguments_and_rebuilds():
    block = Block(4, gain=3.0)
    assert block.get_config() == {"width": 4, "scale": 1.0, "gain": 3.0}
    clone = Block.from_config(block.get_config())
    assert clone.gain == 3.0 and clone.first.in_features == 4
    model = nn.Sequential(nn.Linear(2, 3, bias=False), nn.Linear(3, 1))
    config = model.get_config()
    assert [m.get_config()["bias"] for m in config["modules"]] == [False, True]
    rebuilt = nn.Sequential.from_config(config)
    rebuilt.load_state_dict(model.state_dict())
    x = jaring.randn(2, 2, seed=3)
    np.testing.assert_array_equal(rebuilt(x).numpy(), model(x).numpy())
    assert nn.module_class("Linear") is nn.Linear and nn.module_class("jaring.nn.linear.Dense") is nn.Dense
    with pytest.raises(KeyError, match="no Module class named 'Nope'"):
        nn.module_class("Nope")


def test_build_creates_lazy_weights_and_parameters_warns_before():
    model = nn.Sequential(nn.Dense(8), nn.Dropout(0.5), nn.Dense(2))
    with pytest.warns(UserWarning, match="build"):
        assert list(model.parameters()) == []
    assert model.build((None, 5)) is model
    assert [p.shape for p in model.parameters()] == [(8, 5), (8,), (2, 8), (2,)]
    assert model.training  # build restores the mode
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        list(model.parameters())


def test_to_float64_and_back():
    model = nn.Sequential(nn.Linear(2, 3))
    assert model.double()[0].weight.dtype == np.float64
    assert model(np.ones((1, 2))).dtype == np.float64
    assert model.float()[0].bias.dtype == np.float32
    with pytest.raises(TypeError, match="floating-point dtype"):
        model.to(np.int32)


def test_a_model_cast_before_its_first_call_builds_its_weights_in_that_dtype(tmp_path):
    """Lazily built layers used to ignore .double() before their first call: their weights came
    out float32 and a float64 input was cast down to them."""
    model = nn.Sequential(
        nn.Conv2D(4, 3), nn.BatchNorm2D(), nn.Flatten(), nn.Dense(6), nn.Lambda(lambda t: t.reshape(-1, 2, 3))
    )
    model = nn.Sequential(model, nn.LSTM(5)).double()
    x = np.random.default_rng(0).standard_normal((2, 5, 5, 2))
    assert model(x).dtype == np.float64
    assert {p.dtype for p in model.parameters()} == {np.dtype(np.float64)}
    unbuilt = nn.Sequential(nn.Dense(3), nn.GRU(4)).double()
    save(unbuilt, tmp_path / "unbuilt.jaring")
    assert load(tmp_path / "unbuilt.jaring")(x[:, :, 0]).dtype == np.float64
    assert nn.Sequential(nn.Dense(3)).double().float()(x[:, 0, :, 0]).dtype == np.float32


def test_apply_visits_every_module():
    seen = []
    Block(2).apply(lambda m: seen.append(type(m).__name__))
    assert seen[-1] == "Block" and seen.count("Linear") == 3


def test_assignment_errors_are_clear():
    class Early(nn.Module):
        def __init__(self):
            self.w = nn.Parameter([1.0])

    with pytest.raises(AttributeError, match=r"super\(\).__init__\(\)"):
        Early()
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="wrap it in jaring.nn.Parameter"):
        layer.weight = jaring.ones(2, 2)
    layer.bias = None
    assert [n for n, _ in layer.named_parameters()] == ["weight"]


def test_forward_must_be_defined():
    with pytest.raises(NotImplementedError, match="Empty must define forward"):
        type("Empty", (nn.Module,), {})()(1)


def test_deepcopy_gives_an_independent_model():
    model = nn.Sequential(nn.Linear(3, 2, seed=0), nn.LayerNorm(2))
    clone = copy.deepcopy(model)
    assert isinstance(clone[0].weight, nn.Parameter)
    assert [n for n, _ in clone.named_parameters()] == [n for n, _ in model.named_parameters()]
    clone[0].weight.data[...] = 0
    assert model[0].weight.numpy().any()
