"""Running ops: cumsum, logcumsumexp, cummax and cummin against PyTorch, values, indices and grads."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array, shapes, st


@st.composite
def shape_and_dim(draw):
    shape = draw(shapes)
    ndim = max(len(shape), 1)
    return shape, draw(st.integers(-ndim, ndim - 1))


SCANS = {
    "cumsum": (F.cumsum, torch.cumsum),
    "logcumsumexp": (F.logcumsumexp, torch.logcumsumexp),
    "cummax": (F.cummax, torch.cummax),
    "cummin": (F.cummin, torch.cummin),
}


@pytest.mark.parametrize("name", sorted(SCANS))
@FAST
@given(case=shape_and_dim())
def test_scan_matches_torch(name, case):
    shape, dim = case
    jfn, tfn = SCANS[name]
    compare_with_torch(lambda x: jfn(x, dim), lambda x: tfn(x, dim), [random_array(shape, seed=3)])


@pytest.mark.parametrize("name", sorted(SCANS))
def test_scan_gradcheck(name):
    jfn = SCANS[name][0]
    values = lambda out: out.values if isinstance(out, tuple) else out  # noqa: E731 (cummax, cummin)
    check_gradients(lambda x: values(jfn(x, 1)), [random_array((3, 4, 2), seed=4)])


@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_ties_point_to_the_latest_index_as_in_torch(name):
    data = np.array([[1.0, 1.0, 3.0, 3.0, 2.0], [0.0, -1.0, -1.0, 5.0, 5.0]], np.float32)
    jfn, tfn = SCANS[name]
    compare_with_torch(lambda x: jfn(x, 1), lambda x: tfn(x, 1), [data])


def test_logcumsumexp_is_stable_for_large_values():
    data = np.array([1000.0, 1000.0, -1000.0, 999.0], np.float32)
    compare_with_torch(lambda x: F.logcumsumexp(x, 0), lambda x: torch.logcumsumexp(x, 0), [data], rtol=1e-4)


def test_methods_and_top_level_names():
    x = jaring.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert x.cumsum(1).tolist() == [[1.0, 3.0], [3.0, 7.0]]
    assert jaring.cummax(x, 0).indices.tolist() == [[0, 0], [1, 1]]
    values, indices = x.cummin(dim=1)
    assert values.tolist() == [[1.0, 1.0], [3.0, 3.0]] and indices.dtype == np.int64


@pytest.mark.parametrize("dim", [2, -3])
def test_bad_dim_names_the_allowed_range(dim):
    with pytest.raises(ValueError, match=r"cumsum: axis=.* \(allowed: from -2 to 1\)"):
        F.cumsum(jaring.zeros(2, 3), dim)


def test_dim_is_required():
    with pytest.raises(TypeError, match="cumsum needs dim"):
        F.cumsum(jaring.zeros(2), None)
