"""jaring/ops/tensor_methods.py: Tensor's operators and methods are the ops, installed from above."""

import numpy as np

import jaring
import jaring.functional as F
from jaring.autograd.tensor import Tensor
from jaring.ops.tensor_methods import METHODS, install_tensor_methods


def test_every_method_is_installed_on_tensor():
    for name, method in METHODS.items():
        assert Tensor.__dict__[name] is method, name


def test_installing_again_changes_nothing():
    x = jaring.tensor([[1.0, -2.0]], requires_grad=True)
    install_tensor_methods(Tensor)
    y = (x * 2 + 1) @ jaring.ones(2, 1)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[2.0, 2.0]])


def test_methods_give_what_the_functional_ops_give():
    x = jaring.tensor(np.arange(6.0).reshape(2, 3))
    pairs = [
        (x.T, F.transpose(x)),
        (x.sum(axis=1), F.sum(x, 1)),
        (x.reshape(3, 2), F.reshape(x, 3, 2)),
        (x.flatten(), F.flatten(x)),
        (x.clamp(1, 4), F.clamp(x, 1, 4)),
        (x[1, ::2], F.getitem(x, (1, slice(None, None, 2)))),
        (x.softmax(), F.softmax(x, -1)),
        (abs(-x), F.abs(F.neg(x))),
        (2**x, F.pow(2, x)),
    ]
    for method, function in pairs:
        np.testing.assert_array_equal(method.numpy(), function.numpy())
