"""jaring/kernels/subnormals.py: flush-to-zero inside one kernel call, IEEE arithmetic outside it."""

import numpy as np
import pytest
from numba import njit

import jaring
from jaring import kernels
from jaring.kernels.subnormals import X86, flush_subnormals, restore_subnormals
from jaring.optim import SGD

TINY = np.finfo(np.float32).tiny  # the smallest normal float32, 1.2e-38


@njit
def _flushed_product(a, b, out):
    saved = flush_subnormals()
    out[0] = a[0] * b[0]  # a kernel's loop: loads, arithmetic and a store between the two calls
    restore_subnormals(saved)


@njit
def _plain_product(a, b, out):
    out[0] = a[0] * b[0]


def _product(a, b, flush):
    out = np.zeros(1, a.dtype)
    (_flushed_product if flush else _plain_product)(a, b, out)
    return out[0]


def _f32(value: float) -> np.ndarray:
    return np.array([value], np.float32)


@pytest.mark.skipif(not X86, reason="FTZ/DAZ are x86's MXCSR bits; elsewhere the calls do nothing")
def test_inside_the_call_subnormal_results_and_inputs_are_zero():
    # 1e-30 * 1e-10 = 1e-40 is subnormal: flushed to zero inside, kept without the call
    assert _product(_f32(1e-30), _f32(1e-10), True) == 0
    assert _product(_f32(1e-30), _f32(1e-10), False) == np.float32(1e-40)
    # a subnormal input (1e-40) reads as zero inside (DAZ), so the product is 0, not 1e-30
    assert _product(_f32(1e-40), _f32(1e10), True) == 0
    assert _product(_f32(1e-40), _f32(1e10), False) == pytest.approx(1e-30, rel=1e-2)


def test_the_register_is_restored_after_the_call():
    _product(_f32(1e-30), _f32(1e-10), True)
    # NumPy, in the same thread right after, still computes the subnormal product
    assert np.float32(1e-30) * np.float32(1e-10) == np.float32(1e-40) != 0
    assert _product(_f32(1e-30), _f32(1e-10), False) != 0


@pytest.mark.skipif(not X86, reason="FTZ/DAZ are x86's MXCSR bits; elsewhere the calls do nothing")
def test_an_update_below_the_smallest_normal_leaves_a_zero_weight_at_zero():
    # SGD's lr * g = 1e-41 is subnormal: the reference writes -1e-41 into a zero weight, the
    # kernel (flushing) keeps 0; on every other weight the two agree exactly.
    results = {}
    for mode in kernels.MODES:
        w = jaring.tensor(np.array([0.0, 1.0, -2.0], np.float32), requires_grad=True)
        opt = SGD([w], lr=1e-3)
        w.grad = jaring.tensor(np.array([1e-38, 1e-3, 5e-4], np.float32))
        with kernels.use(mode):
            opt.step()
        results[mode] = w.numpy()
    assert results["numba"][0] == 0 and 0 < -results["numpy"][0] < TINY
    np.testing.assert_array_equal(results["numba"][1:], results["numpy"][1:])
