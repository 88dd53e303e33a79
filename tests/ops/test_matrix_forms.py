"""jaring/ops/matrix_forms.py: block_diag, diag_embed and vander against PyTorch, values and gradients."""

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import check_gradients, compare_with_torch, random_array

BLOCKS = {
    "matrices": [(2, 2), (1, 3)],
    "0-d and vector": [(), (3,)],
    "one": [(2, 3)],
    "empty pieces": [(0, 2), (0,), (2, 0)],
    "mixed": [(1,), (2, 1), (), (3, 2)],
}


@pytest.mark.parametrize("case", BLOCKS)
def test_block_diag_matches_torch(case):
    inputs = [random_array(s, seed=i) for i, s in enumerate(BLOCKS[case])]
    compare_with_torch(jaring.block_diag, torch.block_diag, inputs)
    check_gradients(jaring.block_diag, inputs)


def test_block_diag_promotes_and_of_nothing_is_empty():
    out = jaring.block_diag(jaring.tensor([[1, 2]]), jaring.tensor([0.5]))
    expected = torch.block_diag(torch.tensor([[1, 2]]), torch.tensor([0.5]))
    assert out.dtype == np.float32 and out.tolist() == expected.tolist()
    assert jaring.block_diag().shape == tuple(torch.block_diag().shape) == (1, 0)


@pytest.mark.parametrize(
    "shape, offset, dim1, dim2",
    [((3,), 0, -2, -1), ((3,), 2, 0, 1), ((2, 3), -1, -2, -1), ((2, 3), 1, 0, 2), ((2, 3), 0, 2, 0),
     ((1,), 0, 1, 0), ((2, 1, 3), -2, 1, -1), ((2, 0), 1, -2, -1)],
)  # fmt: skip
def test_diag_embed_matches_torch(shape, offset, dim1, dim2):
    x = random_array(shape, seed=1)
    compare_with_torch(
        lambda a: jaring.diag_embed(a, offset, dim1, dim2),
        lambda a: torch.diag_embed(a, offset, dim1, dim2),
        [x],
    )
    compare_with_torch(
        lambda a: a.diag_embed(offset=offset, dim1=dim1, dim2=dim2),
        lambda a: a.diag_embed(offset=offset, dim1=dim1, dim2=dim2),
        [x],
    )
    if x.size:
        check_gradients(lambda a: jaring.diag_embed(a, offset, dim1, dim2), [x])


@pytest.mark.parametrize("n, increasing", [(None, False), (None, True), (1, False), (4, True), (0, False)])
@pytest.mark.parametrize("length", [1, 3])
def test_vander_matches_torch(length, n, increasing):
    x = random_array((length,), seed=2)
    x[0] = 0.0  # a zero: its powers' gradients stay finite
    # torch's vander fills its result in place and cannot backpropagate; jaring's gradient is gradchecked
    compare_with_torch(
        lambda a: jaring.vander(a, n, increasing), lambda a: torch.vander(a, n, increasing), [x], grad=False
    )
    if (length if n is None else n) > 1:  # one column is all ones, a constant
        check_gradients(lambda a: jaring.vander(a, N=n, increasing=increasing), [x])


def test_vander_of_integers_is_int64():
    for data in ([1, 2, 3], [True, False]):
        out, expected = jaring.vander(jaring.tensor(data)), torch.vander(torch.tensor(data))
        assert out.dtype == np.int64 and out.tolist() == expected.tolist()


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="block_diag: Input tensors must have 2 or fewer dimensions"):
        jaring.block_diag(jaring.zeros(2, 2, 2))
    with pytest.raises(ValueError, match="diagonal dimensions cannot be identical"):
        jaring.diag_embed(jaring.zeros(2), 0, 0, 0)
    with pytest.raises(ValueError, match="out of range"):
        jaring.diag_embed(jaring.zeros(2), 0, 0, 3)
    with pytest.raises(TypeError, match="offset must be an int"):
        jaring.diag_embed(jaring.zeros(2), 0.5)
    with pytest.raises(ValueError, match="x must be a one-dimensional tensor"):
        jaring.vander(jaring.zeros(2, 2))
    with pytest.raises(ValueError, match="N must be non-negative"):
        jaring.vander(jaring.zeros(2), N=-1)
