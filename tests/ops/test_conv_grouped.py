"""conv2d with groups (depthwise included): values and gradients against PyTorch, gradcheck."""

import pytest
import torch.nn.functional as TF

import jaring.functional as F
from tests.oracle import check_gradients, compare_with_torch, random_array

CASES = [
    # (batch, in, out, H, W, kernel, stride, padding, dilation, groups)
    (1, 2, 2, 1, 1, 1, 1, 0, 1, 2),
    (2, 4, 6, 5, 4, 3, 2, 1, 1, 2),
    (1, 3, 3, 4, 4, 3, 1, 1, 1, 3),  # depthwise
    (2, 4, 8, 6, 6, 2, 1, "same", 2, 4),  # depthwise with a channel multiplier of 2
    (1, 6, 3, 5, 5, 3, 1, "valid", 1, 3),
]


@pytest.mark.parametrize("n,c,o,h,w,k,s,p,d,g", CASES)
def test_grouped_conv2d_matches_torch(n, c, o, h, w, k, s, p, d, g):
    inputs = [random_array((n, c, h, w), 1), random_array((o, c // g, k, k), 2), random_array((o,), 3)]
    compare_with_torch(
        lambda x, wt, b: F.conv2d(x, wt, b, s, p, d, g),
        lambda x, wt, b: TF.conv2d(x, wt, b, s, p, d, g),
        inputs,
        rtol=1e-4,
        atol=1e-4,
    )


def test_grouped_conv2d_fused_relu_matches_torch():
    inputs = [random_array((2, 4, 5, 5), 4), random_array((4, 1, 3, 3), 5)]
    compare_with_torch(
        lambda x, wt: F.conv2d(x, wt, None, 1, 1, 1, 4, relu=True),
        lambda x, wt: TF.relu(TF.conv2d(x, wt, None, 1, 1, 1, 4)),
        inputs,
        rtol=1e-4,
        atol=1e-4,
    )


def test_grouped_gradcheck_float64():
    inputs = [random_array((2, 4, 4, 4), 6), random_array((6, 2, 2, 2), 7), random_array((6,), 8)]
    check_gradients(lambda x, wt, b: F.conv2d(x, wt, b, 1, 1, 1, 2), inputs)


def test_groups_that_do_not_divide_are_refused():
    with pytest.raises(ValueError, match="groups=2"):
        F.conv2d(random_array((1, 3, 4, 4)), random_array((2, 1, 3, 3)), groups=2)
    with pytest.raises(ValueError, match="groups must be a positive int"):
        F.conv2d(random_array((1, 2, 4, 4)), random_array((2, 1, 3, 3)), groups=0)
