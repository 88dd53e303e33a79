"""Uniform against torch.distributions.Uniform, rsample with the same draw included."""

import numpy as np
import pytest
import torch
import torch.distributions as td

import jaring
from jaring.distributions import Uniform
from tests.distributions.helpers import compare, value

DTYPES = [np.float32, np.float64]
LOW = np.array([[-1.0, 0.0, 2.0]])
HIGH = np.array([[1.0], [3.0]])
X = np.array([0.5, 0.25, 2.5])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "method",
    [
        lambda d, lib: d.log_prob(value(X, lib).to(d.low.dtype)),
        lambda d, lib: d.entropy(),
        lambda d, lib: d.mean,
        lambda d, lib: d.variance,
        lambda d, lib: d.stddev,
        lambda d, lib: d.cdf(value(X, lib).to(d.low.dtype)),
        lambda d, lib: d.icdf(value([0.1, 0.5, 0.9], lib).to(d.low.dtype)),
    ],
    ids=["log_prob", "entropy", "mean", "variance", "stddev", "cdf", "icdf"],
)
def test_uniform_matches_torch(dtype, method):
    compare(Uniform, td.Uniform, {"low": LOW, "high": HIGH + 3}, method, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_rsample_with_the_same_draw_matches_torch(dtype, monkeypatch):
    u = np.random.default_rng(2).random((4, 2, 3)).astype(dtype)
    monkeypatch.setattr(torch, "rand", lambda *args, **kwargs: torch.tensor(u))
    kw = {"noise": u}
    compare(
        Uniform,
        td.Uniform,
        {"low": LOW, "high": HIGH + 3},
        lambda d, lib: d.rsample((4,), **(kw if lib is jaring else {})),
        dtype,
    )


def test_sampling_statistics_and_errors():
    d = Uniform(jaring.tensor([0.0, -2.0]), 4.0)
    draws = d.sample((20000,), seed=0).numpy()
    assert draws.shape == (20000, 2) and (draws >= [0.0, -2.0]).all() and (draws < 4.0).all()
    np.testing.assert_allclose(draws.mean(0), [2.0, 1.0], atol=0.05)
    with pytest.raises(ValueError, match=r"Expected parameter low .* LessThan\(upper_bound=0.0\)"):
        Uniform(1.0, 0.0)
    with pytest.raises(ValueError, match=r"within the support \(Interval"):
        Uniform(0.0, 1.0).log_prob(2.0)
