"""Losses: values and gradients against PyTorch for every reduction, gradcheck, extremes, errors."""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array, shapes, st

REDUCTIONS = ["mean", "sum", "none"]


def probabilities(shape, seed):
    return random_array(shape, seed=seed, low=0.02, high=0.98)


def softmax_rows(shape, seed, axis=-1):
    return TF.softmax(torch.tensor(random_array(shape, seed=seed, low=-3, high=3)), dim=axis).numpy()


def labels_for(shape, classes, seed):
    return np.random.default_rng(seed).integers(0, classes, size=shape)


# Class layouts as in torch: (N, C), (N, C, d1), (N, C, d1, d2) and one unbatched sample (C,).
class_layouts = st.tuples(
    st.integers(1, 4), st.integers(1, 5), st.lists(st.integers(1, 3), min_size=0, max_size=2), st.booleans()
).map(lambda t: (t[1],) if t[3] and not t[2] else (t[0], t[1], *t[2]))


def label_shape(logits_shape):
    return logits_shape[:1] + logits_shape[2:] if len(logits_shape) > 1 else ()


def torch_cce(p, t, reduction, eps=1e-7):
    per = -(t * torch.log(torch.clamp(p, eps, 1 - eps))).sum(-1)
    return {"mean": per.mean(), "sum": per.sum(), "none": per}[reduction]


# ----- elementwise losses ------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
@FAST
@given(shape=shapes)
def test_mse_matches_torch(reduction, shape):
    pred, target = random_array(shape, seed=1), random_array(shape, seed=2)
    compare_with_torch(
        lambda p, t: F.mse_loss(p, t, reduction),
        lambda p, t: TF.mse_loss(p, t, reduction=reduction),
        [pred, target],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@FAST
@given(shape=shapes)
def test_binary_cross_entropy_matches_torch(reduction, shape):
    probs, target = probabilities(shape, 3), random_array(shape, seed=4, low=0, high=1)
    compare_with_torch(
        lambda p, t: F.binary_cross_entropy(p, t, reduction),
        lambda p, t: TF.binary_cross_entropy(p, t, reduction=reduction),
        [probs, target],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@FAST
@given(shape=shapes)
def test_binary_cross_entropy_with_logits_matches_torch(reduction, shape):
    logits, target = random_array(shape, seed=5, low=-6, high=6), random_array(shape, seed=6, low=0, high=1)
    compare_with_torch(
        lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction),
        lambda x, t: TF.binary_cross_entropy_with_logits(x, t, reduction=reduction),
        [logits, target],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@FAST
@given(shape=st.tuples(st.integers(1, 4), st.integers(1, 5)) | st.tuples(st.integers(1, 5)))
def test_categorical_cross_entropy_matches_clipped_formula(reduction, shape):
    probs, target = softmax_rows(shape, 7), softmax_rows(shape, 8)
    compare_with_torch(
        lambda p, t: F.categorical_cross_entropy(p, t, reduction),
        lambda p, t: torch_cce(p, t, reduction),
        [probs, target],
    )


# ----- cross-entropy and nll from class scores ---------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
@FAST
@given(shape=class_layouts, smoothing=st.sampled_from([0.0, 0.1]))
def test_cross_entropy_with_integer_labels_matches_torch(reduction, shape, smoothing):
    logits = random_array(shape, seed=9, low=-4, high=4)
    labels = labels_for(label_shape(shape), shape[1] if len(shape) > 1 else shape[0], seed=10)
    compare_with_torch(
        lambda x, y: F.cross_entropy(x, y, reduction, label_smoothing=smoothing),
        lambda x, y: TF.cross_entropy(x, y, reduction=reduction, label_smoothing=smoothing),
        [logits, labels],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@FAST
@given(shape=class_layouts, smoothing=st.sampled_from([0.0, 0.1]))
def test_cross_entropy_with_probability_targets_matches_torch(reduction, shape, smoothing):
    logits = random_array(shape, seed=11, low=-4, high=4)
    target = softmax_rows(shape, 12, axis=1 if len(shape) > 1 else 0)
    compare_with_torch(
        lambda x, t: F.cross_entropy(x, t, reduction, label_smoothing=smoothing),
        lambda x, t: TF.cross_entropy(x, t, reduction=reduction, label_smoothing=smoothing),
        [logits, target],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@FAST
@given(shape=class_layouts)
def test_nll_loss_matches_torch(reduction, shape):
    log_probs = random_array(shape, seed=13, low=-4, high=0)
    labels = labels_for(label_shape(shape), shape[1] if len(shape) > 1 else shape[0], seed=14)
    compare_with_torch(
        lambda x, y: F.nll_loss(x, y, reduction),
        lambda x, y: TF.nll_loss(x, y, reduction=reduction),
        [log_probs, labels],
    )


def test_one_hot_integer_targets_equal_integer_labels():
    logits = jaring.tensor(random_array((5, 4), seed=15))
    labels = np.array([0, 3, 1, 1, 2])
    one_hot = np.eye(4, dtype=np.int64)[labels]
    np.testing.assert_allclose(
        F.cross_entropy(logits, one_hot).item(), F.cross_entropy(logits, labels).item(), rtol=1e-6
    )


def test_cross_entropy_equals_log_softmax_then_nll_and_backward_twice_with_retain_graph():
    x = jaring.tensor(random_array((6, 5), seed=16), requires_grad=True)
    labels = jaring.tensor(labels_for((6,), 5, seed=17))
    fused = F.cross_entropy(x, labels)
    np.testing.assert_allclose(fused.item(), F.nll_loss(F.log_softmax(x, 1), labels).item(), rtol=1e-6)
    fused.backward(retain_graph=True)
    first = x.grad.numpy().copy()
    fused.backward()  # the saved arrays must not have been modified by the first backward
    np.testing.assert_allclose(x.grad.numpy(), 2 * first, rtol=1e-6)


# ----- float64 gradchecks ------------------------------------------------------------------

GRADCHECKS = {
    "mse": (lambda p, t: F.mse_loss(p, t), lambda: [random_array((3, 2), 18), random_array((3, 2), 19)]),
    "bce": (
        lambda p, t: F.binary_cross_entropy(p, t),
        lambda: [probabilities((3, 2), 20), probabilities((3, 2), 21)],
    ),
    "bce_logits": (
        lambda x, t: F.binary_cross_entropy_with_logits(x, t, "sum"),
        lambda: [random_array((3, 2), 22, -5, 5), probabilities((3, 2), 23)],
    ),
    "cce": (
        lambda p, t: F.categorical_cross_entropy(p, t, "none"),
        lambda: [softmax_rows((3, 4), 24), softmax_rows((3, 4), 25)],
    ),
    "ce_labels": (
        lambda x, y: F.cross_entropy(x, y, "none", label_smoothing=0.2),
        lambda: [random_array((3, 4, 2), 26), labels_for((3, 2), 4, 27)],
    ),
    "ce_probs": (
        lambda x, t: F.cross_entropy(x, t),
        lambda: [random_array((3, 4), 28), softmax_rows((3, 4), 29)],
    ),
    "nll": (
        lambda x, y: F.nll_loss(x, y, "sum"),
        lambda: [random_array((4, 3), 30), labels_for((4,), 3, 31)],
    ),
}


@pytest.mark.parametrize("name", sorted(GRADCHECKS))
def test_gradcheck_float64(name):
    fn, make_inputs = GRADCHECKS[name]
    check_gradients(fn, make_inputs())


# ----- extremes, clipping, NaN -------------------------------------------------------------


def test_extreme_logits_stay_finite_and_match_torch():
    logits = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 1000.0], [5.0, 5.0, 5.0]], np.float32)
    labels = np.array([1, 2, 0])
    targets = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [0.5, 0.5, 0.5]], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compare_with_torch(F.cross_entropy, TF.cross_entropy, [logits, labels])
        compare_with_torch(
            F.binary_cross_entropy_with_logits, TF.binary_cross_entropy_with_logits, [logits, targets]
        )
        x = jaring.tensor(logits, requires_grad=True)
        loss = F.cross_entropy(x, labels)
        loss.backward()
    assert np.isfinite(loss.item()) and np.isfinite(x.grad.numpy()).all()
    np.testing.assert_allclose(loss.item(), (2000 + np.log(3)) / 3, rtol=1e-6)


def test_probability_losses_clip_like_keras():
    eps = 1e-7
    probs = jaring.tensor([0.0, 1.0, 0.5], requires_grad=True)
    target = jaring.tensor([1.0, 0.0, 1.0])
    loss = F.binary_cross_entropy(probs, target, "none")
    upper = np.float32(1 - eps)  # 1 - 1e-7 rounds to 1 - 1.19e-7 in float32
    np.testing.assert_allclose(loss.numpy(), [-np.log(eps), -np.log1p(-upper), np.log(2)], rtol=1e-5)
    loss.sum().backward()
    np.testing.assert_allclose(probs.grad.numpy(), [0.0, 0.0, -2.0], rtol=1e-6)  # clipped: no gradient
    p = jaring.tensor([[0.0, 1.0]], requires_grad=True)
    cce = F.categorical_cross_entropy(p, [[1.0, 0.0]])
    np.testing.assert_allclose(cce.item(), -np.log(eps), rtol=1e-3)
    cce.backward()
    np.testing.assert_array_equal(p.grad.numpy(), [[0.0, 0.0]])


@pytest.mark.parametrize(
    "loss",
    [
        lambda x: F.cross_entropy(x, [0, 1]),
        lambda x: F.cross_entropy(x, [[1.0, 0.0], [0.0, 1.0]]),
        lambda x: F.binary_cross_entropy_with_logits(x, np.ones((2, 2))),
        lambda x: F.mse_loss(x, np.ones((2, 2))),
        lambda x: F.binary_cross_entropy(F.sigmoid(x), np.ones((2, 2))),
        lambda x: F.categorical_cross_entropy(F.softmax(x), [[1.0, 0.0], [0.0, 1.0]]),
    ],
)
def test_nan_input_gives_nan_loss_and_gradient(loss):
    x = jaring.tensor([[np.nan, 0.0], [0.1, 0.2]], requires_grad=True)
    out = loss(x)
    assert np.isnan(out.item())
    out.backward()
    assert np.isnan(x.grad.numpy()).any()


def test_nan_log_probability_gives_nan_nll():
    assert np.isnan(F.nll_loss(jaring.tensor([[np.nan, 0.0], [0.1, 0.2]]), [0, 1]).item())


def test_integer_targets_are_converted_to_the_prediction_dtype():
    pred = jaring.tensor([0.5, 2.0], requires_grad=True)
    loss = F.mse_loss(pred, [1, 2])
    assert loss.dtype == np.float32
    np.testing.assert_allclose(loss.item(), 0.125)
    assert F.binary_cross_entropy(jaring.tensor([0.5, 0.5]), np.array([1, 0])).dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_keep_float_dtype(dtype):
    x = jaring.tensor(random_array((3, 4), 32), dtype=dtype)
    assert F.cross_entropy(x, [0, 1, 3]).dtype == dtype
    assert F.cross_entropy(x, softmax_rows((3, 4), 33)).dtype == dtype
    assert F.binary_cross_entropy_with_logits(x, np.ones((3, 4))).dtype == dtype


# ----- bad input ---------------------------------------------------------------------------

ALL_LOSSES = {
    "mse_loss": lambda r: F.mse_loss(jaring.ones(2), jaring.ones(2), reduction=r),
    "binary_cross_entropy": lambda r: F.binary_cross_entropy(jaring.ones(2) / 2, jaring.ones(2), reduction=r),
    "binary_cross_entropy_with_logits": lambda r: F.binary_cross_entropy_with_logits(
        jaring.ones(2), jaring.ones(2), reduction=r
    ),
    "categorical_cross_entropy": lambda r: F.categorical_cross_entropy(
        jaring.ones(1, 2) / 2, [[0.0, 1.0]], reduction=r
    ),
    "cross_entropy": lambda r: F.cross_entropy(jaring.ones(1, 2), [1], reduction=r),
    "nll_loss": lambda r: F.nll_loss(jaring.ones(1, 2), [1], reduction=r),
}


@pytest.mark.parametrize("name", sorted(ALL_LOSSES))
def test_unknown_reduction_lists_the_options(name):
    with pytest.raises(
        ValueError, match=rf"{name}: unknown reduction 'avg'; choose one of 'mean', 'sum', 'none'"
    ):
        ALL_LOSSES[name]("avg")


@pytest.mark.parametrize("fn", [F.cross_entropy, F.nll_loss])
def test_labels_out_of_range_name_the_range_and_the_value(fn):
    with pytest.raises(ValueError, match=r"labels must be in \[0, 2\] for 3 classes, got 3"):
        fn(jaring.ones(2, 3), [0, 3])
    with pytest.raises(ValueError, match=r"got -1"):
        fn(jaring.ones(2, 3), [-1, 0])


@pytest.mark.parametrize("fn", [F.cross_entropy, F.nll_loss])
def test_float_or_misshaped_labels_are_refused(fn):
    with pytest.raises(TypeError, match=r"class labels must be integers, got dtype float32.*\.long\(\)"):
        fn(jaring.ones(2, 3), jaring.tensor([0.0, 1.0]))
    with pytest.raises(
        ValueError, match=r"shape \(2, 3\) need labels of shape \(2,\).*got labels of shape \(2, 1\)"
    ):
        fn(jaring.ones(2, 3), [[0], [1]])
    with pytest.raises(ValueError, match="class axis"):
        fn(jaring.tensor(1.0), 0)


def test_cross_entropy_probability_target_of_wrong_shape_names_both_shapes():
    with pytest.raises(ValueError, match=r"logits' shape \(2, 3\), got \(2, 4\)"):
        F.cross_entropy(jaring.ones(2, 3), np.ones((2, 4), np.float32))


@pytest.mark.parametrize("name", ["mse_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits"])
def test_shape_mismatch_names_both_shapes(name):
    with pytest.raises(
        ValueError, match=r"shape \(4, 1\) and target of shape \(4,\) differ.*extra size-1 axis"
    ):
        getattr(F, name)(jaring.ones(4, 1) / 2, jaring.ones(4))
    with pytest.raises(ValueError, match=r"shape \(2, 3\) and target of shape \(3, 2\) differ"):
        getattr(F, name)(jaring.ones(2, 3) / 2, jaring.ones(3, 2))


def test_probability_losses_refuse_logits_and_integer_labels():
    with pytest.raises(
        ValueError, match=r"probabilities in \[0, 1\].*-1.*2.*binary_cross_entropy_with_logits"
    ):
        F.binary_cross_entropy(jaring.tensor([-1.0, 2.0]), jaring.ones(2))
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*use cross_entropy"):
        F.categorical_cross_entropy(jaring.tensor([[3.0, -1.0]]), [[1.0, 0.0]])
    with pytest.raises(ValueError, match=r"looks like integer labels.*one-hot"):
        F.categorical_cross_entropy(jaring.ones(2, 3) / 3, [0, 2])
    with pytest.raises(ValueError, match="eps must be a number in"):
        F.binary_cross_entropy(jaring.ones(2) / 2, jaring.ones(2), eps=0.7)


def test_label_smoothing_is_validated():
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\], got 1.5"):
        F.cross_entropy(jaring.ones(2, 3), [0, 1], label_smoothing=1.5)
    with pytest.raises(TypeError, match="label_smoothing must be a number"):
        F.cross_entropy(jaring.ones(2, 3), [0, 1], label_smoothing="0.1")
