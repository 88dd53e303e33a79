"""jaring/ops/loss_multiclass_margin.py: multilabel soft margin, multi margin and multilabel margin
losses against PyTorch (values and gradients in float32 and float64, reductions, weights, batch 1,
1-D and 0-d inputs, no gradient at the kink z = 0 as torch), float64 gradchecks and the errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.oracle import check_gradients, compare_with_torch, random_array

REDUCTIONS = ["mean", "sum", "none"]
DTYPES = [np.float32, np.float64]
TARGETS = np.array([[1, 2, -1, 0], [3, -1, 0, 0], [0, 1, 2, 3], [-1, 1, 1, 1], [2, 2, -1, 1]])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "shapes", [((5, 4), (5, 4)), ((1, 4), (1, 4)), ((4,), (4,)), ((3, 4), (4,)), ((4,), (3, 4))]
)
def test_multilabel_soft_margin_loss_matches_torch(shapes, reduction, dtype):
    x = random_array(shapes[0], seed=1).astype(dtype) * 2
    t = (random_array(shapes[1], seed=2) > 0).astype(dtype)
    for weight in (None, np.linspace(0.5, 2.0, 4).astype(dtype)):
        compare_with_torch(
            lambda a, b, w=weight: F.multilabel_soft_margin_loss(a, b, w, reduction=reduction),
            lambda a, b, w=weight: TF.multilabel_soft_margin_loss(
                a, b, None if w is None else torch.tensor(w), reduction=reduction
            ),
            [x, t],
        )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1, 2])
def test_multi_margin_loss_matches_torch(p, reduction, dtype):
    x = random_array((6, 4), seed=3).astype(dtype)
    labels = np.array([0, 3, 1, 1, 2, 3])
    for margin, weight in ((1.0, None), (0.3, np.array([1.0, 2.0, 0.5, 3.0], dtype))):
        kw = dict(p=p, margin=margin, reduction=reduction)
        compare_with_torch(
            lambda a, w=weight, kw=kw: F.multi_margin_loss(a, jaring.tensor(labels), weight=w, **kw),
            lambda a, w=weight, kw=kw: TF.multi_margin_loss(
                a, torch.tensor(labels), weight=None if w is None else torch.tensor(w), **kw
            ),
            [x],
        )


@pytest.mark.parametrize("x, label", [((1, 4), [2]), ((4,), 2), ((4,), [2]), ((), 0)])
def test_multi_margin_loss_single_samples(x, label):
    scores = random_array(x, seed=4)
    compare_with_torch(
        lambda a: F.multi_margin_loss(a, jaring.tensor(label), reduction="none"),
        lambda a: TF.multi_margin_loss(a, torch.tensor(label), reduction="none"),
        [scores],
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("rows", [slice(None), slice(0, 1), 0])
def test_multilabel_margin_loss_matches_torch(rows, reduction, dtype):
    x = random_array((5, 4), seed=5).astype(dtype)[rows]
    target = TARGETS[rows]  # duplicates count twice, entries after the first -1 are ignored
    compare_with_torch(
        lambda a: F.multilabel_margin_loss(a, jaring.tensor(target), reduction=reduction),
        lambda a: TF.multilabel_margin_loss(a, torch.tensor(target), reduction=reduction),
        [x],
    )


def test_zero_d_multilabel_margin_and_the_kinks_get_no_gradient():
    compare_with_torch(
        lambda a: F.multilabel_margin_loss(a, jaring.tensor(0), reduction="none"),
        lambda a: TF.multilabel_margin_loss(a, torch.tensor(0), reduction="none"),
        [np.array(0.2, np.float32)],
    )
    kink = np.array([[1.0, 0.0, 0.5, 2.0]], np.float32)  # margin - x[y] + x[1] = 0
    compare_with_torch(
        lambda a: F.multi_margin_loss(a, jaring.tensor([0]), reduction="none"),
        lambda a: TF.multi_margin_loss(a, torch.tensor([0]), reduction="none"),
        [kink],
    )
    compare_with_torch(
        lambda a: F.multilabel_margin_loss(a, jaring.tensor([[0, -1, 2, 3]]), reduction="none"),
        lambda a: TF.multilabel_margin_loss(a, torch.tensor([[0, -1, 2, 3]]), reduction="none"),
        [kink],
    )


def test_gradients_against_finite_differences_in_float64():
    x = random_array((5, 4), seed=6)
    labels = jaring.tensor([0, 3, 1, 1, 2])
    check_gradients(
        lambda a, b: F.multilabel_soft_margin_loss(a, b, [1.0, 2.0, 3.0, 4.0]), [x, x * 0.5 + 0.5]
    )
    check_gradients(
        lambda a: F.multi_margin_loss(a, labels, p=2, margin=0.7, weight=[1.0, 2.0, 0.5, 3.0]), [x]
    )
    check_gradients(lambda a: F.multi_margin_loss(a, labels, reduction="sum"), [x])
    check_gradients(lambda a: F.multilabel_margin_loss(a, jaring.tensor(TARGETS)), [x])


def test_errors_in_torchs_words():
    x, labels = jaring.ones(2, 4), jaring.tensor([1, 1])
    with pytest.raises(ValueError, match="only p == 1 and p == 2"):
        F.multi_margin_loss(x, labels, p=3)
    with pytest.raises(ValueError, match="weight must be one-dimensional"):
        F.multi_margin_loss(x, labels, weight=jaring.ones(4, 1))
    with pytest.raises(ValueError, match="inconsistent weight size, expected 4"):
        F.multi_margin_loss(x, labels, weight=jaring.ones(3))
    with pytest.raises(ValueError, match="Expected target size \\[2\\], but got \\[3\\]"):
        F.multi_margin_loss(x, jaring.tensor([1, 1, 1]))
    with pytest.raises(ValueError, match="target out of range"):
        F.multi_margin_loss(x, jaring.tensor([-1, 4]))
    with pytest.raises(TypeError, match="integer class indices"):
        F.multi_margin_loss(x, jaring.tensor([1.0, 2.0]))
    with pytest.raises(ValueError, match="non-empty vector or matrix"):
        F.multi_margin_loss(jaring.ones(2, 3, 4), jaring.zeros(2, 3).long())
    with pytest.raises(ValueError, match="inconsistent target size"):
        F.multilabel_margin_loss(x, labels)
    with pytest.raises(ValueError, match="target is out of range"):
        F.multilabel_margin_loss(x, jaring.tensor([[1, 7, -1, 0], [3, -1, 0, 0]]))
    with pytest.raises(ValueError, match="class axis"):
        F.multilabel_soft_margin_loss(jaring.tensor(1.0), jaring.tensor(1.0))
    with pytest.raises(ValueError, match="broadcast"):
        F.multilabel_soft_margin_loss(x, jaring.ones(2, 4), weight=jaring.ones(3))
    with pytest.raises(ValueError, match="unknown reduction"):
        F.multilabel_margin_loss(x, jaring.zeros(2, 4).long(), reduction="batchmean")
