"""Normal against torch.distributions.Normal: values and gradients, shapes, sampling."""

import numpy as np
import pytest
import torch
import torch.distributions as td

import jaring
from jaring.distributions import Normal
from tests.distributions.helpers import compare, value

DTYPES = [np.float32, np.float64]
rng = np.random.default_rng(0)
LOC = rng.normal(size=(2, 3))
SCALE = rng.uniform(0.5, 2.0, size=(2, 3))
X = rng.normal(size=(4, 2, 3))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "method",
    [
        lambda d, lib: d.log_prob(value(X, lib).to(d.loc.dtype)),
        lambda d, lib: d.entropy(),
        lambda d, lib: d.mean * 1,
        lambda d, lib: d.variance,
        lambda d, lib: d.stddev * 1,
        lambda d, lib: d.cdf(value(X, lib).to(d.loc.dtype)),
        lambda d, lib: d.icdf(value(np.full((2, 3), 0.3), lib).to(d.loc.dtype)),
    ],
    ids=["log_prob", "entropy", "mean", "variance", "stddev", "cdf", "icdf"],
)
def test_normal_matches_torch(dtype, method):
    compare(Normal, td.Normal, {"loc": LOC, "scale": SCALE}, method, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_rsample_with_the_same_noise_matches_torch(dtype, monkeypatch):
    eps = np.random.default_rng(3).standard_normal((5, 2, 3)).astype(dtype)
    monkeypatch.setattr(td.normal, "_standard_normal", lambda shape, dtype, device: torch.tensor(eps))
    compare(
        Normal,
        td.Normal,
        {"loc": LOC, "scale": SCALE},
        lambda d, lib: d.rsample((5,), **({"noise": eps} if lib is jaring else {})),
        dtype,
    )


def test_broadcasting_and_shapes():
    d = Normal(jaring.zeros(3, 1), jaring.ones(4))
    assert d.batch_shape == (3, 4) and d.event_shape == ()
    assert d.sample((2, 5), seed=0).shape == (2, 5, 3, 4)
    assert d.log_prob(0.0).shape == (3, 4)
    assert Normal(0.0, 1.0).sample().shape == ()
    assert Normal(0.0, 1.0).sample(7, seed=0).shape == (7,)


def test_parameters_as_floats_and_arrays_take_dtypes_as_torch():
    assert Normal(0.0, 1.0).loc.dtype == np.float32
    assert Normal(jaring.zeros(2, dtype="float64"), 1.0).scale.dtype == np.float64
    assert Normal(np.zeros(2), np.ones(2)).loc.dtype == np.float64


def test_sample_has_no_gradient_and_rsample_keeps_it():
    loc = jaring.zeros(3, requires_grad=True)
    d = Normal(loc, 1.0)
    assert not d.sample(seed=0).requires_grad
    assert d.rsample(seed=0).requires_grad
    d.rsample((4,), seed=0).sum().backward()
    np.testing.assert_allclose(loc.grad.numpy(), 4.0)


def test_sampling_statistics_and_seeds():
    d = Normal(jaring.tensor([1.0, -2.0]), jaring.tensor([0.5, 3.0]))
    draws = d.sample((20000,), seed=0).numpy()
    np.testing.assert_allclose(draws.mean(0), [1.0, -2.0], atol=0.06)
    np.testing.assert_allclose(draws.std(0), [0.5, 3.0], rtol=0.03)
    assert (
        d.sample((3,), seed=5).numpy() == d.sample((3,), generator=np.random.default_rng(5)).numpy()
    ).all()
    jaring.manual_seed(11)
    first = d.sample((3,)).numpy()
    jaring.manual_seed(11)
    assert (d.sample((3,)).numpy() == first).all()


def test_errors_in_torchs_words():
    with pytest.raises(
        ValueError, match=r"Expected parameter scale \(Tensor of shape \(2,\)\) of distribution Normal"
    ):
        Normal(jaring.zeros(2), jaring.tensor([1.0, -1.0]))
    with pytest.raises(ValueError, match=r"GreaterThan\(lower_bound=0.0\), but found invalid values"):
        Normal(0.0, 0.0)
    with pytest.raises(ValueError, match=r"within the support \(Real\(\)\)"):
        Normal(0.0, 1.0).log_prob(float("nan"))
    with pytest.raises(ValueError, match="not broadcastable"):
        Normal(jaring.zeros(3), 1.0).log_prob(jaring.zeros(2))
    with pytest.raises(ValueError, match="noise must have the sample's shape"):
        Normal(0.0, 1.0).rsample((2,), noise=np.zeros(3))
    assert Normal(0.0, -1.0, validate_args=False).scale.item() == -1.0
