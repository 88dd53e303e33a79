"""jaring/nn/embedding_bag.py: nn.EmbeddingBag against torch.nn.EmbeddingBag with the same weight,
its N(0, 1) initialisation, state_dict, repr and errors."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from tests.oracle import CASES


def _pair(mode, **kwargs):
    ours = nn.EmbeddingBag(10, 4, mode=mode, seed=0, **kwargs)
    theirs = torch.nn.EmbeddingBag(10, 4, mode=mode, **kwargs)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.weight.numpy()))
    return ours, theirs


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("include_last_offset", [False, True])
def test_forward_and_weight_gradient_match_torch(mode, include_last_offset):
    ours, theirs = _pair(mode, include_last_offset=include_last_offset, padding_idx=9)
    ids = np.array([1, 2, 4, 5, 4, 3, 2, 9])
    offsets = np.array([0, 4, 6, 8] if include_last_offset else [0, 4, 6])  # torch's: the last is len(ids)
    out = ours(jaring.tensor(ids), jaring.tensor(offsets))
    want = theirs(torch.tensor(ids), torch.tensor(offsets))
    np.testing.assert_allclose(out.numpy(), want.detach().numpy(), rtol=1e-6, atol=1e-6)
    upstream = np.random.default_rng(0).standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    want.backward(torch.tensor(upstream))
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-6, atol=1e-6)
    CASES["torch"] += 1


def test_per_sample_weights_and_two_dimensional_input():
    ours, theirs = _pair("sum")
    ids, weights = np.array([[1, 3], [3, 0]]), np.array([[0.5, 2.0], [1.0, -1.0]], np.float32)
    out = ours(jaring.tensor(ids), per_sample_weights=jaring.tensor(weights))
    want = theirs(torch.tensor(ids), per_sample_weights=torch.tensor(weights))
    np.testing.assert_allclose(out.numpy(), want.detach().numpy(), rtol=1e-6, atol=1e-6)
    CASES["torch"] += 1


def test_init_is_standard_normal_with_the_padding_row_zeroed_and_reproducible():
    layer = nn.EmbeddingBag(2000, 50, padding_idx=3, seed=1)
    w = layer.weight.numpy()
    assert w.dtype == np.float32 and w.shape == (2000, 50)
    assert not w[3].any()
    assert abs(w.mean()) < 0.01 and abs(w.std() - 1) < 0.01
    np.testing.assert_array_equal(nn.EmbeddingBag(2000, 50, padding_idx=3, seed=1).weight.numpy(), w)
    assert nn.EmbeddingBag(3, 2, dtype="float64").weight.dtype == np.float64


def test_state_dict_loads_torchs():
    theirs = torch.nn.EmbeddingBag(6, 3, mode="max")
    ours = nn.EmbeddingBag(6, 3, mode="max", seed=0)
    state = {k: v.numpy() for k, v in theirs.state_dict().items()}
    assert list(state) == list(ours.state_dict()) == ["weight"]
    ours.load_state_dict(state)
    ids = np.array([[0, 5, 2]])
    np.testing.assert_allclose(ours(jaring.tensor(ids)).numpy(), theirs(torch.tensor(ids)).detach().numpy())


def test_repr_like_torch():
    for kwargs in ({}, {"mode": "sum", "padding_idx": 2}, {"max_norm": 1.0, "include_last_offset": True}):
        assert repr(nn.EmbeddingBag(5, 2, seed=0, **kwargs)) == repr(torch.nn.EmbeddingBag(5, 2, **kwargs))


def test_errors():
    with pytest.raises(ValueError, match="mode has to be one of sum, mean or max"):
        nn.EmbeddingBag(5, 2, mode="min")
    with pytest.raises(NotImplementedError, match="sparse"):
        nn.EmbeddingBag(5, 2, sparse=True)
    with pytest.raises(AssertionError, match="padding_idx must be within num_embeddings"):
        nn.EmbeddingBag(5, 2, padding_idx=5)
    with pytest.raises(ValueError, match="num_embeddings"):
        nn.EmbeddingBag(0, 2)
    with pytest.raises(ValueError, match="shape of _weight"):
        nn.EmbeddingBag(5, 2, _weight=np.zeros((4, 2), np.float32))
