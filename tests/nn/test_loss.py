"""Loss modules against torch.nn's losses, and get_loss's names and errors."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from tests.oracle import compare_with_torch, random_array

REDUCTIONS = ["mean", "sum", "none"]


def _probs(shape, seed):
    return random_array(shape, seed=seed, low=0.05, high=0.95)


def _labels(n, classes, seed):
    return np.random.default_rng(seed).integers(0, classes, n)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_and_binary_losses_match_torch(reduction):
    pred, target = random_array((4, 3), seed=1), _probs((4, 3), seed=2)
    compare_with_torch(nn.MSELoss(reduction), torch.nn.MSELoss(reduction=reduction), [pred, target])
    compare_with_torch(
        nn.BCELoss(reduction), torch.nn.BCELoss(reduction=reduction), [_probs((4, 3), 3), target]
    )
    compare_with_torch(
        nn.BCEWithLogitsLoss(reduction), torch.nn.BCEWithLogitsLoss(reduction=reduction), [pred, target]
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_family_matches_torch(reduction):
    logits, labels = random_array((5, 4), seed=4), _labels(5, 4, seed=5)
    compare_with_torch(
        nn.CrossEntropyLoss(reduction), torch.nn.CrossEntropyLoss(reduction=reduction), [logits, labels]
    )
    compare_with_torch(
        nn.CrossEntropyLoss(reduction, label_smoothing=0.1),
        torch.nn.CrossEntropyLoss(reduction=reduction, label_smoothing=0.1),
        [logits, labels],
    )
    log_probs = torch.log_softmax(torch.tensor(logits), 1).numpy()
    compare_with_torch(nn.NLLLoss(reduction), torch.nn.NLLLoss(reduction=reduction), [log_probs, labels])


def _torch_cce(probs, target, reduction):
    per_sample = -(target * torch.log(probs)).sum(-1)
    return {"mean": per_sample.mean(), "sum": per_sample.sum(), "none": per_sample}[reduction]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_categorical_cross_entropy_is_cross_entropy_on_probabilities(reduction):
    logits, labels = random_array((6, 3), seed=6), _labels(6, 3, seed=7)
    probs = torch.softmax(torch.tensor(logits), 1).numpy()
    onehot = np.eye(3, dtype=np.float32)[labels]
    compare_with_torch(
        nn.CategoricalCrossEntropy(reduction),
        lambda p, t: _torch_cce(p, t, reduction),
        [probs, onehot],
        rtol=1e-4,
    )
    expected = torch.nn.functional.cross_entropy(
        torch.tensor(logits), torch.tensor(labels), reduction=reduction
    )
    got = nn.CategoricalCrossEntropy(reduction)(probs, onehot)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-5)


@pytest.mark.parametrize(
    "name, cls",
    [
        ("mse", nn.MSELoss),
        ("bce", nn.BCELoss),
        ("binary_crossentropy", nn.BCELoss),
        ("cce", nn.CategoricalCrossEntropy),
        ("categorical_crossentropy", nn.CategoricalCrossEntropy),
        ("cross_entropy", nn.CrossEntropyLoss),
        ("nll", nn.NLLLoss),
        ("MSE", nn.MSELoss),
        ("bce-with-logits", nn.BCEWithLogitsLoss),
    ],
)
def test_get_loss_by_name(name, cls):
    assert type(nn.get_loss(name)) is cls


def test_a_keras_probability_name_never_means_a_logits_loss():
    # Keras's sparse_categorical_crossentropy takes probabilities; nn.CrossEntropyLoss takes logits.
    with pytest.raises(ValueError, match="unknown loss 'sparse_categorical_crossentropy'"):
        nn.get_loss("sparse_categorical_crossentropy")


def test_get_loss_other_forms_and_kwargs():
    mse = nn.MSELoss()
    assert nn.get_loss(mse) is mse
    assert nn.get_loss("mse", reduction="sum").reduction == "sum"
    assert nn.get_loss(nn.CrossEntropyLoss, label_smoothing=0.2).label_smoothing == 0.2
    mae = nn.get_loss(lambda p, t: (p - t).abs().mean())
    assert isinstance(mae, nn.LossFunction)
    assert mae(jaring.tensor([1.0, 3.0]), jaring.tensor([0.0, 0.0])).item() == 2.0


def test_errors():
    with pytest.raises(ValueError, match=r"unknown loss 'crossentropy'.*'cross_entropy'.*'mse'"):
        nn.get_loss("crossentropy")
    with pytest.raises(TypeError, match="name, a Module or a function"):
        nn.get_loss(1)
    with pytest.raises(ValueError, match=r"MSELoss: unknown reduction 'avg'.*'mean'"):
        nn.MSELoss("avg")
    with pytest.raises(ValueError, match="out of range|labels"):
        nn.CrossEntropyLoss()(jaring.zeros(2, 3), jaring.tensor([0, 3]))


def test_repr_and_config():
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss()"
    assert repr(nn.MSELoss("sum")) == "MSELoss(reduction='sum')"
    assert nn.BCELoss.from_config(nn.BCELoss(eps=1e-6).get_config()).eps == 1e-6


def test_loss_modules_take_torch_options():
    weight = np.array([1.0, 2.0, 0.5], np.float32)
    labels = np.array([0, 2, -100, 1])
    logits = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    mine = nn.CrossEntropyLoss(weight=weight, label_smoothing=0.1)
    theirs = torch.nn.CrossEntropyLoss(weight=torch.tensor(weight), label_smoothing=0.1)
    compare_with_torch(lambda x: mine(x, labels), lambda x: theirs(x, torch.tensor(labels)), [logits])
    nll, tnll = (
        nn.NLLLoss("sum", weight=weight, ignore_index=2),
        torch.nn.NLLLoss(torch.tensor(weight), ignore_index=2, reduction="sum"),
    )
    compare_with_torch(
        lambda x: nll(x, labels.clip(0)), lambda x: tnll(x, torch.tensor(labels.clip(0))), [logits]
    )
    pos = np.array([2.0, 1.0, 0.5], np.float32)
    bce, tbce = nn.BCEWithLogitsLoss(pos_weight=pos), torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pos))
    target = (logits > 0).astype(np.float32)
    compare_with_torch(lambda x: bce(x, target), lambda x: tbce(x, torch.tensor(target)), [logits])
    assert nn.CrossEntropyLoss.from_config(mine.get_config()).weight.numpy().tolist() == weight.tolist()
    assert "weight" in mine.state_dict()


def test_fit_takes_a_weighted_loss_module():
    from jaring.training import fit

    rng = np.random.default_rng(0)
    x = rng.standard_normal((40, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    model = nn.Sequential(nn.Linear(4, 2, seed=0))
    loss = nn.CrossEntropyLoss(weight=np.array([1.0, 3.0], np.float32))
    history = fit(model, x, y, loss=loss, optimizer="sgd", lr=0.1, epochs=3, seed=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
