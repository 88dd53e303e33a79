"""The scikit-learn arm maps a study's settings onto MLPClassifier's and refuses what it cannot map."""

from __future__ import annotations

import pytest

from jaring.experiments.arms.sklearn_arm import classifier

TRAIN = {"optimizer": "sgd", "lr": 0.01, "batch_size": 64, "epochs": 20}


def test_settings_are_mapped():
    model, activation = classifier({"hidden": [128, 32], "activation": "sigmoid", "l2": 1e-4}, TRAIN, 5)
    p = model.get_params()
    assert p["hidden_layer_sizes"] == (128, 32) and activation == p["activation"] == "logistic"
    assert p["solver"] == "sgd" and p["momentum"] == 0.0 and p["learning_rate_init"] == 0.01
    assert p["batch_size"] == 64 and p["max_iter"] == 20 and p["n_iter_no_change"] > 20
    assert p["alpha"] == 1e-4 and p["random_state"] == 5
    assert classifier({"hidden_size": 50, "hidden_layers": 2}, TRAIN, 0)[0].hidden_layer_sizes == (50, 50)
    assert classifier({"activation": "leaky_relu"}, TRAIN, 0)[1] == "relu"  # MLPClassifier has no leaky ReLU


@pytest.mark.parametrize(("args", "train", "word"), [
    ({"l1": 1e-5}, TRAIN, "l1"),
    ({"rmsnorm": True}, TRAIN, "rmsnorm"),
    ({}, {**TRAIN, "optimizer": "rmsprop"}, "solver"),
])  # fmt: skip
def test_what_mlpclassifier_lacks_is_refused(args, train, word):
    with pytest.raises(ValueError, match=word):
        classifier(args, train, 0)
