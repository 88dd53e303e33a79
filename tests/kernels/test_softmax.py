"""Compiled softmax, log-softmax and cross-entropy rows against the array reference and PyTorch."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from jaring import kernels

SHAPES = [(1, 1), (1, 5), (4, 3), (64, 10), (3, 32), (2, 3, 4), (6,)]
DTYPES = [np.float32, np.float64]


@pytest.fixture
def calls(monkeypatch):
    """Counts the calls of each softmax kernel, so that a test knows the kernel path ran."""
    family = kernels.family("softmax")
    counts = {}
    for name in ("softmax_forward", "softmax_backward", "log_softmax_forward", "log_softmax_backward",
                 "cross_entropy_forward", "cross_entropy_backward"):  # fmt: skip
        kernel = getattr(family, name)

        def counted(*args, _kernel=kernel, _name=name):
            counts[_name] = counts.get(_name, 0) + 1
            return _kernel(*args)

        monkeypatch.setattr(family, name, counted)
    return counts


def _logits(shape, dtype):
    x = np.random.default_rng(sum(shape)).standard_normal(shape) * 3
    return x.astype(dtype)


def _upstream(shape, dtype):
    return np.cos(np.arange(int(np.prod(shape)))).reshape(shape).astype(dtype)


def _jaring(fn, x, mode, **kw):
    with kernels.use(mode):
        t = jaring.tensor(x, requires_grad=True)
        out = fn(t, **kw)
        (out * jaring.tensor(_upstream(out.shape, x.dtype))).sum().backward()
        return out.numpy(), t.grad.numpy()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_rows_match_reference_and_torch(name, shape, dtype, calls):
    x = _logits(shape, dtype)
    out, grad = _jaring(getattr(F, name), x, "numba", dim=-1)
    assert calls[f"{name}_forward"] == 1 and calls[f"{name}_backward"] == 1
    ref_out, ref_grad = _jaring(getattr(F, name), x, "numpy", dim=-1)
    t = torch.tensor(x, requires_grad=True)
    t_out = getattr(TF, name)(t, dim=-1)
    (t_out * torch.tensor(_upstream(t_out.shape, dtype))).sum().backward()
    tol = 1e-5 if dtype == np.float32 else 1e-12
    for ours in ((out, grad), (ref_out, ref_grad)):
        np.testing.assert_allclose(ours[0], t_out.detach().numpy(), rtol=tol, atol=tol)
        np.testing.assert_allclose(ours[1], t.grad.numpy(), rtol=tol, atol=tol)
    assert out.dtype == dtype and grad.dtype == dtype


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1, 1), (5, 3), (64, 10), (7, 32)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_matches_reference_and_torch(shape, dtype, reduction, smoothing, calls):
    x = _logits(shape, dtype)
    labels = np.random.default_rng(1).integers(0, shape[1], shape[0])
    kw = {"target": labels, "reduction": reduction, "label_smoothing": smoothing}
    out, grad = _jaring(F.cross_entropy, x, "numba", **kw)
    assert calls["cross_entropy_forward"] == 1 and calls["cross_entropy_backward"] == 1
    ref = _jaring(F.cross_entropy, x, "numpy", **kw)
    t = torch.tensor(x, requires_grad=True)
    t_out = TF.cross_entropy(t, torch.tensor(labels), reduction=reduction, label_smoothing=smoothing)
    (t_out * torch.tensor(_upstream(t_out.shape, dtype))).sum().backward()
    tol = 1e-5 if dtype == np.float32 else 1e-12
    for ours in ((out, grad), ref):
        np.testing.assert_allclose(ours[0], t_out.detach().numpy(), rtol=tol, atol=tol)
        np.testing.assert_allclose(ours[1], t.grad.numpy(), rtol=tol, atol=tol)


def test_extreme_and_nan_rows_behave_as_the_reference():
    x = np.array([[1000.0, -1000.0, 0.0], [np.nan, 1.0, 2.0], [-np.inf, 0.0, 1.0]])
    labels = np.array([0, 1, 2])
    cases = [(F.softmax, {"dim": -1}), (F.log_softmax, {"dim": -1})]
    cases.append((F.cross_entropy, {"target": labels, "reduction": "none"}))
    for fn, kw in cases:
        with np.errstate(all="ignore"):
            out, grad = _jaring(fn, x, "numba", **kw)
            ref_out, ref_grad = _jaring(fn, x, "numpy", **kw)
        np.testing.assert_allclose(out, ref_out, equal_nan=True)
        np.testing.assert_allclose(grad, ref_grad, equal_nan=True)
        assert np.isfinite(out[0]).all() and np.isnan(out[1]).all()


def test_long_strided_or_other_axis_rows_take_the_array_code(calls):
    wide = _logits((4, 33), np.float32)  # past the rows' length limit
    F.cross_entropy(jaring.tensor(wide), np.zeros(4, dtype=np.int64))
    F.softmax(jaring.tensor(wide), dim=-1)
    strided = jaring.tensor(_logits((4, 6), np.float32))[:, ::2]  # a view with a column stride
    F.softmax(strided, dim=-1)
    F.softmax(jaring.tensor(_logits((4, 3), np.float32)), dim=0)
    assert calls == {}


def test_kernel_rejects_labels_out_of_range():
    family = kernels.family("softmax")
    with pytest.raises(IndexError, match="out of range"):
        family.cross_entropy_forward(np.zeros((2, 3)), np.array([0, 3]), 0.0)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32, np.int64])
@pytest.mark.parametrize("shape", [(1,), (7,), (3, 5)])
def test_label_bounds_are_min_and_max(dtype, shape):
    info = np.iinfo(dtype)
    labels = np.random.default_rng(0).integers(max(info.min, -50), min(info.max, 50), shape).astype(dtype)
    for data in (labels, labels[..., ::2], labels.T):
        low, high = kernels.family("softmax").label_bounds(data)
        assert (low, high) == (data.min(), data.max())


@pytest.mark.parametrize("mode", kernels.MODES)
@pytest.mark.parametrize("ignore_index", [-100, 2, 9])
def test_ignore_index_without_weights_matches_torch(mode, ignore_index):
    # the label range is looked at first: -100 below it, 9 above it, 2 inside it; -100 also once
    # as a label, so the range that holds it is the one that is searched
    labels = np.array([0, 2, 1, 2, 3, -100 if ignore_index == -100 else 0])
    logits = np.random.default_rng(1).standard_normal((6, 4)).astype(np.float32)
    with kernels.use(mode):
        got = F.cross_entropy(jaring.tensor(logits), jaring.tensor(labels), ignore_index=ignore_index)
    want = TF.cross_entropy(torch.tensor(logits), torch.tensor(labels), ignore_index=ignore_index)
    np.testing.assert_allclose(got.item(), want.item(), rtol=1e-6)
