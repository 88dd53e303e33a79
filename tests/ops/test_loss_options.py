"""Loss options against PyTorch: class weight, ignore_index and label_smoothing for cross_entropy
and nll_loss; weight and pos_weight for the binary cross-entropies; every reduction."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given
from hypothesis import strategies as st

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array

REDUCTIONS = ["mean", "sum", "none"]
WEIGHT = np.array([0.5, 2.0, 1.0, 1.5], np.float32)


def _labels(shape, seed, ignore=-100):
    labels = np.random.default_rng(seed).integers(0, 4, shape)
    labels.flat[0] = ignore  # one ignored sample in every case
    return labels


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("shape", [(1, 4), (6, 4), (3, 4, 5)])
def test_cross_entropy_weight_ignore_smoothing_match_torch(reduction, smoothing, shape):
    labels = _labels(shape[:1] + shape[2:], 1, ignore=3)
    compare_with_torch(
        lambda x: F.cross_entropy(x, labels, reduction, smoothing, weight=WEIGHT, ignore_index=3),
        lambda x: TF.cross_entropy(
            x,
            torch.tensor(labels),
            torch.tensor(WEIGHT),
            ignore_index=3,
            reduction=reduction,
            label_smoothing=smoothing,
        ),
        [random_array(shape, 2)],
    )


@FAST
@given(n=st.integers(1, 6), reduction=st.sampled_from(REDUCTIONS), smoothing=st.sampled_from([0.0, 0.1]))
def test_default_ignore_index_drops_minus_100(n, reduction, smoothing):
    labels = _labels((n,), n)
    compare_with_torch(
        lambda x: F.cross_entropy(x, labels, reduction, smoothing),
        lambda x: TF.cross_entropy(x, torch.tensor(labels), reduction=reduction, label_smoothing=smoothing),
        [random_array((n, 4), 3)],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_soft_targets_with_weight_match_torch(reduction):
    probs = np.random.default_rng(4).dirichlet(np.ones(4), 5).astype(np.float32)
    compare_with_torch(
        lambda x, t: F.cross_entropy(x, t, reduction, 0.1, weight=WEIGHT),
        lambda x, t: TF.cross_entropy(x, t, torch.tensor(WEIGHT), reduction=reduction, label_smoothing=0.1),
        [random_array((5, 4), 5), probs],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss_weight_and_ignore_match_torch(reduction):
    labels = _labels((2, 3), 6)
    compare_with_torch(
        lambda x: F.nll_loss(x, labels, reduction, weight=WEIGHT),
        lambda x: TF.nll_loss(x, torch.tensor(labels), torch.tensor(WEIGHT), reduction=reduction),
        [random_array((2, 4, 3), 7, -3, 0)],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_pos_weight_and_weight_match_torch(reduction):
    target = np.random.default_rng(8).uniform(0, 1, (5, 3)).astype(np.float32)
    pos_weight, weight = np.array([0.5, 1.0, 3.0], np.float32), random_array((5, 1), 9, 0, 2)
    compare_with_torch(
        lambda x, t: F.binary_cross_entropy_with_logits(
            x, t, reduction, weight=weight, pos_weight=pos_weight
        ),
        lambda x, t: TF.binary_cross_entropy_with_logits(
            x, t, torch.tensor(weight), reduction=reduction, pos_weight=torch.tensor(pos_weight)
        ),
        [random_array((5, 3), 10, -30, 30), target],
        rtol=1e-4,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_weight_matches_torch(reduction):
    target = np.random.default_rng(11).integers(0, 2, (4, 3)).astype(np.float32)
    weight = random_array((3,), 12, 0, 2)
    compare_with_torch(
        lambda p, t: F.binary_cross_entropy(p, t, reduction, weight=weight),
        lambda p, t: TF.binary_cross_entropy(p, t, torch.tensor(weight), reduction=reduction),
        [random_array((4, 3), 13, 0.05, 0.95), target],
    )


def test_gradients_float64():
    labels = _labels((5,), 14)
    check_gradients(
        lambda x: F.cross_entropy(x, labels, label_smoothing=0.3, weight=WEIGHT.astype(np.float64)),
        [random_array((5, 4), 15)],
    )
    target = np.random.default_rng(16).integers(0, 2, (4, 3)).astype(np.float64)
    check_gradients(
        lambda x, pw: F.binary_cross_entropy_with_logits(x, target, pos_weight=pw),
        [random_array((4, 3), 17), random_array((3,), 18, 0.5, 2)],
    )


def test_every_sample_ignored_gives_nan_as_torch():
    out = F.cross_entropy(jaring.tensor(random_array((2, 4))), np.array([-100, -100]))
    assert np.isnan(out.item())


def test_bad_weights_and_labels_are_named():
    x = random_array((3, 4))
    with pytest.raises(ValueError, match=r"shape \(4,\)"):
        F.cross_entropy(x, np.array([0, 1, 2]), weight=np.ones(3))
    with pytest.raises(ValueError, match="labels must be in"):
        F.cross_entropy(x, np.array([0, -5, 2]), weight=WEIGHT)
    with pytest.raises(ValueError, match="pos_weight"):
        F.binary_cross_entropy_with_logits(x, np.zeros((3, 4)), pos_weight=np.ones(3))
