"""jaring/ops/tensor_methods_more.py (and frac, take, masked_fill_): torch's method names,
values and gradients against PyTorch, layout queries and the in-place rules."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import FAST, CASES, away_from, check_gradients, compare_with_torch, random_array, shapes

SAME_CALL = {
    "clip": (lambda x: x.clip(-0.5, 0.5), [(2, 3)]),
    "clip min only": (lambda x: x.clip(min=0.0), [(4,)]),
    "frac method": (lambda x: x.frac(), [(2, 3)]),
    "take": (lambda x: x.take(torch_or_jaring_index(x, [[0, -1], [4, 4]])), [(2, 3)]),
    "take of a 0-d": (lambda x: x.take(torch_or_jaring_index(x, 0)), [()]),
    "median method": (lambda x: tuple(x.median(-1, keepdim=True)), [(2, 3)]),
    "trace method": (lambda x: x.trace(), [(3, 3)]),
    "kron method": (lambda x, y: x.kron(y), [(2,), (2, 2)]),
    "cross method": (lambda x, y: x.cross(y, dim=0), [(3, 2), (3, 2)]),
    "diff method": (lambda x: x.diff(), [(2, 4)]),
    "addmm method": (lambda x, a, b: x.addmm(a, b, alpha=3), [(2, 2), (2, 3), (3, 2)]),
    "mT": (lambda x: x.mT, [(2, 3, 4)]),
    "masked_fill_ of a result": (lambda x: (x * 1).masked_fill_(x > 0, 0.5), [(2, 3)]),
}


def torch_or_jaring_index(like, values):
    data = np.array(values, dtype=np.int64)
    return torch.tensor(data) if isinstance(like, torch.Tensor) else jaring.tensor(data)


@pytest.mark.parametrize("case", SAME_CALL)
def test_method_matches_torch(case):
    fn, in_shapes = SAME_CALL[case]
    inputs = [away_from(random_array(s, seed=i), [0.0, 0.5, -0.5]) for i, s in enumerate(in_shapes)]
    compare_with_torch(fn, fn, inputs)


@FAST
@given(shape=shapes)
def test_frac_matches_torch_with_gradient_one(shape):
    x = random_array(shape, seed=8, low=-4, high=4)
    compare_with_torch(jaring.frac, torch.frac, [x])
    check_gradients(jaring.frac, [away_from(x, [-3, -2, -1, 0, 1, 2, 3])])


def test_take_sums_repeated_gradients_and_refuses_bad_indices():
    check_gradients(lambda x: jaring.take(x, jaring.tensor([1, 1, -6, 5])), [random_array((2, 3))])
    with pytest.raises(IndexError, match="out of range: tried to access index 6 on a tensor of 6 elements"):
        jaring.take(jaring.zeros(2, 3), jaring.tensor([6]))
    with pytest.raises(TypeError, match="take\\(\\): Expected a long tensor for index"):
        jaring.take(jaring.zeros(2, 3), jaring.tensor([1.0]))


@pytest.mark.parametrize(
    "make",
    [
        lambda: np.zeros((2, 3), np.float32),
        lambda: np.zeros((2, 3), np.float32).T,
        lambda: np.zeros((4, 3), np.float32)[::2],
        lambda: np.zeros((), np.float32),
    ],
)
def test_layout_queries_match_torch(make):
    data = make()
    j, t = jaring.from_numpy(data), torch.from_numpy(data)  # both share the array's layout
    assert j.is_contiguous() is t.is_contiguous() and j.t().is_contiguous() is t.t().is_contiguous()
    assert (
        j.contiguous().is_contiguous() and j.ndimension() == t.ndimension() and j.nelement() == t.nelement()
    )
    for dtype in (np.float32, np.float64, np.int64, np.int32, np.bool_):
        assert (
            jaring.tensor(data.astype(dtype)).element_size()
            == torch.tensor(data.astype(dtype)).element_size()
        )
    CASES["torch"] += 1


def test_masked_fill_in_place_follows_the_inplace_rules():
    x = jaring.tensor([1.0, 2.0, 3.0])
    same = x.masked_fill_(jaring.tensor([True, False, True]), -1.0)
    assert same is x and x.tolist() == [-1.0, 2.0, -1.0] and x._version == 1
    w = jaring.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        w.masked_fill_(jaring.tensor([True, False, False]), 0.0)
    with jaring.no_grad():
        w.masked_fill_(jaring.tensor([True, False, False]), 0.0)
    assert w.tolist() == [0.0, 1.0, 1.0] and w.requires_grad
    y = w * 2
    y.masked_fill_(jaring.tensor([False, True, False]), 5.0)
    y.sum().backward()
    assert w.grad.tolist() == [2.0, 0.0, 2.0]
    with pytest.raises(TypeError, match="mask must be boolean"):
        jaring.zeros(2).masked_fill_(jaring.tensor([1, 0]), 1.0)


def test_clip_is_clamp_top_level_and_in_place():
    x = jaring.tensor([-2.0, 0.5, 3.0])
    assert jaring.clip(x, -1, 1).tolist() == torch.clip(torch.tensor([-2.0, 0.5, 3.0]), -1, 1).tolist()
    assert x.clip_(max=1.0) is x and x.tolist() == [-2.0, 0.5, 1.0]
