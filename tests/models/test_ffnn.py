"""FFNN: construction checks, forward against PyTorch, initialisers, penalties, training, files."""

import time

import numpy as np
import pytest
import torch

import jaring
from jaring import functional as F
from jaring import nn
from jaring.io import save
from jaring.models import FFNN
from jaring.training import Objective
from tests.training.helpers import blobs, digits_split


def torch_copy(model: FFNN) -> callable:
    """The same network in PyTorch (same weights), returning the output after the last activation."""
    n = len(model.layers)

    def forward(x):
        for i, layer in enumerate(model.layers):
            x = x @ torch.from_numpy(layer.weight.numpy()).T + torch.from_numpy(layer.bias.numpy())
            if i < n - 1:
                if model.norms is not None:
                    x = torch.nn.functional.rms_norm(
                        x, (x.shape[-1],), torch.from_numpy(model.norms[i].weight.numpy())
                    )
                x = torch.relu(x)
        return torch.softmax(x, dim=1)

    return forward


@pytest.mark.parametrize("rmsnorm", [False, True])
@pytest.mark.parametrize("sizes", [[4, 3], [4, 1, 3], [5, 8, 6, 3]])
def test_forward_matches_pytorch(sizes, rmsnorm):
    model = FFNN(sizes, ["relu"] * (len(sizes) - 2) + ["softmax"], seed=0, rmsnorm=rmsnorm)
    x = np.random.default_rng(1).normal(size=(7, sizes[0])).astype(np.float32)
    expected = torch_copy(model)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(model(x).numpy(), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(x), expected, rtol=1e-5, atol=1e-6)
    assert (model.norms is not None) == rmsnorm


@pytest.mark.slow
def test_digits_reach_95_percent_quickly():
    x_train, x_test, y_train, y_test = digits_split()
    start = time.process_time()  # CPU time: other processes on a busy machine do not count
    model = FFNN([64, 256, 10], ["relu", "softmax"], loss="cce", weight_init="he", seed=0)
    model.fit(x_train, y_train, batch_size=16, lr=1e-3, epochs=30, optimizer="adam", seed=0)
    result = model.evaluate(x_test, y_test)
    assert result["accuracy"] >= 0.95
    assert time.process_time() - start < 20
    assert (model.predict_classes(x_test) == y_test).mean() == pytest.approx(result["accuracy"])


def test_softmax_with_cce_trains_on_logits_and_stays_finite():
    model = FFNN([4, 3], ["softmax"], seed=0)
    assert Objective(model, model.loss).forward == model.logits
    with jaring.no_grad():
        model.layers[0].weight.data *= 1e4  # logits in the tens of thousands: softmax saturates
    x, y = blobs(12)
    loss = Objective(model, "cce").loss(model.logits(x), jaring.tensor(y))
    assert np.isfinite(loss.item())
    h = model.fit(x, y, lr=1e-6, epochs=1)
    assert np.isfinite(h.history["loss"][0])


def test_sigmoid_output_with_bce():
    x, y = blobs(60, classes=2)
    model = FFNN([4, 8, 1], ["tanh", "sigmoid"], loss="bce", weight_init="glorot_uniform", seed=0)
    assert Objective(model, "bce").forward == model.logits
    h = model.fit(x, y, lr=0.05, epochs=15, optimizer="adam", metrics=["accuracy"], seed=0)
    assert h.history["accuracy"][-1] > 0.95
    probs = model.predict(x)
    assert probs.shape == (60, 1) and ((probs > 0) & (probs < 1)).all()


def test_weights_and_gradients_per_layer():
    model = FFNN([4, 5, 3], ["relu", "softmax"], seed=0)
    assert model.gradients(0) == {"weight": None, "bias": None}
    w = model.weights(1)
    assert w["weight"].shape == (3, 5) and w["bias"].shape == (3,)
    np.testing.assert_array_equal(w["weight"], model.layers[1].weight.numpy())
    x, y = blobs(6)
    F.cross_entropy(model.logits(x), y).backward()
    for i in range(2):
        grads = model.gradients(i)
        np.testing.assert_array_equal(grads["weight"], model.layers[i].weight.grad.numpy())
        np.testing.assert_array_equal(grads["bias"], model.layers[i].bias.grad.numpy())
    assert model.gradients(-1)["weight"].shape == (3, 5)
    with pytest.raises(IndexError, match="FFNN has 2 layers"):
        model.weights(2)


def test_initialisers_and_seeds():
    a = FFNN([20, 30, 10], ["relu", "softmax"], seed=3)
    b = FFNN([20, 30, 10], ["relu", "softmax"], seed=3)
    np.testing.assert_array_equal(a.weights(0)["weight"], b.weights(0)["weight"])
    assert np.all(a.weights(0)["bias"] == 0)
    u = FFNN([50, 40, 2], ["relu", "softmax"], weight_init="uniform",
             weight_init_kwargs={"lower": -0.1, "upper": 0.2, "seed": 7})  # fmt: skip
    w = u.weights(0)["weight"]
    assert w.min() >= -0.1 and w.max() < 0.2 and w.mean() == pytest.approx(0.05, abs=0.01)
    u2 = FFNN([50, 40, 2], ["relu", "softmax"], weight_init="uniform",
              weight_init_kwargs={"lower": -0.1, "upper": 0.2, "seed": 7})  # fmt: skip
    np.testing.assert_array_equal(w, u2.weights(0)["weight"])
    n = FFNN([200, 100, 2], ["relu", "softmax"], weight_init="normal",
             weight_init_kwargs={"mean": 1.0, "variance": 0.04}, seed=0)  # fmt: skip
    w = n.weights(0)["weight"]
    assert w.mean() == pytest.approx(1.0, abs=0.01) and w.var() == pytest.approx(0.04, rel=0.05)
    c = FFNN([3, 2], ["softmax"], weight_init=lambda shape, scale: np.full(shape, scale),
             weight_init_kwargs={"scale": 0.5})  # fmt: skip
    assert np.all(c.weights(0)["weight"] == 0.5)


def test_l1_l2_penalty_is_added_to_the_training_loss():
    x, y = blobs(12)
    model = FFNN([4, 5, 3], ["relu", "softmax"], seed=0, l1=0.01, l2=0.02)
    weights = [layer.weight.numpy() for layer in model.layers]
    expected_penalty = sum(0.01 * np.abs(w).sum() + 0.02 * (w.astype(np.float64) ** 2).sum() for w in weights)
    assert model.regularization_loss().item() == pytest.approx(expected_penalty, rel=1e-5)
    data_loss = F.cross_entropy(model.logits(x), y).item()
    h = model.fit(x, y, batch_size=12, lr=0.0, epochs=1)
    assert h.history["loss"][0] == pytest.approx(data_loss + expected_penalty, rel=1e-5)
    assert FFNN([4, 3], ["softmax"]).regularization_loss() is None


def test_save_and_load_round_trip(tmp_path):
    x_train, x_test, y_train, _ = digits_split()
    model = FFNN([64, 16, 10], ["relu", "softmax"], seed=0, rmsnorm=True, l2=1e-4)
    model.fit(x_train[:200], y_train[:200], epochs=1, lr=0.1)
    path = model.save(tmp_path / "digits")
    assert path.name == "digits.jaring"
    restored = FFNN.load(path)
    np.testing.assert_array_equal(restored.predict(x_test), model.predict(x_test))
    assert restored.l2 == 1e-4 and restored.norms is not None
    save(nn.Sequential(nn.Linear(2, 2)), tmp_path / "seq.jaring")
    with pytest.raises(TypeError, match="holds a Sequential, not an FFNN"):
        FFNN.load(tmp_path / "seq.jaring")


def test_bad_construction_arguments():
    with pytest.raises(ValueError, match="2 layers .* need 2 activations, got 3"):
        FFNN([4, 5, 3], ["relu", "relu", "softmax"])
    with pytest.raises(ValueError, match="unknown activation 'rleu'.*'relu'"):
        FFNN([4, 5, 3], ["rleu", "softmax"])
    with pytest.raises(ValueError, match="unknown loss 'hinge'.*'cce'"):
        FFNN([4, 3], ["softmax"], loss="hinge")
    with pytest.raises(ValueError, match="unknown initializer 'hee'.*'he'"):
        FFNN([4, 3], ["softmax"], weight_init="hee")
    with pytest.raises(ValueError, match="at least an input and an output size"):
        FFNN([4], [])
    with pytest.raises(ValueError, match="positive integer"):
        FFNN([4, 0, 3], ["relu", "softmax"])
    with pytest.raises(ValueError, match="l2 must be a number >= 0"):
        FFNN([4, 3], ["softmax"], l2=-1)


def test_bad_input_to_a_built_model():
    model = FFNN([64, 8, 10], ["relu", "softmax"], seed=0)
    x_train, _, y_train, _ = digits_split()
    with pytest.raises(ValueError, match=r"FFNN expected input of shape \(N, 64\).*got \(5, 63\)"):
        model(x_train[:5, :63])
    # One check, at the model's boundary, whatever the path in.
    with pytest.raises(ValueError, match=r"FFNN expected input of shape \(N, 64\).*got \(5, 63\)"):
        model.predict(x_train[:5, :63])
    with pytest.raises(ValueError, match=r"FFNN expected input of shape \(N, 64\).*got \(10, 63\)"):
        model.fit(x_train[:10, :63], y_train[:10])
    with pytest.raises(ValueError, match=r"labels must be in \[0, 9\].*got label 10"):
        model.fit(x_train[:10], np.full(10, 10))


def test_regression_with_a_linear_output_and_mse():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 3)).astype(np.float32)
    y = np.sin(x[:, 0]) + 0.5 * x[:, 1]
    model = FFNN([3, 16, 1], ["tanh", "linear"], loss="mse", weight_init="glorot_uniform", seed=0)
    h = model.fit(x, y, batch_size=16, lr=0.01, epochs=40, optimizer="adam", seed=0)
    result = model.evaluate(x, y)
    assert set(result) == {"loss"} and result["loss"] < 0.1 < h.history["loss"][0]
    assert model.predict(x).shape == (80, 1)
