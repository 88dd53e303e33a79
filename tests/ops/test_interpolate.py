"""F.interpolate against PyTorch: nearest, nearest-exact, linear, bilinear with align_corners
both ways, by size and by scale factor; values and gradients."""

import pytest
import torch.nn.functional as TF
from hypothesis import given
from hypothesis import strategies as st

import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array

CASES = [
    ((2, 3, 5, 4), dict(size=(7, 3))),
    ((1, 1, 1, 1), dict(size=(3, 2))),
    ((2, 1, 5, 4), dict(scale_factor=2)),
    ((1, 2, 5, 4), dict(scale_factor=(1.5, 0.7))),
    ((1, 2, 7, 7), dict(size=(3, 4))),
    ((1, 2, 4, 4), dict(scale_factor=3.3, recompute_scale_factor=True)),
]


def _modes(ndim):
    linear = "bilinear" if ndim == 4 else "linear"
    return [("nearest", None), ("nearest-exact", None), (linear, False), (linear, True)]


@pytest.mark.parametrize(
    "shape,kwargs", CASES + [((2, 3, 6), dict(size=11)), ((1, 1, 4), dict(scale_factor=0.5))]
)
def test_interpolate_matches_torch(shape, kwargs):
    for mode, corners in _modes(len(shape)):
        compare_with_torch(
            lambda x, m=mode, c=corners: F.interpolate(x, mode=m, align_corners=c, **kwargs),
            lambda x, m=mode, c=corners: TF.interpolate(x, mode=m, align_corners=c, **kwargs),
            [random_array(shape, 1)],
        )


@FAST
@given(
    h=st.integers(1, 6),
    w=st.integers(1, 6),
    oh=st.integers(1, 9),
    ow=st.integers(1, 9),
    corners=st.booleans(),
)
def test_bilinear_random_sizes_match_torch(h, w, oh, ow, corners):
    compare_with_torch(
        lambda x: F.interpolate(x, (oh, ow), mode="bilinear", align_corners=corners),
        lambda x: TF.interpolate(x, (oh, ow), mode="bilinear", align_corners=corners),
        [random_array((1, 2, h, w), 2)],
    )


def test_gradients_float64():
    x = random_array((1, 2, 3, 4), 3)
    check_gradients(lambda t: F.interpolate(t, scale_factor=2, mode="bilinear", align_corners=False), [x])
    check_gradients(lambda t: F.interpolate(t, size=(5, 2), mode="nearest"), [x])


def test_bad_arguments_are_named():
    x = random_array((1, 1, 3, 3))
    with pytest.raises(ValueError, match="exactly one of size and scale_factor"):
        F.interpolate(x)
    with pytest.raises(ValueError, match="not available"):
        F.interpolate(x, size=4, mode="bicubic")
    with pytest.raises(ValueError, match=r"\(N, C, L\)"):
        F.interpolate(x, size=4, mode="linear")
    with pytest.raises(ValueError, match="align_corners"):
        F.interpolate(x, size=4, align_corners=True)
