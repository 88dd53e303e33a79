"""jaring/ops/gumbel.py: F.gumbel_softmax against torch with the same Gumbel noise (a seam on each
side: jaring's gumbel_noise and torch's exponential_ draw), the straight-through gradient of
hard=True, the sampling statistics, seeds and errors."""

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from jaring.ops import gumbel
from tests.oracle import CASES, check_gradients, random_array
from tests.ops.dtype_oracle import compare_in_dtype

SHAPES = [(1, 1), (1, 4), (3, 5), (2, 1, 3), (4,)]


@pytest.fixture
def same_noise(monkeypatch):
    """Give both libraries the Gumbel draw g: jaring's seam returns it, and torch's exponential_
    fills E = exp(-g), which its -log(E) turns back into g."""

    def use(g):
        monkeypatch.setattr(gumbel, "gumbel_noise", lambda shape, dtype, xp, rng: g.astype(dtype))
        monkeypatch.setattr(
            torch.Tensor, "exponential_", lambda self, *a, **k: self.copy_(torch.exp(-torch.tensor(g)))
        )

    return use


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("hard", [False, True])
@pytest.mark.parametrize("tau", [1.0, 0.3])
def test_matches_torch_with_the_same_noise(same_noise, dtype, shape, hard, tau):
    g = -np.log(np.random.default_rng(len(shape)).standard_exponential(shape))
    same_noise(g)
    dim = 0 if len(shape) == 3 else -1
    compare_in_dtype(
        lambda x: F.gumbel_softmax(x, tau=tau, hard=hard, dim=dim),
        lambda x: torch.nn.functional.gumbel_softmax(x, tau=tau, hard=hard, dim=dim),
        [random_array(shape, seed=2)],
        dtype,
        tol=1e-5 if dtype == np.float32 else 1e-10,
    )


def test_gradient_formula_with_fixed_noise(same_noise):
    """d/dlogits of sum(u * y) = y * (u - sum(u * y)) / tau for the soft sample y, hard or not."""
    logits, g = (
        random_array((2, 4), seed=3).astype(np.float64),
        random_array((2, 4), seed=4).astype(np.float64),
    )
    same_noise(g)
    z = (logits + g) / 0.5
    y = np.exp(z - z.max(1, keepdims=True))
    y /= y.sum(1, keepdims=True)
    u = random_array((2, 4), seed=5).astype(np.float64)
    for hard in (False, True):
        x = jaring.tensor(logits, requires_grad=True)
        (F.gumbel_softmax(x, tau=0.5, hard=hard) * jaring.tensor(u)).sum().backward()
        want = y * (u - (u * y).sum(1, keepdims=True)) / 0.5
        np.testing.assert_allclose(x.grad.numpy(), want, rtol=1e-12, atol=1e-12)


def test_gradcheck_float64_soft(same_noise):
    same_noise(random_array((3, 4), seed=6).astype(np.float64))
    check_gradients(lambda x: F.gumbel_softmax(x, tau=0.7) ** 2, [random_array((3, 4), seed=7)])


def test_hard_samples_follow_the_softmax_probabilities_like_torch():
    logits = np.array([1.0, 0.0, -1.0, 2.0], np.float32)
    n = 40000
    batch = np.broadcast_to(logits, (n, 4)).copy()
    ours = F.gumbel_softmax(jaring.tensor(batch), tau=0.5, hard=True, seed=0).numpy()
    torch.manual_seed(0)
    theirs = torch.nn.functional.gumbel_softmax(torch.tensor(batch), tau=0.5, hard=True).numpy()
    probs = np.exp(logits) / np.exp(logits).sum()
    assert (ours.sum(1) == 1).all() and set(np.unique(ours)) == {0.0, 1.0}
    # the argmax of logits + Gumbel noise is an exact sample of softmax(logits), whatever tau
    for freq in (ours.mean(0), theirs.mean(0)):
        np.testing.assert_allclose(freq, probs, atol=0.01)
    soft_ours = F.gumbel_softmax(jaring.tensor(batch), tau=2.0, seed=1).numpy()
    soft_theirs = torch.nn.functional.gumbel_softmax(torch.tensor(batch), tau=2.0).numpy()
    np.testing.assert_allclose(soft_ours.mean(0), soft_theirs.mean(0), atol=0.01)
    np.testing.assert_allclose(soft_ours.std(0), soft_theirs.std(0), atol=0.01)
    CASES["torch"] += 1


def test_seed_and_generator_make_it_reproducible():
    x = jaring.tensor(random_array((3, 5)))
    a = F.gumbel_softmax(x, seed=3).numpy()
    np.testing.assert_array_equal(a, F.gumbel_softmax(x, generator=np.random.default_rng(3)).numpy())
    assert not np.array_equal(a, F.gumbel_softmax(x, seed=4).numpy())
    jaring.manual_seed(5)
    b = F.gumbel_softmax(x).numpy()
    jaring.manual_seed(5)
    np.testing.assert_array_equal(b, F.gumbel_softmax(x).numpy())


def test_errors():
    x = jaring.tensor(random_array((2, 3)))
    with pytest.raises(ValueError, match="tau must be a positive number"):
        F.gumbel_softmax(x, tau=0)
    with pytest.raises(TypeError, match="floating point"):
        F.gumbel_softmax(jaring.tensor([[1, 2]]))
    with pytest.raises(ValueError, match="seed or generator"):
        F.gumbel_softmax(x, seed=0, generator=np.random.default_rng(0))
    with pytest.raises(ValueError, match="dim"):
        F.gumbel_softmax(x, dim=2)
    with pytest.raises(TypeError, match="hard"):
        F.gumbel_softmax(x, hard="yes")
