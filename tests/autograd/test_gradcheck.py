"""gradcheck itself: passes correct gradients, names the worst element of wrong ones."""

import numpy as np
import pytest

import jaring
from jaring.autograd.function import Context, Function


class WrongSquare(Function):
    """x**2 with a deliberately wrong derivative (3x instead of 2x)."""

    @staticmethod
    def forward(ctx: Context, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx: Context, grad):
        return grad * 3 * ctx.saved[0]


def test_gradcheck_accepts_correct_gradients_and_converts_to_float64():
    x = jaring.tensor(np.array([0.3, -1.2, 2.0], np.float32), requires_grad=True)
    assert jaring.gradcheck(lambda t: (t * t).exp(), [x])


def test_gradcheck_names_the_worst_element_and_both_values():
    x = jaring.tensor([1.0, -2.0, 0.5], requires_grad=True)
    expected = r"index \(1,\).*backward gave -6.*finite differences gave -4"
    with pytest.raises(jaring.GradcheckError, match=expected):
        jaring.gradcheck(lambda t: WrongSquare.apply(t).sum(), [x])


def test_gradcheck_needs_an_input_that_requires_grad():
    with pytest.raises(ValueError, match="requires grad"):
        jaring.gradcheck(lambda t: t * 2, [jaring.tensor([1.0])])


def test_gradcheck_lifts_plain_arrays():
    assert jaring.gradcheck(lambda a, b: a @ b, [np.ones((2, 3)), np.ones((3,))])
