"""jaring/ops/splitting.py: tensor_split against PyTorch, the pieces and their gradients."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import FAST, check_gradients, compare_with_torch, nonscalar_shapes, random_array, st


@FAST
@given(shape=nonscalar_shapes, data=st.data())
def test_sections_and_indices_match_torch(shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    how = data.draw(st.integers(1, 7) | st.lists(st.integers(-6, 7), max_size=4))
    x = random_array(shape, seed=1)
    compare_with_torch(
        lambda a: jaring.tensor_split(a, how, dim), lambda a: torch.tensor_split(a, how, dim), [x]
    )


@pytest.mark.parametrize(
    "how", [3, [1, 4], [5, 2, -1, 9], [], 7, 10], ids=["3", "[1,4]", "decreasing", "[]", "7", "10"]
)
def test_keywords_tensor_forms_and_method_match_torch(how):
    x = random_array((7, 2), seed=2)
    keyword = {"sections": how} if isinstance(how, int) else {"indices": how}
    compare_with_torch(
        lambda a: jaring.tensor_split(a, **keyword), lambda a: torch.tensor_split(a, **keyword), [x]
    )
    compare_with_torch(
        lambda a: a.tensor_split(jaring.tensor(how, dtype=jaring.int64)),
        lambda a: a.tensor_split(torch.tensor(how, dtype=torch.int64)),
        [x],
    )
    compare_with_torch(
        lambda a: jaring.tensor_split(a, tensor_indices_or_sections=jaring.tensor(how, dtype=jaring.int64)),
        lambda a: torch.tensor_split(a, tensor_indices_or_sections=torch.tensor(how, dtype=torch.int64)),
        [x],
    )


def test_gradcheck_and_the_result_is_a_tuple():
    pieces = jaring.tensor_split(jaring.arange(5), 2)
    assert isinstance(pieces, tuple) and [p.tolist() for p in pieces] == [[0, 1, 2], [3, 4]]
    check_gradients(lambda a: jaring.tensor_split(a, [1, 3], dim=1)[1] * 2, [random_array((2, 4))])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="expected at least a 1-dimensional tensor"):
        jaring.tensor_split(jaring.tensor(1.0), 2)
    with pytest.raises(ValueError, match="number of sections must be larger than 0, got 0"):
        jaring.tensor_split(jaring.zeros(3), 0)
    with pytest.raises(TypeError, match="to have dtype of long"):
        jaring.tensor_split(jaring.zeros(3), jaring.tensor([1.0]))
    with pytest.raises(ValueError, match="zero-dimensional or one-dimensional tensor"):
        jaring.tensor_split(jaring.zeros(3), jaring.tensor(np.zeros((1, 1), dtype=np.int64)))
    with pytest.raises(TypeError, match="exactly one of"):
        jaring.tensor_split(jaring.zeros(3), 2, sections=2)
    with pytest.raises(TypeError, match="must be an int, a list of ints or a tensor"):
        jaring.tensor_split(jaring.zeros(3), 1.5)
    with pytest.raises(ValueError, match="out of range"):
        jaring.tensor_split(jaring.zeros(3), 2, dim=1)
