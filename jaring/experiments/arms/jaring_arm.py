"""The jaring arm: jaring.training.fit with the study's optimizer, batches drawn from the trial's seed."""

from __future__ import annotations

import time

import numpy as np

from jaring.experiments.arms.common import ArmResult, ArmRun, scores, time_metrics, val_metric_name
from jaring.experiments.models import build_model, loss_of
from jaring.optim import get_optimizer
from jaring.training import Callback, fit, predict
from jaring.training.metrics import to_labels


class StepLog(Callback):
    """Keeps the loss of every `every`-th optimizer step (the reports' "Step [100/600], Loss" lines)."""

    def __init__(self, every: int) -> None:
        self.every, self.step, self.losses = every, 0, []

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        self.step += 1
        if self.step % self.every == 0:
            self.losses.append(float(logs["loss"]))


class Pruning(Callback):
    """Hands each epoch's validation metric to the study's pruner; stops training when it says so."""

    def __init__(self, run: ArmRun) -> None:
        self.run, self.pruned = run, False

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        key = val_metric_name(self.run)
        if key in logs and self.run.report(epoch, logs[key]):
            self.pruned = self.stop_training = True


def epoch_metrics(run: ArmRun) -> list[str]:
    return ["accuracy", "macro_f1"] if run.study.study["metric"] == "test_macro_f1" else ["accuracy"]


def train(run: ArmRun) -> ArmResult:
    """Train the trial's model with jaring; test metrics on the test subset."""
    d, t = run.data, run.train
    model = build_model(run.study, run.model_args, d, run.spec.seed)
    optimizer = get_optimizer(t["optimizer"], model.parameters(), lr=t["lr"])
    steps = StepLog(t["log_every"]) if t["log_every"] else None
    pruning = Pruning(run)
    callbacks = [pruning] + ([steps] if steps else [])
    start = time.perf_counter()
    history = fit(
        model, d.x_train, d.y_train, loss=loss_of(run.study, model, t), optimizer=optimizer,
        batch_size=t["batch_size"], epochs=t["epochs"],
        validation_data=None if d.x_val is None else (d.x_val, d.y_val), callbacks=callbacks,
        metrics=epoch_metrics(run), seed=np.random.default_rng(run.spec.seed),
        error_threshold=t["error_threshold"] if t["error_threshold"] is not False else None,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    labels = to_labels(predict(model, d.x_test))
    epochs = history.to_dict()
    epochs.pop("epoch")
    record = {"epoch": epochs}
    if steps:
        record["step"] = {"loss": steps.losses, "every": steps.every}
    metrics = {**scores(d.y_test, labels), **time_metrics(seconds, len(history))}
    return ArmResult(record, metrics, model=model, pruned=pruning.pruned)
