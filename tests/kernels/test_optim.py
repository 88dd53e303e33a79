"""jaring/kernels/optim.py: the flat views the fused updates run on, and that the optimizers use them."""

import numpy as np
import pytest

import jaring
from jaring import kernels
from jaring.kernels import optim as fused
from jaring.optim import SGD, Adam, AdamW, RMSprop


def test_flat_views_follow_memory_order_and_share_memory():
    c = np.arange(6.0).reshape(2, 3)
    f = np.asfortranarray(c)
    (fc,) = fused.flat(c)
    ff, ff2 = fused.flat(f, f.copy(order="F"))
    np.testing.assert_array_equal(fc, c.ravel(order="C"))
    np.testing.assert_array_equal(ff, f.ravel(order="F"))
    assert np.shares_memory(fc, c) and np.shares_memory(ff, f)


@pytest.mark.parametrize(
    "arrays",
    [
        (np.zeros((2, 3)), np.zeros((2, 3), order="F")),  # different memory orders
        (np.zeros((2, 3)), np.zeros((2, 3), np.float32)),  # different dtypes
        (np.zeros((2, 3)), np.zeros((3, 2))),  # different shapes
        (np.zeros((4, 3))[::2],),  # not contiguous
    ],
)
def test_flat_refuses_arrays_it_cannot_run_in_step(arrays):
    assert fused.flat(*arrays) is None


@pytest.mark.parametrize("cls", [SGD, Adam, AdamW, RMSprop])
@pytest.mark.parametrize("order", ["C", "F"])
def test_kernel_and_reference_agree_and_the_kernel_really_runs(cls, order, monkeypatch):
    rng = np.random.default_rng(0)
    init = np.asarray(rng.standard_normal((5, 7)).astype(np.float32), order=order)
    grads = [np.asarray(rng.standard_normal((5, 7)).astype(np.float32), order=order) for _ in range(4)]
    results, calls = {}, []
    original = cls._fused
    monkeypatch.setattr(cls, "_fused", lambda *a: calls.append(1) or original(*a))
    for mode in kernels.MODES:
        w = jaring.tensor(init.copy(order=order), requires_grad=True)
        opt = cls([w], lr=0.01) if cls is not SGD else cls([w], lr=0.01, momentum=0.9)
        with kernels.use(mode):
            for g in grads:
                w.grad = jaring.tensor(g)
                opt.step()
        results[mode] = w.numpy()
    assert len(calls) == len(grads)  # once per step in "numba" mode, never in "numpy" mode
    np.testing.assert_allclose(results["numba"], results["numpy"], rtol=1e-6, atol=1e-6)


def test_a_gradient_in_another_memory_order_falls_back_to_the_reference():
    w = jaring.tensor(np.zeros((3, 4), np.float32, order="F"), requires_grad=True)
    w.grad = jaring.tensor(np.ones((3, 4), np.float32))
    Adam([w], lr=0.1).step()
    np.testing.assert_allclose(w.numpy(), -0.1, rtol=1e-6)


def _subnormal(a: np.ndarray) -> np.ndarray:
    return (a != 0) & (np.abs(a) < np.finfo(a.dtype).tiny)


# (optimizer, its options, a first gradient whose state then decays into the subnormal range
# within `steps` zero-gradient steps); each gradient scaled for float32 and float64 separately.
DECAYING = [
    (SGD, {"lr": 0.01, "momentum": 0.9}, {np.float32: 1e-31, np.float64: 1e-301}, 200),
    (Adam, {"lr": 0.01}, {np.float32: 1e-30, np.float64: 1e-300}, 200),
    (RMSprop, {"lr": 0.01, "centered": True, "momentum": 0.9}, {np.float32: 1e-17, np.float64: 1e-152}, 600),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("cls", "options", "first_grad", "steps"), DECAYING)
def test_the_kernels_flush_decaying_state_to_zero_and_the_parameters_do_not_notice(
    cls, options, first_grad, steps, dtype
):
    states, params = {}, {}
    for mode in kernels.MODES:
        w = jaring.tensor(np.linspace(-1, 1, 6, dtype=dtype), requires_grad=True)
        opt = cls([w], **options)
        with kernels.use(mode):
            for step in range(steps):
                w.grad = jaring.tensor(np.full(6, first_grad[dtype] if step == 0 else 0, dtype))
                opt.step()
        states[mode] = [a for a in opt.state[w].values() if isinstance(a, np.ndarray)]
        params[mode] = w.numpy()
    # The reference keeps PyTorch's subnormals, so the run reached them ...
    assert any(_subnormal(a).any() for a in states["numpy"])
    # ... where the kernels store zeros instead, and the parameters come out the same.
    assert not any(_subnormal(a).any() for a in states["numba"])
    assert any((a == 0).all() for a in states["numba"])
    np.testing.assert_array_equal(params["numba"], params["numpy"])


def test_flushing_keeps_nan_and_infinity():
    for value in (np.nan, np.inf):
        w = jaring.tensor(np.zeros(3, np.float32), requires_grad=True)
        opt = SGD([w], lr=0.1, momentum=0.9)
        for g in (value, 0.0):
            w.grad = jaring.tensor(np.full(3, g, np.float32))
            opt.step()
        buf = opt.state[w]["momentum_buffer"]
        assert np.isnan(buf).all() if np.isnan(value) else np.isinf(buf).all()
