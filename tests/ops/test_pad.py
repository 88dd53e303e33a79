"""F.pad's modes against PyTorch (values and gradients), both width spellings, and the checks."""

import numpy as np
import pytest
import torch.nn.functional as TF
from hypothesis import given
from hypothesis import strategies as st

import jaring.functional as F
from jaring.ops.pad import source_index
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array

MODES = ["constant", "reflect", "replicate", "circular"]
CASES = [
    ((2, 3, 5, 4), (1, 2, 3, 1)),
    ((1, 1, 1, 3), (2, 2, 0, 0)),
    ((2, 3, 6), (2, 3, 0, 1)),
    ((1, 2, 3, 4, 5), (1, 2, 1, 2, 2, 1)),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape,widths", CASES)
def test_pad_modes_match_torch(mode, shape, widths):
    compare_with_torch(
        lambda x: F.pad(x, widths, mode), lambda x: TF.pad(x, widths, mode), [random_array(shape, 1)]
    )


@FAST
@given(
    size=st.integers(2, 6), before=st.integers(0, 5), after=st.integers(0, 5), mode=st.sampled_from(MODES[1:])
)
def test_one_axis_matches_torch(size, before, after, mode):
    limit = size - 1 if mode == "reflect" else size
    before, after = min(before, limit), min(after, limit)
    widths = (before, after, 0, 0)
    compare_with_torch(
        lambda x: F.pad(x, widths, mode), lambda x: TF.pad(x, widths, mode), [random_array((1, 2, size), 2)]
    )


def test_numpy_widths_still_pad_every_axis():
    x = random_array((2, 3), 3)
    np.testing.assert_array_equal(
        F.pad(x, ((1, 0), (0, 2)), mode="reflect").numpy(), np.pad(x, ((1, 0), (0, 2)), "reflect")
    )
    np.testing.assert_array_equal(F.pad(x, 1, mode="replicate").numpy(), np.pad(x, 1, "edge"))
    np.testing.assert_array_equal(F.pad(x, (1, 2), value=3.0).numpy(), np.pad(x, (1, 2), constant_values=3.0))
    assert source_index(3, 2, 2, "circular").tolist() == [1, 2, 0, 1, 2, 0, 1]


def test_gradients_float64():
    x = random_array((2, 3, 4), 4)
    for mode in MODES[1:]:
        check_gradients(lambda t, m=mode: F.pad(t, (2, 1, 1, 2), m), [x])


def test_bad_widths_and_modes_are_named():
    x = random_array((1, 2, 3))
    with pytest.raises(ValueError, match="at most 2 on axis 2"):
        F.pad(x, (3, 0, 0, 0), "reflect")
    with pytest.raises(ValueError, match="unknown mode"):
        F.pad(x, 1, "mirror")
    with pytest.raises(ValueError, match="only for mode='constant'"):
        F.pad(x, 1, "reflect", value=2.0)
