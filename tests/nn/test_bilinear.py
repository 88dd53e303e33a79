"""jaring/nn/bilinear.py and jaring/ops/bilinear.py: Bilinear and F.bilinear against torch: values
and the gradients of all four arguments, leading batch dims, float64 gradchecks, torch's
initialisation (by statistics), repr, torch's errors, optimizers and saving."""

import numpy as np
import pytest
import torch

import jaring
import jaring.nn.functional as F
from jaring import nn
from jaring.io import load, save
from tests.nn.helpers import CASES
from tests.nn.test_container_dict import same_error
from tests.oracle import check_gradients, compare_with_torch, random_array

CASES_SHAPES = [  # (leading dims, in1, in2, out)
    ((5,), 3, 4, 2),
    ((), 3, 4, 2),  # one unbatched sample
    ((2, 3), 2, 5, 3),
    ((1,), 1, 1, 1),
    ((4, 1, 2), 3, 2, 4),
    ((6,), 4, 4, 1),
]


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("lead, in1, in2, out", CASES_SHAPES)
def test_functional_bilinear_matches_torch(lead, in1, in2, out, bias):
    inputs = [
        random_array((*lead, in1), seed=1),
        random_array((*lead, in2), seed=2),
        random_array((out, in1, in2), seed=3),
    ] + ([random_array((out,), seed=4)] if bias else [])
    compare_with_torch(F.bilinear, torch.nn.functional.bilinear, inputs, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("lead, in1, in2, out", CASES_SHAPES[:4])
def test_bilinear_gradcheck(lead, in1, in2, out):
    inputs = [
        random_array((*lead, in1), seed=5),
        random_array((*lead, in2), seed=6),
        random_array((out, in1, in2), seed=7),
        random_array((out,), seed=8),
    ]
    check_gradients(F.bilinear, inputs)


def test_the_layer_matches_torchs_holding_the_same_weights():
    ours = nn.Bilinear(3, 4, 5, seed=0)
    theirs = torch.nn.Bilinear(3, 4, 5)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight", "bias"]
    assert tuple(theirs.weight.shape) == ours.weight.shape == (5, 3, 4)
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    x1, x2 = random_array((2, 6, 3), seed=1), random_array((2, 6, 4), seed=2)
    j1, j2 = jaring.tensor(x1, requires_grad=True), jaring.tensor(x2, requires_grad=True)
    t1, t2 = torch.tensor(x1, requires_grad=True), torch.tensor(x2, requires_grad=True)
    jout, tout = ours(j1, j2), theirs(t1, t2)
    np.testing.assert_allclose(jout.numpy(), tout.detach().numpy(), rtol=1e-5, atol=1e-5)
    upstream = random_array(jout.shape, seed=3)
    jout.backward(upstream)
    tout.backward(torch.tensor(upstream))
    for got, want in [
        (j1.grad, t1.grad),
        (j2.grad, t2.grad),
        (ours.weight.grad, theirs.weight.grad),
        (ours.bias.grad, theirs.bias.grad),
    ]:
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-5)
    CASES["torch"] += 1
    assert ours(x1.astype(np.float64), x2).dtype == np.float32  # inputs take the weight's dtype, as Linear's
    assert nn.Bilinear(3, 4, 5, bias=False).bias is None


def test_initialisation_is_torchs_uniform():
    layer = nn.Bilinear(16, 3, 400, seed=1)
    bound = 1 / np.sqrt(16)
    for values in (layer.weight.numpy().ravel(), layer.bias.numpy()):
        assert values.min() >= -bound and values.max() <= bound
        assert values.min() < -0.9 * bound and values.max() > 0.9 * bound
    weights = layer.weight.numpy().ravel()  # 19200 draws: mean 0 and variance bound^2 / 3 within 5 SE
    assert abs(weights.mean()) < 5 * bound / np.sqrt(3 * weights.size)
    assert abs(weights.var() - bound**2 / 3) < 5 * bound**2 * np.sqrt(4 / 45 / weights.size)
    np.testing.assert_array_equal(
        nn.Bilinear(2, 3, 4, seed=7).weight.numpy(), nn.Bilinear(2, 3, 4, seed=7).weight.numpy()
    )
    jaring.manual_seed(3)
    first = nn.Bilinear(2, 3, 4).weight.numpy()
    jaring.manual_seed(3)
    np.testing.assert_array_equal(nn.Bilinear(2, 3, 4).weight.numpy(), first)
    assert nn.Bilinear(2, 3, 4, dtype=np.float64).weight.dtype == np.float64


def test_repr_matches_torch():
    for args in [(3, 4, 5), (1, 1, 1)]:
        assert repr(nn.Bilinear(*args)) == repr(torch.nn.Bilinear(*args))
        assert repr(nn.Bilinear(*args, bias=False)) == repr(torch.nn.Bilinear(*args, bias=False))


def ones_of(T, *shape, **kw):
    """T.ones(*shape) for T jaring or torch."""
    return T.ones(*shape, **kw)


@pytest.mark.parametrize(
    "call",
    [
        lambda T, f: f(ones_of(T, 2, 3), ones_of(T, 4), ones_of(T, 5, 3, 4)),
        lambda T, f: f(ones_of(T, 2, 3), ones_of(T, 3, 4), ones_of(T, 5, 3, 4)),
        lambda T, f: f(ones_of(T, 2, 3), ones_of(T, 1, 4), ones_of(T, 5, 3, 4)),
        lambda T, f: f(ones_of(T, 2, 2, 3), ones_of(T, 2, 3, 4), ones_of(T, 5, 3, 4)),
        lambda T, f: f(ones_of(T, 2, 3), ones_of(T, 2, 5), ones_of(T, 5, 3, 4)),
        lambda T, f: f(ones_of(T, 2, 4), ones_of(T, 2, 4), ones_of(T, 5, 3, 4)),
        lambda T, f: f(T.ones(()), T.ones(()), ones_of(T, 5, 3, 4)),
        lambda T, f: f(ones_of(T, 2, 3), ones_of(T, 2, 4), ones_of(T, 5, 3, 4), ones_of(T, 6)),
        lambda T, f: f(ones_of(T, 2, 3), ones_of(T, 2, 4), ones_of(T, 5, 3, 4), ones_of(T, 1, 5)),
        lambda T, f: f(ones_of(T, 2, 3), ones_of(T, 2, 4), ones_of(T, 5, 3, 4), T.ones(())),
        lambda T, f: f(ones_of(T, 2, 3), ones_of(T, 2, 4), ones_of(T, 3, 4)),
        lambda T, f: f(ones_of(T, 2, 4), ones_of(T, 2, 4), ones_of(T, 3, 4)),
        lambda T, f: f(ones_of(T, 2, 4), ones_of(T, 2, 4), ones_of(T, 4)),
        lambda T, f: f(ones_of(T, 2, 4), ones_of(T, 2, 4), T.ones(())),
        lambda T, f: f(
            ones_of(T, 2, 3, dtype=T.float64), ones_of(T, 2, 4, dtype=T.float64), ones_of(T, 5, 3, 4)
        ),
        lambda T, f: f(
            ones_of(T, 2, 3), ones_of(T, 2, 4), ones_of(T, 5, 3, 4), ones_of(T, 5, dtype=T.float64)
        ),
    ],
)
def test_errors_are_torchs(call):
    same_error(lambda: call(jaring, F.bilinear), lambda: call(torch, torch.nn.functional.bilinear))


def test_the_layer_refuses_bad_sizes():
    same_error(lambda: nn.Bilinear(0, 4, 5), lambda: torch.nn.Bilinear(0, 4, 5))
    with pytest.raises(TypeError, match="in2_features must be an integer"):
        nn.Bilinear(2, 4.0, 5)
    with pytest.raises(ValueError, match="out_features must be an integer"):
        nn.Bilinear(2, 4, -1)
    empty = nn.Bilinear(2, 0, 0)  # torch allows empty sizes but in1
    assert empty(jaring.ones(3, 2), jaring.ones(3, 0)).shape == (3, 0)


def test_an_optimizer_trains_it_as_torch_and_it_saves(tmp_path):
    ours, theirs = nn.Bilinear(3, 2, 2, seed=0), torch.nn.Bilinear(3, 2, 2)
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    x1, x2 = random_array((8, 3), seed=1), random_array((8, 2), seed=2)
    opt_ours, opt_theirs = (
        jaring.optim.SGD(ours.parameters(), lr=0.1, momentum=0.9),
        torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9),
    )
    for _ in range(4):
        opt_ours.zero_grad()
        opt_theirs.zero_grad()
        (ours(x1, x2) ** 2).mean().backward()
        (theirs(torch.tensor(x1), torch.tensor(x2)) ** 2).mean().backward()
        opt_ours.step()
        opt_theirs.step()
    for k, v in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[k], v.numpy(), rtol=1e-5, atol=1e-6)
    again = load(save(ours, tmp_path / "bilinear"))
    assert repr(again) == repr(ours)
    np.testing.assert_array_equal(again(x1, x2).numpy(), ours(x1, x2).numpy())
