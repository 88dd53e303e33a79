"""jaring/kernels/winograd.py through conv2d's Winograd path (jaring/ops/conv_winograd.py): values
and gradients against PyTorch and the array reference, both dtypes, odd sizes, every padding,
with and without bias and the fused ReLU, in one chunk and in many."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from jaring import kernels
from jaring.kernels import winograd
from jaring.ops import conv_winograd
from jaring.ops.geometry import pair, resolve_padding

CASES = [
    # (batch, in, out, H, W, padding)
    (2, 16, 8, 6, 6, 1),
    (2, 16, 5, 7, 5, 1),  # odd height and width: the last tile row and column are cut
    (1, 17, 3, 4, 9, 0),  # no padding ("valid"): 2x7 outputs
    (3, 16, 1, 5, 6, (0, 1, 2, 0)),  # asymmetric padding, one output channel
    (2, 20, 4, 1, 1, 1),  # a single pixel: every tap but the centre reads padding
    (1, 16, 6, 3, 2, 2),  # padding wider than the kernel's reach: outputs of padding alone
    (2, 32, 16, 9, 8, "same"),
]
KERNELS = ("transform_input", "transform_output")


@pytest.fixture
def calls(monkeypatch):
    """How often each Winograd kernel ran: the tests check that the path was taken."""
    counts = dict.fromkeys(KERNELS, 0)

    def counting(name, kernel):
        def counted(*args):
            counts[name] += 1
            return kernel(*args)

        return counted

    for name in KERNELS:
        monkeypatch.setattr(winograd, name, counting(name, getattr(winograd, name)))
    return counts


def _data(n, c, o, h, w, dtype):
    rng = np.random.default_rng(n * 100 + c * 10 + o)
    x = rng.uniform(-2, 2, (n, h, w, c)).astype(dtype).transpose(0, 3, 1, 2)  # channels-last, as layers give
    return x, rng.uniform(-1, 1, (o, c, 3, 3)).astype(dtype), rng.uniform(-1, 1, o).astype(dtype)


def _jaring(x, weight, bias, padding, relu, mode):
    with kernels.use(mode):
        tensors = [jaring.tensor(a, requires_grad=True) for a in (x, weight, bias) if a is not None]
        out = F.conv2d(*tensors[:2], tensors[2] if bias is not None else None, 1, padding, relu=relu)
        upstream = np.cos(np.arange(out.size)).reshape(out.shape).astype(x.dtype)
        (out * jaring.tensor(upstream)).sum().backward()
        return [out.numpy()] + [t.grad.numpy() for t in tensors], upstream


def _torch(x, weight, bias, padding, relu, upstream):
    top, bottom, left, right = resolve_padding(padding, (3, 3), pair(1, "s"), pair(1, "d"), x.shape[2:])
    tensors = [
        torch.tensor(np.ascontiguousarray(a), requires_grad=True) for a in (x, weight, bias) if a is not None
    ]
    out = TF.conv2d(
        TF.pad(tensors[0], (left, right, top, bottom)), tensors[1], tensors[2] if bias is not None else None
    )
    out = TF.relu(out) if relu else out
    (out * torch.tensor(upstream)).sum().backward()
    return [out.detach().numpy()] + [t.grad.numpy() for t in tensors]


@pytest.mark.parametrize("relu,with_bias", [(True, True), (False, True), (True, False), (False, False)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n,c,o,h,w,padding", CASES)
def test_winograd_matches_torch_and_the_reference(calls, n, c, o, h, w, padding, dtype, relu, with_bias):
    x, weight, bias = _data(n, c, o, h, w, dtype)
    bias = bias if with_bias else None
    compiled, upstream = _jaring(x, weight, bias, padding, relu, "numba")
    assert calls == {"transform_input": 1, "transform_output": 1}
    reference, _ = _jaring(x, weight, bias, padding, relu, "numpy")
    assert calls["transform_input"] == 1  # the reference ran without it
    expected = _torch(x, weight, bias, padding, relu, upstream)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    for got, ref, want in zip(compiled, reference, expected):
        assert got.dtype == dtype and got.shape == want.shape
        np.testing.assert_allclose(got, ref, rtol=tol, atol=tol)
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


def test_every_image_its_own_chunk(monkeypatch, calls):
    monkeypatch.setattr(conv_winograd, "_CHUNK_BYTES", 1)
    x, weight, bias = _data(3, 16, 4, 5, 7, np.float32)
    compiled, upstream = _jaring(x, weight, bias, "same", True, "numba")
    assert calls == {"transform_input": 3, "transform_output": 3}
    for got, want in zip(compiled, _torch(x, weight, bias, "same", True, upstream)):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    "c,kernel,stride,dilation",
    [(8, 3, 1, 1), (16, 3, 2, 1), (16, 3, 1, 2), (16, 5, 1, 1), (16, (3, 1), 1, 1)],
)
def test_other_geometries_keep_im2col(calls, c, kernel, stride, dilation):
    kh, kw = pair(kernel, "kernel")
    x = jaring.randn(2, c, 9, 9, seed=0)
    weight = jaring.randn(4, c, kh, kw, seed=1)
    with kernels.use("numba"):
        F.conv2d(x, weight, None, stride, 1, dilation)
    assert calls == {"transform_input": 0, "transform_output": 0}


def test_nan_stays_nan_through_the_fused_relu():
    x = np.full((1, 16, 4, 4), np.nan, dtype=np.float32)
    weight, bias = np.ones((2, 16, 3, 3), np.float32), np.zeros(2, np.float32)
    with kernels.use("numba"):
        out = F.conv2d(jaring.tensor(x), jaring.tensor(weight), jaring.tensor(bias), padding=1, relu=True)
    assert np.isnan(out.numpy()).all()


def test_the_weight_transform_is_g_g_gt():
    g = np.random.default_rng(0).standard_normal((3, 3))
    u = (winograd.WEIGHT_TRANSFORM @ g.reshape(9)).reshape(4, 4)
    np.testing.assert_allclose(u, winograd.G @ g @ winograd.G.T, rtol=1e-12)


def test_float16_keeps_the_reference(calls):
    x, weight, bias = (a.astype(np.float16) for a in _data(1, 16, 2, 4, 4, np.float32))
    compiled, _ = _jaring(x, weight, bias, 1, True, "numba")
    reference, _ = _jaring(x, weight, bias, 1, True, "numpy")
    assert calls == {"transform_input": 0, "transform_output": 0}
    for got, ref in zip(compiled, reference):
        np.testing.assert_array_equal(got, ref)
