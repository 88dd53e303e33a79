"""grad_fn and is_leaf, shaped like torch's autograd nodes."""

import jaring


def test_leaves_have_no_grad_fn():
    w = jaring.tensor([1.0], requires_grad=True)
    assert w.grad_fn is None and w.is_leaf
    assert jaring.tensor([1.0]).grad_fn is None


def test_grad_fn_prints_and_walks_like_torch():
    a = jaring.tensor([1.0, 2.0], requires_grad=True)
    b = jaring.tensor([3.0, 4.0])
    y = (a + b).relu() * a
    assert repr(y.grad_fn) == "<MulBackward>" and y.grad_fn.name() == "MulBackward"
    assert not y.is_leaf
    (relu, _), (leaf, _) = y.grad_fn.next_functions
    assert repr(relu) == "<ReLUBackward>"
    assert leaf.name() == "AccumulateGrad" and leaf.variable is a
    ((add, _),) = relu.next_functions
    assert add.next_functions[1] == (None, 0)  # b needs no gradient
    assert y.grad_fn == y.grad_fn and hash(y.grad_fn) == hash(y.grad_fn)


def test_no_grad_results_have_no_grad_fn():
    a = jaring.tensor([1.0], requires_grad=True)
    with jaring.no_grad():
        assert (a * 2).grad_fn is None
