"""Metrics equal scikit-learn's on random label arrays, score rows and edge cases."""

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

import jaring
from jaring.training import metrics
from tests.oracle import FAST


@st.composite
def label_pairs(draw):
    n = draw(st.integers(1, 40))
    k = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    return rng.integers(0, k, n), rng.integers(0, k, n)


@pytest.mark.slow
@FAST
@given(label_pairs(), st.sampled_from(["macro", "micro", "weighted", None]))
def test_precision_recall_f1_match_sklearn(pair, average):
    t, p = pair
    for ours, theirs in (
        (metrics.precision, skm.precision_score),
        (metrics.recall, skm.recall_score),
        (metrics.f1, skm.f1_score),
    ):
        expected = theirs(t, p, average=average, zero_division=0)
        np.testing.assert_allclose(ours(t, p, average=average), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.filterwarnings("ignore:A single label was found")
@FAST
@given(label_pairs())
def test_accuracy_confusion_and_macro_f1_match_sklearn(pair):
    t, p = pair
    assert metrics.accuracy(t, p) == pytest.approx(skm.accuracy_score(t, p))
    np.testing.assert_array_equal(metrics.confusion_matrix(t, p), skm.confusion_matrix(t, p))
    assert metrics.macro_f1(t, p) == pytest.approx(skm.f1_score(t, p, average="macro", zero_division=0))


def test_scores_and_one_hot_are_reduced_with_argmax():
    rng = np.random.default_rng(0)
    scores = rng.standard_normal((30, 4)).astype(np.float32)
    t = rng.integers(0, 4, 30)
    onehot = np.eye(4)[t]
    pred = scores.argmax(1)
    assert metrics.accuracy(onehot, jaring.tensor(scores)) == pytest.approx(skm.accuracy_score(t, pred))
    np.testing.assert_array_equal(metrics.confusion_matrix(t, scores), skm.confusion_matrix(t, pred))


def test_binary_probability_column_is_thresholded():
    probs = np.array([[0.1], [0.7], [0.4], [0.9]])
    assert metrics.to_labels(probs).tolist() == [0, 1, 0, 1]
    assert metrics.accuracy([0, 1, 1, 1], probs) == 0.75


def test_labels_argument_matches_sklearn():
    t, p = np.array([0, 1, 2, 2]), np.array([0, 2, 2, 1])
    np.testing.assert_array_equal(
        metrics.confusion_matrix(t, p, labels=[2, 0]), skm.confusion_matrix(t, p, labels=[2, 0])
    )
    assert metrics.recall(t, p, labels=[0, 1, 2, 3]) == pytest.approx(
        skm.recall_score(t, p, labels=[0, 1, 2, 3], average="macro", zero_division=0)
    )


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match="3 samples but y_pred has 2"):
        metrics.accuracy([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="empty"):
        metrics.accuracy([], [])
    with pytest.raises(ValueError, match="unknown average 'mean'.*macro"):
        metrics.f1([0, 1], [0, 1], average="mean")
    with pytest.raises(ValueError, match="unknown metric 'acuracy'.*accuracy"):
        metrics.get_metric("acuracy")
    with pytest.raises(ValueError, match=r"shape \(2, 2, 2\)"):
        metrics.to_labels(np.zeros((2, 2, 2)))
