"""A one-element integer tensor is an index (Tensor.__index__), as torch's."""

import numpy as np
import pytest

import jaring

torch = pytest.importorskip("torch")

CLASSES = ["zero", "one", "two", "three"]


@pytest.mark.parametrize(
    "value", [jaring.tensor(2), jaring.tensor([2]), jaring.tensor([[2]]), jaring.tensor(True)]
)
def test_one_integer_element_indexes_a_list_as_in_torch(value):
    twin = torch.from_numpy(value.numpy())
    assert CLASSES[value] == CLASSES[twin]
    assert list(range(value)) == list(range(twin))


def test_argmax_picks_a_class_name():
    logits = jaring.tensor([[0.1, 3.0, -1.0, 0.5]])
    assert CLASSES[logits[0].argmax(0)] == "one"


def test_numpy_indexing_sees_what_it_sees_with_torch():
    a = np.arange(10) * 10
    for value in ([3], 3, [1, 4]):
        ours, theirs = a[jaring.tensor(value)], a[torch.tensor(value)]
        np.testing.assert_array_equal(ours, theirs)
        assert np.shape(ours) == np.shape(theirs)


@pytest.mark.parametrize(
    "value", [jaring.tensor(2.0), jaring.tensor([1, 2]), jaring.tensor(np.zeros(0, np.int64))]
)
def test_floats_and_several_elements_are_not_indices(value):
    with pytest.raises(TypeError, match="only integer tensors of a single element"):
        CLASSES[value]
    with pytest.raises(TypeError):
        CLASSES[torch.from_numpy(value.numpy())]
