"""Categorical against torch.distributions.Categorical: log_prob of actions, entropy, sampling."""

import numpy as np
import pytest
import torch.distributions as td

import jaring
from jaring.distributions import Categorical
from tests.distributions.helpers import compare, value

DTYPES = [np.float32, np.float64]
rng = np.random.default_rng(0)
LOGITS = rng.normal(size=(2, 4))
PROBS = rng.uniform(0.1, 1.0, size=(2, 4))
ACTIONS = np.array([[0, 3], [2, 1], [1, 1]])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("given", ["logits", "probs"])
@pytest.mark.parametrize(
    "method",
    [
        lambda d, lib: d.log_prob(value(ACTIONS, lib)),
        lambda d, lib: d.entropy(),
        lambda d, lib: d.probs * 1,
        lambda d, lib: d.logits * 1,
        lambda d, lib: d.mean,
    ],
    ids=["log_prob", "entropy", "probs", "logits", "mean"],
)
def test_categorical_matches_torch(dtype, given, method):
    params = {"logits": LOGITS} if given == "logits" else {"probs": PROBS}
    compare(Categorical, td.Categorical, params, method, dtype)


def test_shapes_and_sampling_statistics():
    d = Categorical(probs=jaring.tensor([[0.1, 0.2, 0.7], [0.5, 0.0, 0.5]]))
    assert d.batch_shape == (2,) and d.event_shape == ()
    draws = d.sample((20000,), seed=0).numpy()
    assert draws.shape == (20000, 2) and draws.dtype == np.int64
    np.testing.assert_allclose([(draws[:, 0] == k).mean() for k in range(3)], [0.1, 0.2, 0.7], atol=0.015)
    assert not (draws[:, 1] == 1).any()
    assert (d.sample((4,), seed=3).numpy() == d.sample((4,), seed=3).numpy()).all()
    assert Categorical(logits=jaring.zeros(5)).sample().shape == ()
    assert d.enumerate_support().shape == (3, 2)


def test_gradients_flow_from_log_prob_into_logits_reinforce():
    logits = jaring.tensor([0.0, 1.0, 2.0], requires_grad=True)
    d = Categorical(logits=logits)
    action = d.sample(seed=0)
    assert not action.requires_grad
    (-d.log_prob(action) * 2.0).backward()
    expected = -2.0 * (np.eye(3)[int(action.item())] - d.probs.detach().numpy())
    np.testing.assert_allclose(logits.grad.numpy(), expected, rtol=1e-5, atol=1e-6)


def test_errors_in_torchs_words():
    with pytest.raises(ValueError, match="Either `probs` or `logits` must be specified, but not both."):
        Categorical()
    with pytest.raises(ValueError, match="must be at least one-dimensional"):
        Categorical(probs=jaring.tensor(1.0))
    with pytest.raises(ValueError, match=r"constraint Simplex\(\)"):
        Categorical(probs=jaring.tensor([-1.0, 2.0]))
    with pytest.raises(ValueError, match=r"IntegerInterval\(lower_bound=0, upper_bound=2\)"):
        Categorical(logits=jaring.zeros(3)).log_prob(jaring.tensor(3))
    with pytest.raises(NotImplementedError):
        Categorical(logits=jaring.zeros(3)).rsample()
    assert repr(Categorical(logits=jaring.zeros(3))) == "Categorical(logits: (3,))"
