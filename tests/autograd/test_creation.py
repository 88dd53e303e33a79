"""jaring/autograd/creation.py: tensor factories with jaring's dtype rules and seeds."""

import numpy as np
import pytest

import jaring


def test_factories_make_the_default_float_dtype_and_honour_requires_grad():
    for t in (jaring.zeros(2, 3), jaring.ones((2, 3)), jaring.full((2, 3), 1.5), jaring.eye(2, 3)):
        assert t.shape == (2, 3) and t.dtype == np.float32
    assert jaring.zeros(2, requires_grad=True).requires_grad
    np.testing.assert_array_equal(jaring.full((2,), 1.5).numpy(), [1.5, 1.5])
    like = jaring.ones_like(jaring.zeros(4, dtype=np.float64))
    assert like.dtype == np.float64 and like.numpy().sum() == 4


def test_arange_keeps_integers_and_random_tensors_follow_their_seed():
    assert jaring.arange(3).dtype == np.int64 and jaring.arange(0.0, 1.0, 0.5).dtype == np.float32
    np.testing.assert_array_equal(jaring.randn(3, seed=1).numpy(), jaring.randn(3, seed=1).numpy())
    u = jaring.rand(1000, seed=0).numpy()
    assert 0 <= u.min() and u.max() < 1


def test_bad_shapes_are_refused():
    with pytest.raises((TypeError, ValueError)):
        jaring.zeros(2, -1)


def test_tensor_copies_the_array_so_later_writes_cannot_change_gradients():
    array = np.array([1.0, 2.0, 3.0], np.float32)
    w = jaring.tensor([1.0, 1.0, 1.0], requires_grad=True)
    x = jaring.tensor(array)
    out = (w * x).sum()
    array[:] = 100.0  # torch.tensor copies too: the forward's inputs are not the caller's memory
    out.backward()
    np.testing.assert_array_equal(x.numpy(), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(w.grad.numpy(), [1.0, 2.0, 3.0])
    source = jaring.tensor([4.0, 5.0])
    copied = jaring.tensor(source)
    assert copied.data is not source.data
    assert not np.shares_memory(jaring.tensor(array, dtype="float32").data, array)
    column_major = np.asfortranarray(np.ones((3, 2), np.float32))
    assert jaring.tensor(column_major).data.flags["F_CONTIGUOUS"]  # the copy keeps the layout


def test_from_numpy_shares_memory_and_dtype():
    array = np.arange(3, dtype=np.float64)
    t = jaring.from_numpy(array)
    assert t.dtype == np.float64 and np.shares_memory(t.data, array)
    array[0] = 7.0
    assert t.numpy()[0] == 7.0
    with pytest.raises(TypeError, match="from_numpy: expected a NumPy ndarray, got list"):
        jaring.from_numpy([1.0, 2.0])


def test_as_tensor_shares_when_it_can_and_converts_otherwise():
    array = np.ones(3, np.float32)
    assert np.shares_memory(jaring.as_tensor(array).data, array)
    assert np.shares_memory(jaring.as_tensor(array, dtype="float32").data, array)
    assert not np.shares_memory(jaring.as_tensor(array, dtype="float64").data, array)
    t = jaring.tensor([1.0], requires_grad=True)
    assert jaring.as_tensor(t) is t
    assert jaring.as_tensor([1.0, 2.0]).dtype == np.float32


def test_empty_is_reproducible_zeros_of_the_asked_shape():
    out = jaring.empty(2, 3, dtype="float64", requires_grad=True)
    assert out.shape == (2, 3) and out.dtype == np.float64 and out.requires_grad
    np.testing.assert_array_equal(out.numpy(), np.zeros((2, 3)))
    like = jaring.empty_like(jaring.tensor([1, 2]))
    assert like.shape == (2,) and like.dtype == np.int64
