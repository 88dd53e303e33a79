"""jaring/ops/loss_probabilistic.py: kl_div, poisson_nll_loss and gaussian_nll_loss against PyTorch
(values and gradients of input, target and var in float32 and float64, every reduction and
'batchmean', torch's var shapes and broadcasting, var below eps, the 'mean' warning), float64
gradchecks and the errors."""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.oracle import check_gradients, compare_with_torch, random_array

DTYPES = [np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none", "batchmean"])
@pytest.mark.parametrize(
    "shapes", [((3, 4), (3, 4)), ((1, 4), (1, 4)), ((), ()), ((3, 4), (4,)), ((4,), (2, 4))]
)
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_torch(shapes, reduction, dtype, log_target):
    x = random_array(shapes[0], seed=1).astype(dtype) - 1
    t = random_array(shapes[1], seed=2, low=0.05, high=1.0).astype(dtype)
    t = np.log(t) if log_target else t
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # 'mean' warns in both
        compare_with_torch(
            lambda a, b: F.kl_div(a, b, reduction=reduction, log_target=log_target),
            lambda a, b: TF.kl_div(a, b, reduction=reduction, log_target=log_target),
            [x, t],
        )


def test_kl_div_zero_targets_and_the_mean_warning():
    x, t = np.array([-1.0, -2.0, -0.5], np.float32), np.array([0.0, 0.5, 1.0], np.float32)
    compare_with_torch(lambda a: F.kl_div(a, jaring.tensor(t), reduction="none"),
                       lambda a: TF.kl_div(a, torch.tensor(t), reduction="none"), [x])  # fmt: skip
    target = jaring.tensor(t, requires_grad=True)
    F.kl_div(jaring.tensor(x), target, reduction="sum").backward()
    assert (
        np.isnan(target.grad.numpy()[0]) and np.isfinite(target.grad.numpy()[1:]).all()
    )  # torch's nan at t = 0
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        F.kl_div(jaring.tensor(x), jaring.tensor(t))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("log_input", [True, False])
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((1,), (1,)), ((), ()), ((4,), (3, 4))])
def test_poisson_nll_loss_matches_torch(shapes, full, log_input, reduction, dtype):
    x = random_array(shapes[0], seed=3).astype(dtype)
    x = x if log_input else np.abs(x) + 0.1
    counts = (
        np.round(random_array(shapes[1], seed=4, low=0.0, high=5.0)).astype(dtype) + 0.25
    )  # no 0: see below
    compare_with_torch(
        lambda a, b: F.poisson_nll_loss(a, b, log_input, full, reduction=reduction),
        lambda a, b: TF.poisson_nll_loss(a, b, log_input, full, reduction=reduction),
        [x, counts],
    )


def test_poisson_full_target_gradient_is_zero_at_zero_counts_where_torch_gives_nan():
    counts = jaring.tensor([0.0, 0.5, 3.0], requires_grad=True)
    F.poisson_nll_loss(jaring.tensor([0.5, 0.5, 0.5]), counts, full=True, reduction="sum").backward()
    np.testing.assert_allclose(counts.grad.numpy()[:2], [-0.5, -0.5])  # -input only, as torch's at 0.5


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize(
    "shapes",
    [((3, 4), (3, 4), (3, 4)), ((3, 4), (3, 4), (3,)), ((3, 4), (3, 4), (3, 1)), ((3, 4), (1, 4), (1, 4)),
     ((1, 4), (1, 4), (1,)), ((4,), (4,), ()), ((2, 3, 4), (2, 3, 4), (2, 1, 4))],
)  # fmt: skip
def test_gaussian_nll_loss_matches_torch(shapes, full, reduction, dtype):
    x, t = random_array(shapes[0], seed=5).astype(dtype), random_array(shapes[1], seed=6).astype(dtype)
    var = random_array(shapes[2], seed=7, low=0.1, high=2.0).astype(dtype)
    if var.ndim:
        var.flat[0] = 1e-8  # below eps: clamped for the value, its gradient passes
    compare_with_torch(
        lambda a, b, v: F.gaussian_nll_loss(a, b, v, full, reduction=reduction),
        lambda a, b, v: TF.gaussian_nll_loss(a, b, v, full, reduction=reduction),
        [x, t, var],
        rtol=1e-4,
    )


def test_gaussian_nll_loss_with_a_number_as_var():
    x, t = random_array((3, 4), seed=8), random_array((3, 4), seed=9)
    compare_with_torch(
        lambda a, b: F.gaussian_nll_loss(a, b, 0.5), lambda a, b: TF.gaussian_nll_loss(a, b, 0.5), [x, t]
    )
    assert F.gaussian_nll_loss(jaring.tensor(x), jaring.tensor(t), 2).item() == pytest.approx(
        TF.gaussian_nll_loss(torch.tensor(x), torch.tensor(t), 2.0).item()
    )  # an int var too (torch accepts only floats)


def test_gradients_against_finite_differences_in_float64():
    x, t = random_array((3, 4), seed=10), random_array((3, 4), seed=11, low=0.1, high=1.0)
    check_gradients(lambda a, b: F.kl_div(a, b, reduction="batchmean"), [x - 1, t])
    check_gradients(lambda a, b: F.kl_div(a, b, reduction="sum", log_target=True), [x, np.log(t)])
    check_gradients(lambda a, b: F.poisson_nll_loss(a, b, full=True), [x, t * 4])
    check_gradients(lambda a, b: F.poisson_nll_loss(a, b, log_input=False, reduction="sum"), [t + 0.5, t * 3])
    check_gradients(lambda a, b, v: F.gaussian_nll_loss(a, b, v, full=True), [x, t, t[:, :1] + 0.5])


def test_errors_in_torchs_words():
    x = jaring.ones(3, 4)
    with pytest.raises(ValueError, match="unknown reduction"):
        F.kl_div(x, x, reduction="bad")
    with pytest.raises(ValueError, match="unknown reduction"):
        F.gaussian_nll_loss(x, x, x, reduction="batchmean")
    with pytest.raises(ValueError, match="broadcast"):
        F.kl_div(x, jaring.ones(5), reduction="sum")
    with pytest.raises(ValueError, match="broadcast"):
        F.poisson_nll_loss(x, jaring.ones(5))
    with pytest.raises(ValueError, match="var has negative entry"):
        F.gaussian_nll_loss(x, x, jaring.tensor([1.0, -1.0, 1.0]))
    with pytest.raises(ValueError, match="var has negative entry"):
        F.gaussian_nll_loss(x, x, -1.0)
    for shape in ((4,), (1, 1), ()):
        with pytest.raises(ValueError, match="var is of incorrect size"):
            F.gaussian_nll_loss(x, x, jaring.ones(*shape))
    with pytest.raises(TypeError, match="eps must be a number"):
        F.poisson_nll_loss(x, x, eps=None)
