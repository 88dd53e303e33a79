"""jaring/autograd/function.py: Function.apply records the graph only when needed; grad modes."""

import numpy as np
import pytest

import jaring
from jaring.autograd.function import Context, Function, apply_binary, binary_operator


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


def test_binary_operator_records_as_apply_binary_and_hands_everything_else_on():
    from jaring.ops.arith import Div, Mul

    handed = []
    mul = binary_operator(Mul, lambda a, b: handed.append((a, b)) or "other way")
    a, b = jaring.tensor([2.0], requires_grad=True), jaring.tensor([5.0])
    out = mul(a, b)
    assert out._ctx.fn is Mul and out._ctx.parents == (a, b) and out.requires_grad and out.item() == 10.0
    out.backward()
    assert a.grad.item() == 5.0
    assert mul(jaring.tensor([2.0]), b)._ctx is None
    with jaring.no_grad():
        quiet = mul(a, b)
    assert quiet._ctx is None and not quiet.requires_grad
    # 0-d inputs: NumPy returns a scalar, the Tensor holds a 0-d array all the same
    zero_d = mul(jaring.tensor(2.0, requires_grad=True), jaring.tensor(3.0))
    assert type(zero_d.data) is np.ndarray and zero_d.shape == () and zero_d._ctx.fn is Mul
    # equal dtypes that are not one object still take the recorded path
    tagged = np.dtype(np.float32, metadata={"tag": 1})
    assert tagged == np.float32 and tagged is not np.dtype(np.float32)
    c = jaring.tensor(np.ones(2, np.float32), requires_grad=True)
    assert mul(c, jaring.tensor(np.ones(2, tagged)))._ctx.fn is Mul
    # other dtypes, numbers and, for floats_only, integers go the other way
    assert mul(a, jaring.tensor([1], dtype="int64")) == "other way" and mul(a, 3.0) == "other way"
    div = binary_operator(Div, lambda a, b: "other way", floats_only=True)
    assert div(jaring.tensor([4]), jaring.tensor([2])) == "other way"
    assert div(a, jaring.tensor([4.0]))._ctx.fn is Div
    assert len(handed) == 2 and mul.__name__ == "mul_operator"


def test_a_function_without_forward_says_so():
    with pytest.raises(NotImplementedError):
        Function.apply(jaring.tensor([1.0]))
