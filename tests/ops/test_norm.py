"""layer_norm and rms_norm: values and gradients against PyTorch, gradcheck, bad input."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, nonscalar_shapes, random_array, st


def _trailing(shape, k):
    k = min(k, len(shape))
    return tuple(shape[len(shape) - k :])


@pytest.mark.parametrize("affine", ["none", "weight", "both"])
@FAST
@given(shape=nonscalar_shapes, k=st.integers(1, 2))
def test_layer_norm_matches_torch(affine, shape, k):
    norm = _trailing(shape, k)
    x = random_array(shape, seed=1)
    inputs = [x]
    if affine != "none":
        inputs.append(random_array(norm, seed=2))
    if affine == "both":
        inputs.append(random_array(norm, seed=3))
    compare_with_torch(
        lambda x, *p: F.layer_norm(x, norm, *p),
        lambda x, *p: torch.nn.functional.layer_norm(x, norm, *p),
        inputs,
        rtol=1e-4,
        atol=1e-4,
    )


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("eps", [None, 1e-6])
@FAST
@given(shape=nonscalar_shapes, k=st.integers(1, 2))
def test_rms_norm_matches_torch(weighted, eps, shape, k):
    norm = _trailing(shape, k)
    inputs = [random_array(shape, seed=4)] + ([random_array(norm, seed=5)] if weighted else [])
    compare_with_torch(
        lambda x, *w: F.rms_norm(x, norm, *w, eps=eps),
        lambda x, *w: torch.nn.functional.rms_norm(x, norm, *w, eps=eps),
        inputs,
        rtol=1e-4,
        atol=1e-4,
    )


@pytest.mark.parametrize("shape, norm", [((3, 5), (5,)), ((2, 3, 4), (3, 4)), ((4, 1), (1,))])
def test_gradcheck_float64(shape, norm):
    x, w, b = random_array(shape, seed=6), random_array(norm, seed=7), random_array(norm, seed=8)
    check_gradients(lambda x, w, b: F.layer_norm(x, norm, w, b), [x, w, b])
    check_gradients(lambda x, w: F.rms_norm(x, norm, w, eps=1e-6), [x, w])


def test_float32_stays_float32():
    x = jaring.randn(4, 8, seed=0)
    assert F.layer_norm(x, 8, jaring.ones(8)).dtype == np.float32
    assert F.rms_norm(x, 8, jaring.ones(8)).dtype == np.float32


def test_output_statistics():
    x = jaring.randn(16, 32, seed=1) * 3 + 2
    y = F.layer_norm(x, 32).numpy()
    np.testing.assert_allclose(y.mean(axis=-1), 0, atol=1e-5)
    np.testing.assert_allclose(y.var(axis=-1), 1, atol=1e-3)
    r = F.rms_norm(x, 32).numpy()
    np.testing.assert_allclose(np.sqrt((r * r).mean(axis=-1)), 1, atol=1e-4)


def test_wrong_trailing_shape_names_both():
    with pytest.raises(ValueError, match=r"layer_norm.*\(4,\).*\(2, 3\)"):
        F.layer_norm(jaring.ones(2, 3), 4)
    with pytest.raises(ValueError, match=r"rms_norm.*\(2, 3\).*\(3,\)"):
        F.rms_norm(jaring.ones(3), (2, 3))


def test_wrong_weight_shape_and_bad_arguments():
    with pytest.raises(ValueError, match=r"weight must have shape \(3,\), got \(4,\)"):
        F.layer_norm(jaring.ones(2, 3), 3, jaring.ones(4))
    with pytest.raises(ValueError, match="positive integers"):
        F.rms_norm(jaring.ones(2, 3), 0)
    with pytest.raises(TypeError, match="floating"):
        F.layer_norm(jaring.tensor([[1, 2]]), 2)
