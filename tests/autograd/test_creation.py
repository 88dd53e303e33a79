"""jaring/autograd/creation.py: tensor factories with jaring's dtype rules and seeds."""

import numpy as np
import pytest
import torch

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


# ----- linspace and randint (issue 13) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "steps"), [(0, 1, 5), (-2.5, 3, 7), (1, 1, 1), (0, 1, 0), (3, -1, 4)]
)
def test_linspace_matches_torch(start, end, steps):
    got = jaring.linspace(start, end, steps)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got.numpy(), torch.linspace(start, end, steps).numpy(), rtol=1e-6, atol=1e-6)


def test_randint_is_seeded_and_in_range():
    a = jaring.randint(0, 10, (3, 4), seed=1)
    assert a.dtype == np.int64 and a.shape == (3, 4)
    assert np.array_equal(a.numpy(), jaring.randint(10, (3, 4), seed=1).numpy())
    assert a.numpy().min() >= 0 and a.numpy().max() < 10
    jaring.manual_seed(5)
    first = jaring.randint(-3, 3, (20,))
    jaring.manual_seed(5)
    assert np.array_equal(first.numpy(), jaring.randint(-3, 3, (20,)).numpy())


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="linspace: steps must be an integer >= 0"):
        jaring.linspace(0, 1, -1)
    with pytest.raises(ValueError, match=r"randint: high \(2\) must be larger than low \(2\)"):
        jaring.randint(2, 2, (1,))
    with pytest.raises(TypeError, match="randint needs a size"):
        jaring.randint(5)


@pytest.mark.parametrize(
    "draw",
    [
        lambda **kw: jaring.rand(2, 3, **kw),
        lambda **kw: jaring.randn(2, 3, **kw),
        lambda **kw: jaring.randint(0, 7, (2, 3), **kw),
    ],
)
def test_torch_generator_keyword_draws_as_the_same_seed_does(draw):
    # torch's `generator=` takes a jaring.Generator (or anything seed= takes): same seed, same draws
    g = jaring.Generator().manual_seed(5)
    first = draw(generator=g).numpy()
    second = draw(generator=g).numpy()
    assert not np.array_equal(first, second)  # the generator moves on between draws
    g.manual_seed(5)
    np.testing.assert_array_equal(draw(generator=g).numpy(), first)
    np.testing.assert_array_equal(draw(generator=np.random.default_rng(1)).numpy(), draw(seed=1).numpy())
    with pytest.raises(TypeError, match="not both"):
        draw(seed=1, generator=g)
