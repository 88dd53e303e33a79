"""L1/L2 penalties: values and gradients equal the same expression written in PyTorch."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jaring
from jaring.ops.penalty import l1_penalty, l2_penalty, penalty
from tests.oracle import FAST, away_from, check_gradients, compare_with_torch, random_array, shapes


def _torch_penalty(tensors, l1, l2):
    return sum(l1 * t.abs().sum() + l2 * (t**2).sum() for t in tensors)


@pytest.mark.parametrize("l1, l2", [(0.1, 0.0), (0.0, 0.3), (0.05, 0.2)])
@FAST
@given(shape_list=st.lists(shapes, min_size=1, max_size=3))
def test_penalty_matches_torch(l1, l2, shape_list):
    arrays = [random_array(s, seed=i) for i, s in enumerate(shape_list)]
    arrays[0].reshape(-1)[0] = 0.0  # |w| at 0: both libraries use gradient 0
    compare_with_torch(
        lambda *ws: penalty(list(ws), l1=l1, l2=l2), lambda *ts: _torch_penalty(ts, l1, l2), arrays
    )


def test_single_penalties_match_torch():
    w = random_array((4, 5), seed=3)
    compare_with_torch(lambda x: l1_penalty(x, 0.5), lambda x: 0.5 * x.abs().sum(), [w])
    compare_with_torch(lambda x: l2_penalty([x], 0.5), lambda x: 0.5 * (x**2).sum(), [w])


def test_gradcheck_float64():
    arrays = [away_from(random_array((3, 2), seed=1), [0.0]), away_from(random_array((4,), seed=2), [0.0])]
    check_gradients(lambda a, b: penalty([a, b], l1=0.3, l2=0.7), arrays)


def test_dtype_follows_the_weights_and_only_requested_grads_are_computed():
    w = jaring.tensor(np.ones((2, 2), np.float32), requires_grad=True)
    frozen = jaring.tensor(np.ones(3, np.float32))
    out = penalty([w, frozen], l1=1.0, l2=1.0)
    assert out.dtype == np.float32 and out.shape == () and out.item() == 14.0
    (out * 2).backward()
    np.testing.assert_array_equal(w.grad.numpy(), np.full((2, 2), 6.0, np.float32))
    assert w.grad.dtype == np.float32 and frozen.grad is None


def test_zero_strengths_give_a_constant_zero():
    out = penalty([jaring.tensor([1.0, -2.0], requires_grad=True)])
    assert out.item() == 0.0 and not out.requires_grad


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda w: penalty([w], l1=-0.1), ValueError, "l1 must be in"),
        (lambda w: l2_penalty([w], "big"), TypeError, "l2 must be a number"),
        (lambda w: penalty([], l2=0.1), ValueError, "no tensors given"),
        (lambda w: penalty([np.ones(3)], l2=0.1), TypeError, "not a jaring Tensor"),
        (lambda w: penalty([jaring.tensor([1, 2])], l1=0.1), TypeError, "float tensors"),
        (lambda w: penalty(3.0, l1=0.1), TypeError, "a Tensor or a list of Tensors"),
    ],
)
def test_bad_input_raises(call, error, message):
    w = jaring.tensor([1.0, -2.0], requires_grad=True)
    with pytest.raises(error, match=message):
        call(w)
