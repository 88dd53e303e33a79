"""Compiled conv2d kernels against the array reference and PyTorch: values and gradients of x, weight
and bias, both dtypes, with and without the fused ReLU, on channels-last and C-contiguous input."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from jaring import kernels
from jaring.kernels import conv as conv_kernels
from jaring.ops import conv as conv_ops
from jaring.ops import conv_columns
from jaring.ops import conv_winograd
from jaring.ops.geometry import pair, resolve_padding
from tests.kernels.counting import count_calls

CASES = [
    # (batch, in, out, H, W, kernel, stride, padding, dilation)
    (2, 3, 4, 7, 6, 3, 1, 1, 1),
    (2, 4, 3, 9, 8, 3, 2, 1, 1),  # stride 2
    (1, 3, 4, 9, 9, 3, 1, 2, 2),  # dilation 2, one image
    (2, 2, 3, 8, 7, (2, 3), 1, (0, 1, 2, 0), 1),  # asymmetric padding
    (2, 3, 2, 7, 7, 4, 1, "same", 1),  # even kernel: the odd pixel of padding at the end
    (3, 1, 2, 1, 5, (1, 3), 1, "same", 1),  # one channel, one row
    (2, 5, 1, 6, 6, 1, 1, 0, 1),  # 1x1 kernel, one output channel
    (2, 3, 4, 5, 5, 1, 2, 0, 1),  # 1x1 kernel, stride 2
    (2, 2, 3, 9, 10, 3, (2, 1), "same", (1, 2)),
    (2, 16, 8, 6, 6, 3, 1, 1, 1),  # enough channels for the im2col kernel at its default threshold
]
KERNELS = ("im2col", "im2col_rows", "bias_relu", "col2im", "relu_backward")


@pytest.fixture
def calls(monkeypatch):
    """How often each conv kernel ran: the tests check that the compiled path was taken."""
    return count_calls(monkeypatch, conv_kernels, list(KERNELS))


def _data(n, c, o, h, w, k, dtype, channels_last):
    kh, kw = pair(k, "kernel")
    rng = np.random.default_rng(n * 100 + c * 10 + o)
    x = rng.uniform(-2, 2, (n, c, h, w)).astype(dtype)
    if channels_last:  # the layout convolutions and Conv2D's channels-last input give
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    return x, rng.uniform(-1, 1, (o, c, kh, kw)).astype(dtype), rng.uniform(-1, 1, o).astype(dtype)


def _jaring(x, weight, bias, s, p, d, relu, mode):
    """Output and the gradients of x, weight and bias (when given) under `mode`."""
    with kernels.use(mode):
        tensors = [jaring.tensor(a, requires_grad=True) for a in (x, weight, bias) if a is not None]
        out = F.conv2d(*tensors[:2], tensors[2] if bias is not None else None, s, p, d, relu=relu)
        upstream = np.cos(np.arange(out.size)).reshape(out.shape).astype(x.dtype)
        (out * jaring.tensor(upstream)).sum().backward()
        return [out.numpy()] + [t.grad.numpy() for t in tensors], upstream


def _torch(x, weight, bias, s, p, d, relu, upstream):
    top, bottom, left, right = resolve_padding(p, weight.shape[2:], pair(s, "s"), pair(d, "d"), x.shape[2:])
    tensors = [torch.tensor(a, requires_grad=True) for a in (x, weight, bias) if a is not None]
    padded = TF.pad(tensors[0], (left, right, top, bottom))
    out = TF.conv2d(padded, tensors[1], tensors[2] if bias is not None else None, s, 0, d)
    out = TF.relu(out) if relu else out
    (out * torch.tensor(upstream)).sum().backward()
    return [out.detach().numpy()] + [t.grad.numpy() for t in tensors]


@pytest.mark.parametrize("relu", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "n,c,o,h,w,k,s,p,d,channels_last", [(*case, i % 2 == 0) for i, case in enumerate(CASES)]
)
def test_conv_kernels_match_reference_and_torch(
    monkeypatch, calls, n, c, o, h, w, k, s, p, d, channels_last, dtype, relu
):
    # every case through the im2col kernel, not only those with its default 16+ channels, and
    # none through the Winograd path (tests/kernels/test_winograd.py)
    monkeypatch.setattr(conv_columns, "_COMPILED_IM2COL_CHANNELS", 1)
    monkeypatch.setattr(conv_winograd, "_CHANNELS", 1 << 30)
    x, weight, bias = _data(n, c, o, h, w, k, dtype, channels_last)
    compiled, upstream = _jaring(x, weight, bias, s, p, d, relu, "numba")
    assert calls == {
        "im2col": 1,
        "im2col_rows": 0,
        "bias_relu": int(relu),
        "col2im": 1,
        "relu_backward": int(relu),
    }
    reference, _ = _jaring(x, weight, bias, s, p, d, relu, "numpy")
    assert calls["im2col"] == 1  # the reference ran without the kernels
    expected = _torch(x, weight, bias, s, p, d, relu, upstream)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_array_equal(compiled[0], reference[0])  # the same GEMM on the same columns
    for got, ref, want in zip(compiled, reference, expected):
        assert got.dtype == dtype
        np.testing.assert_allclose(got, ref, rtol=tol, atol=tol)
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


@pytest.mark.parametrize("relu", [True, False])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("input_grad", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_small_weight_gradient_is_summed_over_pieces(monkeypatch, calls, relu, bias, input_grad, dtype):
    # a small weight's gradient (here 3*3*3*8 values) is summed over pieces of 256 output pixels
    # (the least piece; its budget of multiply-adds made tiny): 528 pixels give two whole pieces
    # and a ragged one, each with its own pass of the ReLU's mask and bias sums
    monkeypatch.setattr(conv_columns, "_PIECE_WORK", 1)
    results, by_pieces = [], conv_columns.weight_gradient_by_pieces
    monkeypatch.setattr(
        conv_columns, "weight_gradient_by_pieces", lambda *a: results.append(by_pieces(*a)) or results[-1]
    )
    x, weight, b = _data(4, 3, 8, 12, 11, 3, dtype, True)
    b = b if bias else None
    with kernels.use("numba"):
        tensors = [jaring.tensor(x, requires_grad=input_grad), jaring.tensor(weight, requires_grad=True)]
        tensors.append(None if b is None else jaring.tensor(b, requires_grad=True))
        out = F.conv2d(*tensors, 1, "same", relu=relu)
        upstream = np.cos(np.arange(out.size)).reshape(out.shape).astype(dtype)
        (out * jaring.tensor(upstream)).sum().backward()
    assert len(results) == 1 and results[0] is not None and calls["relu_backward"] == 3 * relu
    expected = _torch(x, weight, b, 1, "same", 1, relu, upstream)
    got = [None if t is None or t.grad is None else t.grad.numpy() for t in tensors]
    tol = 1e-4 if dtype == np.float32 else 1e-10
    assert (got[0] is not None) == input_grad
    for g, want in zip([out.numpy()] + got, expected):  # torch's: every input's gradient
        if g is not None:
            assert g.dtype == dtype
            np.testing.assert_allclose(g, want, rtol=tol, atol=tol)
    assert got[1].shape == weight.shape and (got[2] is None) == (b is None)


@pytest.mark.parametrize("dilation", [1, (2, 1), (1, 2)])
def test_few_channels_copy_window_rows_instead_of_the_im2col_kernel(calls, dilation):
    # under 16 channels each window row's kw*C values are copied as one run (im2col_rows),
    # unless the kernel is dilated across a row: then NumPy copies the window view
    x, weight, bias = _data(2, 3, 4, 7, 6, 3, np.float32, True)
    got, upstream = _jaring(x, weight, bias, 1, 1, dilation, True, "numba")
    rows = int(pair(dilation, "dilation")[1] == 1)
    assert calls == {"im2col": 0, "im2col_rows": rows, "bias_relu": 1, "col2im": 1, "relu_backward": 1}
    for a, b in zip(got, _torch(x, weight, bias, 1, 1, dilation, True, upstream)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_relu_without_bias_and_col2im_in_batch_chunks(monkeypatch, calls):
    # a tiny cache budget makes every image its own chunk of the compiled col2im
    monkeypatch.setattr(conv_ops, "_CACHE_BYTES", 1)
    x, weight, _ = _data(3, 16, 5, 7, 6, 3, np.float32, True)
    compiled, upstream = _jaring(x, weight, None, 2, "same", 1, True, "numba")
    assert calls == {"im2col": 1, "im2col_rows": 0, "bias_relu": 0, "col2im": 3, "relu_backward": 1}
    for got, want in zip(compiled, _torch(x, weight, None, 2, "same", 1, True, upstream)):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("grad", ["disabled", "not required", "required"])
@pytest.mark.parametrize(("bias", "relu"), [(False, True), (True, False), (True, True), (False, False)])
def test_without_a_gradient_to_come_the_forward_runs_in_batch_chunks(monkeypatch, calls, bias, relu, grad):
    # a tiny budget makes every image its own chunk of columns (GEMM, bias and ReLU), for
    # outputs no gradient will be taken of: under no_grad, or when no input requires one
    monkeypatch.setattr(conv_columns, "_COLUMN_BYTES", 1)
    x, weight, b = _data(3, 16, 5, 7, 6, 3, np.float32, True)
    b = b if bias else None
    with kernels.use("numba"), jaring.set_grad_enabled(grad != "disabled"):
        w = jaring.tensor(weight, requires_grad=grad == "required")
        out = F.conv2d(jaring.tensor(x), w, None if b is None else jaring.tensor(b), 2, "same", relu=relu)
    if grad == "required":  # the whole matrix, kept for the weight gradient
        assert calls == {
            "im2col": 1, "im2col_rows": 0, "bias_relu": int(bias and relu), "col2im": 0, "relu_backward": 0
        }  # fmt: skip
    else:
        assert calls == {
            "im2col": 3, "im2col_rows": 0, "bias_relu": 3 * (bias and relu), "col2im": 0, "relu_backward": 0
        }  # fmt: skip
    want = _torch(x, weight, b, 2, "same", 1, relu, np.zeros(out.shape, np.float32))[0]
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n,c,o,h,w,k,s,p,d", [case for case in CASES if case[1] < 16])
def test_few_channels_without_a_gradient_to_come_copy_window_rows_in_chunks(
    monkeypatch, calls, n, c, o, h, w, k, s, p, d, dtype
):
    # under 16 channels the columns are copied a window row at a time (im2col_rows; NumPy's copy
    # of the window view when dilated across a row), one image per chunk here, each with its own
    # GEMM and fused bias + ReLU
    monkeypatch.setattr(conv_columns, "_COLUMN_BYTES", 1)
    x, weight, bias = _data(n, c, o, h, w, k, dtype, True)
    with kernels.use("numba"), jaring.no_grad():
        out = F.conv2d(jaring.tensor(x), jaring.tensor(weight), jaring.tensor(bias), s, p, d, relu=True)
    rows = n if pair(d, "dilation")[1] == 1 else 0
    assert calls == {"im2col": 0, "im2col_rows": rows, "bias_relu": n, "col2im": 0, "relu_backward": 0}
    want = _torch(x, weight, bias, s, p, d, True, np.zeros(out.shape, dtype))[0]
    tol = 1e-4 if dtype == np.float32 else 1e-10
    assert out.dtype == dtype
    np.testing.assert_allclose(out.numpy(), want, rtol=tol, atol=tol)


def test_mixed_dtypes_keep_the_reference_forward(calls):
    # a float32 bias on float64 data: the forward promotes as NumPy does (the backward's arrays
    # are all float64 again, so it may take the kernels)
    x, weight, bias = _data(2, 16, 4, 6, 6, 3, np.float64, True)
    compiled, _ = _jaring(x, weight, bias.astype(np.float32), 1, 1, 1, True, "numba")
    assert calls["im2col"] == calls["bias_relu"] == 0
    reference, _ = _jaring(x, weight, bias.astype(np.float32), 1, 1, 1, True, "numpy")
    np.testing.assert_array_equal(compiled[0], reference[0])
    for got, ref in zip(compiled, reference):
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12)


def test_fused_relu_kernel_keeps_nan_as_np_maximum_does():
    x = np.full((1, 16, 3, 3), np.nan, dtype=np.float32)
    weight, bias = np.ones((2, 16, 1, 1), np.float32), np.zeros(2, np.float32)
    with kernels.use("numba"):
        out = F.conv2d(jaring.tensor(x), jaring.tensor(weight), jaring.tensor(bias), relu=True).numpy()
    assert np.isnan(out).all()


@pytest.mark.parametrize("forward_mode,backward_mode", [("numba", "numpy"), ("numpy", "numba")])
def test_either_backward_takes_either_forwards_context(forward_mode, backward_mode):
    x, weight, bias = _data(2, 16, 4, 6, 5, 3, np.float32, True)
    expected, upstream = _jaring(x, weight, bias, 2, 1, 1, True, "numpy")
    with kernels.use(forward_mode):
        tensors = [jaring.tensor(a, requires_grad=True) for a in (x, weight, bias)]
        out = F.conv2d(*tensors, 2, 1, relu=True)
    with kernels.use(backward_mode):
        (out * jaring.tensor(upstream)).sum().backward()
    for got, want in zip([out.numpy()] + [t.grad.numpy() for t in tensors], expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


DIRECT_CASES = [
    # (batch, in, out, H, W, kernel, stride, padding, dilation): a first layer's few channels
    # into multiples of 32; widths that 4 does not divide make each row's last tile of pixels
    # overlap the one before
    (2, 3, 32, 9, 10, 3, 1, 1, 1),
    (2, 1, 32, 6, 4, 3, 1, "same", 1),  # one tile a row
    (1, 3, 64, 7, 13, 3, 2, 1, 1),  # two blocks of output channels, stride 2
    (2, 2, 32, 9, 11, (3, 2), 1, (0, 1, 2, 0), (2, 1)),  # asymmetric kernel, padding, dilation
    (2, 3, 32, 8, 9, 1, 1, 0, 1),  # 1x1 kernel
    (2, 1, 32, 12, 12, 5, (1, 2), "same", 1),
]


def _inference(arrays, s, p, d, relu, mode):
    """conv2d's output under no_grad and `mode` for x, weight and (when given) bias."""
    with kernels.use(mode), jaring.no_grad():
        x, weight, *bias = (jaring.tensor(a) for a in arrays)
        return F.conv2d(x, weight, bias[0] if bias else None, s, p, d, relu=relu).numpy()


@pytest.fixture
def direct_calls(monkeypatch):
    return count_calls(monkeypatch, conv_kernels, ["direct_conv", "im2col", "bias_relu"])


@pytest.mark.parametrize("bias,relu", [(True, True), (False, True), (True, False)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "n,c,o,h,w,k,s,p,d,channels_last", [(*case, i % 2 == 0) for i, case in enumerate(DIRECT_CASES)]
)
def test_few_channels_into_blocks_of_32_take_the_direct_kernel(
    direct_calls, n, c, o, h, w, k, s, p, d, channels_last, dtype, bias, relu
):
    x, weight, b = _data(n, c, o, h, w, k, dtype, channels_last)
    arrays = [x, weight] + ([b] if bias else [])
    out = _inference(arrays, s, p, d, relu, "numba")
    assert direct_calls == {"direct_conv": 1, "im2col": 0, "bias_relu": 0}
    reference = _inference(arrays, s, p, d, relu, "numpy")
    assert direct_calls["direct_conv"] == 1  # the reference ran without it
    want = _torch(x, weight, b if bias else None, s, p, d, relu, np.zeros(out.shape, dtype))[0]
    tol = 1e-5 if dtype == np.float32 else 1e-12
    assert out.dtype == dtype and out.shape == want.shape
    np.testing.assert_allclose(out, want, rtol=tol, atol=tol)
    np.testing.assert_allclose(out, reference, rtol=tol, atol=tol)


@pytest.mark.parametrize(
    "c,o,w,grad,why",
    [
        (3, 48, 8, False, "output channels not a multiple of 32"),
        (3, 32, 3, False, "output narrower than a tile of 4 pixels"),
        (8, 64, 8, False, "too much work per pixel: the GEMM wins"),
        (3, 32, 8, True, "a gradient to come: the columns are kept for the weight gradient"),
    ],
)
def test_other_convolutions_keep_im2col_and_a_gemm(direct_calls, c, o, w, grad, why):
    x, weight, b = _data(2, c, o, 6, w, 3, np.float32, True)
    with kernels.use("numba"):
        tensors = [jaring.tensor(x, requires_grad=grad), jaring.tensor(weight), jaring.tensor(b)]
        out = F.conv2d(*tensors, 1, 1, relu=True)
    assert direct_calls["direct_conv"] == 0, why
    assert direct_calls["bias_relu"] >= 1, why
    want = _torch(x, weight, b, 1, 1, 1, True, np.zeros(out.shape, np.float32))[0]
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-5, atol=1e-5)


def test_direct_kernel_keeps_nan_and_infinities_as_np_maximum_does(direct_calls):
    x = np.zeros((1, 3, 4, 8), np.float32)
    x[0, 0, 1, 2], x[0, 1, 2, 5] = np.nan, np.inf
    weight, bias = np.ones((32, 3, 1, 1), np.float32), np.zeros(32, np.float32)
    weight[1] = -1  # channel 1 sees -inf
    out = _inference([x, weight, bias], 1, 0, 1, True, "numba")
    assert direct_calls["direct_conv"] == 1
    np.testing.assert_array_equal(out, _inference([x, weight, bias], 1, 0, 1, True, "numpy"))
    assert np.isnan(out[0, :, 1, 2]).all() and out[0, 0, 2, 5] == np.inf and out[0, 1, 2, 5] == 0
