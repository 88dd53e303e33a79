"""jaring/training/objective.py: a loss name means the same in fit, jaring.nn and jaring.functional."""

import numpy as np
import pytest

import jaring
from jaring import functional as F
from jaring import nn
from jaring.nn.loss import LOSSES
from jaring.training.objective import LOSS_NAMES, Objective, check_loss_name

RNG = np.random.default_rng(0)
X = jaring.tensor(RNG.normal(size=(6, 4)).astype(np.float32))
LABELS = np.array([0, 1, 2, 2, 1, 0])
ONE_HOT = np.eye(3, dtype=np.float32)[LABELS]
BINARY = RNG.integers(0, 2, size=(6, 1)).astype(np.float32)


def _case(kind):
    """(model, targets for fit, targets for the nn module) for one canonical loss."""
    body = [nn.Linear(4, 3 if kind not in ("bce", "bce_with_logits") else 1, seed=0)]
    if kind == "cce":
        return nn.Sequential(*body, nn.Softmax()), LABELS, ONE_HOT
    if kind == "bce":
        return nn.Sequential(*body, nn.Sigmoid()), BINARY, BINARY
    if kind == "nll":
        return nn.Sequential(*body, nn.LogSoftmax()), LABELS, LABELS
    if kind in ("mse", "mae", "huber", "smooth_l1"):
        return nn.Sequential(*body), ONE_HOT, ONE_HOT
    return nn.Sequential(*body), (BINARY if kind == "bce_with_logits" else LABELS), None


@pytest.mark.parametrize("name", sorted(set(LOSS_NAMES) & set(LOSSES)))
def test_fit_and_nn_compute_the_same_loss_for_each_shared_name(name):
    kind = check_loss_name(name)
    model, fit_targets, nn_targets = _case(kind)
    objective = Objective(model, name)
    from_fit = objective.loss(objective.forward(X), jaring.tensor(fit_targets)).item()
    outputs = model(X)
    nn_targets = fit_targets if nn_targets is None else nn_targets
    from_nn = nn.get_loss(name)(outputs, jaring.tensor(nn_targets)).item()
    assert from_fit == pytest.approx(from_nn, rel=1e-5, abs=1e-6)


def test_probability_names_take_probabilities_and_logit_names_take_logits():
    logits_model = nn.Sequential(nn.Linear(4, 3, seed=0))
    objective = Objective(logits_model, "cce")  # no softmax to fuse: the outputs must be probabilities
    with pytest.raises(ValueError, match="expects probabilities.*use cross_entropy"):
        objective.loss(objective.forward(X), jaring.tensor(LABELS))
    with pytest.raises(ValueError, match="'cross_entropy' takes logits, but the model ends in Softmax"):
        Objective(nn.Sequential(nn.Linear(4, 3, seed=0), nn.Softmax()), "cross_entropy")
    probs = F.softmax(logits_model(X), axis=1)
    on_probs = Objective(nn.Sequential(nn.Identity()), "cce").loss(probs, jaring.tensor(LABELS)).item()
    assert on_probs == pytest.approx(F.cross_entropy(logits_model(X), LABELS).item(), rel=1e-5)


def test_no_name_picks_the_cross_entropy_the_outputs_need():
    with_softmax = nn.Sequential(nn.Linear(4, 3, seed=0), nn.Softmax())
    assert Objective(with_softmax, None).kind == "cce" and Objective(with_softmax, None).logits
    assert Objective(nn.Sequential(nn.Linear(4, 3, seed=0)), None).kind == "cross_entropy"


def test_unknown_names_list_the_known_ones():
    with pytest.raises(ValueError, match="unknown loss 'crossentropy'.*'bce_with_logits'"):
        check_loss_name("crossentropy")


@pytest.mark.parametrize(
    "name,fn",
    [("mae", "l1_loss"), ("l1", "l1_loss"), ("huber", "huber_loss"), ("smooth_l1", "smooth_l1_loss")],
)
def test_fit_takes_the_robust_regression_losses_by_name(name, fn):
    from jaring.training import evaluate, fit

    rng = np.random.default_rng(0)
    x = rng.random((40, 3), dtype=np.float32)
    y = x.sum(axis=1)  # (N,) targets for an (N, 1) output: taken as (N, 1), as for "mse"
    model = nn.Sequential(nn.Dense(8, activation="relu", input_dim=3, seed=0), nn.Dense(1, seed=1))
    history = fit(model, x, y, loss=name, optimizer="adam", lr=0.01, epochs=15, seed=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 2
    expected = getattr(F, fn)(model(jaring.tensor(x)), jaring.tensor(y.reshape(-1, 1))).item()
    assert evaluate(model, x, y, loss=name)["loss"] == pytest.approx(expected, rel=1e-5)
