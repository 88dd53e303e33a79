"""Bernoulli against torch.distributions.Bernoulli."""

import numpy as np
import pytest
import torch.distributions as td

import jaring
from jaring.distributions import Bernoulli
from tests.distributions.helpers import compare, value

DTYPES = [np.float32, np.float64]
rng = np.random.default_rng(0)
LOGITS = rng.normal(size=(3,)) * 2
PROBS = rng.uniform(0.05, 0.95, size=(3,))
X = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("given", ["logits", "probs"])
@pytest.mark.parametrize(
    "method",
    [
        lambda d, lib: d.log_prob(value(X, lib).to(d.probs.dtype)),
        lambda d, lib: d.entropy(),
        lambda d, lib: d.mean * 1,
        lambda d, lib: d.variance,
        lambda d, lib: d.logits * 1,
    ],
    ids=["log_prob", "entropy", "mean", "variance", "logits"],
)
def test_bernoulli_matches_torch(dtype, given, method):
    params = {"logits": LOGITS} if given == "logits" else {"probs": PROBS}
    compare(Bernoulli, td.Bernoulli, params, method, dtype)


def test_sampling_shapes_statistics_and_seeds():
    d = Bernoulli(jaring.tensor([0.2, 0.9]))
    draws = d.sample((20000,), seed=0)
    assert draws.shape == (20000, 2) and draws.dtype == np.float32 and not draws.requires_grad
    np.testing.assert_allclose(draws.numpy().mean(0), [0.2, 0.9], atol=0.015)
    assert (d.sample((5,), seed=1).numpy() == d.sample((5,), seed=1).numpy()).all()
    assert Bernoulli(0.5).sample().shape == ()


def test_errors_in_torchs_words():
    with pytest.raises(ValueError, match=r"Interval\(lower_bound=0.0, upper_bound=1.0\), but found invalid"):
        Bernoulli(probs=2.0)
    with pytest.raises(ValueError, match="Either `probs` or `logits`"):
        Bernoulli(probs=0.5, logits=0.0)
    with pytest.raises(ValueError, match=r"support \(Boolean\(\)\)"):
        Bernoulli(0.5).log_prob(0.5)
