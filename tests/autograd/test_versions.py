"""Version counters: backward raises torch's error instead of using values changed in place."""

import numpy as np
import pytest

import jaring

VERSION_ERROR = "one of the variables needed for gradient computation has been modified by an inplace"


def test_a_saved_input_changed_under_no_grad_raises_with_versions():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    with jaring.no_grad():
        x.mul_(2)
    with pytest.raises(RuntimeError, match=VERSION_ERROR) as info:
        y.sum().backward()
    assert "is at version 1; expected version 0 instead" in str(info.value)
    assert "input 0 used by Mul" in str(info.value)


def test_a_saved_output_changed_in_place_raises():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    z = y.sum()
    with jaring.no_grad():
        y.add_(1)
    with pytest.raises(RuntimeError, match="the output made by Exp"):
        z.backward()


def test_ops_that_saved_nothing_still_backpropagate():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = (x + 1).sum()  # add saves no array
    with jaring.no_grad():
        x.mul_(3)
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])


def test_changes_before_the_op_are_fine():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    with jaring.no_grad():
        x.mul_(3)
        x.add_(1)
    assert x._version == 2
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [8.0, 14.0])


def test_a_recorded_change_after_use_raises_instead_of_rerouting_the_gradient():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    used = (h * 2).sum()  # MulScalar saves only its number; the graph link still points at h
    h.mul_(3)
    with pytest.raises(RuntimeError, match="expected version 0 instead"):
        used.backward()


def test_the_version_message_counts_several_changes():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    with jaring.no_grad():
        x.add_(1)
    y = x * x
    with jaring.no_grad():
        x.add_(1)
        x.add_(1)
    with pytest.raises(RuntimeError, match="is at version 3; expected version 1 instead"):
        y.sum().backward()


def test_a_write_through_a_view_is_caught():
    x = jaring.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * x
    with jaring.no_grad():
        row = x[0]  # a NumPy view of x's memory
        row += 10
    assert x[0].tolist() == [11.0, 12.0]  # the write reached x, as in torch
    with pytest.raises(RuntimeError, match="input 0 used by Mul, is at version 1; expected version 0"):
        y.sum().backward()


def test_unrelated_writes_do_not_disturb_backward():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3.0).exp() * x
    other = jaring.zeros(2)
    other += 1  # another tensor's memory
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([3.0, 6.0]) * (1 + 3 * np.array([1.0, 2.0])), rtol=1e-5)


def test_a_long_update_loop_keeps_the_bookkeeping_small():
    w = jaring.tensor([1.0], requires_grad=True)
    with jaring.no_grad():
        for _ in range(1000):
            w -= 0.0
    assert w._version == 1000 and len(w._stamps) <= 16
    y = w * w
    with jaring.no_grad():
        w.add_(1)
    with pytest.raises(RuntimeError, match="is at version 1001; expected version 1000 instead"):
        y.sum().backward()
