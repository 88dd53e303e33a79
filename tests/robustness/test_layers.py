"""Bad arguments to layers, ready models and losses: a clear jaring error naming the argument."""

import numpy as np
import pytest

import jaring
import jaring.functional as F
from jaring import nn
from jaring.allocation import AllocationRefusedError
from jaring.models import CNN, FFNN, TextClassifier
from tests.robustness.helpers import assert_clear_error

ERRORS = (ValueError, TypeError, IndexError, AllocationRefusedError)
T = jaring.tensor
LAYERS = {
    "Linear in str": (lambda: nn.Linear("4", 3), "in_features"),
    "Linear in float": (lambda: nn.Linear(4.0, 3), "in_features"),
    "Linear in 0": (lambda: nn.Linear(0, 3), "in_features"),
    "Linear out neg": (lambda: nn.Linear(4, -3), "out_features"),
    "Linear bias str": (lambda: nn.Linear(4, 3, bias="no"), "bias must be True or False"),
    "Linear init": (lambda: nn.Linear(4, 3, weight_init="nope"), "unknown initializer"),
    "Linear huge": (lambda: nn.Linear(10**6, 10**6), "more than this machine"),
    "Linear input": (lambda: nn.Linear(4, 3)(jaring.ones(2, 5)), "4"),
    "Dense units str": (lambda: nn.Dense("a"), "units"),
    "Dense units 0": (lambda: nn.Dense(0), "units"),
    "Dense activation": (lambda: nn.Dense(3, activation="nope"), "unknown activation"),
    "Dense use_bias": (lambda: nn.Dense(3, use_bias="yes"), "use_bias must be True or False"),
    "Dense initializer": (lambda: nn.Dense(3, kernel_initializer=3), "initializer"),
    "Conv2D filters": (lambda: nn.Conv2D("a", 3), "filters"),
    "Conv2D kernel 0": (lambda: nn.Conv2D(3, 0), "kernel_size"),
    "Conv2D kernel str": (lambda: nn.Conv2D(3, "3"), "kernel_size"),
    "Conv2D padding": (lambda: nn.Conv2D(3, 3, padding="weird"), "padding"),
    "Conv2D strides": (lambda: nn.Conv2D(3, 3, strides=0), "strides"),
    "Conv2D dilation": (lambda: nn.Conv2D(3, 3, dilation=-1), "dilation"),
    "Conv2D format": (lambda: nn.Conv2D(3, 3, data_format="nchw"), "data_format"),
    "Conv2D use_bias": (lambda: nn.Conv2D(3, 3, use_bias="no"), "use_bias"),
    "Conv2D huge": (lambda: nn.Conv2D(10**11, 3).build((1, 8, 8, 3)), "more than this machine"),
    "Conv2D input": (lambda: nn.Conv2D(3, 3)(jaring.ones(2, 8, 8)), "shape|dimensions|4-D"),
    "MaxPool 0": (lambda: nn.MaxPool2D(0), "pool_size"),
    "MaxPool str": (lambda: nn.MaxPool2D("a"), "pool_size"),
    "AvgPool neg": (lambda: nn.AvgPool2D(-2), "pool_size"),
    "Embedding vocab": (lambda: nn.Embedding("a", 3), "input_dim"),
    "Embedding dim": (lambda: nn.Embedding(10, 0), "output_dim"),
    "Embedding padding str": (lambda: nn.Embedding(10, 3, padding_idx="a"), "padding_idx must be an integer"),
    "Embedding padding float": (
        lambda: nn.Embedding(10, 3, padding_idx=1.5),
        "padding_idx must be an integer",
    ),
    "Embedding padding range": (
        lambda: nn.Embedding(10, 3, padding_idx=10),
        "padding_idx 10 is out of range",
    ),
    "Embedding mask str": (lambda: nn.Embedding(10, 3, mask_zero="yes"), "mask_zero must be True or False"),
    "Embedding huge id": (lambda: nn.Embedding(10, 3)(T([1e30])), "must be in \\[0, 9\\], got 1e\\+30"),
    "Embedding inf id": (lambda: nn.Embedding(10, 3)(T([np.inf])), "must be in \\[0, 9\\]"),
    "Embedding nan id": (lambda: nn.Embedding(10, 3)(T([np.nan])), "whole numbers"),
    "Embedding fraction": (lambda: nn.Embedding(10, 3)(T([1.5])), "whole numbers"),
    "Embedding id 10": (lambda: nn.Embedding(10, 3)(T([10])), "out of range"),
    "Embedding id -11": (lambda: nn.Embedding(10, 3)(T([-11])), "out of range"),
    "Embedding id 2**62": (lambda: nn.Embedding(10, 3)(T([2**62])), "out of range"),
    "BatchNorm momentum str": (lambda: nn.BatchNorm2D(3, momentum="a"), "momentum must be a number"),
    "BatchNorm momentum 2": (lambda: nn.BatchNorm2D(3, momentum=2), "momentum must be in \\[0, 1\\]"),
    "BatchNorm momentum nan": (lambda: nn.BatchNorm2D(3, momentum=float("nan")), "momentum must be a finite"),
    "BatchNorm epsilon str": (lambda: nn.BatchNorm2D(3, epsilon="a"), "epsilon must be a number"),
    "BatchNorm epsilon 0": (lambda: nn.BatchNorm2D(3, epsilon=0), "epsilon must be in \\(0, inf\\)"),
    "BatchNorm epsilon inf": (lambda: nn.BatchNorm2D(3, epsilon=float("inf")), "epsilon must be a finite"),
    "BatchNorm features": (lambda: nn.BatchNorm2D(0), "input_dim"),
    "BatchNorm center": (lambda: nn.BatchNorm2D(3, center="no"), "center must be True or False"),
    "BatchNorm scale": (lambda: nn.BatchNorm2D(3, scale="yes"), "scale must be True or False"),
    "BatchNorm channels": (lambda: nn.BatchNorm2D(3)(jaring.ones(2, 4, 4, 5)), "expected 3 input channels"),
    "LayerNorm eps str": (lambda: nn.LayerNorm(3, eps="a"), "eps must be a number"),
    "LayerNorm eps neg": (lambda: nn.LayerNorm(3, eps=-1e-5), "eps must be in"),
    "LayerNorm shape str": (lambda: nn.LayerNorm("a"), "normalized shape"),
    "LayerNorm shape 0": (lambda: nn.LayerNorm(0), "normalized shape"),
    "LayerNorm affine": (lambda: nn.LayerNorm(3, elementwise_affine="x"), "elementwise_affine"),
    "LayerNorm input": (lambda: nn.LayerNorm(3)(jaring.ones(2, 4)), "expected input of shape"),
    "RMSNorm eps str": (lambda: nn.RMSNorm(3, eps="x"), "eps must be a number"),
    "RMSNorm dim neg": (lambda: nn.RMSNorm(-3), "normalized shape"),
    "Dropout str": (lambda: nn.Dropout("a"), "must be in \\[0, 1\\)"),
    "Dropout 1": (lambda: nn.Dropout(1.0), "must be in \\[0, 1\\)"),
    "Dropout negative": (lambda: nn.Dropout(-0.1), "must be in \\[0, 1\\)"),
    "Dropout seed": (lambda: nn.Dropout(0.5, seed="a"), "seed must be"),
    "LSTM units": (lambda: nn.LSTM("a"), "units"),
    "LSTM 0": (lambda: nn.LSTM(0), "units"),
    "LSTM return_sequences": (lambda: nn.LSTM(3, return_sequences="yes"), "return_sequences must be True"),
    "GRU go_backwards": (lambda: nn.GRU(3, go_backwards="no"), "go_backwards must be True"),
    "GRU activation": (lambda: nn.GRU(3, activation="nope"), "activation"),
    "SimpleRNN units": (lambda: nn.SimpleRNN(-1), "units"),
    "LSTM forget bias": (lambda: nn.LSTM(3, unit_forget_bias="x"), "unit_forget_bias"),
    "LSTM input": (lambda: nn.LSTM(3)(jaring.ones(2, 4)), "shape|dimensions|3-D"),
    "Bidirectional merge": (lambda: nn.Bidirectional(nn.LSTM(3), merge_mode="x"), "merge_mode"),
    "Bidirectional layer": (lambda: nn.Bidirectional(3), "wraps"),
    "FFNN sizes str": (lambda: FFNN("abc", ["relu"]), "layer_sizes"),
    "FFNN one size": (lambda: FFNN([3], []), "layer_sizes"),
    "FFNN activations": (lambda: FFNN([3, 4, 2], ["relu"]), "activations"),
    "FFNN loss": (lambda: FFNN([3, 2], ["softmax"], loss="nope"), "unknown loss"),
    "FFNN l2 str": (lambda: FFNN([3, 2], ["softmax"], l2="a"), "l2"),
    "FFNN l1 neg": (lambda: FFNN([3, 2], ["softmax"], l1=-1), "l1"),
    "FFNN huge": (lambda: FFNN([10**6, 10**6], ["softmax"]), "more than this machine"),
    "FFNN negative size": (lambda: FFNN([3, -2], ["softmax"]), "layer size"),
    "CNN shape": (lambda: CNN((28, 28), 10), "input_shape"),
    "CNN classes": (lambda: CNN((28, 28, 1), 0), "num_classes"),
    "CNN filters": (lambda: CNN((28, 28, 1), 10, filters="a"), "filters"),
    "CNN huge": (lambda: CNN((10**5, 10**5, 3), 10), "more than this machine"),
    "Text cell": (lambda: TextClassifier(cell="x"), "cell"),
    "Text units": (lambda: TextClassifier(units=0), "units"),
    "Text dropout": (lambda: TextClassifier(dropout=2), "must be in \\[0, 1\\)"),
    "Text direction": (lambda: TextClassifier(direction="sideways"), "direction"),
    # Found by a sweep of every public constructor argument with strings, None, NaN, lists, -7:
    "Dense dtype int": (lambda: nn.Dense(3, input_dim=2, dtype="int32"), "dtype must be a floating-point"),
    "Linear dtype unknown": (lambda: nn.Linear(2, 3, dtype="abc"), "dtype must be a floating-point.*'abc'"),
    "LayerNorm dtype list": (lambda: nn.LayerNorm(3, dtype=[1, "x"]), "dtype must be a floating-point"),
    "Dense seed negative": (lambda: nn.Dense(3, input_dim=2, seed=-7), "seed must be an integer >= 0"),
    "Dropout seed negative": (lambda: nn.Dropout(0.5, seed=-7), "seed must be an integer >= 0"),
    "Conv2D kernel None": (lambda: nn.Conv2D(3, None), "kernel_size must be an int or a pair"),
    "Conv2D kernel float": (lambda: nn.Conv2D(3, 1.5), "kernel_size must be an int or a pair"),
    "MaxPool None": (lambda: nn.MaxPool2D(None), "pool_size must be an int or a pair"),
    "Flatten start str": (lambda: nn.Flatten("abc"), "Flatten: start_dim must be an integer"),
    "Flatten end nan": (lambda: nn.Flatten(1, float("nan")), "Flatten: end_dim must be an integer"),
    "ModuleList int": (lambda: nn.ModuleList(5), "modules must be an iterable of Modules"),
    "FFNN init kwargs str": (
        lambda: FFNN([3, 2], ["softmax"], weight_init_kwargs="abc"),
        "weight_init_kwargs",
    ),
    "FFNN dtype": (lambda: FFNN([3, 2], ["softmax"], dtype="abc"), "dtype must be a floating-point"),
    "CNN kernel None": (
        lambda: CNN((28, 28, 1), 10, kernel_size=None),
        "kernel_size must be an int or a pair",
    ),
    "CNN pooling list": (lambda: CNN((28, 28, 1), 10, pooling=["max"]), "pooling must be"),
    "Text cell list": (lambda: TextClassifier(cell=["lstm"]), "unknown cell"),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_bad_layer_arguments(name):
    fn, message = LAYERS[name]
    assert_clear_error(fn, message, ERRORS)


P = T([[0.2, 0.8], [0.6, 0.4]])
LOSSES = {
    "bce target 2": (lambda: F.binary_cross_entropy(T([0.5]), T([2.0])), "targets .*in \\[0, 1\\]"),
    "bce target -1": (lambda: F.binary_cross_entropy(T([0.5]), T([-1.0])), "targets .*in \\[0, 1\\]"),
    "bce probs 1.5": (lambda: F.binary_cross_entropy(T([1.5]), T([1.0])), "probabilities in \\[0, 1\\]"),
    "bce shape": (lambda: F.binary_cross_entropy(T([0.5, 0.5]), T([1.0])), "same shape"),
    "bce eps": (lambda: F.binary_cross_entropy(T([0.5]), T([1.0]), eps=0.7), "eps"),
    "bce logits target 3": (lambda: F.binary_cross_entropy_with_logits(T([0.5]), T([3.0])), "in \\[0, 1\\]"),
    "bce logits target neg": (
        lambda: F.binary_cross_entropy_with_logits(T([0.5]), T([-0.1])),
        "in \\[0, 1\\]",
    ),
    "cce sums 1.4": (lambda: F.categorical_cross_entropy(T([[0.5, 0.9]]), T([[0.0, 1.0]])), "sum to 1"),
    "cce sums 0.5": (lambda: F.categorical_cross_entropy(T([[0.25, 0.25]]), T([[0.0, 1.0]])), "sum to 1"),
    "cce logits": (lambda: F.categorical_cross_entropy(T([[2.0, -1.0]]), T([[0.0, 1.0]])), "probabilities"),
    "cce sigmoid outputs": (
        lambda: F.categorical_cross_entropy(T([[0.9, 0.8, 0.7]]), T([[0, 1.0, 0]])),
        "sum to 1",
    ),
    "cce negative target": (
        lambda: F.categorical_cross_entropy(P, T([[-1.0, 2.0], [0, 1.0]])),
        "in \\[0, 1\\]",
    ),
    "cce labels": (lambda: F.categorical_cross_entropy(P, T([0, 1])), "integer labels"),
    "cce reduction": (lambda: F.categorical_cross_entropy(P, P, reduction="avg"), "reduction"),
    "ce float labels": (lambda: F.cross_entropy(T([[1.0, 2.0]]), T([0.5])), "integers"),
    "ce label range": (lambda: F.cross_entropy(T([[1.0, 2.0]]), T([2])), "labels must be in \\[0, 1\\]"),
    "ce negative label": (lambda: F.cross_entropy(T([[1.0, 2.0]]), T([-1])), "labels must be in"),
    "ce soft negative": (lambda: F.cross_entropy(T([[1.0, 2.0]]), T([[-0.5, 1.5]])), "in \\[0, 1\\]"),
    "ce smoothing": (lambda: F.cross_entropy(T([[1.0, 2.0]]), T([0]), label_smoothing=2), "label_smoothing"),
    "ce smoothing str": (
        lambda: F.cross_entropy(T([[1.0, 2.0]]), T([0]), label_smoothing="a"),
        "label_smoothing",
    ),
    "nll labels": (lambda: F.nll_loss(T([[-1.0, -2.0]]), T([5])), "labels must be in"),
    "mse shape": (lambda: F.mse_loss(jaring.ones(2, 3), jaring.ones(3, 2)), "same shape"),
    "mse reduction": (lambda: F.mse_loss(jaring.ones(2), jaring.ones(2), reduction=None), "reduction"),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_bad_loss_inputs(name):
    fn, message = LOSSES[name]
    assert_clear_error(fn, message, ERRORS)


def test_losses_on_valid_edges_give_the_right_values():
    np.testing.assert_allclose(F.binary_cross_entropy(T([0.5]), T([1.0])).item(), np.log(2), rtol=1e-6)
    soft = F.binary_cross_entropy(T([0.5]), T([0.3])).item()  # soft targets in [0, 1] are fine
    np.testing.assert_allclose(soft, np.log(2), rtol=1e-6)
    np.testing.assert_allclose(
        F.categorical_cross_entropy(P, T([[0, 1.0], [1.0, 0]])).item(),
        -(np.log(0.8) + np.log(0.6)) / 2,
        rtol=1e-6,
    )
    softmaxed = F.softmax(T(np.random.default_rng(0).normal(size=(4, 1000))), axis=-1)
    assert np.isfinite(F.categorical_cross_entropy(softmaxed, softmaxed).item())  # rounding is tolerated
