"""jaring/nn/loss_more.py: the loss modules give torch.nn's values with torch's arguments, hold no
parameters (a class weight is a buffer), repr and round-trip their config, and check arguments."""

import warnings

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from tests.oracle import random_array

X, Y = random_array((4, 3), seed=1), random_array((4, 3), seed=2)
SIGNS = np.array([1.0, -1.0, 1.0, -1.0], np.float32)
LABELS = np.array([0, 2, 1, 2])
MULTI = np.array([[0, -1, 1], [2, 1, -1], [1, -1, 0], [0, 1, 2]])
VAR = random_array((4, 3), seed=3, low=0.1, high=1.0)

CASES = [  # (module name, kwargs, inputs)
    ("KLDivLoss", dict(reduction="batchmean"), (X - 2, np.abs(Y))),
    ("KLDivLoss", dict(reduction="sum", log_target=True), (X, Y)),
    ("MarginRankingLoss", dict(margin=0.2), (X[:, 0], Y[:, 0], SIGNS)),
    ("HingeEmbeddingLoss", dict(margin=0.5, reduction="sum"), (X, np.ones((4, 3), np.float32))),
    ("SoftMarginLoss", dict(reduction="none"), (X, np.sign(Y))),
    (
        "MultiLabelSoftMarginLoss",
        dict(weight=np.array([1.0, 2.0, 3.0], np.float32)),
        (X, (Y > 0).astype(np.float32)),
    ),
    ("MultiMarginLoss", dict(p=2, margin=0.5, weight=np.array([1.0, 2.0, 3.0], np.float32)), (X, LABELS)),
    ("MultiLabelMarginLoss", dict(), (X, MULTI)),
    ("CosineEmbeddingLoss", dict(margin=0.1), (X, Y, SIGNS)),
    ("TripletMarginLoss", dict(margin=0.5, p=1.0, swap=True), (X, Y, VAR)),
    ("PoissonNLLLoss", dict(log_input=False, full=True, eps=1e-6), (VAR, np.round(np.abs(Y) * 3))),
    ("GaussianNLLLoss", dict(full=True, eps=1e-4), (X, Y, VAR)),
]


def _torch_kwargs(kwargs):
    return {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}


@pytest.mark.parametrize("name, kwargs, inputs", CASES, ids=[c[0] for c in CASES])
def test_modules_match_torch_and_hold_no_parameters(name, kwargs, inputs):
    module = getattr(nn, name)(**kwargs)
    reference = getattr(torch.nn, name)(**_torch_kwargs(kwargs))
    got = module(*[jaring.tensor(a) for a in inputs])
    expected = reference(*[torch.tensor(a) for a in inputs])
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)
    assert list(module.parameters()) == []
    assert set(module.state_dict()) == ({"weight"} if "weight" in kwargs else set())
    again = type(module).from_config(module.get_config())
    np.testing.assert_allclose(again(*[jaring.tensor(a) for a in inputs]).numpy(), got.numpy(), rtol=1e-6)


def test_reprs_show_the_arguments_that_differ_from_the_defaults():
    assert repr(nn.KLDivLoss()) == "KLDivLoss()"
    assert repr(nn.KLDivLoss(reduction="batchmean")) == "KLDivLoss(reduction='batchmean')"
    assert repr(nn.TripletMarginLoss(margin=2.0, swap=True)) == "TripletMarginLoss(margin=2.0, swap=True)"
    assert repr(nn.MultiMarginLoss(p=2)) == "MultiMarginLoss(p=2)"
    assert repr(nn.GaussianNLLLoss(full=True)) == "GaussianNLLLoss(full=True)"


def test_kldiv_mean_warns_as_torch_and_arguments_are_checked():
    with pytest.warns(UserWarning, match="batchmean"):
        nn.KLDivLoss()(jaring.tensor(X), jaring.tensor(np.abs(Y)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.KLDivLoss(reduction="batchmean")(jaring.tensor(X), jaring.tensor(np.abs(Y)))
    with pytest.raises(ValueError, match="unknown reduction"):
        nn.SoftMarginLoss(reduction="batchmean")
    with pytest.raises(ValueError, match="unknown reduction"):
        nn.KLDivLoss(reduction="average")
    with pytest.raises(ValueError, match="margin must be greater than 0"):
        nn.TripletMarginLoss(margin=0.0)
    with pytest.raises(ValueError, match="only p == 1 and p == 2"):
        nn.MultiMarginLoss(p=3)
    with pytest.raises(TypeError):
        nn.MarginRankingLoss(0.0, "mean")  # reduction is keyword-only: torch's second slot is size_average


def test_gradients_flow_through_a_module():
    x = jaring.tensor(X, requires_grad=True)
    nn.TripletMarginLoss()(x, jaring.tensor(Y), jaring.tensor(VAR)).backward()
    assert x.grad.shape == X.shape
