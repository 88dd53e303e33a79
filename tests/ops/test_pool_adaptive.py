"""Adaptive average and max pooling against PyTorch: tiling, overlapping and growing windows."""

import numpy as np
import pytest
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from jaring.ops.pool_adaptive import windows
from tests.oracle import check_gradients, compare_with_torch, random_array

SIZES = [1, 2, 3, (2, None), (None, 1), (4, 5), 7]


@pytest.mark.parametrize("kind", ["avg", "max"])
@pytest.mark.parametrize("output_size", SIZES)
@pytest.mark.parametrize("shape", [(2, 3, 6, 4), (1, 2, 7, 5), (0, 2, 4, 4), (3, 5, 5)])
def test_matches_torch(kind, output_size, shape):
    jaring_fn = getattr(F, f"adaptive_{kind}_pool2d")
    torch_fn = getattr(TF, f"adaptive_{kind}_pool2d")
    compare_with_torch(
        lambda x: jaring_fn(x, output_size), lambda x: torch_fn(x, output_size), [random_array(shape, 3)]
    )


def test_windows_follow_torch_rule():
    assert windows(4, 2) == [(0, 2), (2, 4)]
    assert windows(5, 3) == [(0, 2), (1, 4), (3, 5)]  # overlapping by one
    assert windows(2, 3) == [(0, 1), (0, 2), (1, 2)]  # more cells than inputs


@pytest.mark.parametrize("output_size", [3, (2, 4)])
def test_gradients_by_finite_differences(output_size):
    x = random_array((2, 2, 5, 7), 4)
    check_gradients(lambda t: F.adaptive_avg_pool2d(t, output_size), [x])
    check_gradients(lambda t: F.adaptive_max_pool2d(t, output_size), [x])


def test_max_ties_send_the_gradient_where_torch_does():
    ties = np.zeros((1, 1, 5, 5), np.float32)
    compare_with_torch(lambda x: F.adaptive_max_pool2d(x, 3), lambda x: TF.adaptive_max_pool2d(x, 3), [ties])


def test_float64_kept_and_no_graph_under_no_grad():
    x = jaring.tensor(random_array((1, 2, 5, 5)).astype(np.float64), requires_grad=True)
    assert F.adaptive_avg_pool2d(x, 3).dtype == np.float64
    with jaring.no_grad():
        assert not F.adaptive_avg_pool2d(x, 3).requires_grad


def test_bad_arguments_are_named():
    x = jaring.ones(1, 1, 4, 4)
    with pytest.raises(ValueError, match="output_size"):
        F.adaptive_avg_pool2d(x, 0)
    with pytest.raises(ValueError, match="output_size"):
        F.adaptive_max_pool2d(x, (1, 2, 3))
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        F.adaptive_avg_pool2d(jaring.ones(4, 4), 2)
    with pytest.raises(ValueError, match="no pixels"):
        F.adaptive_max_pool2d(jaring.ones(1, 1, 0, 4), 2)
    with pytest.raises(TypeError, match="floating-point"):
        F.adaptive_avg_pool2d(jaring.tensor(np.ones((1, 1, 4, 4), np.int64)), 2)
