"""Bad arguments to optimizers, schedulers, callbacks, fit, evaluate, predict, save and load."""

import warnings

import numpy as np
import pytest

from jaring import nn, optim
from jaring.data import DataLoader, TensorDataset
from jaring.io import CheckpointError, load, save
from jaring.models import FFNN
from jaring.training import EarlyStopping, ErrorThreshold, ModelCheckpoint, evaluate, fit, predict
from tests.robustness.helpers import assert_clear_error

ERRORS = (ValueError, TypeError, OSError)
X = np.random.default_rng(0).normal(size=(20, 4)).astype(np.float32)
Y = np.arange(20) % 3


def net():
    return nn.Sequential(nn.Linear(4, 3, seed=0))


def params():
    return net().parameters()


OPTIM = {
    "SGD lr str": (lambda: optim.SGD(params(), lr="a"), "lr must be a number"),
    "SGD lr inf": (lambda: optim.SGD(params(), lr=float("inf")), "lr must be in"),
    "SGD lr nan": (lambda: optim.SGD(params(), lr=float("nan")), "lr must be in"),
    "SGD lr neg": (lambda: optim.SGD(params(), lr=-0.1), "lr must be in"),
    "SGD momentum str": (lambda: optim.SGD(params(), momentum="a"), "momentum must be a number"),
    "SGD momentum inf": (lambda: optim.SGD(params(), momentum=float("inf")), "momentum must be in"),
    "SGD nesterov": (lambda: optim.SGD(params(), nesterov=True), "nesterov"),
    "SGD weight_decay": (lambda: optim.SGD(params(), weight_decay=-1), "weight_decay"),
    "SGD params": (lambda: optim.SGD(3), "iterable of Tensors"),
    "SGD empty": (lambda: optim.SGD([]), "empty parameter list"),
    "SGD twice": (lambda: (lambda p: optim.SGD([p, p]))(net()[0].weight), "more than once"),
    "SGD option": (lambda: optim.SGD([{"params": params(), "lrr": 0.1}]), "unknown option"),
    "Adam betas": (lambda: optim.Adam(params(), betas=(1.0, 0.9)), "beta1"),
    "Adam betas str": (lambda: optim.Adam(params(), betas="ab"), "beta"),
    "Adam betas single": (lambda: optim.Adam(params(), betas=(0.9,)), "pair"),
    "Adam eps nan": (lambda: optim.Adam(params(), eps=float("nan")), "eps"),
    "AdamW lr inf": (lambda: optim.AdamW(params(), lr=float("inf")), "lr must be in"),
    "RMSprop alpha": (lambda: optim.RMSprop(params(), alpha=1.5), "alpha"),
    "RMSprop lr inf": (lambda: optim.RMSprop(params(), lr=float("inf")), "lr must be in"),
    "Adagrad lr str": (lambda: optim.Adagrad(params(), lr="x"), "lr must be a number"),
    "lr setter inf": (lambda: setattr(optim.SGD(params()), "lr", float("inf")), "lr must be in"),
    "get_optimizer": (lambda: optim.get_optimizer("nope", params()), "unknown optimizer"),
    "StepLR step str": (lambda: optim.StepLR(optim.SGD(params()), "a"), "step_size"),
    "StepLR gamma inf": (lambda: optim.StepLR(optim.SGD(params()), 1, gamma=float("inf")), "gamma"),
    "StepLR optimizer": (lambda: optim.StepLR(3, 1), "jaring optimizer"),
    "Exponential gamma": (lambda: optim.ExponentialLR(optim.SGD(params()), gamma="a"), "gamma"),
    "Cosine T_max": (lambda: optim.CosineAnnealingLR(optim.SGD(params()), 0), "T_max"),
    "load_state_dict": (lambda: optim.SGD(params()).load_state_dict({"x": 1}), "'state' and 'param_groups'"),
    "EarlyStopping patience": (lambda: EarlyStopping(patience="a"), "patience"),
    "EarlyStopping min_delta": (lambda: EarlyStopping(min_delta=-1), "min_delta"),
    "EarlyStopping mode": (lambda: EarlyStopping(mode="x"), "mode"),
    "ErrorThreshold": (lambda: ErrorThreshold("a"), "threshold"),
    "ModelCheckpoint path": (lambda: ModelCheckpoint(3), "path"),
    "ModelCheckpoint monitor": (lambda: ModelCheckpoint("m.jaring", monitor=3), "monitor"),
    "ModelCheckpoint mode": (lambda: ModelCheckpoint("m.jaring", mode="x"), "mode"),
}


@pytest.mark.parametrize("name", sorted(OPTIM))
def test_bad_optimizer_and_callback_arguments(name):
    fn, message = OPTIM[name]
    assert_clear_error(fn, message, ERRORS)


def bce_net():
    return nn.Sequential(nn.Linear(4, 1, seed=0), nn.Sigmoid())


FIT = {
    "lr str": (lambda: fit(net(), X, Y, lr="a"), "lr must be a number"),
    "lr inf": (lambda: fit(net(), X, Y, lr=float("inf")), "lr must be in"),
    "lr nan": (lambda: fit(net(), X, Y, lr=float("nan")), "lr must be in"),
    "batch_size 0": (lambda: fit(net(), X, Y, batch_size=0), "batch_size"),
    "batch_size float": (lambda: fit(net(), X, Y, batch_size=2.5), "batch_size"),
    "batch_size str": (lambda: fit(net(), X, Y, batch_size="8"), "batch_size"),
    "epochs neg": (lambda: fit(net(), X, Y, epochs=-1), "epochs"),
    "epochs float": (lambda: fit(net(), X, Y, epochs=1.5), "epochs"),
    "verbose": (lambda: fit(net(), X, Y, verbose=2), "verbose"),
    "loss name": (lambda: fit(net(), X, Y, loss="nope"), "unknown loss"),
    "loss int": (lambda: fit(net(), X, Y, loss=3), "loss must be"),
    "optimizer name": (lambda: fit(net(), X, Y, optimizer="nope"), "unknown optimizer"),
    "optimizer int": (lambda: fit(net(), X, Y, optimizer=3), "unknown optimizer"),
    "metric name": (lambda: fit(net(), X, Y, metrics=["nope"]), "unknown metric"),
    "metric int": (lambda: fit(net(), X, Y, metrics=[3]), "a metric is"),
    "metrics int": (lambda: fit(net(), X, Y, metrics=3), "metrics must be a metric name.*got 3"),
    "metrics nan": (lambda: fit(net(), X, Y, metrics=float("nan")), "metrics must be"),
    "evaluate metrics object": (lambda: evaluate(net(), X, Y, metrics=object()), "evaluate: metrics must be"),
    "callback int": (lambda: fit(net(), X, Y, callbacks=[3]), "not a jaring Callback"),
    "callback class": (lambda: fit(net(), X, Y, callbacks=[EarlyStopping]), "pass an instance"),
    "callback function": (lambda: fit(net(), X, Y, callbacks=[print]), "not a jaring Callback"),
    "callbacks str": (lambda: fit(net(), X, Y, callbacks="early"), "callbacks must be a list"),
    "seed str": (lambda: fit(net(), X, Y, seed="a"), "seed must be"),
    "shuffle str": (lambda: fit(net(), X, Y, shuffle="no"), "shuffle must be True or False"),
    "error_threshold str": (lambda: fit(net(), X, Y, error_threshold="a"), "threshold"),
    "validation int": (lambda: fit(net(), X, Y, validation_data=3), "validation_data"),
    "validation triple": (lambda: fit(net(), X, Y, validation_data=(X, Y, Y)), "validation_data"),
    "validation features": (
        lambda: fit(net(), X, Y, validation_data=(X[:, :3], Y)),
        r"shape \(\.\.\., 4\), got \(20, 3\)",
    ),
    "validation labels": (lambda: fit(net(), X, Y, validation_data=(X, Y + 3)), "labels must be in"),
    "scheduler int": (lambda: fit(net(), X, Y, scheduler=3), "scheduler must be"),
    "scheduler other optimizer": (
        lambda: fit(net(), X, Y, scheduler=optim.StepLR(optim.SGD(params()), 1)),
        "different optimizer",
    ),
    "resume_from int": (lambda: fit(net(), X, Y, resume_from=3), "resume_from"),
    "resume_from missing": (lambda: fit(net(), X, Y, resume_from="/nonexistent/ckpt"), "no model file"),
    "model int": (lambda: fit(3, X, Y), "model must be a jaring Module"),
    "model no params": (lambda: fit(nn.Sequential(nn.ReLU()), X, Y), "no parameters"),
    "x str": (lambda: fit(net(), "abc", Y), "must hold numbers"),
    "x None": (lambda: fit(net(), None, Y), "must hold numbers"),
    "x ragged": (lambda: fit(net(), [[1, 2], [3]], [0, 1]), "rectangular"),
    "x scalar": (lambda: fit(net(), 3.0, Y), "sample axis"),
    "x 1d": (lambda: fit(net(), X[:, 0], Y), "shape \\(\\.\\.\\., 4\\), got \\(20,\\)"),
    "x features": (lambda: fit(net(), X[:, :3], Y), "shape \\(\\.\\.\\., 4\\), got \\(20, 3\\)"),
    "x empty": (lambda: fit(net(), X[:0], Y[:0]), "empty"),
    "x nan": (lambda: fit(net(), np.where(X > 1, np.nan, X), Y), "NaN or inf"),
    "x inf": (lambda: fit(net(), np.where(X > 1, np.inf, X), Y), "NaN or inf"),
    "x 1e39": (lambda: fit(net(), np.where(X > 1, 1e39, X.astype(np.float64)), Y), "beyond the range"),
    "x complex": (lambda: fit(net(), X.astype(complex), Y), "must hold numbers"),
    "x object": (lambda: fit(net(), X.astype(object), Y), "must hold numbers"),
    "y length": (lambda: fit(net(), X, Y[:5]), "20 samples but y has 5"),
    "y negative": (lambda: fit(net(), X, Y - 1), "labels must be in \\[0, 2\\]"),
    "y too big": (lambda: fit(net(), X, Y + 5), "labels must be in \\[0, 2\\]"),
    "y fractional": (lambda: fit(net(), X, Y + 0.5), "integer class labels"),
    "y huge float": (lambda: fit(net(), X, np.full(20, 1e30)), "class labels"),
    "y str": (lambda: fit(net(), X, np.array(["a"] * 20)), "must hold numbers"),
    "y nan": (lambda: fit(net(), X, np.full(20, np.nan)), "NaN or inf"),
    "y 1e39 mse": (lambda: fit(net(), X, np.full((20, 3), 1e39), loss="mse"), "beyond the range"),
    "y wrong width": (lambda: fit(net(), X, np.ones((20, 5))), "do not match"),
    "bce targets": (lambda: fit(bce_net(), X, (Y - 1.0).reshape(-1, 1), loss="bce"), "targets in \\[0, 1\\]"),
    "bce targets 2": (lambda: fit(bce_net(), X, np.full((20, 1), 2.0), loss="bce"), "targets in \\[0, 1\\]"),
    "loader with y": (lambda: fit(net(), DataLoader(TensorDataset(X, Y)), Y), "y=None"),
    "loader single": (lambda: fit(net(), DataLoader(TensorDataset(X))), "pair"),
    "conv batch shape": (
        lambda: fit(
            nn.Sequential(nn.Conv2D(2, 3), nn.Flatten(), nn.Dense(3)).build((1, 8, 8, 3)),
            np.ones((10, 8, 8, 1), np.float32),
            np.zeros(10, int),
        ),
        "expected 3 input channels.*got shape \\(10, 8, 8, 1\\)",
    ),
    "evaluate y None": (lambda: evaluate(net(), X), "y is required"),
    "evaluate batch_size": (lambda: evaluate(net(), X, Y, batch_size=0), "batch_size"),
    "evaluate features": (lambda: evaluate(net(), X[:, :2], Y), "shape \\(\\.\\.\\., 4\\), got \\(20, 2\\)"),
    "evaluate labels": (lambda: evaluate(net(), X, Y + 3), "labels must be in"),
    "evaluate model": (lambda: evaluate("model", X, Y), "model must be a jaring Module"),
    "evaluate x str": (lambda: evaluate(net(), "abc", Y), "must hold numbers"),
    "predict batch_size": (lambda: predict(net(), X, batch_size=-1), "batch_size"),
    "predict features": (lambda: predict(net(), X[:, :2]), "shape \\(\\.\\.\\., 4\\), got \\(20, 2\\)"),
    "predict str": (lambda: predict(net(), "abc"), "must hold numbers"),
    "predict nan": (lambda: predict(net(), np.full((2, 4), np.nan)), "NaN or inf"),
    "predict 1e39": (lambda: predict(net(), np.full((2, 4), 1e39)), "beyond the range"),
    "predict model": (lambda: predict(None, X), "model must be a jaring Module"),
    "predict ragged": (lambda: predict(net(), [[1.0, 2.0, 3.0, 4.0], [1.0]]), "rectangular"),
    "FFNN fit lr": (lambda: FFNN([4, 3], ["softmax"]).fit(X, Y, lr="a"), "lr must be a number"),
    "FFNN fit labels": (lambda: FFNN([4, 3], ["softmax"]).fit(X, Y + 1), "labels must be in"),
    "FFNN predict": (lambda: FFNN([4, 3], ["softmax"]).predict(X[:, :3]), r"shape \(N, 4\).*got \(20, 3\)"),
    "FFNN evaluate": (lambda: FFNN([4, 3], ["softmax"]).evaluate(X, Y + 3), "labels must be in"),
}


@pytest.mark.parametrize("name", sorted(FIT))
def test_bad_fit_evaluate_predict_arguments(name):
    fn, message = FIT[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a bad input must not slip through as a mere warning
        assert_clear_error(fn, message, ERRORS)


def test_a_single_callback_and_a_lone_metric_name_are_understood():
    history = fit(net(), X, Y, callbacks=EarlyStopping(monitor="loss"), metrics="accuracy", seed=0)
    assert "accuracy" in history.history


FILES = {
    "load int": (lambda tmp: load(3), "must be a str or a Path"),
    "load folder": (lambda tmp: load(tmp), "is a folder"),
    "load missing": (lambda tmp: load(tmp / "nothing"), "no model file at .*nothing.jaring"),
    "load custom": (lambda tmp: load(save(net(), tmp / "m"), custom_objects={"X": dict}), "Module subclass"),
    "save int": (lambda tmp: save(3, tmp / "m"), "needs a jaring Module"),
    "save lambda": (lambda tmp: save(nn.Sequential(nn.Lambda(lambda x: x)), tmp / "m"), "JSON cannot hold"),
    "save path int": (lambda tmp: save(net(), 3), "must be a str or a Path"),
    "FFNN load other": (lambda tmp: FFNN.load(save(net(), tmp / "m")), "not an FFNN"),
    "resume plain": (
        lambda tmp: fit(net(), X, Y, optimizer="adam", resume_from=save(net(), tmp / "m")),
        "save_optimizer=True",
    ),
    "resume damaged": (
        lambda tmp: fit(net(), X, Y, resume_from=(tmp / "x.jaring").write_bytes(b"zz") and tmp / "x.jaring"),
        "not a readable jaring model file",
    ),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_bad_save_and_load_arguments(tmp_path, name):
    fn, message = FILES[name]
    assert_clear_error(lambda: fn(tmp_path), message, (*ERRORS, CheckpointError))
