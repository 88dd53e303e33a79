"""LazyLinear, LazyConv1d/2d and LazyBatchNorm1d/2d against torch's lazy layers and jaring's plain ones."""

import warnings

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn
from jaring import optim
from tests.nn.helpers import compare_module_with_torch
from tests.oracle import random_array


def _same_state(a, b):
    sa, sb = a.state_dict(), b.state_dict()
    assert sa.keys() == sb.keys()
    for key in sa:
        np.testing.assert_array_equal(sa[key], sb[key], err_msg=key)


CASES = [
    (
        lambda: nn.LazyLinear(3, seed=0),
        lambda: nn.Linear(5, 3, seed=0),
        lambda: torch.nn.Linear(5, 3),
        (4, 5),
    ),
    (
        lambda: nn.LazyLinear(2, bias=False, seed=1),
        lambda: nn.Linear(6, 2, bias=False, seed=1),
        lambda: torch.nn.Linear(6, 2, bias=False),
        (2, 3, 6),
    ),
    (
        lambda: nn.LazyConv2d(4, 3, padding=1, groups=2, seed=2),
        lambda: nn.Conv2d(6, 4, 3, padding=1, groups=2, seed=2),
        lambda: torch.nn.Conv2d(6, 4, 3, padding=1, groups=2),
        (2, 6, 5, 5),
    ),
    (
        lambda: nn.LazyConv2d(3, (2, 3), stride=2, bias=False, padding_mode="reflect", padding=1, seed=3),
        lambda: nn.Conv2d(2, 3, (2, 3), stride=2, bias=False, padding_mode="reflect", padding=1, seed=3),
        lambda: torch.nn.Conv2d(2, 3, (2, 3), stride=2, bias=False, padding_mode="reflect", padding=1),
        (1, 2, 6, 7),
    ),
    (
        lambda: nn.LazyConv1d(4, 3, dilation=2, seed=4),
        lambda: nn.Conv1d(3, 4, 3, dilation=2, seed=4),
        lambda: torch.nn.Conv1d(3, 4, 3, dilation=2),
        (2, 3, 9),
    ),
]


@pytest.mark.parametrize("make_lazy,make_plain,make_torch,shape", CASES)
def test_lazy_layer_becomes_the_plain_layer_with_the_same_seeded_weights(
    make_lazy, make_plain, make_torch, shape
):
    lazy, plain = make_lazy(), make_plain()
    x = random_array(shape, 5)
    out = lazy(jaring.tensor(x))
    assert type(lazy) is type(plain) and lazy.built
    assert out.shape == plain(jaring.tensor(x)).shape
    _same_state(lazy, plain)
    assert repr(lazy) == repr(plain) and lazy.get_config() == plain.get_config()
    twin = make_torch()
    twin.load_state_dict({k: torch.tensor(v) for k, v in lazy.state_dict().items()})  # strict: same keys
    compare_module_with_torch(lazy, twin, x, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "lazy,torch_lazy,shape",
    [
        (lambda: nn.LazyBatchNorm1d(), lambda: torch.nn.LazyBatchNorm1d(), (8, 3)),
        (
            lambda: nn.LazyBatchNorm1d(momentum=None),
            lambda: torch.nn.LazyBatchNorm1d(momentum=None),
            (6, 4, 5),
        ),
        (
            lambda: nn.LazyBatchNorm2d(affine=False),
            lambda: torch.nn.LazyBatchNorm2d(affine=False),
            (2, 3, 4, 4),
        ),
    ],
)
def test_lazy_batch_norm_matches_torch_lazy_batch_norm(lazy, torch_lazy, shape):
    layer, twin = lazy(), torch_lazy()
    assert list(layer.state_dict()) == list(twin.state_dict())  # the same keys before materialisation
    x = random_array(shape, 6)
    for _ in range(2):
        np.testing.assert_allclose(
            layer(jaring.tensor(x)).numpy(), twin(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-5
        )
    assert type(layer).__name__ == type(twin).__name__  # torch's became BatchNorm1d/2d too
    for key, value in twin.state_dict().items():
        np.testing.assert_allclose(layer.state_dict()[key], value.numpy(), rtol=1e-5, atol=1e-6, err_msg=key)
    layer.eval(), twin.eval()
    np.testing.assert_allclose(
        layer(jaring.tensor(x)).numpy(), twin(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-5
    )


def test_lazy_batch_norm_without_running_stats():
    layer = nn.LazyBatchNorm2d(track_running_stats=False)
    assert list(layer.state_dict()) == ["weight", "bias"]
    layer(random_array((2, 3, 2, 2), 0))
    assert list(layer.state_dict()) == ["weight", "bias"] and layer.weight.shape == (3,)


def test_parameters_before_the_first_call_are_placeholders_and_an_optimizer_refuses_them():
    model = nn.Sequential(nn.LazyLinear(4, seed=0), nn.ReLU(), nn.Linear(4, 1, seed=1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch yields placeholders without a warning
        params = list(model.parameters())
    assert [type(p).__name__ for p in params[:2]] == ["UninitializedParameter"] * 2
    assert not model.built and model[0].has_uninitialized_params()
    with pytest.raises(ValueError, match="not materialised yet"):
        optim.SGD(model.parameters(), lr=0.1)
    weight = model[0].weight
    model(jaring.ones(2, 3))
    assert model.built and model[0].weight is weight and type(weight) is nn.Parameter
    opt = optim.SGD(model.parameters(), lr=0.1)
    model(jaring.ones(2, 3)).sum().backward()
    before = weight.numpy().copy()
    opt.step()
    assert not np.allclose(before, weight.numpy())


def test_materialisation_keeps_frozen_weights_hooks_mode_and_dtype():
    layer = nn.LazyLinear(2, seed=0)
    layer.weight.requires_grad_(False)
    layer.eval().double()
    seen = []
    layer.register_forward_hook(lambda module, args, out: seen.append(out.shape))
    out = layer(np.ones((3, 4)))
    assert seen == [(3, 2)] and not layer.training
    assert layer.weight.dtype == np.float64 and out.dtype == np.float64
    assert not layer.weight.requires_grad and layer.bias.requires_grad
    np.testing.assert_allclose(
        layer.weight.numpy(), nn.Linear(4, 2, seed=0).weight.numpy().astype(np.float64)
    )


def test_build_materialises_lazy_layers():
    model = nn.Sequential(nn.LazyConv2d(4, 3, seed=0), nn.Flatten(), nn.LazyLinear(2, seed=1)).build(
        (1, 3, 5, 5)
    )
    assert model.built and model[0].weight.shape == (4, 3, 3, 3) and model[2].weight.shape == (2, 36)


def test_unbatched_conv2d_input():
    conv = nn.LazyConv2d(2, 3, seed=0)
    assert conv(random_array((3, 5, 5), 0)).shape == (2, 3, 3) and conv.in_channels == 3


@pytest.mark.parametrize("make_lazy,make_plain,make_torch,shape", CASES)
def test_loading_a_full_state_dict_materialises_as_torch_does(make_lazy, make_plain, make_torch, shape):
    source, lazy, torch_layer = make_plain(), make_lazy(), make_torch()
    for p in source.parameters():
        p.data[...] = random_array(p.shape, 7)  # values no seed draws
    state = source.state_dict()
    placeholder = lazy.weight
    assert lazy.load_state_dict(state) == ([], [])
    assert type(lazy) is type(source) and lazy.weight is placeholder
    _same_state(lazy, source)
    torch_layer.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
    x = random_array(shape, 8)
    with torch.no_grad():
        expected = torch_layer(torch.tensor(x)).numpy()
    np.testing.assert_allclose(lazy(jaring.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make_lazy,make_torch_lazy,weight,shape", [
    (lambda: nn.LazyLinear(3), lambda: torch.nn.LazyLinear(3), (3, 5), (2, 5)),
    (
        lambda: nn.LazyConv2d(4, 3, groups=2),
        lambda: torch.nn.LazyConv2d(4, 3, groups=2),
        (4, 3, 3, 3),
        (1, 6, 5, 5),
    ),
])  # fmt: skip
def test_torch_lazy_layers_load_the_same_state_dict(make_lazy, make_torch_lazy, weight, shape):
    state = {"weight": random_array(weight, 0), "bias": random_array(weight[:1], 1)}
    layer, twin = make_lazy(), make_torch_lazy()
    layer.load_state_dict(state)
    twin.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
    x = random_array(shape, 2)
    with torch.no_grad():
        expected = twin(torch.tensor(x)).numpy()
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("lazy,plain,shape", [
    (nn.LazyBatchNorm1d, nn.BatchNorm1d, (6, 3)),
    (nn.LazyBatchNorm2d, nn.BatchNorm2d, (2, 3, 4, 4)),
])  # fmt: skip
def test_loading_materialises_a_lazy_batch_norm_with_its_running_statistics(lazy, plain, shape):
    source = plain(3)
    source(random_array(shape, 0))  # running statistics away from their start
    layer = lazy()
    layer.load_state_dict(source.state_dict())
    assert type(layer) is plain and layer.num_features == 3
    _same_state(layer, source)
    layer.eval(), source.eval()
    x = random_array(shape, 1)
    np.testing.assert_array_equal(layer(x).numpy(), source(x).numpy())


def test_a_failed_load_leaves_every_lazy_layer_as_it_was():
    model = nn.Sequential(nn.LazyLinear(3, seed=0), nn.ReLU(), nn.LazyLinear(2, seed=1))
    state = nn.Sequential(nn.Linear(5, 3), nn.ReLU(), nn.Linear(3, 2)).state_dict()
    state["2.bias"] = np.zeros(4, np.float32)
    with pytest.raises(RuntimeError, match=r"shape mismatch for 2.bias: expected \(2,\), received \(4,\)"):
        model.load_state_dict(state)
    assert [type(m).__name__ for m in model] == ["LazyLinear", "ReLU", "LazyLinear"]
    assert isinstance(model[0].weight, nn.UninitializedParameter)


def test_a_state_dict_without_weights_leaves_the_layer_lazy():
    layer = nn.LazyLinear(3)
    assert layer.load_state_dict({}, strict=False).missing_keys == ["weight", "bias"]
    assert type(layer) is nn.LazyLinear
    with pytest.raises(RuntimeError, match="shape mismatch for weight"):
        layer.load_state_dict({"weight": np.zeros(5), "bias": np.zeros(3)})  # 1-D: no in_features
    with pytest.raises(RuntimeError, match="weight is not an array"):
        layer.load_state_dict({"weight": [[1.0, 2.0], [3.0]], "bias": np.zeros(3)})  # ragged
    with pytest.raises(MemoryError, match="needs"):  # a declared size beyond memory, checked first
        layer.load_state_dict({"weight": np.broadcast_to(np.float32(0), (3, 10**11)), "bias": np.zeros(3)})
    assert type(layer) is nn.LazyLinear


def test_errors_are_clear():
    with pytest.raises(ValueError, match="out_features"):
        nn.LazyLinear(0)
    with pytest.raises(ValueError, match="divide by groups"):
        nn.LazyConv2d(3, 3, groups=2)
    with pytest.raises(ValueError, match="momentum"):
        nn.LazyBatchNorm1d(momentum=2.0)
    with pytest.raises(ValueError, match=r"LazyConv2d expected input \(N, C, H, W\)"):
        nn.LazyConv2d(3, 3)(random_array((2, 3), 0))
    with pytest.raises(ValueError, match=r"LazyBatchNorm2d expected input \(N, C, H, W\)"):
        nn.LazyBatchNorm2d()(random_array((2, 3), 0))
    with pytest.raises(ValueError, match="LazyLinear expected input"):
        nn.LazyLinear(3)(jaring.tensor(1.0))
    conv = nn.LazyConv2d(4, 3, groups=2)
    with pytest.raises(ValueError, match="divide by groups"):
        conv(random_array((1, 3, 4, 4), 0))  # 3 input channels cannot be split in 2 groups


def test_fit_materialises_lazy_layers_before_making_its_optimizer():
    from jaring.training import fit

    rng = np.random.default_rng(0)
    x, y = rng.random((16, 5), dtype=np.float32), rng.random((16, 1), dtype=np.float32)
    model = nn.Sequential(nn.LazyLinear(8, seed=0), nn.ReLU(), nn.LazyLinear(1, seed=1))
    history = fit(model, x, y, loss="mse", optimizer="sgd", lr=0.1, epochs=3, batch_size=8, verbose=0)
    assert model.built and model[0].in_features == 5
    assert history.history["loss"][-1] < history.history["loss"][0]
