"""torch's in-place initialisers (nn.init.kaiming_normal_ and the rest) against torch.nn.init itself:
statistics of large draws, exact values of the deterministic ones, torch's fans and errors, seeds,
and the in-place contract (same object, dtype and memory kept, nothing recorded)."""

import math
import re
import types
import warnings

import numpy as np
import pytest
import torch

import jaring
from jaring import backend, nn

TI = torch.nn.init
BIG = (512, 384)  # fan_in 384, fan_out 512
CONV = (64, 32, 3, 3)  # fan_in 288, fan_out 576


def _fill(fn, shape, *args, dtype="float32", **kwargs):
    t = jaring.empty(*shape, dtype=dtype)
    assert fn(t, *args, **kwargs) is t
    return t.numpy()


def _torch_fill(fn, shape, *args, **kwargs):
    torch.manual_seed(0)
    return fn(torch.empty(shape, dtype=torch.float64), *args, **kwargs).numpy()


def _error(call):
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - the oracle's error, whatever it is
        return type(exc), str(exc)
    raise AssertionError("torch raised nothing")


# ----- fans and gains ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "shape", [(5, 3), (3, 5), (8, 4, 3, 3), (2, 3, 4), (4, 2, 3, 3, 3), (0, 3), (3, 0, 2), (1, 1)]
)
def test_fans_are_torchs(shape):
    ours = nn.init._calculate_fan_in_and_fan_out(jaring.empty(*shape))
    assert ours == TI._calculate_fan_in_and_fan_out(torch.empty(shape))


@pytest.mark.parametrize(
    "name, param",
    [(n, None) for n in ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                         "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]]
    + [("leaky_relu", 0.2), ("leaky_relu", 0), ("leaky_relu", 3)],
)  # fmt: skip
def test_gains_are_torchs(name, param):
    assert nn.init.calculate_gain(name, param) == pytest.approx(TI.calculate_gain(name, param), rel=1e-15)


# ----- errors: torch's type and message -----------------------------------------------------------
ERRORS = [
    ("xavier_uniform_", (7,), {}),
    ("xavier_normal_", (), {}),
    ("kaiming_uniform_", (7,), {}),
    ("kaiming_normal_", (7,), {"mode": "fan_out"}),
    ("kaiming_uniform_", (3, 4), {"mode": "fan_avg"}),
    ("kaiming_normal_", (3, 4), {"mode": "in"}),
    ("eye_", (3, 4, 5), {}),
    ("eye_", (3,), {}),
    ("dirac_", (3, 4), {}),
    ("dirac_", (1, 1, 1, 1, 1, 1), {}),
    ("dirac_", (4, 4, 3), {"groups": 3}),
    ("orthogonal_", (5,), {}),
    ("sparse_", (3, 4, 5), {"sparsity": 0.1}),
    ("uniform_", (3,), {"a": 1.0, "b": 0.0}),
    ("normal_", (3,), {"std": -1.0}),
]


@pytest.mark.parametrize("name, shape, kwargs", ERRORS, ids=[f"{e[0]}{e[1]}" for e in ERRORS])
def test_errors_are_torchs(name, shape, kwargs):
    kind, message = _error(lambda: getattr(TI, name)(torch.empty(shape), **kwargs))
    with pytest.raises(kind, match=re.escape(message)):
        getattr(nn.init, name)(jaring.empty(*shape), **kwargs)


def test_fewer_than_two_dimensions_message():
    with pytest.raises(
        ValueError, match="Fan in and fan out can not be computed for tensor with fewer than 2"
    ):
        nn.init.kaiming_normal_(jaring.zeros(4))
    with pytest.raises(ValueError, match=re.escape("Mode fan_avg not supported")):
        nn.init.kaiming_normal_(jaring.zeros(4, 4), mode="fan_avg")


def test_bad_gain_arguments_are_refused():
    kind, message = _error(lambda: TI.calculate_gain("leaky_relu", "0.2"))
    with pytest.raises(kind, match=re.escape(message)):
        nn.init.calculate_gain("leaky_relu", "0.2")
    with pytest.raises(ValueError, match="unknown nonlinearity 'swish'"):
        nn.init.kaiming_uniform_(jaring.empty(3, 3), nonlinearity="swish")


RANDOM = ["uniform_", "normal_", "trunc_normal_", "xavier_uniform_", "xavier_normal_",
          "kaiming_uniform_", "kaiming_normal_", "orthogonal_"]  # fmt: skip


def _call(name, t, **kwargs):
    fn = getattr(nn.init, name)
    return fn(t, 0.5, **kwargs) if name == "sparse_" else fn(t, **kwargs)


@pytest.mark.parametrize("name", [*RANDOM, "sparse_"])
def test_integer_tensors_are_refused_as_torch_refuses_them(name):
    torch_fn = getattr(TI, name)
    with pytest.raises(NotImplementedError):  # torch: "... not implemented for 'Int'"
        torch_fn(torch.zeros(4, 4, dtype=torch.int32), *((0.5,) if name == "sparse_" else ()))
    for dtype in ("int32", "int64", "bool"):
        with pytest.raises(TypeError, match=f"nn.init.{name} .*floating-point tensor; this one is {dtype}"):
            _call(name, jaring.zeros(4, 4, dtype=dtype))


@pytest.mark.parametrize("name", [*RANDOM, "sparse_", "constant_", "ones_", "zeros_", "eye_", "dirac_"])
def test_non_tensors_are_refused(name):
    fn = getattr(nn.init, name)
    args = {"sparse_": (0.5,), "constant_": (1.0,)}.get(name, ())
    with pytest.raises(TypeError, match=f"nn.init.{name}: expected a jaring Tensor or an array, got list"):
        fn([[1.0, 2.0]], *args)


@pytest.mark.parametrize("name", [*RANDOM, "sparse_", "constant_", "ones_", "zeros_", "eye_", "dirac_"])
def test_a_weights_raw_array_is_filled_in_place_as_torch_fills_data(name):
    # torch tutorials (DCGAN's weights_init) write nn.init.normal_(m.weight.data, 0.0, 0.02)
    shape = (4, 4, 3) if name == "dirac_" else (4, 4)
    args = {"sparse_": (0.5,), "constant_": (1.0,)}.get(name, ())
    kwargs = {"generator": 0} if name in RANDOM or name == "sparse_" else {}
    layer = nn.Linear(4, 4) if name != "dirac_" else nn.Conv1d(4, 4, 3)
    weight = layer.weight.data
    assert weight.shape == shape
    out = getattr(nn.init, name)(weight, *args, **kwargs)
    assert out is weight and layer.weight.data is weight  # the Parameter's own memory, changed
    twin = getattr(nn.init, name)(jaring.tensor(np.zeros(shape, np.float32)), *args, **kwargs)
    np.testing.assert_array_equal(weight, twin.numpy())


def test_a_read_only_array_is_refused():
    frozen = np.zeros((3, 3), np.float32)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        nn.init.zeros_(frozen)


def test_dcgan_weights_init_runs():
    def weights_init(m):
        classname = m.__class__.__name__
        if classname.find("Conv") != -1:
            nn.init.normal_(m.weight.data, 0.0, 0.02)
        elif classname.find("BatchNorm") != -1:
            nn.init.normal_(m.weight.data, 1.0, 0.02)
            nn.init.constant_(m.bias.data, 0)

    jaring.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 8, 4, 2, 1, bias=False), nn.BatchNorm2d(8), nn.LeakyReLU(0.2))
    net.apply(weights_init)
    assert abs(float(net[0].weight.numpy().std()) - 0.02) < 0.004
    assert float(np.abs(net[1].bias.numpy()).max()) == 0.0
    assert abs(float(net[1].weight.numpy().mean()) - 1.0) < 0.02


@pytest.mark.parametrize("bad", [torch.Generator(), 1.5, True, "0"])
def test_a_generator_that_is_not_one_is_refused(bad):
    with pytest.raises(TypeError, match="generator must be a numpy Generator, an int seed or None"):
        nn.init.normal_(jaring.empty(3), generator=bad)


def test_zero_element_kaiming_warns_and_does_nothing_as_torch():
    for name in ("kaiming_uniform_", "kaiming_normal_"):
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
            getattr(TI, name)(torch.empty(0, 3))
        t = jaring.empty(0, 3)
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
            assert getattr(nn.init, name)(t) is t
    t = jaring.empty(0, 4)
    assert nn.init.orthogonal_(t) is t and nn.init.xavier_uniform_(t) is t


# ----- distributions ------------------------------------------------------------------------------
def _check_uniform(w, bound, low=None):
    """Bounds, extremes, mean and std of a uniform draw, each within five standard errors."""
    low = -bound if low is None else low
    width, n = bound - low, w.size
    assert w.min() >= low and w.max() <= bound
    assert w.min() == pytest.approx(low, abs=10 * width / n)
    assert w.max() == pytest.approx(bound, abs=10 * width / n)
    assert w.mean() == pytest.approx((low + bound) / 2, abs=5 * width / math.sqrt(12 * n))
    assert w.std() == pytest.approx(width / math.sqrt(12), rel=5 * math.sqrt(0.2 / n))


def _check_normal(w, std, mean=0.0, torch_draw=None):
    """Mean and std of a normal draw (and of torch's), each within five standard errors."""
    for draw in (w, torch_draw) if torch_draw is not None else (w,):
        assert draw.mean() == pytest.approx(mean, abs=5 * std / math.sqrt(draw.size) + 1e-12)
        assert draw.std() == pytest.approx(std, rel=5 / math.sqrt(2 * draw.size))


@pytest.mark.parametrize("a, b", [(0.0, 1.0), (-0.1, 0.1), (2.0, 5.0), (-3.0, -1.0)])
def test_uniform_statistics(a, b):
    _check_uniform(_fill(nn.init.uniform_, BIG, a, b, generator=0), b, a)
    _check_uniform(_torch_fill(TI.uniform_, BIG, a, b), b, a)


@pytest.mark.parametrize("mean, std", [(0.0, 1.0), (0.0, 0.02), (3.0, 0.5), (-1.0, 2.0)])
def test_normal_statistics(mean, std):
    _check_normal(
        _fill(nn.init.normal_, BIG, mean, std, generator=0),
        std,
        mean,
        _torch_fill(TI.normal_, BIG, mean, std),
    )


@pytest.mark.parametrize("shape", [BIG, CONV, (300, 200, 5)])
@pytest.mark.parametrize("gain", [1.0, 5 / 3, math.sqrt(2.0)])
def test_xavier_statistics(shape, gain):
    fan_in, fan_out = TI._calculate_fan_in_and_fan_out(torch.empty(shape))
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    _check_uniform(_fill(nn.init.xavier_uniform_, shape, gain=gain, generator=1), math.sqrt(3.0) * std)
    _check_uniform(_torch_fill(TI.xavier_uniform_, shape, gain=gain), math.sqrt(3.0) * std)
    _check_normal(_fill(nn.init.xavier_normal_, shape, gain=gain, generator=1), std, 0.0,
                  _torch_fill(TI.xavier_normal_, shape, gain=gain))  # fmt: skip


KAIMING = [
    {},
    {"nonlinearity": "relu"},
    {"mode": "fan_out", "nonlinearity": "relu"},
    {"a": math.sqrt(5)},
    {"a": 0.2, "mode": "fan_out"},
    {"nonlinearity": "tanh", "mode": "FAN_OUT"},
    {"nonlinearity": "linear"},
    {"nonlinearity": "conv2d", "mode": "fan_in"},
    {"nonlinearity": "selu"},
]


@pytest.mark.parametrize("shape", [BIG, CONV])
@pytest.mark.parametrize("kwargs", KAIMING, ids=[str(k) for k in KAIMING])
def test_kaiming_statistics(shape, kwargs):
    fan_in, fan_out = TI._calculate_fan_in_and_fan_out(torch.empty(shape))
    fan = fan_out if kwargs.get("mode", "fan_in").lower() == "fan_out" else fan_in
    std = TI.calculate_gain(kwargs.get("nonlinearity", "leaky_relu"), kwargs.get("a", 0)) / math.sqrt(fan)
    bound = math.sqrt(3.0) * std  # torch's: gain * sqrt(3 / fan)
    _check_uniform(_fill(nn.init.kaiming_uniform_, shape, **kwargs, generator=2), bound)
    _check_uniform(_torch_fill(TI.kaiming_uniform_, shape, **kwargs), bound)
    _check_normal(_fill(nn.init.kaiming_normal_, shape, **kwargs, generator=2), std, 0.0,
                  _torch_fill(TI.kaiming_normal_, shape, **kwargs))  # fmt: skip


def _truncated_moments(mean, std, a, b):
    pdf = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda x: (1 + math.erf(x / math.sqrt(2))) / 2  # noqa: E731
    lo, hi = (a - mean) / std, (b - mean) / std
    z = cdf(hi) - cdf(lo)
    shift = (pdf(lo) - pdf(hi)) / z
    var = 1 + (lo * pdf(lo) - hi * pdf(hi)) / z - shift**2
    return mean + std * shift, std * math.sqrt(var)


TRUNC = [
    (0.0, 1.0, -2.0, 2.0),  # torch's defaults: most draws land inside
    (0.0, 0.02, -0.04, 0.04),  # the ViT habit
    (1.0, 1.0, 0.0, 3.0),  # asymmetric
    (0.0, 1.0, -0.25, 0.25),  # narrow window: the uniform-candidate branch
    (0.0, 1.0, 1.5, 3.0),  # one tail only
    (0.5, 2.0, -1.0, 0.0),  # mean outside the window
]


@pytest.mark.parametrize("mean, std, a, b", TRUNC)
def test_trunc_normal_statistics_and_bounds(mean, std, a, b):
    want_mean, want_std = _truncated_moments(mean, std, a, b)
    for dtype in ("float32", "float64"):
        w = _fill(nn.init.trunc_normal_, BIG, mean, std, a, b, generator=3, dtype=dtype)
        assert w.min() >= np.asarray(a, dtype) and w.max() <= np.asarray(b, dtype)
        assert w.mean() == pytest.approx(want_mean, abs=0.01 * want_std)
        assert w.std() == pytest.approx(want_std, rel=0.01)
    theirs = _torch_fill(TI.trunc_normal_, BIG, mean, std, a, b)
    assert theirs.mean() == pytest.approx(want_mean, abs=0.01 * want_std)
    assert theirs.std() == pytest.approx(want_std, rel=0.01)


def test_trunc_normal_warns_as_torch_when_the_mean_is_far_outside():
    with pytest.warns(UserWarning, match="mean is more than 2 std from"):
        TI.trunc_normal_(torch.empty(10), mean=5.0, a=-1.0, b=1.0)
    with pytest.warns(UserWarning, match="mean is more than 2 std from"):
        w = nn.init.trunc_normal_(jaring.empty(10), mean=5.0, a=-1.0, b=1.0).numpy()
    assert w.min() >= -1 and w.max() <= 1


# ----- orthogonal and sparse ----------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (6, 2, 3, 3), (20, 2, 3), (1, 7), (7, 1)])
@pytest.mark.parametrize("gain", [1.0, 2.5])
def test_orthogonal_rows_or_columns_are_orthonormal_times_gain(shape, gain):
    w = _fill(nn.init.orthogonal_, shape, gain=gain, generator=4, dtype="float64")
    theirs = TI.orthogonal_(torch.empty(shape, dtype=torch.float64), gain=gain).numpy()
    for m in (w, theirs):
        flat = m.reshape(shape[0], -1)  # torch flattens the trailing dims
        rows, cols = flat.shape
        gram = flat @ flat.T if rows <= cols else flat.T @ flat
        np.testing.assert_allclose(gram, gain**2 * np.eye(min(rows, cols)), atol=1e-12)
    w32 = _fill(nn.init.orthogonal_, shape, gain=gain, generator=4)
    assert w32.dtype == np.float32
    np.testing.assert_allclose(w32, w, atol=1e-6)  # same seed, same matrix in either dtype


@pytest.mark.parametrize("rows, cols", [(10, 7), (100, 3), (3, 50), (1, 4)])
@pytest.mark.parametrize("sparsity", [0.0, 0.1, 0.3, 0.55, 1.0])
def test_sparse_zero_count_per_column_is_torchs(rows, cols, sparsity):
    w = _fill(nn.init.sparse_, (rows, cols), sparsity, generator=5, dtype="float64")
    theirs = TI.sparse_(torch.empty(rows, cols, dtype=torch.float64), sparsity).numpy()
    want = min(rows, math.ceil(sparsity * rows))
    assert (w == 0).sum(axis=0).tolist() == [want] * cols
    assert (theirs == 0).sum(axis=0).tolist() == [want] * cols


def test_sparse_values_have_the_given_std():
    w = _fill(nn.init.sparse_, (400, 500), 0.2, std=0.05, generator=6, dtype="float64")
    assert w[w != 0].std() == pytest.approx(0.05, rel=0.01)
    assert not np.array_equal((w == 0)[:, 0], (w == 0)[:, 1])  # each column has its own zeros


# ----- deterministic ones: torch's exact values ---------------------------------------------------
SHAPES = [(3,), (2, 3), (4, 1, 2), (2, 3, 2, 2), ()]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32"])
def test_constant_ones_zeros_match_torch(shape, dtype):
    tdtype = getattr(torch, dtype)
    for name, args in (("constant_", (2.7,)), ("constant_", (-0.25,)), ("ones_", ()), ("zeros_", ())):
        ours = getattr(nn.init, name)(jaring.full(shape, 9, dtype=dtype), *args)
        theirs = getattr(TI, name)(torch.full(shape, 9, dtype=tdtype), *args)
        assert ours.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_constant_takes_a_one_element_tensor_and_refuses_text():
    assert nn.init.constant_(jaring.empty(2), jaring.tensor(1.5)).tolist() == [1.5, 1.5]
    with pytest.raises(TypeError, match="val must be a number"):
        nn.init.constant_(jaring.empty(2), "1.5")


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (1, 1), (0, 3)])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_eye_matches_torch(shape, dtype):
    ours = nn.init.eye_(jaring.full(shape, 7, dtype=dtype))
    theirs = TI.eye_(torch.full(shape, 7, dtype=getattr(torch, dtype)))
    assert ours.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


DIRAC = [((4, 4, 3), 1), ((3, 16, 5, 5), 1), ((3, 24, 5, 5), 3), ((16, 3, 5, 5), 1), ((6, 2, 3, 3, 3), 2),
         ((4, 6, 2, 2), 2), ((6, 4, 4), 3), ((8, 2, 1, 4), 4), ((2, 2, 3, 4, 2), 1)]  # fmt: skip


@pytest.mark.parametrize("shape, groups", DIRAC)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dirac_matches_torch(shape, groups, dtype):
    ours = nn.init.dirac_(jaring.full(shape, 7, dtype=dtype), groups=groups)
    theirs = TI.dirac_(torch.full(shape, 7, dtype=getattr(torch, dtype)), groups=groups)
    assert ours.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_a_dirac_weight_passes_the_input_through_a_convolution():
    conv = nn.Conv2d(3, 3, 3, padding=1, bias=False)
    nn.init.dirac_(conv.weight)
    x = jaring.randn(2, 3, 5, 5)
    np.testing.assert_allclose(conv(x).numpy(), x.numpy(), atol=1e-6)


# ----- seeds ---------------------------------------------------------------------------------------
CALLS = [
    ("uniform_", {}), ("normal_", {}), ("trunc_normal_", {}), ("xavier_uniform_", {}), ("xavier_normal_", {}),
    ("kaiming_uniform_", {}), ("kaiming_normal_", {"mode": "fan_out"}), ("orthogonal_", {}), ("sparse_", {}),
]  # fmt: skip


@pytest.mark.parametrize("name, kwargs", CALLS, ids=[c[0] for c in CALLS])
def test_same_seed_same_numbers(name, kwargs):
    draw = lambda **more: _call(name, jaring.empty(6, 5), **kwargs, **more).numpy()  # noqa: E731
    np.testing.assert_array_equal(draw(generator=7), draw(generator=7))
    np.testing.assert_array_equal(draw(generator=np.random.default_rng(7)), draw(generator=7))
    assert not np.array_equal(draw(generator=7), draw(generator=8))
    jaring.manual_seed(11)
    first = draw()
    jaring.manual_seed(11)
    np.testing.assert_array_equal(draw(), first)
    assert not np.array_equal(draw(), first)  # the global generator moved on
    rng = np.random.default_rng(3)
    assert not np.array_equal(draw(generator=rng), draw(generator=rng))  # a Generator is advanced


# ----- the in-place contract -----------------------------------------------------------------------
ALL = [*CALLS, ("constant_", {}), ("ones_", {}), ("zeros_", {}), ("eye_", {})]


def _any(name, t, **kwargs):
    return nn.init.constant_(t, 0.3) if name == "constant_" else _call(name, t, **kwargs)


@pytest.mark.parametrize("name, kwargs", ALL, ids=[c[0] for c in ALL])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_same_object_same_memory_same_dtype_nothing_recorded(name, kwargs, dtype):
    layer = nn.Linear(5, 6, dtype=dtype)
    w = layer.weight
    array, version, was_column_major = w.data, w._version, backend.is_column_major(w.data)
    assert _any(name, w, **kwargs) is w  # outside no_grad: torch's init works on leaves that need grad
    assert w.data is array and w.dtype == np.dtype(dtype)
    assert backend.is_column_major(w.data) == was_column_major
    assert w.requires_grad and w.is_leaf and w.grad_fn is None and w.grad is None
    assert w._version == version + 1
    with jaring.no_grad():
        assert _any(name, w, **kwargs) is w
    layer(jaring.ones(2, 5, dtype=dtype)).sum().backward()  # the layer still trains
    assert w.grad is not None and w.grad.shape == (6, 5)


def test_a_tensor_changed_after_the_graph_saved_it_makes_backward_refuse():
    x = jaring.randn(3, 3, requires_grad=True)
    y = x * 2
    z = (y * y).sum()
    nn.init.zeros_(y)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.backward()


def test_a_linear_weight_has_torchs_fans_and_bounds():
    layer = nn.Linear(3, 4)
    assert nn.init._calculate_fan_in_and_fan_out(layer.weight) == (3, 4)
    nn.init.xavier_uniform_(layer.weight, generator=0)
    assert np.abs(layer.weight.numpy()).max() <= math.sqrt(6 / 7)
    nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=0)  # torch's own default init
    assert np.abs(layer.weight.numpy()).max() <= 1 / math.sqrt(3)
    nn.init.zeros_(layer.bias)
    assert layer.bias.tolist() == [0.0] * 4


def test_conv2d_weights_have_torchs_fans():
    conv = nn.Conv2d(16, 32, (3, 5))
    assert nn.init._calculate_fan_in_and_fan_out(conv.weight) == (16 * 15, 32 * 15)
    assert TI._calculate_fan_in_and_fan_out(torch.nn.Conv2d(16, 32, (3, 5)).weight) == (16 * 15, 32 * 15)
    big = nn.Conv2d(64, 128, 3)
    nn.init.kaiming_normal_(big.weight, mode="fan_out", nonlinearity="relu", generator=0)
    assert big.weight.numpy().std() == pytest.approx(math.sqrt(2 / (128 * 9)), rel=0.01)
    nn.init.kaiming_uniform_(big.weight, generator=0)  # fan_in 576, leaky_relu(0) gain sqrt(2)
    assert np.abs(big.weight.numpy()).max() == pytest.approx(math.sqrt(6 / 576), rel=1e-3)


def test_the_torch_tutorial_loop_runs():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    assert all(float(abs(m.bias).sum()) == 0 for m in model.modules() if isinstance(m, nn.Linear))
    assert model(jaring.ones(3, 4)).shape == (3, 2)


def test_a_zero_dimensional_tensor_and_a_view_are_filled():
    t = jaring.tensor(5.0)
    assert float(nn.init.constant_(t, 2.0)) == 2.0 and float(nn.init.uniform_(t, 3, 4, generator=0)) >= 3
    base = jaring.zeros(4, 6)
    view = jaring.Tensor(base.data[:, ::2])
    nn.init.ones_(view)
    assert base.numpy()[:, ::2].tolist() == [[1.0] * 3] * 4 and base.numpy()[:, 1::2].sum() == 0


def test_read_only_memory_gives_a_clear_error():
    t = jaring.Tensor(np.broadcast_to(np.zeros(3), (4, 3)))
    with pytest.raises(RuntimeError, match="nn.init.ones_: cannot write into this tensor's memory"):
        nn.init.ones_(t)


class _FakeGpuArray:
    """Stands in for a CuPy array: is_cupy_array sees its module, and it refuses NumPy values."""

    __module__ = "cupy.fake"

    def __init__(self, array):
        self.array = np.asarray(array)
        self.shape, self.dtype, self.ndim = self.array.shape, self.array.dtype, self.array.ndim
        self.flags = self.array.flags

    def __setitem__(self, index, value):
        if isinstance(value, np.ndarray):
            raise TypeError("Unsupported type <class 'numpy.ndarray'>")  # as CuPy's
        self.array[index] = value.array if isinstance(value, _FakeGpuArray) else value


def test_gpu_arrays_get_their_values_moved_to_the_gpu(monkeypatch):
    monkeypatch.setattr(backend, "_cupy", types.SimpleNamespace(asarray=_FakeGpuArray))
    t = jaring.empty(4, 3)
    t.data = _FakeGpuArray(np.zeros((4, 3), np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.init.kaiming_normal_(t, generator=0)
        nn.init.zeros_(t)
        nn.init.eye_(t)
    assert t.data.array.dtype == np.float32 and t.data.array.tolist() == np.eye(4, 3).tolist()
