"""jaring/ops/statistics.py: cov, corrcoef and histc against PyTorch, values and gradients."""

import math
import warnings

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import check_gradients, compare_with_torch, random_array

SHAPES = [(), (1,), (5,), (1, 4), (3, 5), (4, 2), (2, 1)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("correction", [0, 1, 2])
def test_cov_matches_torch(shape, correction):
    x = random_array(shape, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # too few observations: both warn and give inf or nan
        compare_with_torch(
            lambda a: jaring.cov(a, correction=correction), lambda a: torch.cov(a, correction=correction), [x]
        )


@pytest.mark.parametrize("correction", [0, 1, 3])
def test_cov_with_weights_matches_torch(correction):
    x, aweights = random_array((3, 6), seed=2), random_array((6,), seed=3, low=0.1, high=2.0)
    fweights = np.array([1, 0, 2, 3, 1, 1])
    compare_with_torch(
        lambda a, w: jaring.cov(a, correction=correction, fweights=jaring.tensor(fweights), aweights=w),
        lambda a, w: torch.cov(a, correction=correction, fweights=torch.tensor(fweights), aweights=w),
        [x, aweights],
    )
    compare_with_torch(lambda a, w: a.cov(aweights=w), lambda a, w: a.cov(aweights=w), [x, aweights])
    compare_with_torch(
        lambda a: jaring.cov(a, fweights=jaring.tensor(fweights)),
        lambda a: torch.cov(a, fweights=torch.tensor(fweights)),
        [x],
    )
    check_gradients(lambda a, w: jaring.cov(a, correction=correction, aweights=w), [x, aweights])


def test_cov_of_integers_is_float_and_warns_without_degrees_of_freedom():
    ints = np.array([[1, 2, 4], [2, 2, 5]])
    out = jaring.cov(jaring.tensor(ints))
    expected = torch.cov(torch.tensor(ints))
    assert out.dtype == np.float32 and np.allclose(out.numpy(), expected.numpy())
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        assert math.isnan(jaring.cov(jaring.tensor(3.0)).item())


@pytest.mark.parametrize("shape", [(), (4,), (1, 3), (3, 5), (2, 7)], ids=str)
def test_corrcoef_matches_torch(shape):
    x = random_array(shape, seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare_with_torch(jaring.corrcoef, torch.corrcoef, [x], atol=1e-4)
        compare_with_torch(lambda a: a.corrcoef(), lambda a: a.corrcoef(), [x], atol=1e-4)


def test_cov_and_corrcoef_gradcheck():
    check_gradients(jaring.cov, [random_array((3, 5), seed=5)])
    check_gradients(lambda a: jaring.cov(a, correction=0), [random_array((6,), seed=6)])
    check_gradients(jaring.corrcoef, [random_array((3, 6), seed=7)], atol=1e-5)


@pytest.mark.parametrize(
    "shape, bins, low, high",
    [((50,), 100, 0, 0), ((4, 5), 7, 0, 0), ((3, 3), 4, -1, 1), ((), 2, 0, 0), ((0,), 3, 0, 0),
     ((6,), 1, 3, 3)],
)  # fmt: skip
def test_histc_matches_torch(shape, bins, low, high):
    x = random_array(shape, seed=8)
    compare_with_torch(
        lambda a: jaring.histc(a, bins, low, high), lambda a: torch.histc(a, bins, low, high), [x], grad=False
    )
    compare_with_torch(
        lambda a: a.histc(bins=bins, min=low, max=high),
        lambda a: a.histc(bins=bins, min=low, max=high),
        [x.astype(np.float64)],
        grad=False,
    )


def test_histc_counts_the_max_in_the_last_bin_and_skips_nan_outside_a_given_range():
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0, -1.0, 9.0, math.nan], dtype=np.float32)
    got = jaring.histc(jaring.tensor(x), bins=4, min=0, max=4)
    assert got.tolist() == torch.histc(torch.tensor(x), bins=4, min=0, max=4).tolist() == [1, 1, 1, 2]
    assert not got.requires_grad


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="expected input to have two or fewer dimensions"):
        jaring.cov(jaring.zeros(2, 2, 2))
    with pytest.raises(TypeError, match="expected fweights to have integral dtype"):
        jaring.cov(jaring.zeros(2, 3), fweights=jaring.ones(3))
    with pytest.raises(TypeError, match="expected aweights to have floating point dtype"):
        jaring.cov(jaring.zeros(2, 3), aweights=jaring.tensor([1, 1, 1]))
    with pytest.raises(ValueError, match="aweights cannot be negative"):
        jaring.cov(jaring.zeros(2, 3), aweights=-jaring.ones(3))
    with pytest.raises(ValueError, match="fweights to have the same numel as there are observations"):
        jaring.cov(jaring.zeros(2, 3), fweights=jaring.tensor([1, 1]))
    with pytest.raises(ValueError, match="expected fweights to have one or fewer dimensions"):
        jaring.cov(jaring.zeros(2, 3), fweights=jaring.tensor([[1, 1, 1]]))
    with pytest.raises(TypeError, match="floating-point input"):
        jaring.histc(jaring.tensor([1, 2]))
    with pytest.raises(ValueError, match="bins must be > 0"):
        jaring.histc(jaring.zeros(3), bins=0)
    with pytest.raises(ValueError, match="max must be larger than min"):
        jaring.histc(jaring.zeros(3), min=3, max=1)
    with pytest.raises(ValueError, match="is not finite"):
        jaring.histc(jaring.tensor([1.0, math.nan]))
