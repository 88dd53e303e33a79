"""Initializers: statistics on large draws, torch.nn.init's formulas, seeds, resolve()."""

import math

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from jaring.nn import init

SHAPE = (256, 128, 3, 3)  # PyTorch conv layout: fan_in = 128*9, fan_out = 256*9
FAN_IN, FAN_OUT = 128 * 9, 256 * 9


@pytest.mark.parametrize("shape", [(5, 3), (8, 4, 3, 3), (2, 3, 4), (7,)])
def test_fans_match_torch(shape):
    if len(shape) >= 2:
        assert init.compute_fans(shape) == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    else:
        assert init.compute_fans(shape) == (7, 7)


@pytest.mark.parametrize(
    "name, param",
    [
        ("linear", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", 0.2),
        ("selu", None),
    ],
)
def test_gains_match_torch(name, param):
    assert init.calculate_gain(name, param) == pytest.approx(torch.nn.init.calculate_gain(name, param))


def _torch_bound(fill, **kwargs):
    """The half-width of torch's uniform initializer, read from a huge draw's extreme value."""
    t = torch.empty(SHAPE)
    torch.manual_seed(0)
    fill(t, **kwargs)
    return t.abs().max().item()


@pytest.mark.parametrize(
    "ours, theirs, bound",
    [
        (init.glorot_uniform, torch.nn.init.xavier_uniform_, math.sqrt(6 / (FAN_IN + FAN_OUT))),
        (init.he_uniform, torch.nn.init.kaiming_uniform_, math.sqrt(6 / FAN_IN)),
    ],
)
def test_uniform_bounds_equal_torch_formula(ours, theirs, bound):
    w = ours(SHAPE, seed=0)
    assert w.dtype == np.float32 and w.shape == SHAPE
    assert np.abs(w).max() <= bound
    assert np.abs(w).max() == pytest.approx(bound, rel=1e-3)
    assert _torch_bound(theirs) == pytest.approx(bound, rel=1e-3)
    assert w.var() == pytest.approx(bound**2 / 3, rel=0.02)


@pytest.mark.parametrize(
    "ours, theirs, std",
    [
        (init.glorot_normal, torch.nn.init.xavier_normal_, math.sqrt(2 / (FAN_IN + FAN_OUT))),
        (init.he_normal, torch.nn.init.kaiming_normal_, math.sqrt(2 / FAN_IN)),
    ],
)
def test_normal_std_equals_torch_formula(ours, theirs, std):
    w = ours(SHAPE, seed=1)
    t = torch.empty(SHAPE)
    theirs(t)
    assert w.std() == pytest.approx(std, rel=0.01)
    assert t.std().item() == pytest.approx(std, rel=0.01)
    assert abs(w.mean()) < 0.01 * std


def test_he_options_fan_out_and_leaky():
    w = init.he_normal(SHAPE, mode="fan_out", nonlinearity="leaky_relu", a=0.2, seed=2)
    assert w.std() == pytest.approx(math.sqrt(2 / (1 + 0.04)) / math.sqrt(FAN_OUT), rel=0.01)
    assert init.resolve("he") is init.he_normal


def test_uniform_and_normal_take_bounds_and_variance():
    u = init.uniform((400, 500), lower=-0.3, upper=0.1, seed=3)
    assert u.min() >= -0.3 and u.max() < 0.1
    assert u.mean() == pytest.approx(-0.1, abs=1e-3)
    n = init.normal((400, 500), mean=1.5, variance=4.0, seed=4)
    assert n.mean() == pytest.approx(1.5, abs=0.02)
    assert n.var() == pytest.approx(4.0, rel=0.01)  # variance, not standard deviation


def test_constant_zeros_ones():
    np.testing.assert_array_equal(init.constant((2, 3), value=0.25), np.full((2, 3), 0.25, np.float32))
    assert init.zeros(4).sum() == 0 and init.ones((2, 2)).sum() == 4


@pytest.mark.parametrize("shape", [(6, 6), (4, 10), (10, 4), (8, 2, 3, 3)])
def test_orthogonal(shape):
    w = init.orthogonal(shape, gain=2.0, seed=5).astype(np.float64).reshape(shape[0], -1)
    rows, cols = w.shape
    gram = w @ w.T if rows <= cols else w.T @ w
    np.testing.assert_allclose(gram, 4.0 * np.eye(min(rows, cols)), atol=1e-5)


@pytest.mark.parametrize("name", sorted(init.INITIALIZERS))
def test_every_initializer_is_reproducible_from_a_seed(name):
    fn = init.resolve(name)
    np.testing.assert_array_equal(fn((8, 5), seed=11), fn((8, 5), seed=11))
    rng_a, rng_b = np.random.default_rng(3), np.random.default_rng(3)
    first = fn((8, 5), seed=rng_a)
    np.testing.assert_array_equal(first, fn((8, 5), seed=rng_b))
    if name not in ("zeros", "ones", "constant"):
        assert not np.array_equal(first, fn((8, 5), seed=rng_a))  # a Generator moves on
    assert fn((8, 5), dtype=np.float64).dtype == np.float64


def test_global_seed_makes_unseeded_draws_reproducible():
    jaring.manual_seed(42)
    a = init.he_uniform((4, 4))
    jaring.manual_seed(42)
    np.testing.assert_array_equal(a, init.he_uniform((4, 4)))


def test_resolve_names_aliases_kwargs_and_callables():
    assert init.resolve("Xavier-Uniform") is init.glorot_uniform
    assert init.resolve("kaiming_normal") is init.he_normal
    w = init.resolve("uniform", lower=2.0, upper=3.0)((10, 10), seed=0)
    assert w.min() >= 2.0 and w.max() < 3.0
    scaled = init.resolve(lambda shape, scale: np.full(shape, scale), scale=0.5)((2, 2), seed=0)
    assert scaled.dtype == np.float32 and (scaled == 0.5).all()
    seeded = init.resolve(lambda shape, seed=None: jaring.random.get_rng(seed).random(shape))
    np.testing.assert_array_equal(seeded((3,), seed=1), seeded((3,), seed=1))


def test_resolve_errors_are_helpful():
    with pytest.raises(ValueError, match="unknown initializer 'glorot'.*glorot_uniform"):
        init.resolve("glorot")
    with pytest.raises(TypeError, match="no parameter 'std'.*variance"):
        init.resolve("normal", std=1.0)
    with pytest.raises(TypeError, match="name or a callable"):
        init.resolve(3)
    with pytest.raises(ValueError, match=r"returned shape \(3,\), expected \(2, 2\)"):
        init.resolve(lambda shape: np.zeros(3))((2, 2))


def test_argument_checks():
    with pytest.raises(ValueError, match="lower"):
        init.uniform((2,), lower=1.0, upper=0.0)
    with pytest.raises(ValueError, match="variance"):
        init.normal((2,), variance=-1.0)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.orthogonal((3,))
    with pytest.raises(ValueError, match="unknown nonlinearity"):
        init.he_normal((3, 3), nonlinearity="swish")
    with pytest.raises(ValueError, match="fan_in"):
        init.he_normal((3, 3), mode="in")
    with pytest.raises(ValueError, match="non-negative integers"):
        init.zeros((2, -1))


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda: nn.Dense(3, kernel_initializer=-7), "Dense kernel_initializer"),
        (lambda: nn.Linear(2, 3, bias_init="nope"), "Linear bias_init"),
        (lambda: nn.Conv2D(2, 3, bias_initializer=5), "Conv2D bias_initializer"),
        (lambda: nn.LSTM(3, recurrent_initializer="bogus"), "LSTM recurrent_initializer"),
        (lambda: nn.Embedding(5, 2, embeddings_initializer=[1]), "Embedding embeddings_initializer"),
    ],
)
def test_a_bad_initializer_names_the_layers_argument(make, named):
    with pytest.raises((TypeError, ValueError), match=f"^{named}: "):
        make()
