"""jaring/ops/index_order.py: integers and index arrays together put dimensions where PyTorch
does, in x[index] and in x[index] = value, checked against PyTorch over every small index."""

import itertools

import numpy as np
import pytest
import torch

import jaring
from jaring.ops.index_order import inverse, torch_permutation

ENTRIES = [
    0,
    -1,
    np.int64(2),
    np.array(1),
    slice(None),
    slice(1, 3),
    None,
    Ellipsis,
    np.array([0, 1]),
    np.array([[1], [0]]),
    np.array([True, False, True]),
]


def _torch(index: tuple) -> tuple:
    return tuple(torch.from_numpy(p) if isinstance(p, np.ndarray) else p for p in index)


def _indexes(ndim: int):
    """Every index of up to `ndim` entries from ENTRIES that PyTorch accepts on arange(3*4*5*6)."""
    shape = (3, 4, 5, 6)[:ndim]
    x = torch.arange(int(np.prod(shape))).reshape(shape)
    for length in range(1, ndim + 1):
        for index in itertools.product(ENTRIES, repeat=length):
            if sum(p is Ellipsis for p in index) > 1:
                continue
            try:
                expected = x[_torch(index)]
            except (IndexError, RuntimeError, ValueError):
                continue
            yield index, expected.numpy()


def test_the_permutation_turns_numpy_results_into_pytorchs_for_every_small_index():
    x = np.arange(3 * 4 * 5 * 6).reshape(3, 4, 5, 6)
    checked = reordered = 0
    for index, expected in _indexes(4):
        got = x[index]
        order = torch_permutation(index, x.ndim)
        if order is not None:
            reordered += 1
            got = got.transpose(order)
        assert got.shape == expected.shape, index
        np.testing.assert_array_equal(got, expected)
        checked += 1
    assert checked > 10_000 and reordered > 1_500  # the sweep reaches the case it is about


def test_getitem_values_and_gradients_match_pytorch_where_the_orders_differ():
    base = np.random.default_rng(0).standard_normal((3, 4, 5))
    checked = 0
    for index, _ in _indexes(3):
        if torch_permutation(index, 3) is None:
            continue
        checked += 1
        x, tx = jaring.tensor(base, requires_grad=True), torch.tensor(base, requires_grad=True)
        out, tout = x[index], tx[_torch(index)]
        assert out.shape == tuple(tout.shape), index
        np.testing.assert_array_equal(out.numpy(), tout.detach().numpy())
        weights = np.random.default_rng(1).standard_normal(out.shape)
        (out * jaring.tensor(weights)).sum().backward()
        (tout * torch.tensor(weights)).sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), err_msg=repr(index))
    assert checked > 50


@pytest.mark.parametrize("record", [False, True])
@pytest.mark.parametrize(
    "index", [(1, slice(None), [0, 2, 4]), (slice(None), 0, slice(None), np.array([[1], [3]]))]
)
@pytest.mark.parametrize("value", ["full", "row", "number"])
def test_setitem_takes_values_in_pytorchs_order(index, value, record):
    shape = (3, 4, 5) if len(index) == 3 else (2, 3, 4, 5)
    base = np.random.default_rng(2).standard_normal(shape)
    tindex = tuple(torch.tensor(p) if isinstance(p, (list, np.ndarray)) else p for p in index)
    target = tuple(torch.tensor(base)[tindex].shape)
    v = {
        "full": np.arange(np.prod(target), dtype=float).reshape(target),
        "row": np.arange(target[-1], dtype=float),
    }
    v = v.get(value, np.array(7.0))
    tv, jv = torch.tensor(v, requires_grad=record), jaring.tensor(v, requires_grad=record)
    tx = torch.tensor(base, requires_grad=record) * 1
    jx = jaring.tensor(base, requires_grad=record) * 1
    tx[tindex] = tv
    jx[index] = jv
    np.testing.assert_array_equal(jx.numpy(), tx.detach().numpy())
    if record:
        weights = np.random.default_rng(3).standard_normal(shape)
        (tx * torch.tensor(weights)).sum().backward()
        (jx * jaring.tensor(weights)).sum().backward()
        np.testing.assert_allclose(jv.grad.numpy(), tv.grad.numpy())


def test_a_value_of_numpys_shape_is_refused_where_pytorchs_differs():
    x = jaring.zeros(3, 4, 5)
    with pytest.raises(ValueError, match=r"setitem on a tensor of shape \(3, 4, 5\)"):
        x[1, :, [0, 2, 4]] = np.zeros((3, 4))  # NumPy's (3, 4); PyTorch's x[1, :, [0, 2, 4]] is (4, 3)


def test_inverse_undoes_a_permutation():
    assert inverse([2, 0, 1]) == [1, 2, 0]
    assert [[2, 0, 1][i] for i in inverse([2, 0, 1])] == [0, 1, 2]
