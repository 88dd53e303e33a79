"""Tensor basics: creation, dtypes, attributes, conversion and the rules for integer tensors."""

import numpy as np
import pytest

import jaring


def test_default_dtype_is_float32_and_float64_on_request():
    assert jaring.tensor([1.0, 2.0]).dtype == np.float32
    assert jaring.tensor([1.0], dtype="float64").dtype == np.float64
    assert jaring.tensor(np.zeros(2)).dtype == np.float64  # NumPy arrays keep their dtype
    assert jaring.tensor([1, 2]).dtype == np.int64


def test_numpy_scalars_keep_their_dtype_as_in_torch():
    # np.float64 is also a Python float: it still makes a float64 tensor, as torch.tensor does
    for scalar in (np.float64(0.5), np.float16(2.0), np.int8(3), np.bool_(True)):
        t = jaring.tensor(scalar)
        assert t.dtype == scalar.dtype and t.shape == () and t.item() == scalar
    assert jaring.tensor(0.5).dtype == np.float32  # a Python float takes the default dtype


def test_set_default_dtype_changes_new_float_tensors():
    jaring.set_default_dtype("float64")
    try:
        assert jaring.tensor([1.0]).dtype == np.float64
        assert jaring.zeros(2).dtype == np.float64
    finally:
        jaring.set_default_dtype("float32")
    with pytest.raises(TypeError, match="floating"):
        jaring.set_default_dtype("int32")


def test_integer_tensors_refuse_requires_grad():
    with pytest.raises(TypeError, match="floating-point"):
        jaring.tensor([1, 2], requires_grad=True)
    with pytest.raises(TypeError, match="floating-point"):
        jaring.arange(3).requires_grad_()


def test_attributes():
    t = jaring.zeros(2, 3)
    assert t.shape == (2, 3) and t.ndim == 2 and t.size == 6 and len(t) == 2
    assert t.T.shape == (3, 2) and t.device == "cpu" and t.is_leaf
    assert jaring.tensor(3.5).item() == 3.5
    assert isinstance(t.numpy(), np.ndarray)
    assert t.tolist() == [[0.0] * 3] * 2


def test_item_needs_one_element():
    with pytest.raises(ValueError, match="one-element"):
        jaring.zeros(2).item()


def test_truth_value_of_many_elements_is_ambiguous():
    with pytest.raises(ValueError, match="ambiguous"):
        bool(jaring.zeros(2))
    assert bool(jaring.tensor([1.0]))


def test_creation_functions():
    assert jaring.ones((2, 2)).numpy().sum() == 4
    assert jaring.full((2,), 7.0).numpy().tolist() == [7.0, 7.0]
    assert jaring.arange(5).numpy().tolist() == [0, 1, 2, 3, 4]
    assert jaring.arange(0.0, 1.0, 0.5).dtype == np.float32
    np.testing.assert_array_equal(jaring.eye(3).numpy(), np.eye(3))
    assert jaring.zeros_like(jaring.ones(3)).numpy().sum() == 0
    with pytest.raises(ValueError, match="non-negative"):
        jaring.zeros(-1)


def test_random_creation_is_reproducible_from_seed_or_generator():
    a = jaring.randn(3, 4, seed=7).numpy()
    b = jaring.randn(3, 4, seed=7).numpy()
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float32
    g1, g2 = np.random.default_rng(1), np.random.default_rng(1)
    np.testing.assert_array_equal(jaring.rand(5, seed=g1).numpy(), jaring.rand(5, seed=g2).numpy())
    assert 0 <= jaring.rand(100, seed=0).numpy().min() and jaring.rand(100, seed=0).numpy().max() < 1
    jaring.manual_seed(3)
    c = jaring.randn(4).numpy()
    jaring.manual_seed(3)
    np.testing.assert_array_equal(c, jaring.randn(4).numpy())
    with pytest.raises(TypeError, match="seed"):
        jaring.randn(2, seed="x")


def test_comparisons_give_boolean_tensors_without_graph():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    mask = x > 1.5
    assert mask.dtype == bool and not mask.requires_grad
    assert (x == x).all() and (x != 3.0).all()


def test_repr_shows_data_and_grad_fn():
    x = jaring.tensor([1.0], requires_grad=True)
    assert "requires_grad=True" in repr(x)
    assert "grad_fn=<Mul>" in repr(x * x)
    w = jaring.tensor([[2.0]], requires_grad=True)
    assert "grad_fn=<LinearFunction>" in repr(jaring.functional.linear(x, w))  # the op, not nn.Linear


def test_strings_and_objects_are_refused():
    with pytest.raises(TypeError, match="numbers"):
        jaring.tensor(["a"])
    with pytest.raises(TypeError, match="stack"):
        jaring.tensor([jaring.ones(2), jaring.ones(2)])


def test_to_cpu_is_a_no_op_and_unknown_device_errors():
    x = jaring.ones(2)
    assert x.to("cpu") is x
    with pytest.raises(ValueError, match="unknown device"):
        x.to("tpu")
