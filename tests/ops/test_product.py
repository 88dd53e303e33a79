"""prod and cumprod against PyTorch, with zeros in the input where dividing by x would fail."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array, shapes, st


def _with_zeros(shape, seed, count):
    data = random_array(shape, seed=seed)
    flat = data.reshape(-1)
    rng = np.random.default_rng(seed)
    flat[rng.choice(flat.size, size=min(count, flat.size), replace=False)] = 0.0
    return data


@st.composite
def shape_axis_zeros(draw):
    shape = draw(shapes)
    ndim = len(shape)
    axis = None
    if ndim and draw(st.booleans()):
        axis = draw(st.integers(-ndim, ndim - 1))
    return shape, axis, draw(st.integers(0, 3)), draw(st.booleans())


@FAST
@given(case=shape_axis_zeros())
def test_prod_matches_torch_with_zeros(case):
    shape, axis, zeros, keepdim = case
    data = _with_zeros(shape, 5, zeros)
    if axis is None:
        compare_with_torch(lambda x: F.prod(x), lambda x: torch.prod(x), [data])
    else:
        compare_with_torch(
            lambda x: F.prod(x, axis, keepdim), lambda x: torch.prod(x, axis, keepdim=keepdim), [data]
        )


@FAST
@given(case=shape_axis_zeros())
def test_cumprod_matches_torch_with_zeros(case):
    shape, axis, zeros, _ = case
    dim = -1 if axis is None else axis
    data = _with_zeros(shape, 6, zeros)
    compare_with_torch(lambda x: F.cumprod(x, dim), lambda x: torch.cumprod(x, dim), [data])


@pytest.mark.parametrize("zeros", [0, 1, 2])
def test_prod_over_a_tuple_of_axes_with_zeros(zeros):
    data = _with_zeros((3, 2, 4), 7, zeros)
    compare_with_torch(lambda x: F.prod(x, (0, 2)), lambda x: torch.prod(x, 2).prod(0), [data])


@pytest.mark.parametrize("zeros", [0, 1, 2])
def test_gradcheck_with_zeros(zeros):
    data = _with_zeros((3, 4), 8, zeros)
    check_gradients(lambda x: F.prod(x, 1), [data])
    check_gradients(lambda x: F.cumprod(x, 1), [data])


def test_gradient_at_a_single_zero_is_the_product_of_the_others():
    x = jaring.tensor([2.0, 0.0, 3.0], requires_grad=True)
    x.prod().backward()
    assert x.grad.tolist() == [0.0, 6.0, 0.0]
    y = jaring.tensor([2.0, 0.0, 3.0], requires_grad=True)
    y.cumprod(0).sum().backward()  # d/dx0 = 1 + 0 + 0, d/dx1 = 2 + 2*3, d/dx2 = 0
    assert y.grad.tolist() == [1.0, 8.0, 0.0]


def test_pytorch_keyword_spellings():
    data = _with_zeros((3, 4), 9, 1)
    compare_with_torch(lambda x: x.prod(dim=1, keepdim=True), lambda x: x.prod(dim=1, keepdim=True), [data])
    compare_with_torch(
        lambda x: jaring.std(x, dim=0, keepdim=True), lambda x: torch.std(x, dim=0, keepdim=True), [data]
    )
