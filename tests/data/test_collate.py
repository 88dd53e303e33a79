"""Tests for jaring/data/collate.py: default_collate and default_convert against torch's on the
same inputs (structure, shapes, dtypes, values), with jaring's one choice: Python floats -> float32."""

import collections

import numpy as np
import pytest

import jaring
from jaring.data import default_collate, default_convert

torch = pytest.importorskip("torch")
from torch.utils.data import default_collate as torch_collate  # noqa: E402
from torch.utils.data import default_convert as torch_convert  # noqa: E402

Point = collections.namedtuple("Point", ["x", "y"])
F32 = np.float32


def same(ours, theirs, path="batch"):
    """Assert the two collated structures agree (Python floats: float32 here, float64 in torch)."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, jaring.Tensor), f"{path}: {type(ours).__name__}"
        expected = theirs.numpy()
        if theirs.dtype == torch.float64 and ours.dtype == np.float32:
            expected = expected.astype(np.float32)  # only where the input held Python floats
        assert ours.dtype == expected.dtype and ours.shape == expected.shape, path
        np.testing.assert_array_equal(ours.numpy(), expected)
    elif isinstance(theirs, dict):
        assert type(ours) is type(theirs) and list(ours) == list(theirs), path
        for key in theirs:
            same(ours[key], theirs[key], f"{path}[{key!r}]")
    elif isinstance(theirs, (list, tuple)) and not (theirs and isinstance(theirs[0], (str, bytes))):
        assert type(ours) is type(theirs) and len(ours) == len(theirs), f"{path}: {type(ours).__name__}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            same(a, b, f"{path}[{i}]")
    elif isinstance(theirs, (list, tuple)):  # strings: torch hands back the sequence, jaring a list
        assert isinstance(ours, list) and ours == list(theirs), path
    else:
        assert ours == theirs and type(ours) is type(theirs), path


CASES = {
    "python ints": [1, 2, 3],
    "python floats": [0.5, 1.5],
    "python bools": [True, False],
    "numpy float32 arrays": [np.zeros((2, 3), F32), np.ones((2, 3), F32)],
    "numpy float64 arrays": [np.zeros(4), np.ones(4)],
    "numpy int32 arrays": [np.arange(3, dtype=np.int32), np.arange(3, dtype=np.int32)],
    "numpy uint8 images": [np.full((2, 2), 7, np.uint8), np.zeros((2, 2), np.uint8)],
    "0-d numpy arrays": [np.array(1.5), np.array(2.5)],
    "numpy float32 scalars": [F32(1), F32(2)],
    "numpy int64 scalars": [np.int64(4), np.int64(5)],
    "numpy bool scalars": [np.bool_(True), np.bool_(False)],
    "tuples of (image, label)": [(np.zeros((2, 2), F32), 1), (np.ones((2, 2), F32), 0)],
    "lists of fields": [[1, 2.5], [3, 4.5]],
    "tuples with strings": [(np.zeros(2, F32), "cat"), (np.ones(2, F32), "dog")],
    "strings": ["a", "bb"],
    "bytes": [b"a", b"bb"],
    "dicts": [{"x": np.zeros(2, F32), "y": 1, "name": "a"}, {"x": np.ones(2, F32), "y": 0, "name": "b"}],
    "ordered dicts": [collections.OrderedDict(a=1, b=0.5), collections.OrderedDict(a=2, b=1.5)],
    "nested": [
        {"pair": (np.zeros(2, F32), [1, 2]), "meta": {"id": 3}},
        {"pair": (np.ones(2, F32), [3, 4]), "meta": {"id": 4}},
    ],
    "namedtuples": [Point(np.zeros(2, F32), 1), Point(np.ones(2, F32), 2)],
    "single sample": [(np.arange(3, dtype=F32), 7)],
}


@pytest.mark.parametrize("name", list(CASES))
def test_default_collate_matches_torch(name):
    batch = CASES[name]
    same(default_collate(batch), torch_collate(batch))


def test_tensors_are_stacked_and_keep_their_dtype():
    ours = default_collate([jaring.tensor([1.0, 2.0]), jaring.tensor([3.0, 4.0])])
    theirs = torch_collate([torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])])
    assert ours.shape == tuple(theirs.shape) and ours.dtype == np.float32
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert default_collate([jaring.tensor([1, 2], dtype="int32")] * 2).dtype == np.int32


def test_python_floats_follow_jarings_default_dtype():
    assert default_collate([0.5, 1.0]).dtype == np.float32  # torch: float64
    assert torch_collate([0.5, 1.0]).dtype == torch.float64
    assert default_collate([np.float64(0.5)]).dtype == np.float64  # NumPy scalars keep theirs


@pytest.mark.parametrize(
    ("batch", "error", "match"),
    [
        ([None, None], TypeError, "found <class 'NoneType'>"),
        ([np.array(["a"]), np.array(["b"])], TypeError, "found <U1"),
        ([[1, 2], [3]], ValueError, "each element in list of batch should be of equal size"),
        (
            [np.zeros(2), np.zeros(3)],
            ValueError,
            r"equal size, but got \[2\] at entry 0 and \[3\] at entry 1",
        ),
        ([], ValueError, "the batch is empty"),
        ("ab", TypeError, "needs a list of samples"),
    ],
)
def test_collate_errors(batch, error, match):
    with pytest.raises(error, match=match):
        default_collate(batch)


CONVERT = {
    "tuple of array, int, numpy scalar": (np.zeros(2), 1, np.int32(3)),
    "dict": {"x": np.ones((2, 2), F32), "label": 4, "name": "n"},
    "list": [np.arange(3), 2.5],
    "array": np.arange(4, dtype=np.int16),
    "python number": 3,
    "string": "hello",
    "string array": np.array(["a", "b"]),
    "namedtuple": Point(np.zeros(1), 2),
}


@pytest.mark.parametrize("name", list(CONVERT))
def test_default_convert_matches_torch(name):
    sample = CONVERT[name]
    ours, theirs = default_convert(sample), torch_convert(sample)
    if isinstance(theirs, np.ndarray):
        assert ours is sample
    else:
        same(ours, theirs)
