"""jaring/ops/tensor_methods_torch.py: torch's Tensor method names, values and gradients against
PyTorch, and the idioms of torch's tutorials."""

import math

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import check_gradients, compare_with_torch, random_array

SAME_CALL = {  # method call -> shapes of the inputs; each runs on jaring and on torch alike
    "clone": (lambda x: x.clone(), [(2, 3)]),
    "contiguous of a transpose": (lambda x: x.T.contiguous(), [(2, 3)]),
    "t of a matrix": (lambda x: x.t(), [(2, 3)]),
    "t of a vector": (lambda x: x.t(), [(3,)]),
    "view_as": (lambda x, y: x.view_as(y), [(2, 3), (3, 2)]),
    "reshape_as": (lambda x, y: x.reshape_as(y), [(2, 3), (6,)]),
    "expand with -1 and a new dim": (lambda x: x.expand(4, -1, 3), [(2, 1)]),
    "expand from a tuple": (lambda x: x.expand((2, 3)), [(1, 3)]),
    "expand_as": (lambda x, y: x.expand_as(y), [(1, 3), (2, 3)]),
    "chunk even": (lambda x: x.chunk(3, 1), [(5, 6)]),
    "chunk uneven": (lambda x: x.chunk(4, 0), [(5, 6)]),
    "chunk more than the length": (lambda x: x.chunk(7, -1), [(5, 6)]),
    "chunk of an empty axis": (lambda x: x.chunk(3), [(0, 2)]),
    "split method": (lambda x: x.split([1, 4], dim=1), [(3, 5)]),
    "unbind": (lambda x: x.unbind(1), [(2, 3)]),
    "narrow": (lambda x: x.narrow(-1, -3, 2), [(2, 4)]),
    "norm": (lambda x: x.norm(), [(3, 4)]),
    "norm of a 0-d": (lambda x: x.norm(), [()]),
    "norm 2 along dim": (lambda x: x.norm(2, 1, True), [(3, 4)]),
    "norm 1": (lambda x: x.norm(1, 0), [(3, 4)]),
    "norm inf": (lambda x: x.norm(math.inf, (0, 1)), [(3, 4)]),
    "norm -inf": (lambda x: x.norm(-math.inf, 1), [(3, 4)]),
    "norm 3": (lambda x: x.norm(3, dim=0, keepdim=True), [(3, 4)]),
    "square": (lambda x: x.square(), [(2, 3)]),
    "mm": (lambda x, y: x.mm(y), [(2, 3), (3, 4)]),
    "bmm": (lambda x, y: x.bmm(y), [(2, 2, 3), (2, 3, 4)]),
    "dot": (lambda x, y: x.dot(y), [(3,), (3,)]),
    "outer": (lambda x, y: x.outer(y), [(3,), (2,)]),
    "where": (lambda x, y: x.where(x > 0, y), [(2, 3), (2, 3)]),
    "tile with fewer reps": (lambda x: x.tile(2), [(2, 3)]),
    "tile with more reps": (lambda x: x.tile((2, 1, 2)), [(2, 3)]),
    "add with alpha": (lambda x, y: x.add(y, alpha=2), [(2, 3), (3,)]),
    "sub with alpha": (lambda x, y: x.sub(y, alpha=0.5), [(2, 3), (3,)]),
    "mul": (lambda x, y: x.mul(y), [(2, 3), (3,)]),
    "div": (lambda x, y: x.div(y), [(2, 3), (3,)]),
    "pow": (lambda x: x.pow(3), [(2, 3)]),
    "neg": (lambda x: x.neg(), [(2, 3)]),
}


@pytest.mark.parametrize("name", sorted(SAME_CALL))
def test_methods_match_torch(name):
    call, shapes = SAME_CALL[name]
    inputs = [random_array(s, seed=50 + i) for i, s in enumerate(shapes)]
    compare_with_torch(call, call, inputs)


def test_index_select_matches_torch_on_each_dim():
    rows = np.array([2, 0, 2])
    for dim, shape in ((0, (3,)), (0, (3, 4)), (1, (2, 4)), (-1, (2, 4))):
        compare_with_torch(
            lambda x, dim=dim: x.index_select(dim, jaring.tensor(rows)),
            lambda x, dim=dim: x.index_select(dim, torch.tensor(rows)),
            [random_array(shape, seed=60)],
        )
    with pytest.raises(ValueError, match="1-D integer tensor"):
        jaring.zeros(2, 3).index_select(0, jaring.tensor([[0]]))


def test_the_norm_of_a_zero_vector_has_a_zero_gradient_as_in_torch():
    x = jaring.zeros(3, requires_grad=True)
    x.norm().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros(3))
    assert jaring.tensor([0.0, 2.0, -1.0]).norm(0).item() == 2.0  # p=0 counts the non-zeros


def test_comparisons_casts_and_counts_under_torchs_names():
    a, b = random_array((2, 3), seed=61), random_array((3,), seed=62)
    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        got = getattr(jaring.tensor(a), name)(jaring.tensor(b))
        np.testing.assert_array_equal(got.numpy(), getattr(torch.tensor(a), name)(torch.tensor(b)).numpy())
    x = jaring.tensor([1.7, -2.2])
    assert (x.int().dtype, x.bool().dtype, x.half().dtype) == (np.int32, np.bool_, np.float16)
    assert x.type_as(jaring.zeros(1, dtype="float64")).dtype == np.float64
    assert jaring.zeros(2, 3).numel() == 6 and jaring.zeros(2, 3).dim() == 2
    assert x.cpu() is x and x.contiguous() is x


def test_the_mnist_example_counts_correct_predictions_as_torch():
    output, target = random_array((6, 10), seed=63), np.array([3, 1, 4, 1, 5, 9])
    pred = jaring.tensor(output).argmax(dim=1, keepdim=True)
    correct = pred.eq(jaring.tensor(target).view_as(pred)).sum().item()
    tpred = torch.tensor(output).argmax(dim=1, keepdim=True)
    assert correct == tpred.eq(torch.tensor(target).view_as(tpred)).sum().item()


def test_nan_to_num_replaces_and_passes_the_gradient_where_finite():
    data = np.array([1.0, np.nan, np.inf, -np.inf, -2.0])
    x, t = jaring.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    for kwargs in ({}, {"nan": 1.0, "posinf": 5.0, "neginf": -5.0}):
        np.testing.assert_array_equal(x.nan_to_num(**kwargs).numpy(), t.nan_to_num(**kwargs).detach().numpy())
    x.nan_to_num().sum().backward()
    t.nan_to_num().sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"return_inverse": True}, {"return_counts": True}, {"dim": 0}, {"dim": 1, "return_inverse": True}],
)
def test_unique_matches_torch(kwargs):
    data = np.array([[3, 1, 3], [1, 2, 3]])
    got, expected = jaring.tensor(data).unique(**kwargs), torch.tensor(data).unique(**kwargs)
    got = got if isinstance(got, tuple) else (got,)
    expected = expected if isinstance(expected, tuple) else (expected,)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.dtype == np.int64
        np.testing.assert_array_equal(g.numpy(), e.numpy())


def test_new_tensors_take_the_dtype_and_the_functions_exist_at_the_top_level():
    x = jaring.zeros(2, dtype="float64")
    assert x.new_zeros(2, 3).dtype == np.float64 and x.new_ones((4,)).shape == (4,)
    assert x.new_full((2, 2), 7).numpy().tolist() == [[7.0, 7.0], [7.0, 7.0]]
    assert x.new_tensor([1, 2]).dtype == np.float64
    m = random_array((2, 3), seed=64)
    assert jaring.norm(jaring.tensor(m)).item() == pytest.approx(torch.norm(torch.tensor(m)).item(), rel=1e-6)
    assert [c.shape for c in jaring.chunk(jaring.tensor(m), 2, 1)] == [(2, 2), (2, 1)]
    assert jaring.transpose(jaring.tensor(m), 0, 1).shape == (3, 2) and jaring.numel(jaring.tensor(m)) == 6


def test_bad_arguments_say_what_is_expected():
    x = jaring.zeros(2, 3)
    with pytest.raises(ValueError, match="at most 2 dimensions"):
        jaring.zeros(2, 2, 2).t()
    with pytest.raises(ValueError, match="two matrices"):
        x.mm(jaring.zeros(3))
    with pytest.raises(ValueError, match=r"\(b, n, m\) and \(b, m, p\)"):
        jaring.zeros(2, 2, 3).bmm(jaring.zeros(3, 3, 4))
    with pytest.raises(ValueError, match="positive int"):
        x.chunk(0)
    with pytest.raises(IndexError, match="narrow"):
        x.narrow(1, 2, 2)
    with pytest.raises(ValueError, match="-1 is not allowed for a new leading"):
        x.expand(-1, 2, 3)
    with pytest.raises(ValueError, match="p must be"):
        x.norm("nuc")


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.clone() * x,
        lambda x: x.norm(),
        lambda x: x.norm(2, 1),
        lambda x: x.norm(3, 0),
        lambda x: x.expand(2, 3, 4).sum(0),
        lambda x: x.chunk(2, 1)[1] * 2,
        lambda x: x.unbind(0)[2],
        lambda x: x.narrow(1, 1, 2).square(),
    ],
    ids=["clone", "norm", "norm dim", "norm 3", "expand", "chunk", "unbind", "narrow square"],
)
def test_gradients_against_finite_differences_in_float64(call):
    check_gradients(call, [random_array((3, 4), seed=65)])
