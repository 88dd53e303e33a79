"""jaring/autograd/function.py: Function.apply records the graph only when needed; grad modes."""

import numpy as np
import pytest

import jaring
from jaring.autograd.function import Context, Function, apply_binary


class Square(Function):
    @staticmethod
    def forward(ctx: Context, a, scale=1.0):
        ctx.save_for_backward(a)
        ctx.scale = scale
        return scale * a * a

    @staticmethod
    def backward(ctx: Context, grad):
        (a,) = ctx.saved
        return grad * 2 * ctx.scale * a


def test_apply_records_only_when_an_input_requires_grad_and_grad_mode_is_on():
    x = jaring.tensor([3.0], requires_grad=True)
    y = Square.apply(x, scale=2.0)
    assert y._ctx.fn is Square and y._ctx.parents == (x,) and y._ctx.needs_input_grad == [True]
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [12.0])
    assert Square.apply(jaring.tensor([3.0]))._ctx is None
    with jaring.no_grad():
        assert Square.apply(x)._ctx is None
        with jaring.enable_grad():
            assert Square.apply(x)._ctx is not None
    assert jaring.is_grad_enabled()


def test_set_grad_enabled_works_as_a_context_and_restores_the_mode():
    with jaring.set_grad_enabled(False):
        assert not jaring.is_grad_enabled()
    assert jaring.is_grad_enabled()


def test_apply_binary_is_apply_for_two_inputs_without_attributes():
    from jaring.ops.arith import Mul

    a, b = jaring.tensor([2.0], requires_grad=True), jaring.tensor([5.0])
    out = apply_binary(Mul, a, b)
    assert out._ctx.fn is Mul and out.item() == 10.0
    assert apply_binary(Mul, jaring.tensor([2.0]), b)._ctx is None


def test_a_function_without_forward_says_so():
    with pytest.raises(NotImplementedError):
        Function.apply(jaring.tensor([1.0]))
