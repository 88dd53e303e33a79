"""conv_transpose2d: values and gradients against PyTorch over stride, padding, output_padding,
groups and dilation, a float64 gradcheck, and the argument checks."""

import numpy as np
import pytest
import torch.nn.functional as TF
from hypothesis import given
from hypothesis import strategies as st

from jaring.ops.conv_transpose import conv_transpose2d
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array

CASES = [
    # (batch, in, out, H, W, kernel, stride, padding, output_padding, groups, dilation)
    (1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1),
    (2, 3, 4, 5, 4, 3, 1, 0, 0, 1, 1),
    (2, 4, 6, 5, 4, 3, 2, 1, 1, 2, 1),
    (1, 2, 3, 4, 5, (2, 3), (2, 1), (1, 0), (1, 0), 1, (2, 1)),
    (3, 4, 4, 3, 3, 3, 1, 1, 0, 4, 2),  # depthwise, dilated
    (1, 6, 3, 2, 2, 4, 3, 2, 2, 3, 1),
]


@pytest.mark.parametrize("n,ci,co,h,w,k,s,p,op,g,d", CASES)
def test_conv_transpose2d_matches_torch(n, ci, co, h, w, k, s, p, op, g, d):
    kh, kw = (k, k) if isinstance(k, int) else k
    inputs = [random_array((n, ci, h, w), 1), random_array((ci, co // g, kh, kw), 2), random_array((co,), 3)]
    compare_with_torch(
        lambda x, wt, b: conv_transpose2d(x, wt, b, s, p, op, g, d),
        lambda x, wt, b: TF.conv_transpose2d(x, wt, b, s, p, op, g, d),
        inputs,
        rtol=1e-4,
        atol=1e-4,
    )


@FAST
@given(
    n=st.integers(1, 2),
    c=st.integers(1, 3),
    o=st.integers(1, 3),
    h=st.integers(1, 5),
    w=st.integers(1, 5),
    k=st.integers(1, 3),
    s=st.integers(1, 3),
    bias=st.booleans(),
)
def test_random_geometry_matches_torch(n, c, o, h, w, k, s, bias):
    inputs = [random_array((n, c, h, w), 4), random_array((c, o, k, k), 5)] + (
        [random_array((o,), 6)] if bias else []
    )
    compare_with_torch(
        lambda x, wt, *b: conv_transpose2d(x, wt, b[0] if b else None, s),
        lambda x, wt, *b: TF.conv_transpose2d(x, wt, b[0] if b else None, s),
        inputs,
        rtol=1e-4,
        atol=1e-4,
    )


def test_gradcheck_float64():
    inputs = [random_array((2, 4, 3, 3), 7), random_array((4, 3, 2, 3), 8), random_array((6,), 9)]
    check_gradients(lambda x, wt, b: conv_transpose2d(x, wt, b, 2, 1, 1, groups=2, dilation=1), inputs)


def test_argument_checks_name_the_problem():
    x, wt = random_array((1, 4, 3, 3)), random_array((4, 2, 3, 3))
    with pytest.raises(ValueError, match="output_padding"):
        conv_transpose2d(x, wt, stride=2, output_padding=2)
    with pytest.raises(ValueError, match="groups"):
        conv_transpose2d(x, wt, groups=3)
    with pytest.raises(ValueError, match="bias"):
        conv_transpose2d(x, wt, np.zeros(3, np.float32))
    with pytest.raises(ValueError, match="crops the whole output"):
        conv_transpose2d(random_array((1, 4, 1, 1)), random_array((4, 2, 1, 1)), padding=1)
