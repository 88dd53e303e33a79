"""jaring/ops/loss_robust.py: l1, smooth L1 and Huber losses, normalize and cosine similarity,
values and gradients against PyTorch (ties at d = 0 and zero vectors included), float64
gradchecks, the loss modules and their names."""

import numpy as np
import pytest
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from jaring import nn
from tests.oracle import check_gradients, compare_with_torch, random_array


def _pair(shape, seed):
    pred, target = random_array(shape, seed=seed) * 2, random_array(shape, seed=seed + 1) * 2
    target.flat[::3] = pred.flat[::3]  # some differences exactly 0: the kink of |d|
    return [pred, target]


@pytest.mark.parametrize("shape", [(), (1,), (5,), (3, 4)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_l1_smooth_l1_and_huber_match_torch(shape, reduction):
    inputs = _pair(shape, seed=70)
    compare_with_torch(
        lambda a, b: F.l1_loss(a, b, reduction), lambda a, b: TF.l1_loss(a, b, reduction=reduction), inputs
    )
    for beta in (0.0, 0.5, 3.0):
        compare_with_torch(
            lambda a, b, beta=beta: F.smooth_l1_loss(a, b, reduction, beta),
            lambda a, b, beta=beta: TF.smooth_l1_loss(a, b, reduction=reduction, beta=beta),
            inputs,
        )
    for delta in (0.5, 1.0, 3.0):
        compare_with_torch(
            lambda a, b, delta=delta: F.huber_loss(a, b, reduction, delta),
            lambda a, b, delta=delta: TF.huber_loss(a, b, reduction=reduction, delta=delta),
            inputs,
        )


@pytest.mark.parametrize("p", [1, 2, 3, float("inf")])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_normalize_and_cosine_similarity_match_torch_with_zero_vectors(p, dim):
    x = random_array((3, 4), seed=72)
    x[1] = 0.0  # a zero row (and, along dim 0, zeros in every column)
    compare_with_torch(lambda a: F.normalize(a, p, dim), lambda a: TF.normalize(a, p, dim), [x])
    y = random_array((3, 4), seed=73)
    compare_with_torch(
        lambda a, b: F.cosine_similarity(a, b, dim),
        lambda a, b: TF.cosine_similarity(a, b, dim),
        [x, y],
        atol=1e-4,
    )


@pytest.mark.parametrize(
    ("shape1", "shape2", "dim"),
    [
        ((3, 4), (1, 4), 1),
        ((4, 3), (1, 3), 0),
        ((2, 1, 3), (4, 1), 1),
        ((3,), (2, 1), -1),
        ((1, 4), (3, 1), 0),
    ],
)
def test_cosine_similarity_broadcasts_as_torch(shape1, shape2, dim):
    # broadcasting along `dim` itself repeats the size-1 side: torch broadcasts before the norms
    compare_with_torch(
        lambda a, b: F.cosine_similarity(a, b, dim),
        lambda a, b: TF.cosine_similarity(a, b, dim),
        [random_array(shape1, seed=74), random_array(shape2, seed=75)],
    )


def test_cosine_similarity_refuses_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match="do not broadcast"):
        F.cosine_similarity(jaring.ones(2, 3), jaring.ones(4, 3))


def test_gradients_against_finite_differences_in_float64():
    pred, target = random_array((3, 4), seed=76), random_array((3, 4), seed=77)
    check_gradients(lambda a, b: F.smooth_l1_loss(a, b, beta=0.7), [pred, target])
    check_gradients(lambda a, b: F.huber_loss(a, b, "sum", 0.5), [pred, target])
    check_gradients(lambda a: F.normalize(a, 3, 1), [pred])
    check_gradients(lambda a, b: F.cosine_similarity(a, b, 0), [pred, target])


def test_the_p_norm_of_a_zero_vector_has_a_zero_gradient():
    x = jaring.zeros(2, 3, requires_grad=True)
    x.norm(3, dim=1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((2, 3)))


def test_modules_and_names():
    pred, target = jaring.tensor([0.5, 3.0]), jaring.zeros(2)
    assert nn.L1Loss()(pred, target).item() == 1.75
    assert nn.HuberLoss(delta=2.0)(pred, target).item() == pytest.approx(2.0625)
    assert nn.SmoothL1Loss(reduction="sum", beta=1.0)(pred, target).item() == pytest.approx(0.125 + 2.5)
    assert isinstance(nn.get_loss("mae"), nn.L1Loss) and isinstance(nn.get_loss("huber"), nn.HuberLoss)
    assert isinstance(nn.get_loss("smooth_l1", beta=0.5), nn.SmoothL1Loss)


def test_bad_arguments_are_refused_clearly():
    a, b = jaring.zeros(3), jaring.zeros(3)
    with pytest.raises(ValueError, match="beta must be a number >= 0"):
        F.smooth_l1_loss(a, b, beta=-1)
    with pytest.raises(ValueError, match="delta must be > 0"):
        F.huber_loss(a, b, delta=0)
    with pytest.raises(ValueError, match="unknown reduction"):
        F.l1_loss(a, b, "avg")
    with pytest.raises(ValueError, match=r"shape \(3,\) and target of shape \(2,\)"):
        F.l1_loss(a, jaring.zeros(2))
