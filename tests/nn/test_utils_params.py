"""jaring/nn/utils_params.py: parameters_to_vector and vector_to_parameters against torch.nn.utils."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from tests.oracle import CASES, check_gradients, random_array

SHAPES = [(3, 4), (4,), (1,), (2, 1, 2)]


def _pairs(dtype):
    arrays = [random_array(s, seed=i).astype(dtype) for i, s in enumerate(SHAPES)]
    return (
        [nn.Parameter(jaring.tensor(a)) for a in arrays],
        [torch.nn.Parameter(torch.tensor(a)) for a in arrays],
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_parameters_to_vector_matches_torch_with_gradients(dtype):
    ours, theirs = _pairs(dtype)
    vec = nn.utils.parameters_to_vector(ours)
    want = torch.nn.utils.parameters_to_vector(theirs)
    assert vec.shape == tuple(want.shape) and vec.dtype == want.detach().numpy().dtype
    np.testing.assert_array_equal(vec.numpy(), want.detach().numpy())
    upstream = np.random.default_rng(1).standard_normal(vec.shape).astype(dtype)
    (vec * jaring.tensor(upstream)).sum().backward()
    (want * torch.tensor(upstream)).sum().backward()
    for p, t in zip(ours, theirs):
        np.testing.assert_array_equal(p.grad.numpy(), t.grad.numpy())
    CASES["torch"] += 1


def test_parameters_to_vector_gradcheck_float64():
    check_gradients(
        lambda a, b: nn.utils.parameters_to_vector([a, b]) ** 2, [random_array((2, 3)), random_array((1,))]
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_vector_to_parameters_writes_in_place_like_torch(dtype):
    ours, theirs = _pairs(dtype)
    total = sum(int(np.prod(s)) for s in SHAPES)
    vec = np.arange(total, dtype=dtype) / 7
    buffers = [p.data for p in ours]
    nn.utils.vector_to_parameters(jaring.tensor(vec), ours)
    torch.nn.utils.vector_to_parameters(torch.tensor(vec), theirs)
    for p, t, buf in zip(ours, theirs, buffers):
        np.testing.assert_array_equal(p.numpy(), t.detach().numpy())
        assert p.data is buf and p.dtype == dtype and p._ctx is None
    CASES["torch"] += 1


def test_round_trip_on_a_model_and_a_generator_of_parameters():
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.ReLU(), nn.Linear(4, 2, seed=1))
    vec = nn.utils.parameters_to_vector(model.parameters()).detach()
    assert vec.shape == (3 * 4 + 4 + 4 * 2 + 2,)
    nn.utils.vector_to_parameters(vec * 2, model.parameters())
    np.testing.assert_allclose(nn.utils.parameters_to_vector(model.parameters()).numpy(), vec.numpy() * 2)


def test_errors_in_torchs_words():
    p = nn.Parameter(jaring.zeros(2, 2))
    with pytest.raises(TypeError, match="expected a Tensor, but got: ndarray"):
        nn.utils.vector_to_parameters(np.zeros(4), [p])
    with pytest.raises(TypeError, match="expected Tensors"):
        nn.utils.parameters_to_vector([np.zeros(3)])
    with pytest.raises(RuntimeError, match="vec has 3 elements but the parameters hold 4"):
        nn.utils.vector_to_parameters(jaring.zeros(3), [p])
    with pytest.raises(ValueError, match="1-d"):
        nn.utils.vector_to_parameters(jaring.zeros(2, 2), [p])
    with pytest.raises(RuntimeError, match="non-empty"):
        nn.utils.parameters_to_vector([])
