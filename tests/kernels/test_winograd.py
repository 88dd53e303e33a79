"""jaring/kernels/winograd.py, F(2x2, 3x3) and F(4x4, 3x3), through conv2d's Winograd path
(jaring/ops/conv_winograd.py), which forwards without a gradient to come take: values against
PyTorch and the array reference for both tile sizes, both dtypes, odd sizes, every padding, with and
without bias and the fused ReLU, in one chunk and in many; which outputs take which tile size; and
that training keeps the im2col forward and its input gradient F(2x2, 3x3)."""

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
from tests.kernels.counting import count_calls

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
ENTRY_POINTS = [f"{name}_{size}" for name in KERNELS for size in (2, 4)]


def ran(tile, times):
    """The calls expected of the transforms' entry points: each transform `times` times at `tile`,
    none at the other tile size."""
    return {f"{name}_{size}": times if size == tile else 0 for name in KERNELS for size in (2, 4)}


@pytest.fixture(params=[2, 4], ids=["F2", "F4"])
def tile(request, monkeypatch):
    """The forward's tile size, forced whatever the output's size (the cases are small)."""
    monkeypatch.setattr(conv_winograd, "_LARGE_TILE_FROM", 1 if request.param == 4 else 10**9)
    return request.param


@pytest.fixture
def calls(monkeypatch):
    """How often each entry point of the transforms ran: the tests check which path was taken."""
    return count_calls(monkeypatch, winograd, ENTRY_POINTS)


def _data(n, c, o, h, w, dtype):
    rng = np.random.default_rng(n * 100 + c * 10 + o)
    x = rng.uniform(-2, 2, (n, h, w, c)).astype(dtype).transpose(0, 3, 1, 2)  # channels-last, as layers give
    return x, rng.uniform(-1, 1, (o, c, 3, 3)).astype(dtype), rng.uniform(-1, 1, o).astype(dtype)


def _jaring(x, weight, bias, padding, relu, mode):
    """conv2d's output under no_grad in kernels `mode`."""
    with kernels.use(mode), jaring.no_grad():
        b = None if bias is None else jaring.tensor(bias)
        return F.conv2d(jaring.tensor(x), jaring.tensor(weight), b, 1, padding, relu=relu).numpy()


def _torch(x, weight, bias, padding, relu):
    top, bottom, left, right = resolve_padding(padding, (3, 3), pair(1, "s"), pair(1, "d"), x.shape[2:])
    tensors = [torch.tensor(np.ascontiguousarray(a)) for a in (x, weight, bias) if a is not None]
    out = TF.conv2d(
        TF.pad(tensors[0], (left, right, top, bottom)), tensors[1], tensors[2] if bias is not None else None
    )
    return (TF.relu(out) if relu else out).numpy()


@pytest.mark.parametrize("relu,with_bias", [(True, True), (False, True), (True, False), (False, False)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n,c,o,h,w,padding", CASES)
def test_winograd_matches_torch_and_the_reference(
    calls, tile, n, c, o, h, w, padding, dtype, relu, with_bias
):
    x, weight, bias = _data(n, c, o, h, w, dtype)
    bias = bias if with_bias else None
    got = _jaring(x, weight, bias, padding, relu, "numba")
    assert calls == ran(tile, 1)
    reference = _jaring(x, weight, bias, padding, relu, "numpy")
    assert calls == ran(tile, 1)  # the reference ran without them
    want = _torch(x, weight, bias, padding, relu)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    assert got.dtype == dtype and got.shape == want.shape
    np.testing.assert_allclose(got, reference, rtol=tol, atol=tol)
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


def test_every_image_its_own_chunk(monkeypatch, calls, tile):
    monkeypatch.setattr(conv_winograd, "_CHUNK_BYTES", 1)
    x, weight, bias = _data(3, 16, 4, 5, 7, np.float32)
    got = _jaring(x, weight, bias, "same", True, "numba")
    assert calls == ran(tile, 3)
    np.testing.assert_allclose(got, _torch(x, weight, bias, "same", True), rtol=1e-4, atol=1e-4)


def test_training_keeps_the_im2col_forward(calls, tile):
    x, weight, bias = _data(2, 16, 4, 6, 6, np.float32)
    w = jaring.tensor(weight, requires_grad=True)
    with kernels.use("numba"):
        out = F.conv2d(jaring.tensor(x), w, jaring.tensor(bias), padding=1, relu=True)
    assert calls == ran(tile, 0)
    np.testing.assert_allclose(out.numpy(), _torch(x, weight, bias, 1, True), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    "c,kernel,stride,dilation",
    [(8, 3, 1, 1), (16, 3, 2, 1), (16, 3, 1, 2), (16, 5, 1, 1), (16, (3, 1), 1, 1)],
)
def test_other_geometries_keep_im2col(calls, tile, c, kernel, stride, dilation):
    kh, kw = pair(kernel, "kernel")
    x = jaring.randn(2, c, 9, 9, seed=0)
    weight = jaring.randn(4, c, kh, kw, seed=1)
    with kernels.use("numba"), jaring.no_grad():
        F.conv2d(x, weight, None, stride, 1, dilation)
    assert calls == ran(tile, 0)


def test_nan_stays_nan_through_the_fused_relu(tile):
    x = np.full((1, 16, 4, 4), np.nan, dtype=np.float32)
    weight, bias = np.ones((2, 16, 3, 3), np.float32), np.zeros(2, np.float32)
    with kernels.use("numba"):  # no input requires a gradient: none to come
        out = F.conv2d(jaring.tensor(x), jaring.tensor(weight), jaring.tensor(bias), padding=1, relu=True)
    assert np.isnan(out.numpy()).all()


@pytest.mark.parametrize("size", [2, 4])
def test_the_weight_transform_is_g_g_gt(size):
    g = np.random.default_rng(0).standard_normal((3, 3))
    u = (winograd.WEIGHT_TRANSFORM[size] @ g.reshape(9)).reshape(size + 2, size + 2)
    np.testing.assert_allclose(u, winograd.G[size] @ g @ winograd.G[size].T, rtol=1e-12)


@pytest.mark.parametrize("size", [2, 4])
def test_the_matrices_compute_a_correlation(size):
    """A^T ((G g G^T) * (B^T d B)) A is the size x size valid correlation of a (size + 2)-square
    tile d with g: the matrices that the kernels write out term by term."""
    rng = np.random.default_rng(0)
    d, g = rng.standard_normal((size + 2, size + 2)), rng.standard_normal((3, 3))
    a_t, b_t, G = winograd.A_T[size], winograd.B_T[size], winograd.G[size]
    got = a_t @ ((G @ g @ G.T) * (b_t @ d @ b_t.T)) @ a_t.T
    want = [[(d[i : i + 3, j : j + 3] * g).sum() for j in range(size)] for i in range(size)]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("size", [2, 4])
def test_the_input_kernel_is_b_t_d_b(size):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, size + 2, size + 2, 2))
    v = np.empty(((size + 2) ** 2, 1, 2))
    getattr(winograd, f"transform_input_{size}")(x, v, 0, 0, 1, 1)
    for channel in range(2):
        want = winograd.B_T[size] @ x[0, :, :, channel] @ winograd.B_T[size].T
        np.testing.assert_allclose(v[:, 0, channel].reshape(size + 2, size + 2), want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("side,tile", [(7, 2), (8, 4), (32, 4)])
def test_outputs_of_8_pixels_a_side_take_the_4x4_tiles(side, tile):
    assert conv_winograd.forward_tile((side, 40)) == tile
    assert conv_winograd.forward_tile((40, side)) == tile


def test_float16_keeps_the_reference(calls, tile):
    x, weight, bias = (a.astype(np.float16) for a in _data(1, 16, 2, 4, 4, np.float32))
    compiled = _jaring(x, weight, bias, 1, True, "numba")
    assert calls == ran(tile, 0)
    np.testing.assert_array_equal(compiled, _jaring(x, weight, bias, 1, True, "numpy"))


GRADIENT_CASES = [
    # (batch, in, out, H, W, padding): the input gradient convolves the out channels, 16 or more;
    # the last case has the 64 input channels the path waits for by default
    (2, 3, 16, 6, 6, 1),
    (2, 4, 16, 7, 5, 0),  # odd sizes, no padding: the gradient pads by 2
    (1, 2, 17, 4, 9, (0, 1, 2, 0)),  # asymmetric padding
    (2, 5, 16, 1, 1, 1),  # a single pixel
    (1, 3, 16, 3, 2, 2),  # padding 2: the gradient pads by 0
    (1, 64, 16, 4, 4, "same"),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n,c,o,h,w,padding", GRADIENT_CASES)
def test_the_input_gradient_matches_torch_and_the_reference(
    monkeypatch, calls, n, c, o, h, w, padding, dtype
):
    monkeypatch.setattr(conv_winograd, "_GRADIENT_CHANNELS", 1)  # small inputs through it too
    x, weight, bias = _data(n, c, o, h, w, dtype)

    def gradients(mode):
        with kernels.use(mode):
            tensors = [jaring.tensor(a, requires_grad=True) for a in (x, weight, bias)]
            out = F.conv2d(*tensors, 1, padding, relu=True)
            (
                out * jaring.tensor(np.cos(np.arange(out.size)).reshape(out.shape).astype(dtype))
            ).sum().backward()
            return [out.numpy()] + [t.grad.numpy() for t in tensors]

    got = gradients("numba")
    assert calls == ran(2, 1)  # the backward's, not the forward's, and by F(2x2, 3x3)
    reference = gradients("numpy")
    tensors = [torch.tensor(np.ascontiguousarray(a), requires_grad=True) for a in (x, weight, bias)]
    top, bottom, left, right = resolve_padding(padding, (3, 3), (1, 1), (1, 1), x.shape[2:])
    out = TF.relu(TF.conv2d(TF.pad(tensors[0], (left, right, top, bottom)), tensors[1], tensors[2]))
    (out * torch.tensor(np.cos(np.arange(out.numel())).reshape(out.shape).astype(dtype))).sum().backward()
    want = [out.detach().numpy()] + [t.grad.numpy() for t in tensors]
    tol = 1e-4 if dtype == np.float32 else 1e-10
    for ours, ref, theirs in zip(got, reference, want):
        assert ours.dtype == dtype and ours.shape == theirs.shape
        np.testing.assert_allclose(ours, ref, rtol=tol, atol=tol)
        np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol)


def test_padding_past_the_kernels_reach_keeps_col2im_for_the_input_gradient(monkeypatch, calls):
    monkeypatch.setattr(conv_winograd, "_GRADIENT_CHANNELS", 1)
    x = jaring.randn(1, 2, 4, 4, seed=0, requires_grad=True)
    weight = jaring.randn(16, 2, 3, 3, seed=1, requires_grad=True)
    with kernels.use("numba"):
        F.conv2d(x, weight, None, 1, 3).sum().backward()
    assert calls == ran(2, 0)
    assert x.grad.shape == (1, 2, 4, 4)


def test_fewer_input_channels_keep_col2im_for_the_input_gradient(calls):
    x = jaring.randn(1, 32, 4, 4, seed=0, requires_grad=True)
    weight = jaring.randn(64, 32, 3, 3, seed=1, requires_grad=True)
    with kernels.use("numba"):
        F.conv2d(x, weight, None, 1, 1).sum().backward()
    assert calls == ran(2, 0)


def test_row_major_nchw_input_is_transposed_first(calls, tile):
    x, weight, bias = _data(2, 16, 4, 5, 6, np.float32)
    x = np.ascontiguousarray(x)  # C-contiguous (N, C, H, W), not a channels-last view
    got = _jaring(x, weight, bias, 1, False, "numba")
    assert calls == ran(tile, 1)
    np.testing.assert_allclose(got, _torch(x, weight, bias, 1, False), rtol=1e-4, atol=1e-4)
