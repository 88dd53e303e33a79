"""kl_divergence against torch.distributions.kl_divergence, and the registry's errors."""

import numpy as np
import pytest
import torch.distributions as td

import jaring
from jaring.distributions import Bernoulli, Categorical, Normal, kl_divergence
from tests.distributions.helpers import COUNT, TOLERANCE

DTYPES = [np.float32, np.float64]
rng = np.random.default_rng(0)


def _pair(lib, dtype, arrays):
    return [lib.tensor(np.asarray(a, dtype=dtype), requires_grad=True) for a in arrays]


def _check(jt, tt, jout, tout, dtype):
    tol = TOLERANCE[np.dtype(dtype).type]
    np.testing.assert_allclose(jout.numpy(), tout.detach().numpy(), **tol)
    jout.sum().backward()
    tout.sum().backward()
    for a, b in zip(jt, tt):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **tol)
    COUNT["torch"] += 1


@pytest.mark.parametrize("dtype", DTYPES)
def test_normal_normal_matches_torch(dtype):
    arrays = [
        rng.normal(size=(2, 3)),
        rng.uniform(0.5, 2, (2, 3)),
        rng.normal(size=(3,)),
        rng.uniform(0.5, 2, (3,)),
    ]
    jt, tt = _pair(jaring, dtype, arrays), _pair(__import__("torch"), dtype, arrays)
    jout = kl_divergence(Normal(jt[0], jt[1]), Normal(jt[2], jt[3]))
    tout = td.kl_divergence(td.Normal(tt[0], tt[1]), td.Normal(tt[2], tt[3]))
    _check(jt, tt, jout, tout, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_categorical_categorical_matches_torch(dtype):
    arrays = [rng.normal(size=(2, 4)), rng.normal(size=(4,))]
    jt, tt = _pair(jaring, dtype, arrays), _pair(__import__("torch"), dtype, arrays)
    jout = kl_divergence(Categorical(logits=jt[0]), Categorical(logits=jt[1]))
    tout = td.kl_divergence(td.Categorical(logits=tt[0]), td.Categorical(logits=tt[1]))
    _check(jt, tt, jout, tout, dtype)


def test_zero_probabilities_give_torchs_zero_and_inf():
    p = Categorical(probs=jaring.tensor([0.5, 0.5, 0.0]))
    q = Categorical(probs=jaring.tensor([1.0, 0.0, 0.0]))
    assert float(kl_divergence(q, p)) == pytest.approx(float(np.log(2)))
    assert float(kl_divergence(p, q)) == float("inf")


def test_unregistered_pairs_raise_torchs_not_implemented_error():
    with pytest.raises(
        NotImplementedError,
        match="No KL\\(p \\|\\| q\\) is implemented for p type Normal and q type Bernoulli",
    ):
        kl_divergence(Normal(0.0, 1.0), Bernoulli(0.5))
