"""conv2d: values and gradients against PyTorch over strides, kernels, paddings and dilations."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given
from hypothesis import strategies as st

import jaring
import jaring.functional as F
from jaring.ops import conv as conv_ops
from jaring.ops.geometry import same_padding
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array

# PyTorch warns that it pads a copy for "same" with even kernels; that is its business.
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")


def _torch_conv(stride, padding, dilation, bias=True):
    """torch's conv2d, with a 4-tuple (top, bottom, left, right) done by an explicit F.pad."""

    def fn(x, w, *b):
        if isinstance(padding, tuple) and len(padding) == 4:
            top, bottom, left, right = padding
            x = TF.pad(x, (left, right, top, bottom))
            pad = 0
        else:
            pad = padding
        return TF.conv2d(x, w, b[0] if b else None, stride, pad, dilation)

    return fn


CASES = [
    # (batch, in, out, H, W, kernel, stride, padding, dilation)
    (1, 1, 1, 5, 5, 1, 1, 0, 1),
    (2, 3, 4, 7, 6, 3, 1, 1, 1),
    (4, 8, 2, 6, 6, 2, 2, 0, 1),
    (3, 2, 5, 9, 8, 4, 1, "same", 1),
    (2, 4, 3, 8, 8, 5, 1, "same", 1),
    (1, 3, 6, 10, 9, 6, 1, "same", 1),
    (2, 5, 3, 9, 9, 3, 2, "valid", 1),
    (2, 2, 2, 11, 10, (3, 5), (2, 1), (1, 2), 1),
    (1, 3, 4, 9, 9, 3, 1, 2, 2),
    (2, 2, 3, 10, 10, (2, 3), 1, "same", (2, 1)),
    (2, 1, 8, 6, 7, 6, 2, 3, 1),
    (1, 2, 2, 5, 4, 2, 2, (0, 1, 1, 0), 1),
    (2, 3, 2, 4, 5, 1, 1, 2, 1),  # padding wider than the kernel reaches
    (1, 2, 3, 5, 6, (2, 3), 1, (3, 0, 0, 3), 1),
]


@pytest.mark.parametrize("n,c,o,h,w,k,s,p,d", CASES)
def test_conv2d_matches_torch(n, c, o, h, w, k, s, p, d):
    kh, kw = (k, k) if isinstance(k, int) else k
    x, weight, bias = random_array((n, c, h, w), 1), random_array((o, c, kh, kw), 2), random_array((o,), 3)
    compare_with_torch(
        lambda a, b, e: F.conv2d(a, b, e, s, p, d),
        _torch_conv(s, p, d),
        [x, weight, bias],
        rtol=1e-4,
        atol=1e-4,
    )


@pytest.mark.parametrize("n,c,o,h,w,k,s,p,d", [CASES[i] for i in (0, 2, 5, 7)])
def test_input_gradient_in_batch_chunks_matches_torch(monkeypatch, n, c, o, h, w, k, s, p, d):
    # col2im works through the batch a few images at a time; a tiny cache budget makes every
    # image its own chunk, so the chunk boundaries are exercised.
    monkeypatch.setattr(conv_ops, "_CACHE_BYTES", 1)
    n = n + 2
    kh, kw = (k, k) if isinstance(k, int) else k
    x, weight = random_array((n, c, h, w), 1), random_array((o, c, kh, kw), 2)
    compare_with_torch(
        lambda a, b: F.conv2d(a, b, None, s, p, d), _torch_conv(s, p, d), [x, weight], rtol=1e-4, atol=1e-4
    )


@st.composite
def conv_cases(draw):
    kh, kw = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    dil = draw(st.integers(1, 2))
    stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    mode = draw(st.sampled_from(["valid", "same", "int"]))
    pad = draw(st.integers(0, 2)) if mode == "int" else mode
    if mode == "same":
        stride = (1, 1)  # PyTorch allows "same" with stride 1 only
    extra_h, extra_w = draw(st.integers(0, 4)), draw(st.integers(0, 4))
    h, w = dil * (kh - 1) + 1 + extra_h, dil * (kw - 1) + 1 + extra_w
    shape = (draw(st.integers(1, 4)), draw(st.integers(1, 8)), h, w)
    return shape, draw(st.integers(1, 8)), (kh, kw), stride, pad, dil


@pytest.mark.slow
@FAST
@given(case=conv_cases())
def test_conv2d_random_geometry_matches_torch(case):
    shape, out, kernel, stride, pad, dil = case
    x = random_array(shape, 4)
    weight = random_array((out, shape[1]) + kernel, 5)
    compare_with_torch(
        lambda a, b: F.conv2d(a, b, None, stride, pad, dil),
        lambda a, b: TF.conv2d(a, b, None, stride, pad, dil),
        [x, weight],
        rtol=1e-4,
        atol=1e-4,
    )


@pytest.mark.parametrize("size,kernel,stride", [(7, 2, 2), (8, 3, 2), (5, 4, 3), (6, 1, 2), (9, 6, 2)])
def test_same_padding_with_stride_follows_tensorflow(size, kernel, stride):
    """Output ceil(size / stride); the odd pixel of padding at the bottom/right."""
    top, bottom = same_padding(size, kernel, stride, 1)
    assert bottom - top in (0, 1)
    x, weight = random_array((2, 3, size, size), 6), random_array((4, 3, kernel, kernel), 7)
    out = F.conv2d(jaring.tensor(x), jaring.tensor(weight), stride=stride, padding="same")
    assert out.shape == (2, 4, -(-size // stride), -(-size // stride))
    compare_with_torch(
        lambda a, b: F.conv2d(a, b, None, stride, "same"),
        _torch_conv(stride, (top, bottom, top, bottom), 1),
        [x, weight],
        rtol=1e-4,
        atol=1e-4,
    )


def test_first_layer_skips_input_gradient_and_accepts_channels_last_memory():
    x = random_array((2, 5, 5, 3), 8).transpose(0, 3, 1, 2)  # NCHW shape, NHWC memory
    weight = jaring.tensor(random_array((4, 3, 3, 3), 9), requires_grad=True)
    out = F.conv2d(jaring.tensor(x), weight, padding=1)
    out.sum().backward()
    tw = torch.tensor(weight.numpy(), requires_grad=True)
    TF.conv2d(torch.tensor(np.ascontiguousarray(x)), tw, padding=1).sum().backward()
    np.testing.assert_allclose(
        out.numpy(), TF.conv2d(torch.tensor(x.copy()), tw.detach(), padding=1), atol=1e-5
    )
    np.testing.assert_allclose(weight.grad.numpy(), tw.grad.numpy(), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize(
    "k,s,p,d", [(3, 1, 1, 1), (2, 2, "same", 1), ((2, 3), (1, 2), (1, 0, 0, 2), 1), (2, 1, 1, 2)]
)
def test_conv2d_gradcheck_float64(k, s, p, d):
    kh, kw = (k, k) if isinstance(k, int) else k
    x = random_array((2, 2, 5, 5), 10).astype(np.float64)
    weight = random_array((3, 2, kh, kw), 11).astype(np.float64)
    bias = random_array((3,), 12).astype(np.float64)
    check_gradients(lambda a, b, e: F.conv2d(a, b, e, s, p, d), [x, weight, bias])


def test_conv2d_keeps_float32():
    out = F.conv2d(jaring.ones(1, 2, 4, 4), jaring.ones(3, 2, 3, 3), jaring.zeros(3))
    assert out.dtype == np.float32


def test_channel_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"3 channels.*expects 2.*\(1, 3, 5, 5\).*\(4, 2, 3, 3\)"):
        F.conv2d(jaring.ones(1, 3, 5, 5), jaring.ones(4, 2, 3, 3))


def test_kernel_larger_than_padded_input():
    with pytest.raises(ValueError, match=r"window 5x5 is larger than the padded input 4x4"):
        F.conv2d(jaring.ones(1, 1, 2, 2), jaring.ones(1, 1, 5, 5), padding=1)
    with pytest.raises(ValueError, match=r"window 5x5"):  # dilation 2 turns a 3x3 kernel into 5x5
        F.conv2d(jaring.ones(1, 1, 4, 4), jaring.ones(1, 1, 3, 3), dilation=2)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"padding": "full"}, "'valid', 'same'"),
        ({"padding": -1}, "padding must be at least 0"),
        ({"padding": (1, 2, 3)}, "padding must be an int or a pair"),
        ({"stride": 0}, "stride must be at least 1"),
        ({"dilation": (1, 0)}, "dilation must be at least 1"),
        ({"bias": np.zeros(3, np.float32)}, r"bias must have shape \(2,\)"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        F.conv2d(jaring.ones(1, 1, 5, 5), jaring.ones(2, 1, 3, 3), **kwargs)


def test_wrong_ranks_are_refused():
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        F.conv2d(jaring.ones(1, 5, 5), jaring.ones(2, 1, 3, 3))
    with pytest.raises(ValueError, match=r"\(out, in, kh, kw\)"):
        F.conv2d(jaring.ones(1, 1, 5, 5), jaring.ones(2, 3, 3))


@pytest.mark.parametrize("n,c,o,h,w,k,s,p,d", CASES[:6] + CASES[-3:])
@pytest.mark.parametrize("bias", [True, False])
def test_fused_relu_matches_torch(n, c, o, h, w, k, s, p, d, bias):
    kh, kw = (k, k) if isinstance(k, int) else k
    inputs = [random_array((n, c, h, w), 13), random_array((o, c, kh, kw), 14), random_array((o,), 15)]
    compare_with_torch(
        lambda a, b, *e: F.conv2d(a, b, e[0] if e else None, s, p, d, relu=True),
        lambda a, b, *e: torch.relu(_torch_conv(s, p, d)(a, b, *e)),
        inputs if bias else inputs[:2],
        rtol=1e-4,
        atol=1e-4,
    )


def test_fused_relu_gradcheck_float64():
    x = random_array((2, 3, 5, 4), 16).astype(np.float64)
    weight = random_array((4, 3, 3, 2), 17).astype(np.float64)
    bias = random_array((4,), 18).astype(np.float64)
    out = F.conv2d(jaring.tensor(x), jaring.tensor(weight), jaring.tensor(bias), padding="same", relu=True)
    assert 0.2 < (out.numpy() == 0).mean() < 0.8  # both sides of the kink are exercised
    check_gradients(lambda a, b, e: F.conv2d(a, b, e, 1, "same", relu=True), [x, weight, bias])


@pytest.mark.parametrize("mode", ["numba", "numpy"])
@pytest.mark.parametrize("grad", [True, False])
@pytest.mark.parametrize("relu", [False, True])
@pytest.mark.parametrize("n,c,o,size", [(2, 0, 2, 5), (2, 0, 32, 8), (1, 0, 16, 40), (2, 1, 0, 5)])
def test_empty_channels(mode, grad, relu, n, c, o, size):
    # no input channels: each output is an empty sum plus the bias (through the ReLU); no output
    # channels: an empty output. Checked by hand: PyTorch returns no output channels for the first
    # and refuses the second's weights.
    x, weight = random_array((n, c, size, size), 19), random_array((o, c, 3, 3), 20)
    bias = random_array((o,), 21)
    with jaring.kernels.use(mode):
        tensors = [jaring.tensor(a, requires_grad=grad) for a in (x, weight, bias)]
        out = F.conv2d(*tensors, 1, 1, relu=relu)
        if grad:
            (out * 2).sum().backward()
    want = np.broadcast_to(bias[:, None, None], (n, o, size, size))
    np.testing.assert_array_equal(out.numpy(), np.maximum(want, 0) if relu else want)
    if grad:
        assert [t.grad.shape for t in tensors] == [x.shape, weight.shape, bias.shape]
        assert not x.size or not np.any(tensors[0].grad.numpy())
        passed = bias > 0 if relu else np.ones(o, bool)
        np.testing.assert_allclose(tensors[2].grad.numpy(), 2.0 * n * size * size * passed)


@pytest.mark.parametrize("mode", ["numba", "numpy"])
@pytest.mark.parametrize("grad", [True, False])
@pytest.mark.parametrize(
    "c,o,k,d",
    [(3, 32, 3, 1), (16, 16, 3, 1), (8, 4, 3, 1), (3, 4, 2, 2), (20, 8, 1, 1)],
    ids=["direct", "winograd", "chunks", "dilated", "1x1"],
)
def test_empty_batch_matches_torch(mode, grad, c, o, k, d):
    # no images: every route (direct kernel, Winograd, batch chunks, dilated windows, the
    # reference's col2im) returns an empty output and empty input gradient like PyTorch's
    x, weight, bias = random_array((0, c, 9, 9), 22), random_array((o, c, k, k), 23), random_array((o,), 24)
    with jaring.kernels.use(mode):
        tensors = [jaring.tensor(a, requires_grad=grad) for a in (x, weight, bias)]
        out = F.conv2d(*tensors, 1, 1, d, relu=True)
        if grad:
            out.sum().backward()
    expected = [torch.tensor(a, requires_grad=grad) for a in (x, weight, bias)]
    want = torch.relu(TF.conv2d(*expected, 1, 1, d))
    assert out.shape == tuple(want.shape)
    if grad:
        want.sum().backward()
        for got, t in zip(tensors, expected):
            np.testing.assert_array_equal(got.grad.numpy(), t.grad.numpy())
