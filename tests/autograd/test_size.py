"""Tensor.size: NumPy's element count, and torch's size() / size(dim) when called."""

import copy
import json
import pickle

import numpy as np
import pytest

import jaring


@pytest.mark.parametrize("shape", [(), (0,), (1,), (2, 3), (4, 1, 5), (2, 0, 3)])
def test_size_is_the_element_count_and_calls_give_the_shape(shape):
    x = jaring.zeros(*shape) if shape else jaring.tensor(0.0)
    assert x.size == int(np.prod(shape, dtype=np.int64))
    assert x.size() == shape
    for d in range(-len(shape), len(shape)):
        assert x.size(d) == shape[d]


def test_size_matches_torch():
    torch = pytest.importorskip("torch")
    for shape in [(), (3,), (2, 1, 4)]:
        j, t = jaring.zeros(shape), torch.zeros(shape)
        assert j.size() == tuple(t.size())
        for d in range(-len(shape), len(shape)):
            assert j.size(d) == t.size(d)


@pytest.mark.parametrize(
    ("shape", "dim", "message"),
    [
        ((2, 3), 2, r"\[-2, 1\], but got 2"),
        ((2, 3), -3, r"\[-2, 1\], but got -3"),
        ((), 0, r"\[-1, 0\], but got 0"),
    ],
)
def test_size_of_a_missing_dimension_is_torch_s_index_error(shape, dim, message):
    x = jaring.zeros(*shape) if shape else jaring.tensor(1.0)
    with pytest.raises(IndexError, match=message):
        x.size(dim)


def test_size_refuses_a_non_integer_dimension():
    with pytest.raises(TypeError):
        jaring.zeros(2, 3).size(1.0)


def test_the_count_behaves_as_a_plain_int():
    n = jaring.zeros(2, 3).size
    assert n + 1 == 7 and n * 2 == 12 and type(n + 1) is int
    assert repr(n) == "6" and f"{n}" == "6" and f"{n:03d}" == "006"
    assert json.dumps({"n": n}) == '{"n": 6}'
    assert type(copy.deepcopy(n)) is int and copy.deepcopy(n) == 6
    assert pickle.loads(pickle.dumps(n)) == 6
    assert np.zeros(n).shape == (6,)
    assert list(range(n)) == [0, 1, 2, 3, 4, 5]
