"""In-place ops: torch's rules for leaves and no_grad, values and gradients against PyTorch."""

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import compare_with_torch, random_array


def test_gradient_descent_by_hand_keeps_the_same_leaf():
    w = jaring.tensor([1.0, 2.0, 3.0], requires_grad=True)
    same = id(w)
    for _ in range(3):
        loss = (w * w).sum()
        loss.backward()
        with jaring.no_grad():
            w -= 0.1 * w.grad
        w.grad.zero_()
    assert id(w) == same and w.requires_grad and w.is_leaf
    np.testing.assert_allclose(w.numpy(), np.array([1.0, 2.0, 3.0]) * 0.8**3, rtol=1e-6)
    np.testing.assert_array_equal(w.grad.numpy(), np.zeros(3))
    assert w._version == 3


def test_in_place_on_a_leaf_that_requires_grad_raises_torchs_error():
    w = jaring.tensor([1.0, 2.0], requires_grad=True)
    for change in (lambda: w.add_(1), lambda: w.mul_(2), lambda: w.zero_(), lambda: w.__setitem__(0, 1.0)):
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used"):
            change()
    np.testing.assert_array_equal(w.numpy(), [1.0, 2.0])
    assert w._version == 0


def test_writes_reach_shared_numpy_memory():
    array = np.zeros(3, np.float32)
    t = jaring.from_numpy(array)
    t += 1
    t.mul_(3)
    t[0] = 7
    np.testing.assert_array_equal(array, [7, 3, 3])


@pytest.mark.parametrize(
    "name, args",
    [
        ("add_", (2.5,)),
        ("sub_", (np.float32(1.5),)),
        ("mul_", ("other",)),
        ("div_", ("other",)),
        ("clamp_", (-0.5, 0.5)),
        ("fill_", (3.0,)),
        ("zero_", ()),
        ("copy_", ("other",)),
    ],
)
def test_recorded_in_place_on_a_non_leaf_matches_torch(name, args):
    x = random_array((3, 4), seed=1)
    other = random_array((4,), seed=2, low=0.5, high=2.0)

    def run(lib, a, b):
        y = a * 2  # a non-leaf, so the in-place op is recorded
        getattr(y, name)(*[b if v == "other" else v for v in args])
        return y * a

    compare_with_torch(lambda a, b: run(jaring, a, b), lambda a, b: run(torch, a, b), [x, other])


def test_operators_and_alpha_match_torch():
    x = random_array((2, 3), seed=3)
    y = random_array((2, 3), seed=4, low=0.5, high=2)

    def run(a, b):
        h = a * 1
        h += b
        h -= a
        h *= b
        h /= b + 1
        h.add_(a, alpha=0.5)
        h.sub_(b, alpha=2)
        return h

    compare_with_torch(run, run, [x, y])


def test_setitem_matches_torch_values_and_gradients():
    x = random_array((4, 3), seed=5)
    v = random_array((3,), seed=6)

    def run(a, b):
        h = a * 1
        h[1] = b
        h[2:, 0] = 5.0
        h[np.array([0, 3]), 1] = b[0] * 2
        return h * h

    compare_with_torch(run, run, [x, v])


def test_x_add_x_reads_the_old_values():
    a = jaring.tensor([1.0, 2.0], requires_grad=True)
    h = a * 1
    h.add_(h)
    h.sum().backward()
    np.testing.assert_array_equal(h.numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(a.grad.numpy(), [2.0, 2.0])


def test_untracked_tensor_becomes_part_of_the_graph():
    x = jaring.zeros(3)
    w = jaring.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x.add_(w)
    assert x.requires_grad and not x.is_leaf
    (x * x).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 4.0, 6.0])


def test_dtype_and_shape_rules_follow_torch():
    ints = jaring.tensor([1, 2])
    cast_error = "result type float32 can't be cast to the desired output type int64"
    with pytest.raises(RuntimeError, match=cast_error):
        ints += 0.5
    with pytest.raises(RuntimeError, match="can't be cast"):
        ints.div_(2)
    ints.copy_(jaring.tensor([1.7, 2.2]))  # copy_ casts, as torch's does
    np.testing.assert_array_equal(ints.numpy(), [1, 2])
    small = jaring.zeros(3)
    shape_error = r"output with shape \(3,\) doesn't match the broadcast shape \(2, 3\)"
    with pytest.raises(RuntimeError, match=shape_error):
        small.add_(jaring.ones(2, 3))
    doubles = jaring.zeros(2, dtype="float64")
    doubles.add_(jaring.ones(2))
    assert doubles.dtype == np.float64
    with pytest.raises(TypeError, match="fill_: value must be a number"):
        small.fill_("a")


def test_read_only_memory_gives_a_clear_error():
    view = jaring.ones(3).broadcast_to((2, 3)).detach()
    with pytest.raises(RuntimeError, match="add_: cannot write into this tensor's memory"):
        view.add_(1)


@pytest.mark.parametrize(
    "change",
    [
        lambda y: y.add_(y * 2),
        lambda y: y.mul_(y + 1),
        lambda y: y.sub_(y.exp(), alpha=0.5),
        lambda y: y.add_(y * 2).mul_(y.sum()),
        lambda y: y.__setitem__(0, y[1] * 3),
        lambda y: y.copy_(y.flip(0) + y),
    ],
)
def test_an_operand_computed_from_the_tensor_itself_keeps_its_gradient(change):
    # y.add_(y * 2): y * 2 was recorded with the tensor object y, which then names the new node;
    # backward must still see the old y there, as torch's graph does (it had given x no gradient)
    torch = pytest.importorskip("torch")
    grads = []
    for lib in (jaring, torch):
        x = lib.tensor(np.array([1.0, 2.0, 0.5]), requires_grad=True)
        y = x * 1
        change(y)
        (y * lib.tensor(np.array([1.0, -2.0, 3.0]))).sum().backward()
        grads.append((y.detach().numpy(), x.grad.numpy()))
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-12)
    np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-12)


def test_an_operand_holding_an_older_version_raises_instead_of_losing_the_gradient():
    x = jaring.tensor(np.ones(3), requires_grad=True)
    y = x * 1
    older = y * 2  # recorded with y before its first in-place op
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.add_(older)


def test_two_recorded_in_place_adds_on_a_long_chain_give_the_chain_rule_s_gradient():
    x = jaring.ones(4, requires_grad=True)
    y = x
    for _ in range(3000):
        y = y * 1.0001
    z = y * 1
    z.add_(y)  # walks the 3000 nodes once
    w = z * 1
    w.add_(z)  # only what was recorded since z.add_
    (w.sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), np.full(4, 4 * 1.0001**3000), rtol=1e-4)
