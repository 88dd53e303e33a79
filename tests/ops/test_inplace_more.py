"""torch's further in-place methods (exp_, pow_, addcmul_, uniform_, scatter_, index_add_, ...)
and select / new_empty / detach_ / is_cuda, against torch: values, and the gradients that flow
through a non-leaf changed in place."""

import numpy as np
import pytest

import jaring

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
POSITIVE = RNG.uniform(0.5, 2.0, (3, 4))
SIGNED = RNG.uniform(-2.0, 2.0, (3, 4))
WEIGHTS = RNG.standard_normal((3, 4))

UNARY = ["exp", "log", "sqrt", "abs", "neg", "log1p", "expm1", "rsqrt", "relu", "sigmoid", "tanh"]
UNARY += ["sin", "cos", "floor", "ceil", "round", "trunc", "sign", "square", "reciprocal"]


def both(data, change, dtype=np.float64):
    """Run change(y) on y = x * 1 (a non-leaf) in both libraries; (jaring y, x.grad), (torch ...)."""
    out = []
    for make in (jaring.tensor, torch.tensor):
        x = make(np.array(data, dtype), requires_grad=True)
        y = x * 1
        returned = change(y)
        assert returned is y
        (y * make(WEIGHTS[: y.shape[0]] if y.ndim else 1.0)).sum().backward()
        out.append((y.detach().numpy(), None if x.grad is None else x.grad.numpy()))
    return out


@pytest.mark.parametrize("name", UNARY)
def test_unary_in_place_matches_torch(name):
    data = POSITIVE if name in ("log", "sqrt", "rsqrt", "log1p") else SIGNED
    (ours, our_grad), (theirs, their_grad) = both(data, lambda y: getattr(y, f"{name}_")())
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "change",
    [
        lambda y: y.pow_(3),
        lambda y: y.pow_(2.5),
        lambda y: y.lerp_(y * 0 + 3.0, 0.25),
        lambda y: y.addcmul_(y * 2, y * 0 + 1.5, value=0.5),
        lambda y: y.addcdiv_(y * 0 + 1.0, y * 0 + 4.0, value=-2),
        lambda y: y.clamp_min_(0.9),
        lambda y: y.clamp_max_(1.1),
    ],
)
def test_binary_in_place_matches_torch(change):
    (ours, our_grad), (theirs, their_grad) = both(POSITIVE, change)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-12)


def test_a_leaf_refuses_outside_no_grad_and_changes_in_place_inside():
    w = jaring.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w.exp_()
    data = w.data
    with jaring.no_grad():
        assert w.uniform_(-1, 1, generator=0) is w
        w.mul_(2).exp_()
    assert w.data is data and w.requires_grad and w.is_leaf


def test_changing_a_saved_tensor_is_caught_by_its_version():
    for lib in (jaring, torch):
        x = lib.ones(3, requires_grad=True)
        c = x * 3
        d = c * c  # the product saves c
        c.exp_()
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            d.sum().backward()


def test_random_fills_are_seeded_and_have_their_distributions():
    big = (200, 500)
    u = jaring.empty(*big).uniform_(-0.5, 1.5, generator=1)
    assert float(u.min()) >= -0.5 and float(u.max()) < 1.5 and abs(float(u.mean()) - 0.5) < 0.01
    assert np.array_equal(jaring.empty(*big).uniform_(-0.5, 1.5, generator=1).numpy(), u.numpy())
    n = jaring.empty(*big, dtype=np.float64).normal_(2.0, 3.0, generator=2)
    assert abs(float(n.mean()) - 2.0) < 0.05 and abs(float(n.std()) - 3.0) < 0.05 and n.dtype == np.float64
    e = jaring.empty(*big).exponential_(4.0, generator=3)
    assert abs(float(e.mean()) - 0.25) < 0.01 and float(e.min()) >= 0
    b = jaring.zeros(*big, dtype=np.int64).bernoulli_(0.3, generator=4)
    assert set(np.unique(b.numpy())) == {0, 1} and abs(float(b.numpy().mean()) - 0.3) < 0.01
    r = jaring.zeros(*big, dtype=np.int64).random_(3, 7, generator=5)
    assert set(np.unique(r.numpy())) == {3, 4, 5, 6}
    assert set(np.unique(jaring.zeros(50, dtype=np.int64).random_(2, generator=6).numpy())) == {0, 1}
    jaring.manual_seed(7)
    first = jaring.empty(4).normal_()
    jaring.manual_seed(7)
    assert np.array_equal(jaring.empty(4).normal_().numpy(), first.numpy())


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: jaring.zeros(3, dtype=np.int64).uniform_(), TypeError, "floating-point"),
        (lambda: jaring.zeros(3).uniform_(2, 1), ValueError, "from=2 > to=1"),
        (lambda: jaring.zeros(3).normal_(0, -1), ValueError, "std >= 0.0"),
        (lambda: jaring.zeros(3).exponential_(0), ValueError, "lambda > 0.0"),
        (lambda: jaring.zeros(3).bernoulli_(1.5), ValueError, r"\[0, 1\]"),
        (lambda: jaring.zeros(3).random_(5, 5), ValueError, "less than 'to'"),
    ],
)
def test_bad_random_fills_say_why(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    ("shape", "wrap"), [((3, 3), False), ((5, 3), False), ((7, 3), True), ((3, 5), False)]
)
def test_fill_diagonal_matches_torch(shape, wrap):
    ours = jaring.zeros(*shape).fill_diagonal_(4.0, wrap=wrap).numpy()
    theirs = torch.zeros(*shape).fill_diagonal_(4.0, wrap=wrap).numpy()
    np.testing.assert_array_equal(ours, theirs)
    cube = jaring.zeros(3, 3, 3).fill_diagonal_(1.0).numpy()
    np.testing.assert_array_equal(cube, torch.zeros(3, 3, 3).fill_diagonal_(1.0).numpy())
    with pytest.raises(ValueError, match="equal length"):
        jaring.zeros(2, 3, 3).fill_diagonal_(1.0)


INDEX = np.array([2, 0])


@pytest.mark.parametrize(
    "change",
    [
        lambda lib, y, src: y.index_add_(1, lib.tensor(INDEX), src),
        lambda lib, y, src: y.index_add_(1, lib.tensor(INDEX), src, alpha=-2.0),
        lambda lib, y, src: y.index_copy_(1, lib.tensor(INDEX), src),
        lambda lib, y, src: y.index_fill_(1, lib.tensor(INDEX), -1.0),
        lambda lib, y, src: y.index_fill_(0, lib.tensor(np.array([-1])), 5.0),
        lambda lib, y, src: y.scatter_(1, lib.tensor(np.array([[1, 0], [3, 2], [0, 3]])), src),
        lambda lib, y, src: y.scatter_(1, lib.tensor(np.array([[1, 0], [3, 2], [0, 3]])), 7.5),
        lambda lib, y, src: y.scatter_add_(1, lib.tensor(np.array([[1, 1], [3, 2], [0, 0]])), src),
    ],
)
def test_index_and_scatter_in_place_match_torch(change):
    results = []
    for lib in (jaring, torch):
        x = lib.tensor(SIGNED.copy(), requires_grad=True)
        src = lib.tensor(RNG.standard_normal((3, 2)) if not results else results[0][3], requires_grad=True)
        y = x * 1
        assert change(lib, y, src) is y
        (y * lib.tensor(WEIGHTS)).sum().backward()
        grad = None if src.grad is None else src.grad.numpy()
        results.append((y.detach().numpy(), x.grad.numpy(), grad, src.detach().numpy()))
    (ours, our_x, our_src, _), (theirs, their_x, their_src, _) = results
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    np.testing.assert_allclose(our_x, their_x, rtol=1e-12)
    if their_src is not None:
        np.testing.assert_allclose(our_src, their_src, rtol=1e-12)


def test_index_arguments_are_checked():
    with pytest.raises(IndexError, match="out of range"):
        jaring.zeros(2, 3).index_fill_(1, jaring.tensor([3]), 1.0)
    with pytest.raises(TypeError, match="1-D integer"):
        jaring.zeros(2, 3).index_fill_(1, jaring.tensor([0.5]), 1.0)
    with pytest.raises(ValueError, match="does not fit"):
        jaring.zeros(2, 3).index_add_(1, jaring.tensor([0, 1]), jaring.ones(2, 3))


@pytest.mark.parametrize(("dim", "index"), [(0, 1), (1, -1), (-1, 0), (2, 3)])
def test_select_matches_torch(dim, index):
    data = RNG.standard_normal((2, 3, 4))
    np.testing.assert_array_equal(
        jaring.tensor(data).select(dim, index).numpy(), torch.tensor(data).select(dim, index).numpy()
    )


def test_select_errors_are_torch_s():
    with pytest.raises(IndexError, match=r"index 3 out of range for tensor of size \[2, 3\] at dimension 0"):
        jaring.zeros(2, 3).select(0, 3)
    with pytest.raises(IndexError, match="Dimension out of range"):
        jaring.zeros(2, 3).select(2, 0)
    with pytest.raises(IndexError, match="0-dim"):
        jaring.tensor(1.0).select(0, 0)


def test_new_empty_detach_and_device_questions():
    x = jaring.ones(2, dtype=np.float64)
    assert x.new_empty(3, 4).shape == (3, 4) and x.new_empty((3,)).dtype == np.float64
    y = jaring.ones(2, requires_grad=True) * 2
    assert y.detach_() is y and y.is_leaf and not y.requires_grad
    assert x.is_cuda is False and torch.ones(2).is_cuda is False
