"""fit / evaluate / predict: the loop against PyTorch, History, verbosity, stops and input checks."""

import numpy as np
import pytest
import torch

import jaring
from jaring import functional as F
from jaring import nn
from jaring.data import DataLoader, TensorDataset
from jaring.training import Objective, evaluate, fit, predict
from tests.training.helpers import blobs, digits_split


def mlp(features=4, classes=3, softmax=True, seed=0):
    layers = [nn.Linear(features, 8, seed=seed), nn.ReLU(), nn.Linear(8, classes, seed=seed + 1)]
    return nn.Sequential(*layers, *([nn.Softmax()] if softmax else []))


def test_one_epoch_equals_pytorch_steps():
    """Full-batch steps without shuffling: jaring's fit and a PyTorch loop end at the same weights."""
    x, y = blobs(24)
    model = mlp()
    tm = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    with torch.no_grad():
        for i in (0, 2):
            tm[i].weight.copy_(torch.from_numpy(model[i].weight.numpy()))
            tm[i].bias.copy_(torch.from_numpy(model[i].bias.numpy()))
    history = fit(model, x, y, loss="cce", optimizer="adam", lr=0.01, batch_size=8, epochs=2, shuffle=False)
    opt = torch.optim.Adam(tm.parameters(), lr=0.01)
    losses = []
    for _ in range(2):
        total = 0.0
        for i in range(0, 24, 8):
            loss = torch.nn.functional.cross_entropy(
                tm(torch.from_numpy(x[i : i + 8])), torch.from_numpy(y[i : i + 8])
            )
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * 8
        losses.append(total / 24)
    np.testing.assert_allclose(history.history["loss"], losses, rtol=1e-5)
    for i in (0, 2):
        np.testing.assert_allclose(
            model[i].weight.numpy(), tm[i].weight.detach().numpy(), rtol=1e-4, atol=1e-6
        )


def test_softmax_output_is_trained_through_the_fused_logits_path():
    x, y = blobs(12)
    for model in (
        mlp(),
        nn.Sequential(nn.Linear(4, 8, seed=0), nn.ReLU(), nn.Dense(3, activation="softmax")),
    ):
        objective = Objective(model, "cce")
        logits = objective.forward(jaring.tensor(x))
        probs = model(jaring.tensor(x))
        np.testing.assert_allclose(F.softmax(logits, axis=1).numpy(), probs.numpy(), rtol=1e-5, atol=1e-6)
        fused = objective.loss(logits, jaring.tensor(y)).item()
        textbook = F.categorical_cross_entropy(probs, np.eye(3, dtype=np.float32)[y]).item()
        assert fused == pytest.approx(textbook, rel=1e-5)


def test_history_contents_and_metrics():
    x, y = blobs(60)
    h = fit(mlp(), x[:45], y[:45], lr=0.1, epochs=3, validation_data=(x[45:], y[45:]),
            metrics=["accuracy", "macro_f1"], seed=0)  # fmt: skip
    assert h.epoch == [1, 2, 3]
    assert set(h.history) == {"loss", "accuracy", "macro_f1", "val_loss", "val_accuracy", "val_macro_f1"}
    assert all(len(v) == 3 for v in h.history.values())
    assert h.history["loss"][-1] < h.history["loss"][0]
    assert all(0 <= a <= 1 for a in h.history["val_accuracy"])


def test_digits_training_reaches_high_accuracy():
    x_train, x_test, y_train, y_test = digits_split()
    model = nn.Sequential(nn.Linear(64, 64, seed=0), nn.ReLU(), nn.Linear(64, 10, seed=1))
    fit(model, x_train, y_train, optimizer="adam", lr=1e-2, epochs=10, seed=0)
    result = evaluate(model, x_test, y_test, metrics=["accuracy"])
    assert result["accuracy"] >= 0.95


def test_verbose_0_prints_nothing(capsys):
    x, y = blobs(30)
    fit(mlp(), x, y, epochs=2, validation_data=(x, y), metrics=["accuracy"], verbose=0)
    assert capsys.readouterr() == ("", "")


def test_verbose_1_shows_a_bar_with_loss_and_val_loss(capsys):
    x, y = blobs(30)
    fit(mlp(), x, y, epochs=2, batch_size=10, validation_data=(x, y), verbose=1)
    err = capsys.readouterr().err
    assert "Epoch 1/2" in err and "Epoch 2/2" in err and "3/3" in err
    assert "loss=" in err and "val_loss=" in err


def test_error_threshold_stops_when_the_loss_falls_below_it():
    x, y = blobs(30)
    h = fit(mlp(), x, y, epochs=50, lr=0.1, error_threshold=10.0)
    assert len(h) == 1
    h = fit(mlp(), x, y, epochs=50, lr=0.5, optimizer="adam", error_threshold=0.05, seed=0)
    assert 1 < len(h) < 50 and h.history["loss"][-1] < 0.05 <= min(h.history["loss"][:-1])


def test_dataloader_input_and_validation_loader():
    x, y = blobs(40)
    loader = DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True, seed=0)
    h = fit(mlp(), loader, lr=0.1, epochs=2, validation_data=DataLoader(TensorDataset(x, y), batch_size=16))
    assert len(h.history["val_loss"]) == 2
    with pytest.raises(ValueError, match="y=None when x is a DataLoader"):
        fit(mlp(), loader, y)


def test_binary_sigmoid_model_with_vector_targets():
    x, y = blobs(60, classes=2)
    model = nn.Sequential(nn.Linear(4, 8, seed=0), nn.Tanh(), nn.Linear(8, 1, seed=1), nn.Sigmoid())
    assert Objective(model, "bce").forward is not model  # the sigmoid is fused into the loss
    h = fit(model, x, y, loss="bce", optimizer="adam", lr=0.05, epochs=20, metrics=["accuracy"], seed=0)
    assert h.history["accuracy"][-1] > 0.95
    assert predict(model, x).shape == (60, 1)


def test_regression_with_mse_and_a_callable_loss():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = x @ np.array([1.0, -2.0, 0.5], np.float32) + 0.3
    model = nn.Linear(3, 1, seed=0)
    h = fit(model, x, y, loss="mse", optimizer="adam", lr=0.1, epochs=60, batch_size=16, seed=0)
    assert h.history["loss"][-1] < 1e-2
    h2 = fit(nn.Linear(3, 1, seed=0), x, y[:, None], loss=F.mse_loss, lr=0.05, epochs=2)
    assert len(h2.history["loss"]) == 2


def test_predict_is_batched_in_eval_mode_and_restores_the_mode():
    x, _ = blobs(25)
    model = nn.Sequential(nn.Linear(4, 8, seed=0), nn.Dropout(0.5, seed=0), nn.Linear(8, 3, seed=1))
    model.train()
    a, b = predict(model, x, batch_size=4), predict(model, x, batch_size=100)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    assert model.training and model[1].training
    model.eval()
    np.testing.assert_allclose(a, model(jaring.tensor(x)).numpy(), rtol=1e-6, atol=1e-6)


def test_evaluate_matches_the_whole_batch_loss():
    x, y = blobs(33)
    model = mlp(softmax=False)
    result = evaluate(model, x, y, loss="cross_entropy", batch_size=5)
    assert result["loss"] == pytest.approx(F.cross_entropy(model(jaring.tensor(x)), y).item(), rel=1e-5)


def test_nan_loss_warns_and_stops():
    x, y = blobs(20)
    with pytest.warns(UserWarning, match="loss became nan"):
        h = fit(mlp(), x, y, epochs=5, loss=lambda out, t: out.sum() * float("nan"))
    assert len(h) == 1


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda x, y: (x[:, :3], y),
            r"Linear\(in_features=4, .*\) expected input of shape \(\.\.\., 4\), got \(30, 3\)",
        ),
        (
            lambda x, y: (x, np.where(y == 2, 7, y)),
            r"labels must be in \[0, 2\] because the model has 3 outputs, got label 7",
        ),
        (lambda x, y: (x, y - 1), r"labels must be in \[0, 2\].*got label -1"),
        (lambda x, y: (np.where(x > 1, np.nan, x), y), "x contains NaN or inf"),
        (lambda x, y: (x, np.where(y == 0, np.inf, y)), "y contains NaN or inf"),
        (lambda x, y: (np.where(x > 1, -np.inf, x), y), "x contains NaN or inf"),
        (lambda x, y: (x[:0], y[:0]), "x is empty"),
        (lambda x, y: (x, y[:-1]), "x has 30 samples but y has 29"),
        (lambda x, y: (x, y + 0.5), "integer class labels"),
        (
            lambda x, y: (x, np.eye(4, dtype=np.float32)[y]),
            r"targets of shape \(30, 4\) do not match.*\(N, 3\)",
        ),
    ],
)
def test_bad_data_gives_clear_errors(change, message):
    x, y = change(*blobs(30))
    with pytest.raises(ValueError, match=message):
        fit(mlp(), x, y)


def test_a_loader_without_batches_is_refused_with_its_reason():
    x, y = blobs(30)
    with pytest.raises(ValueError, match="drop_last=True drops all 30 samples, fewer than batch_size=32"):
        fit(mlp(), DataLoader(TensorDataset(x, y), batch_size=32, drop_last=True))


def test_empty_data_is_refused_in_the_words_of_each_task():
    x, y = blobs(30)
    with pytest.raises(ValueError, match="fit: x is empty .*nothing to learn from"):
        fit(mlp(), x[:0], y[:0])
    for task in (predict, evaluate):
        with pytest.raises(ValueError, match=f"{task.__name__}: x is empty .*at least one sample"):
            task(mlp(), x[:0], *((y[:0],) if task is evaluate else ()))


def test_bad_arguments_give_clear_errors():
    x, y = blobs(30)
    with pytest.raises(ValueError, match="unknown loss 'crossentropy'.*'cce'"):
        fit(mlp(), x, y, loss="crossentropy")
    with pytest.raises(ValueError, match="unknown optimizer 'adan'"):
        fit(mlp(), x, y, optimizer="adan")
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
        fit(mlp(), x, y, batch_size=0)
    with pytest.raises(ValueError, match="verbose must be 0"):
        fit(mlp(), x, y, verbose=3)
    with pytest.raises(ValueError, match="validation_data must be a pair"):
        fit(mlp(), x, y, validation_data=x)
    with pytest.raises(ValueError, match="unknown metric"):
        fit(mlp(), x, y, metrics=["auc"])
    with pytest.raises(ValueError, match=r"validation_data\).*labels must be in \[0, 2\]"):
        fit(mlp(), x, y, validation_data=(x, y + 5))


def test_a_lazy_model_trains_from_a_dataloader_exactly_as_from_arrays():
    """No probe in fit: the first batch builds the lazy Dense layers, whichever way the data comes."""
    x, y = blobs(40)

    def lazy():
        return nn.Sequential(nn.Dense(8, activation="relu", seed=0), nn.Dense(3, seed=1))

    from_arrays, from_loader = lazy(), lazy()
    assert not from_arrays.built
    h1 = fit(from_arrays, x, y, optimizer="adam", lr=0.01, batch_size=8, epochs=2, shuffle=False)
    loader = DataLoader(TensorDataset(x, y), batch_size=8)
    h2 = fit(from_loader, loader, optimizer="adam", lr=0.01, epochs=2)
    assert from_arrays.built and from_loader.built
    assert h1.history["loss"] == pytest.approx(h2.history["loss"], rel=1e-6)
    for (name, a), (_, b) in zip(from_arrays.named_parameters(), from_loader.named_parameters()):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, err_msg=name)


def test_build_gives_a_lazy_model_its_weights_before_fit():
    model = nn.Sequential(nn.Dense(5, seed=0), nn.ReLU(), nn.Dense(3, seed=1))
    assert [type(m).__name__ for m in model.unbuilt_layers()] == ["Dense", "Dense"]
    model.build((None, 4))
    assert model.built and model.unbuilt_layers() == []
    assert model[0].weight.shape == (5, 4)
