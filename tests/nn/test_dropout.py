"""Dropout layer: train/eval switching, seeded reproducibility, argument checks."""

import numpy as np
import pytest

import jaring
from jaring import nn


def test_active_in_training_identity_in_eval():
    layer = nn.Dropout(0.5, seed=0)
    x = jaring.ones(100, 100)
    out = layer(x).numpy()
    assert 0.45 < np.mean(out == 0) < 0.55 and set(np.unique(out)) == {0.0, 2.0}
    assert layer.eval()(x) is x
    model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.9, seed=1))
    model.eval()
    y = jaring.randn(3, 4, seed=0)
    np.testing.assert_array_equal(model(y).numpy(), model[0](y).numpy())
    model.train()
    assert (model(y).numpy() == 0).mean() > 0.5


def test_seeded_layer_repeats_its_sequence_of_masks():
    x = jaring.ones(64)
    a, b = nn.Dropout(0.5, seed=3), nn.Dropout(0.5, seed=3)
    first = [a(x).numpy() for _ in range(3)]
    second = [b(x).numpy() for _ in range(3)]
    for m1, m2 in zip(first, second):
        np.testing.assert_array_equal(m1, m2)
    assert not np.array_equal(first[0], first[1])  # a fresh mask every call


def test_unseeded_layer_follows_manual_seed():
    layer = nn.Dropout(0.5)
    jaring.manual_seed(5)
    first = layer(jaring.ones(32)).numpy()
    jaring.manual_seed(5)
    np.testing.assert_array_equal(first, layer(jaring.ones(32)).numpy())


def test_gradient_flows_through_kept_units():
    x = jaring.ones(10, requires_grad=True)
    out = nn.Dropout(0.3, seed=2)(x)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), out.numpy())


@pytest.mark.parametrize("p", [-0.5, 1.0, 2])
def test_bad_p(p):
    with pytest.raises(ValueError, match=r"Dropout: p .* \[0, 1\)"):
        nn.Dropout(p)


def test_repr():
    assert repr(nn.Dropout(0.25)) == "Dropout(p=0.25)"
