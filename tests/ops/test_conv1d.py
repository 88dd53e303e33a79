"""conv1d: values and gradients against PyTorch over stride, padding, dilation and groups."""

import pytest
import torch.nn.functional as TF

from jaring.ops.conv1d import conv1d
from tests.oracle import check_gradients, compare_with_torch, random_array

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")

CASES = [
    # (batch, in, out, length, kernel, stride, padding, dilation, groups)
    (1, 1, 1, 1, 1, 1, 0, 1, 1),
    (2, 4, 6, 9, 3, 2, 1, 1, 2),
    (2, 4, 8, 7, 2, 1, "same", 2, 4),
    (1, 3, 2, 5, 3, 1, "valid", 1, 1),
    (3, 2, 5, 8, 4, 3, 2, 1, 1),
]


@pytest.mark.parametrize("n,c,o,length,k,s,p,d,g", CASES)
def test_conv1d_matches_torch(n, c, o, length, k, s, p, d, g):
    inputs = [random_array((n, c, length), 1), random_array((o, c // g, k), 2), random_array((o,), 3)]
    compare_with_torch(
        lambda x, wt, b: conv1d(x, wt, b, s, p, d, g),
        lambda x, wt, b: TF.conv1d(x, wt, b, s, p, d, g),
        inputs,
        rtol=1e-4,
        atol=1e-4,
    )


def test_conv1d_gradcheck_float64():
    inputs = [random_array((2, 2, 6), 4), random_array((3, 2, 3), 5), random_array((3,), 6)]
    check_gradients(lambda x, wt, b: conv1d(x, wt, b, 2, 1, 1), inputs)


def test_conv1d_refuses_images():
    with pytest.raises(ValueError, match=r"\(N, C, L\)"):
        conv1d(random_array((1, 2, 3, 3)), random_array((1, 2, 3)))
    with pytest.raises(ValueError, match="stride"):
        conv1d(random_array((1, 2, 5)), random_array((1, 2, 3)), stride=(1, 2))
