"""The scikit-learn arm: MLPClassifier with the study's settings mapped onto its own.

hidden sizes -> hidden_layer_sizes; activation -> relu/tanh/logistic/identity (MLPClassifier has
no leaky ReLU or swish: those become relu, recorded as "sklearn_activation"); optimizer sgd
(plain: no momentum) or adam -> solver; lr -> learning_rate_init; batch_size; epochs -> max_iter
with early stopping and the tolerance switched off, so every epoch runs; l2 -> alpha. L1 and
RMSNorm have no MLPClassifier equivalent and are refused before training.
"""

from __future__ import annotations

import time
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from jaring.experiments.arms.common import ArmResult, ArmRun, scores, time_metrics
from jaring.experiments.models import hidden_sizes

ACTIVATIONS = {
    "relu": "relu",
    "tanh": "tanh",
    "sigmoid": "logistic",
    "linear": "identity",
    "identity": "identity",
}
SOLVERS = {"sgd": "sgd", "adam": "adam"}


def classifier(model_args: dict, train: dict, seed: int) -> tuple[MLPClassifier, str]:
    """The MLPClassifier for these settings, and the activation it really uses."""
    if train["optimizer"] not in SOLVERS:
        raise ValueError(f"sklearn arm: optimizer {train['optimizer']!r} has no MLPClassifier solver; "
                         f"use one of {sorted(SOLVERS)}")  # fmt: skip
    for unsupported in ("l1", "rmsnorm"):
        if model_args.get(unsupported):
            raise ValueError(f"sklearn arm: MLPClassifier has no {unsupported}; drop the sklearn arm here")
    activation = ACTIVATIONS.get(model_args.get("activation", "relu"), "relu")
    epochs = train["epochs"]
    return MLPClassifier(
        hidden_layer_sizes=tuple(hidden_sizes(model_args)), activation=activation,
        solver=SOLVERS[train["optimizer"]], learning_rate_init=train["lr"], learning_rate="constant",
        momentum=0.0, nesterovs_momentum=False, batch_size=train["batch_size"], max_iter=epochs,
        alpha=float(model_args.get("l2", 0.0)), shuffle=True, random_state=seed, tol=0.0,
        n_iter_no_change=epochs + 1, early_stopping=False,
    ), activation  # fmt: skip


def train(run: ArmRun) -> ArmResult:
    """Fit MLPClassifier; its per-epoch training loss is the history (it has no validation pass)."""
    d = run.data
    model, activation = classifier(run.model_args, run.train, run.spec.seed)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(d.x_train, d.y_train)
    seconds = time.perf_counter() - start
    history = {"epoch": {"loss": [float(v) for v in model.loss_curve_]}}
    metrics = {
        **scores(d.y_test, model.predict(d.x_test)),
        **time_metrics(seconds, model.n_iter_),
        "sklearn_activation": activation,
    }
    return ArmResult(history, metrics)
