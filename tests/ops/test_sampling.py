"""jaring/ops/sampling.py: randperm, bernoulli, normal and multinomial: statistics, seeds,
shapes and dtypes as torch's, and torch's errors."""

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import CASES


def _same_seed_same_numbers(draw):
    first, again, other = draw(generator=3), draw(generator=3), draw(generator=4)
    np.testing.assert_array_equal(first.numpy(), again.numpy())
    jaring.manual_seed(11)
    one = draw()
    jaring.manual_seed(11)
    np.testing.assert_array_equal(one.numpy(), draw().numpy())
    return first, other


def test_randperm_is_a_permutation_like_torchs():
    out = jaring.randperm(10, generator=0)
    assert out.dtype == np.int64 == np.dtype(str(torch.randperm(10).dtype).split(".")[1])
    assert sorted(out.tolist()) == list(range(10))
    assert jaring.randperm(0).shape == tuple(torch.randperm(0).shape) == (0,)
    first, other = _same_seed_same_numbers(lambda **kw: jaring.randperm(20, **kw))
    assert first.tolist() != other.tolist()
    assert jaring.randperm(4, dtype=np.int32).dtype == np.int32
    firsts = [jaring.randperm(4, generator=s).tolist()[0] for s in range(400)]
    assert all(60 < firsts.count(i) < 140 for i in range(4))  # each first about 100 times


def test_bernoulli_statistics_shape_and_dtype():
    p = jaring.tensor(np.array([0.0, 0.2, 0.5, 1.0], dtype=np.float32))
    draws = np.stack([jaring.bernoulli(p, generator=s).numpy() for s in range(2000)])
    assert draws.dtype == np.float32 and set(np.unique(draws)) <= {0.0, 1.0}
    np.testing.assert_allclose(draws.mean(axis=0), [0.0, 0.2, 0.5, 1.0], atol=0.04)
    scalar_p = jaring.bernoulli(jaring.zeros(1000, dtype="float64"), 0.3, generator=0)
    assert scalar_p.dtype == np.float64 and abs(scalar_p.numpy().mean() - 0.3) < 0.05
    assert jaring.bernoulli(jaring.full((2, 3), 0.5)).shape == tuple(
        torch.bernoulli(torch.full((2, 3), 0.5)).shape
    )
    _same_seed_same_numbers(lambda **kw: jaring.bernoulli(jaring.full((50,), 0.5), **kw))
    CASES["torch"] += 1


def test_normal_forms_and_statistics():
    mean, std = jaring.zeros(2, 1), jaring.ones(3)
    assert jaring.normal(mean, std).shape == tuple(torch.normal(torch.zeros(2, 1), torch.ones(3)).shape)
    assert jaring.normal(mean, 2.0).shape == (2, 1) and jaring.normal(1.0, std).shape == (3,)
    out = jaring.normal(3.0, 2.0, size=(20000,), generator=0)
    assert out.dtype == np.float32 and tuple(torch.normal(3.0, 2.0, (2,)).shape) == (2,)
    assert abs(out.numpy().mean() - 3.0) < 0.05 and abs(out.numpy().std() - 2.0) < 0.05
    big = jaring.normal(
        jaring.tensor([-5.0, 5.0]).broadcast_to((5000, 2)), jaring.tensor([0.5, 1.0]), generator=1
    )
    np.testing.assert_allclose(big.numpy().mean(axis=0), [-5.0, 5.0], atol=0.06)
    np.testing.assert_allclose(big.numpy().std(axis=0), [0.5, 1.0], atol=0.04)
    assert jaring.normal(jaring.zeros(2, dtype="float64")).dtype == np.float64
    assert not jaring.normal(jaring.zeros(2, requires_grad=True)).requires_grad
    _same_seed_same_numbers(lambda **kw: jaring.normal(0.0, 1.0, (5,), **kw))
    CASES["torch"] += 1


def test_multinomial_with_and_without_replacement():
    weights = jaring.tensor([1.0, 2.0, 0.0, 7.0])
    with_rep = jaring.multinomial(weights, 20000, replacement=True, generator=0).numpy()
    assert with_rep.dtype == np.int64 and with_rep.shape == (20000,)
    np.testing.assert_allclose(np.bincount(with_rep, minlength=4) / 20000, [0.1, 0.2, 0.0, 0.7], atol=0.015)
    picks = np.stack([jaring.multinomial(weights, 3, generator=s).numpy() for s in range(3000)])
    assert all(len(set(row)) == 3 and 2 not in row for row in picks.tolist())
    np.testing.assert_allclose(np.mean(picks[:, 0] == 3), 0.7, atol=0.03)  # the first draw ~ weights
    rows = jaring.multinomial(jaring.ones(2, 5), 5, generator=1)
    assert rows.shape == tuple(torch.multinomial(torch.ones(2, 5), 5).shape) == (2, 5)
    assert all(sorted(r) == list(range(5)) for r in rows.tolist())
    _same_seed_same_numbers(lambda **kw: jaring.multinomial(jaring.ones(2, 6), 4, **kw))
    CASES["torch"] += 1


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="negative dimension -1"):
        jaring.randperm(-1)
    with pytest.raises(ValueError, match="0 <= p <= 1"):
        jaring.bernoulli(jaring.tensor([1.5]))
    with pytest.raises(TypeError, match="bernoulli: expects a floating tensor"):
        jaring.bernoulli(jaring.tensor([1]))
    with pytest.raises(ValueError, match="normal expects std >= 0.0, but found std -1"):
        jaring.normal(0.0, -1.0, (2,))
    with pytest.raises(ValueError, match="normal expects all elements of std >= 0.0"):
        jaring.normal(jaring.zeros(2), -jaring.ones(2))
    with pytest.raises(TypeError, match="give a size"):
        jaring.normal(0.0, 1.0)
    with pytest.raises(ValueError, match="do not broadcast"):
        jaring.normal(jaring.zeros(2), jaring.ones(3))
    with pytest.raises(ValueError, match="cannot sample n_sample > prob_dist.size"):
        jaring.multinomial(jaring.ones(3), 4)
    with pytest.raises(ValueError, match="element < 0"):
        jaring.multinomial(jaring.tensor([-1.0, 1.0]), 1)
    with pytest.raises(ValueError, match=r"sum of probabilities <= 0"):
        jaring.multinomial(jaring.zeros(2), 1)
    with pytest.raises(ValueError, match="prob_dist must be 1 or 2 dim"):
        jaring.multinomial(jaring.ones(2, 2, 2), 1)
    with pytest.raises(TypeError, match="seed must be an int"):
        jaring.randperm(3, generator="x")
