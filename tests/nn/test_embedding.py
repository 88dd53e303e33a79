"""Embedding layer: lookup, initializers, padding_idx, mask_zero and the mask it hands on."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from jaring.nn.embedding import get_mask, with_mask


def test_lookup_and_gradient_match_torch():
    layer = nn.Embedding(6, 3, padding_idx=2, seed=0)
    ids = np.array([[1, 2, 5, 1], [2, 0, 0, 3]])
    table = torch.tensor(layer.weight.numpy(), requires_grad=True)
    expected = torch.nn.functional.embedding(torch.from_numpy(ids), table, padding_idx=2)
    out = layer(ids)
    np.testing.assert_array_equal(out.numpy(), expected.detach().numpy())
    upstream = np.random.default_rng(0).standard_normal(out.shape).astype(np.float32)
    (out * jaring.tensor(upstream)).sum().backward()
    (expected * torch.tensor(upstream)).sum().backward()
    np.testing.assert_allclose(layer.weight.grad.numpy(), table.grad.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(layer.weight.numpy()[2], 0)  # the padding row starts at zero


def test_default_initializer_is_keras_uniform_and_normal_is_torch_like():
    table = nn.Embedding(500, 40, seed=0).weight.numpy()
    assert table.dtype == np.float32 and np.abs(table).max() <= 0.05 and table.std() > 0.02
    normal = nn.Embedding(500, 40, embeddings_initializer="normal", seed=0).weight.numpy()
    assert abs(normal.std() - 1) < 0.05
    np.testing.assert_array_equal(table, nn.Embedding(500, 40, seed=0).weight.numpy())


def test_mask_zero_marks_real_tokens_and_other_ops_drop_it():
    layer = nn.Embedding(5, 2, mask_zero=True, seed=0)
    ids = np.array([[3, 1, 0], [0, 4, 4]])
    out = layer(ids)
    assert isinstance(out, nn.MaskedTensor)
    np.testing.assert_array_equal(get_mask(out), ids != 0)
    assert get_mask(out * 2) is None
    assert get_mask(nn.Embedding(5, 2)(ids)) is None


def test_masked_tensor_is_the_same_graph_node():
    x = jaring.randn(2, 3, requires_grad=True, seed=0)
    y = x * 3
    masked = with_mask(y, np.ones((2, 3), bool))
    masked.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full((2, 3), 3.0))
    assert with_mask(y, None) is y


def test_whole_number_float_ids_are_accepted():
    layer = nn.Embedding(4, 2, seed=0)
    np.testing.assert_array_equal(layer(np.array([[1.0, 3.0]])).numpy(), layer(np.array([[1, 3]])).numpy())
    with pytest.raises(TypeError, match=r"Embedding\(4, 2\).*whole numbers"):
        layer(np.array([0.5]))


def test_errors():
    layer = nn.Embedding(4, 2, seed=0)
    with pytest.raises(IndexError, match=r"token id 4 is out of range for a vocabulary of 4"):
        layer(np.array([[0, 4]]))
    with pytest.raises(ValueError, match="input_dim must be a positive integer"):
        nn.Embedding(0, 2)
    with pytest.raises(ValueError, match="dim must be a positive integer"):
        nn.Embedding(3, 2.5)
    with pytest.raises(ValueError, match="padding_idx 9 is out of range"):
        nn.Embedding(3, 2, padding_idx=9)
    assert "mask_zero=True, padding_idx=0" in repr(nn.Embedding(3, 2, mask_zero=True, padding_idx=0))


def test_keras_names_and_files_saved_with_the_old_ones():
    layer = nn.Embedding(7, 3, seed=0)
    assert (layer.input_dim, layer.output_dim) == (7, 3) and layer.weight.shape == (7, 3)
    old = nn.Embedding.from_config({"vocab_size": 7, "dim": 3, "mask_zero": True})
    assert (old.input_dim, old.output_dim, old.mask_zero) == (7, 3, True)
