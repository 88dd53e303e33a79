"""jaring/backend.py: the default dtype, the array-module switch and device moves (CPU side)."""

import numpy as np
import pytest

import jaring
from jaring import backend


def test_default_dtype_is_float32_and_only_floats_are_accepted():
    assert backend.get_default_dtype() == np.float32
    backend.set_default_dtype(np.float64)
    try:
        assert jaring.tensor([1.0]).dtype == np.float64
    finally:
        backend.set_default_dtype(np.float32)
    with pytest.raises(TypeError, match="default dtype must be a floating type, got int64"):
        backend.set_default_dtype(np.int64)


def test_numpy_arrays_stay_on_the_cpu():
    a = np.ones(3)
    assert backend.array_module(a, 1.0) is np and not backend.is_cupy_array(a)
    assert backend.device_of(a) == "cpu" and backend.to_device(a, "cpu") is a
    assert backend.to_numpy(a) is a
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        backend.to_device(a, "tpu")


def test_column_major_means_fortran_order_only():
    square = np.zeros((3, 4))
    assert not backend.is_column_major(square) and backend.is_column_major(np.asfortranarray(square))
    assert not backend.is_column_major(np.zeros(3))  # 1-d arrays are both orders at once


def test_layout_helpers_follow_the_array_they_are_given():
    c = np.arange(6.0).reshape(2, 3)
    f = backend.linear_weight(c)
    assert backend.is_column_major(f) and np.array_equal(f, c)
    assert backend.is_column_major(backend.in_order_of(f, c)) and not backend.is_column_major(
        backend.in_order_of(c, f)
    )
    a, b = np.arange(8.0).reshape(2, 4), np.arange(12.0).reshape(4, 3)
    for like in (c, f):
        product = backend.matmul_in_order_of(like, a, b)
        assert np.array_equal(product, a @ b) and product.flags.f_contiguous == like.flags.f_contiguous
        view = backend.shaped_like(np.arange(10.0), like)
        assert view.shape == like.shape and view.flags.f_contiguous == like.flags.f_contiguous
