"""Reductions: values and gradients against PyTorch over axes, tuples and keepdims."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array, shapes


@st.composite
def shape_and_axis(draw):
    shape = draw(shapes)
    ndim = len(shape)
    if ndim == 0 or draw(st.booleans()):
        return shape, None
    axis_values = st.integers(-ndim, ndim - 1)
    axes = draw(st.lists(axis_values, min_size=1, max_size=ndim, unique_by=lambda a: a % ndim))
    return shape, axes[0] if len(axes) == 1 else tuple(axes)


def _torch_dims(axis, ndim):
    return tuple(range(ndim)) if axis is None else axis


REDUCTIONS = {
    "sum": (F.sum, lambda x, d, k: torch.sum(x, dim=d, keepdim=k)),
    "mean": (F.mean, lambda x, d, k: torch.mean(x, dim=d, keepdim=k)),
    "max": (F.max, lambda x, d, k: torch.amax(x, dim=d, keepdim=k)),
    "min": (F.min, lambda x, d, k: torch.amin(x, dim=d, keepdim=k)),
    "logsumexp": (F.logsumexp, lambda x, d, k: torch.logsumexp(x, dim=d, keepdim=k)),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("keepdims", [False, True])
@FAST
@given(case=shape_and_axis())
def test_reduction_matches_torch(name, keepdims, case):
    shape, axis = case
    jfn, tfn = REDUCTIONS[name]
    a = random_array(shape, seed=11)
    dims = _torch_dims(axis, len(shape))
    compare_with_torch(lambda x: jfn(x, axis, keepdims), lambda x: tfn(x, dims, keepdims), [a])


@pytest.mark.parametrize("correction", [0, 1])
@FAST
@given(case=shape_and_axis())
def test_var_matches_torch(correction, case):
    shape, axis = case
    a = random_array(shape, seed=12)
    count = int(np.prod([shape[i] for i in np.atleast_1d(axis if axis is not None else range(len(shape)))]))
    if count <= correction:
        return  # torch and jaring both give nan/inf there; covered in test_var_of_single_element_is_nan
    compare_with_torch(
        lambda x: F.var(x, axis, correction=correction),
        lambda x: torch.var(x, dim=_torch_dims(axis, len(shape)), correction=correction),
        [a],
        rtol=1e-4,
    )


def test_var_of_single_element_is_nan_like_torch():
    assert np.isnan(F.var(jaring.tensor([3.0])).item())


def test_max_ties_share_gradient_like_amax():
    a = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], np.float32)
    compare_with_torch(lambda x: F.max(x, 1), lambda x: torch.amax(x, 1), [a])
    compare_with_torch(lambda x: F.max(x), lambda x: torch.amax(x), [a])


@pytest.mark.filterwarnings("error")  # 0 / 0 on the way would warn
@pytest.mark.parametrize("name", ["max", "min"])
def test_a_nan_is_the_extreme_and_takes_the_gradient_as_in_torch(name):
    a = np.array([[np.nan, 1.0, 2.0], [3.0, 4.0, 2.5], [5.0, np.nan, 0.0]], np.float32)
    values = getattr(torch, name)
    # over everything: torch.max(x) / torch.min(x) send the gradient to the NaN, nowhere else
    compare_with_torch(getattr(F, name), values, [a])
    # along an axis, one NaN per row: it takes that row's gradient, as torch.max(x, dim) routes it
    compare_with_torch(lambda x: getattr(F, name)(x, 1), lambda x: values(x, 1).values, [a])
    x = jaring.tensor(a, requires_grad=True)
    getattr(F, name)(x, 0).sum().backward()
    assert np.isfinite(x.grad.numpy()).all()


def test_logsumexp_is_stable_for_huge_and_minus_infinite_inputs():
    x = jaring.tensor([[1000.0, 1000.0], [-np.inf, -np.inf]])
    out = F.logsumexp(x, axis=1).numpy()
    np.testing.assert_allclose(out[0], 1000.0 + np.log(2.0))
    assert out[1] == -np.inf


def test_dim_keyword_and_methods():
    x = jaring.tensor(random_array((2, 3), seed=13))
    np.testing.assert_allclose(x.sum(dim=1).numpy(), x.numpy().sum(1), rtol=1e-6)
    np.testing.assert_allclose(x.mean(axis=[0, 1]).numpy(), x.numpy().mean(), rtol=1e-6)
    with pytest.raises(TypeError, match="either axis= or dim="):
        x.sum(axis=0, dim=0)


@pytest.mark.parametrize(
    "fn",
    [
        lambda a: F.sum(a * a, axis=(0, 2)),
        lambda a: F.mean(a, axis=1, keepdims=True) * a,
        lambda a: F.max(a, axis=-1),
        lambda a: F.min(a, axis=(0, 1)),
        lambda a: F.var(a, axis=1),
        lambda a: F.logsumexp(a, axis=2),
    ],
)
def test_gradcheck_float64(fn):
    check_gradients(fn, [random_array((2, 3, 4), seed=14).astype(np.float64)])


def test_bad_axis_is_a_clear_error():
    with pytest.raises(ValueError, match="out of range"):
        F.sum(jaring.ones(2, 3), axis=2)
    with pytest.raises(ValueError, match=r"sum: axis=\(0, -2\) names the same axis twice"):
        F.sum(jaring.ones(2, 3), axis=(0, -2))
    with pytest.raises(ValueError, match="empty"):
        F.max(jaring.zeros(0))


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "logsumexp", "var"])
@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.filterwarnings("ignore:var\\(\\)")  # torch warns that one value has no variance
def test_axis_0_and_minus_1_of_a_scalar_work_as_in_torch(name, axis):
    def torch_fn(t):
        if name in ("max", "min"):
            return getattr(torch, "a" + name)(t, dim=axis)
        return getattr(torch, name)(t, dim=axis)

    compare_with_torch(
        lambda x: getattr(F, name)(x, axis=axis), torch_fn, [np.array(1.5, np.float32)], atol=1e-6
    )


@pytest.mark.parametrize("shape, axis", [((1, 3), 0), ((1,), None), ((2, 1), 1), ((1, 1), None)])
@pytest.mark.filterwarnings("ignore:var\\(\\)")
def test_var_of_a_single_sample_is_nan_in_value_and_gradient_as_in_torch(shape, axis):
    data = random_array(shape, 5)
    correction = 1  # the variance of a batch of one: 0 / 0
    x = jaring.tensor(data, requires_grad=True)
    t = torch.tensor(data, requires_grad=True)
    out = F.var(x, axis=axis, correction=correction)
    expected = torch.var(t, dim=axis, correction=correction)
    np.testing.assert_array_equal(out.numpy(), expected.detach().numpy())
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())


@pytest.mark.parametrize("correction", [0, 1])
@pytest.mark.parametrize("keepdims", [False, True])
@FAST
@given(case=shape_and_axis())
def test_std_matches_torch(correction, keepdims, case):
    shape, axis = case
    a = random_array(shape, seed=13)
    axes = range(len(shape)) if axis is None else np.atleast_1d(axis)
    if int(np.prod([shape[i] for i in axes])) <= correction:
        return  # nan or inf, as var (test_var_of_single_element_is_nan)
    compare_with_torch(
        lambda x: x.std(axis, keepdims, correction=correction),
        lambda x: torch.std(x, dim=_torch_dims(axis, len(shape)), correction=correction, keepdim=keepdims),
        [a],
    )


def test_std_gradcheck_and_top_level():
    check_gradients(lambda x: F.std(x, 1), [random_array((3, 4), seed=14)])
    assert np.isclose(jaring.std(jaring.tensor([1.0, 3.0])).item(), np.sqrt(2.0))


@pytest.mark.parametrize(
    "name,shape,dim",
    [("amax", (0, 3), 1), ("amin", (0, 3), 1), ("amax", (2, 0, 3), 2), ("logsumexp", (3, 0), 1),
     ("logsumexp", (0, 3), 1), ("logsumexp", (0, 3), 0), ("sum", (3, 0), 1), ("mean", (0, 3), 1)],
)  # fmt: skip
def test_reductions_of_empty_tensors_match_torch(name, shape, dim):
    # an empty input reduced along an axis that has elements gives an empty result; logsumexp over
    # an axis of length 0 gives -inf (the log of an empty sum), as in PyTorch
    compare_with_torch(
        lambda x: getattr(x, name)(dim), lambda x: getattr(torch, name)(x, dim), [random_array(shape, 25)]
    )


def test_max_over_an_axis_of_length_zero_is_refused():
    with pytest.raises(ValueError, match=r"empty axis \(length 0\) has no value \(input shape \(3, 0\)\)"):
        jaring.zeros(3, 0).amax(1)


@pytest.mark.parametrize(
    "name", ["sum", "mean", "var", "std", "prod", "logsumexp", "amax", "amin", "any", "all"]
)
def test_every_reduction_takes_torchs_dim_and_keepdim_and_numpys_axis_and_keepdims(name):
    x = random_array((2, 3), seed=42)
    t = torch.tensor(x)
    expected = getattr(t, name)(dim=1, keepdim=True)
    for got in (
        getattr(jaring.tensor(x), name)(dim=1, keepdim=True),
        getattr(jaring.tensor(x), name)(axis=1, keepdims=True),
        getattr(jaring, name)(jaring.tensor(x), 1, keepdim=True),
    ):
        assert got.shape == tuple(expected.shape) == (2, 1)
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-6)
