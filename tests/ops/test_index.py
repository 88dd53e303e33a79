"""Indexing (x[index]): values and gradients against PyTorch, gradcheck in float64, clear errors."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis.extra import numpy as hnp

import jaring
from tests.oracle import (
    FAST,
    check_gradients,
    compare_with_torch,
    nonscalar_shapes,
    random_array,
    st,
)

# ----- reshape, transpose, broadcast, squeeze ----------------------------------------------


def _torch_index(index):
    """The same index for PyTorch: NumPy arrays become torch tensors."""
    parts = index if isinstance(index, tuple) else (index,)
    parts = tuple(torch.from_numpy(p) if isinstance(p, np.ndarray) else p for p in parts)
    return parts if isinstance(index, tuple) else parts[0]


MASK = np.random.default_rng(0).random((4, 5)) > 0.5


INDEXES = {
    "int": (2, "assign"),
    "negative int": (-1, "assign"),
    "tuple of ints": ((1, -2), "assign"),
    "slices": ((slice(1, 3), slice(None, None, 2)), "assign"),
    "none and ellipsis": ((None, Ellipsis, 1), "assign"),
    "list with duplicates": ([0, 3, 0, -4], "rows"),
    "array column": ((slice(None), np.array([4, 1, 4, -1])), "rows"),
    "ellipsis then array": ((Ellipsis, np.array([[0, 2], [2, 2]])), "rows"),
    "two arrays broadcast": ((np.array([[0], [3]]), np.array([1, 1, 4])), "rows"),
    "arrays split by slice": ((np.array([0, 0, 3]), slice(None), np.array([1, 1, 2])), "add"),
    "int and array": ((1, np.array([0, 0, 2])), "add"),
    "int, slice, array (PyTorch's order)": ((1, slice(None), np.array([0, 2, 2, 1])), "add"),
    "array, slice, int (PyTorch's order)": ((np.array([[3], [0]]), slice(1, None), -1), "add"),
    "stepped slice and array": ((slice(None, None, 2), np.array([3, 3])), "add"),
    "bool mask": (MASK, "assign"),
    "mask and slice": ((MASK[:, 0], slice(1, 4)), "assign"),
    "mask and int array": ((MASK[:, 0], slice(None), np.array([0, 0, 2])[: MASK[:, 0].sum()]), "add"),
}


@pytest.mark.parametrize("name", sorted(INDEXES))
def test_getitem_matches_torch(name):
    index, kind = INDEXES[name]
    a = random_array((4, 5, 3), seed=6)
    assert jaring.tensor(a, requires_grad=True)[index]._ctx.kind == kind
    compare_with_torch(lambda x: x[index], lambda x: x[_torch_index(index)], [a])


@FAST
@given(shape=nonscalar_shapes, data=st.data())
def test_fancy_rows_with_duplicates_match_torch(shape, data):
    a = random_array(shape, seed=7)
    axis = data.draw(st.integers(0, len(shape) - 1))
    rows = data.draw(
        hnp.arrays(np.int64, st.integers(0, 6), elements=st.integers(-shape[axis], shape[axis] - 1))
    )
    index = (slice(None),) * axis + (rows,)
    compare_with_torch(lambda x: x[index], lambda x: x[_torch_index(index)], [a])


def test_tensor_indexes_and_gradient_accumulation():
    x = jaring.tensor([1.0, 2.0, 3.0], requires_grad=True)
    picked = x[jaring.tensor([0, 0, 2, 0])] * jaring.tensor([1.0, 2.0, 3.0, 4.0])
    picked.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [7.0, 0.0, 3.0])
    x.grad = None
    x[x > 1.5].sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 1.0, 1.0])
    assert x.grad.dtype == np.float32


def test_negative_step_slices_and_iteration():
    # PyTorch has no negative steps: check values against NumPy and gradients numerically.
    a = random_array((4, 3), seed=8)
    x = jaring.tensor(a)
    np.testing.assert_array_equal(x[::-2, ::-1].numpy(), a[::-2, ::-1])
    np.testing.assert_array_equal(np.stack([row.numpy() for row in x]), a)
    check_gradients(lambda t: t[::-2, ::-1] * t[1::2], [a])


@pytest.mark.parametrize(
    "index",
    [
        np.array([0, 0, 2]),
        (slice(None), np.array([[1, 1], [0, -1]])),
        (np.array([1, 1]), slice(None), np.array([0, 2])),
        (MASK[:3, :2], np.array([1])),
        (0, slice(None), np.array([2, 0, 2])),
    ],
)
def test_getitem_gradcheck_float64(index):
    check_gradients(lambda t: t[index] ** 2, [random_array((3, 2, 3), seed=9)])


def test_bad_indexes_raise_clearly():
    x = jaring.ones(2, 3)
    with pytest.raises(IndexError, match=r"shape \(2, 3\).*out of bounds"):
        x[5]
    with pytest.raises(TypeError, match="integers or booleans, got dtype float"):
        x[jaring.tensor([0.0, 1.0])]
    with pytest.raises(TypeError, match="unsupported index"):
        x["a"]


def test_pairs_of_index_arrays_gather_like_nll():
    a = random_array((4, 3), seed=14)
    rows, labels = np.array([0, 1, 1, 3, 0]), np.array([2, 0, 0, -1, 2])
    compare_with_torch(
        lambda x: x[rows, labels], lambda x: x[torch.from_numpy(rows), torch.from_numpy(labels)], [a]
    )


def test_tuples_inside_an_index_act_as_index_arrays():
    data = random_array((3, 4, 5), 2)
    rows = np.array([1, 2])
    compare_with_torch(lambda x: x[(0,), rows, ...], lambda t: t[(0,), rows, ...], [data])
    compare_with_torch(lambda x: x[:, (3, 1)], lambda t: t[:, (3, 1)], [data])
    np.testing.assert_array_equal(jaring.tensor(data)[(0,), rows, ...].numpy(), data[(0,), rows, ...])
