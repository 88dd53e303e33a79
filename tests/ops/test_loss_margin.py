"""jaring/ops/loss_margin.py: margin ranking, hinge embedding, soft margin, cosine embedding and
triplet losses against PyTorch (values and gradients in float32 and float64, every reduction,
broadcasting, batch 1 and 0-d, the kinks of max(0, z) at z = 0, targets outside {-1, 1}), float64
gradchecks and the argument errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.oracle import check_gradients, compare_with_torch, random_array

REDUCTIONS = ["mean", "sum", "none"]
DTYPES = [np.float32, np.float64]


def _signs(shape, seed):
    return np.where(random_array(shape, seed=seed) > 0, 1.0, -1.0).astype(np.float32)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "shapes", [((5,), (5,), (5,)), ((1,), (1,), (1,)), ((), (), ()), ((3, 1), (1, 4), (3, 4))]
)
def test_margin_ranking_loss_matches_torch(shapes, reduction, dtype):
    x1, x2 = random_array(shapes[0], seed=1), random_array(shapes[1], seed=2)
    y = _signs(shapes[2], seed=3)
    for margin in (0.0, 0.5, -0.3):
        compare_with_torch(
            lambda a, b, m=margin: F.margin_ranking_loss(
                a, b, jaring.tensor(y.astype(dtype)), m, reduction=reduction
            ),
            lambda a, b, m=margin: TF.margin_ranking_loss(
                a, b, torch.tensor(y.astype(dtype)), m, reduction=reduction
            ),
            [x1.astype(dtype), x2.astype(dtype)],
        )


def test_margin_ranking_loss_kink_target_gradient_and_other_targets():
    inputs = [np.array([1.0, 0.0, 2.0]), np.array([1.0, 1.0, 0.5]), np.array([1.0, -1.0, 0.5])]  # z = 0 first
    compare_with_torch(
        lambda a, b, c: F.margin_ranking_loss(a, b, c, reduction="none"),
        lambda a, b, c: TF.margin_ranking_loss(a, b, c, reduction="none"),
        inputs,
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((1, 4), (4,)), ((), ()), ((2, 1, 3), (2, 3))])
def test_hinge_embedding_and_soft_margin_match_torch(shapes, reduction, dtype):
    x = random_array(shapes[0], seed=4).astype(dtype) * 2
    y = _signs(shapes[1], seed=5).astype(dtype)
    if y.ndim:
        y.flat[::4] = 0.0  # neither 1 nor -1: torch adds both terms of the hinge, not checked
    for margin in (1.0, 0.3):
        compare_with_torch(
            lambda a, m=margin: F.hinge_embedding_loss(a, jaring.tensor(y), m, reduction=reduction),
            lambda a, m=margin: TF.hinge_embedding_loss(a, torch.tensor(y), m, reduction=reduction),
            [x],
        )
    if np.broadcast_shapes(x.shape, y.shape) != x.shape:  # torch refuses: the loss has the input's shape
        with pytest.raises(ValueError, match="doesn't match the broadcast shape"):
            F.soft_margin_loss(x, y)
        return
    compare_with_torch(
        lambda a: F.soft_margin_loss(a, jaring.tensor(y), reduction=reduction),
        lambda a: TF.soft_margin_loss(a, torch.tensor(y), reduction=reduction),
        [x],
    )


def test_hinge_kink_at_the_margin_passes_the_gradient_as_torch():
    compare_with_torch(
        lambda a, b: F.hinge_embedding_loss(a, b, reduction="none"),
        lambda a, b: TF.hinge_embedding_loss(a, b, reduction="none"),
        [np.array([1.0, 0.5, 2.0, 0.3], np.float32), np.array([-1.0, -1.0, -1.0, 0.0], np.float32)],
    )


def test_soft_margin_loss_stays_finite_where_torch_overflows():
    x = jaring.tensor([-100.0, -1000.0], requires_grad=True)
    loss = F.soft_margin_loss(x, jaring.tensor([1.0, 1.0]), reduction="none")
    loss.sum().backward()
    np.testing.assert_allclose(loss.numpy(), [100.0, 1000.0])
    np.testing.assert_allclose(x.grad.numpy(), [-1.0, -1.0])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "shapes", [((4, 3), (4, 3), (4,)), ((1, 3), (1, 3), (1,)), ((3,), (3,), ()), ((4, 3), (1, 3), (1,))]
)
def test_cosine_embedding_loss_matches_torch(shapes, reduction, dtype):
    x1, x2 = random_array(shapes[0], seed=6).astype(dtype), random_array(shapes[1], seed=7).astype(dtype)
    y = _signs(shapes[2], seed=8).astype(dtype)
    if y.ndim and y.size > 2:
        y[-1] = 0.0  # neither: loss 0
        x1[0] = 0.0  # a zero vector: finite thanks to the 1e-12
    for margin in (0.0, 0.4):
        compare_with_torch(
            lambda a, b, m=margin: F.cosine_embedding_loss(a, b, jaring.tensor(y), m, reduction=reduction),
            lambda a, b, m=margin: TF.cosine_embedding_loss(a, b, torch.tensor(y), m, reduction=reduction),
            [x1, x2],
            rtol=1e-4,
            atol=1e-4,
        )


def test_cosine_embedding_kink_at_the_margin():
    compare_with_torch(
        lambda a, b: F.cosine_embedding_loss(a, b, jaring.tensor([-1.0]), reduction="none"),
        lambda a, b: TF.cosine_embedding_loss(a, b, torch.tensor([-1.0]), reduction="none"),
        [np.array([[1.0, 0.0]], np.float32), np.array([[0.0, 1.0]], np.float32)],
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "shapes", [((4, 3),) * 3, ((1, 3),) * 3, ((3,),) * 3, ((4, 3), (1, 3), (4, 3)), ((2, 2, 3),) * 3]
)
def test_triplet_margin_loss_matches_torch(shapes, reduction, dtype):
    inputs = [random_array(s, seed=9 + i).astype(dtype) for i, s in enumerate(shapes)]
    for margin, p, swap in (
        (1.0, 2.0, False),
        (0.5, 1.0, True),
        (2.0, 3.0, True),
        (1.0, float("inf"), False),
    ):
        compare_with_torch(
            lambda a, b, c, m=margin, p=p, s=swap: F.triplet_margin_loss(
                a, b, c, m, p, swap=s, reduction=reduction
            ),
            lambda a, b, c, m=margin, p=p, s=swap: TF.triplet_margin_loss(
                a, b, c, m, p, swap=s, reduction=reduction
            ),
            inputs,
            rtol=1e-4,
            atol=1e-5,
        )


def test_gradients_against_finite_differences_in_float64():
    a, b, c = (random_array((3, 4), seed=s) for s in (20, 21, 22))
    y = _signs((3,), seed=23)
    check_gradients(lambda u, v: F.margin_ranking_loss(u, v, jaring.tensor(y), 0.1), [a[:, 0], b[:, 0]])
    check_gradients(lambda u: F.hinge_embedding_loss(u, jaring.tensor(_signs((3, 4), 24)), 0.5), [a])
    check_gradients(lambda u, v: F.soft_margin_loss(u, v, reduction="sum"), [a, b])
    check_gradients(lambda u, v: F.cosine_embedding_loss(u, v, jaring.tensor(y), 0.2), [a, b])
    check_gradients(lambda u, v, w: F.triplet_margin_loss(u, v, w, 3.0, swap=True), [a, b, c])


def test_errors_in_torchs_words():
    x = jaring.ones(3, 4)
    with pytest.raises(ValueError, match="same dimension"):
        F.margin_ranking_loss(jaring.ones(3), jaring.ones(3, 1), jaring.ones(3))
    with pytest.raises(ValueError, match="broadcast"):
        F.hinge_embedding_loss(x, jaring.ones(5))
    with pytest.raises(ValueError, match="broadcast"):
        F.soft_margin_loss(x, jaring.ones(5))
    with pytest.raises(ValueError, match="multi-target not supported"):
        F.cosine_embedding_loss(x, x, jaring.ones(3, 1))
    with pytest.raises(ValueError, match="1D target tensor expects 2D input tensors"):
        F.cosine_embedding_loss(x, jaring.ones(4), jaring.ones(3))
    with pytest.raises(ValueError, match="0D target tensor expects 1D input tensors"):
        F.cosine_embedding_loss(x, x, jaring.tensor(1.0))
    with pytest.raises(ValueError, match="same number of dimensions"):
        F.triplet_margin_loss(x, jaring.ones(4), x)
    with pytest.raises(ValueError, match="margin must be greater than 0"):
        F.triplet_margin_loss(x, x, x, margin=0)
    with pytest.raises(ValueError, match="unknown reduction"):
        F.soft_margin_loss(x, x, reduction="batchmean")
    with pytest.raises(TypeError, match="margin must be a number"):
        F.margin_ranking_loss(x, x, x, margin="1")
    with pytest.raises(ValueError, match="p must be a number >= 0"):
        F.triplet_margin_loss(x, x, x, p=-1)
