"""fit, evaluate and predict: the Keras-style training loop for any jaring Module.

history = fit(model, x_train, y_train, loss="cce", optimizer="adam", lr=1e-3, epochs=5,
              validation_data=(x_val, y_val), verbose=1, metrics=["accuracy"])

Arrays are checked before the first step (sample counts, feature count, NaN/inf, label range),
so a mistake gives one clear message instead of a shape error deep inside a layer. A model
may define `regularization_loss()`; its value is added to every training batch's loss.
"""

from __future__ import annotations

import math
import os
import warnings
from typing import Any
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from jaring import backend
from jaring.autograd.function import no_grad
from jaring.autograd.tensor import Tensor
from jaring.data.dataset import TensorDataset
from jaring.data.loader import DataLoader
from jaring.optim import Optimizer, get_optimizer
from jaring.optim.lr_scheduler import LRScheduler
from jaring.random import get_rng
from jaring.training.arrays import check_arrays
from jaring.training.callbacks import Callback, ErrorThreshold, ModelCheckpoint
from jaring.training import checks
from jaring.training.history import History
from jaring.training.metrics import get_metrics, to_labels
from jaring.training.objective import Objective
from jaring.training.progress import ProgressBar
from jaring.training.resume import TrainingRun
from jaring.training.targets import TargetCheck


def _model_device(model: Any) -> str:
    for _, p in model.named_parameters():
        return p.device
    return "cpu"


class _eval_mode:
    """Context manager: every submodule in eval mode, the previous modes restored afterwards."""

    def __init__(self, model: Any) -> None:
        self.modes = [(m, m.training) for m in model.modules()]

    def __enter__(self) -> None:
        for module, _ in self.modes:
            object.__setattr__(module, "training", False)

    def __exit__(self, *exc: object) -> None:
        for module, mode in self.modes:
            object.__setattr__(module, "training", mode)


def _to_device(t: Any, device: str) -> Any:
    return t.to(device) if device != "cpu" and isinstance(t, Tensor) else t


def _is_loader(data: Any) -> bool:
    if isinstance(data, DataLoader):
        return True
    return hasattr(data, "__iter__") and not isinstance(data, (np.ndarray, Tensor, list, tuple, str, bytes))


def _length(data: Any) -> int | None:
    """len(data), or None for a loader over a stream without a length (an IterableDataset)."""
    try:
        return len(data)
    except TypeError:
        return None


def _batches(
    what: str,
    model: Any,
    x: Any,
    y: Any,
    objective: Objective | None,
    batch_size: int,
    shuffle: bool,
    rng: Any,
    check: TargetCheck | None = None,
) -> Iterable:
    """Batches of (x, y) from arrays (checked, then wrapped in a DataLoader) or a DataLoader as is."""
    if _is_loader(x):
        if y is not None:
            raise ValueError(f"{what}: pass y=None when x is a DataLoader (its batches hold the targets)")
        if _length(x) == 0:
            size = len(x.dataset) if hasattr(x, "dataset") and hasattr(x.dataset, "__len__") else None
            if getattr(x, "drop_last", False) and size:
                raise ValueError(
                    f"{what}: the DataLoader yields no batches: drop_last=True drops all {size} samples, "
                    f"fewer than batch_size={x.batch_size}"
                )
            raise ValueError(f"{what}: the DataLoader yields no batches (empty dataset?)")
        return x
    x, y = check_arrays(what, model, x, y, objective)
    if check is not None:
        check.add(what, y)
    arrays = (x,) if y is None else (x, y)
    return DataLoader(TensorDataset(*arrays), batch_size=batch_size, shuffle=shuffle, seed=rng)


def _check_positive(what: str, name: str, value: Any, allow_zero: bool = False) -> int:
    low = 0 if allow_zero else 1
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{what}: {name} must be an integer >= {low}, got {value!r}")
    return int(value)


def _split(batch: Any) -> tuple:
    if isinstance(batch, (tuple, list)) and len(batch) >= 2:
        return batch[0], batch[1]
    raise ValueError("fit: each batch must be a pair (inputs, targets); got a single tensor")


# ----- the loop ----------------------------------------------------------------------------


def _resolve_optimizer(model: Any, optimizer: Any, lr: float) -> Optimizer:
    if isinstance(optimizer, Optimizer):
        return optimizer
    params = list(model.parameters())
    if not params:
        raise ValueError("fit: the model has no parameters to train")
    return get_optimizer("sgd" if optimizer is None else optimizer, params, lr=lr)


def _metric_logs(metric_fns: Sequence, y_true: list, y_pred: list, prefix: str = "") -> dict[str, float]:
    if not metric_fns or not y_true:
        return {}
    t, p = np.concatenate(y_true), np.concatenate(y_pred)
    return {prefix + name: float(fn(t, p)) for name, fn in metric_fns}


def fit(
    model: Any,
    x: Any,
    y: Any = None,
    loss: str | Callable | None = None,
    optimizer: str | Optimizer | None = None,
    lr: float = 0.01,
    batch_size: int = 32,
    epochs: int = 1,
    validation_data: Any = None,
    verbose: int = 0,
    callbacks: Sequence[Callback] = (),
    metrics: Sequence[str | Callable] = (),
    shuffle: bool = True,
    seed: Any = None,
    error_threshold: float | None = None,
    scheduler: LRScheduler | None = None,
    resume_from: str | os.PathLike | None = None,
) -> History:
    """Train `model` on (x, y) arrays or a DataLoader of (x, y) batches; return the History.

    loss: a name ("cce", "bce" on probabilities, "cross_entropy", "bce_with_logits" on logits,
    "mse", "mae", "huber", "nll"; see jaring.training.objective), a function (outputs, targets) ->
    scalar Tensor, or a loss Module. None (the default): cross-entropy as the model's outputs need it, "cce"
    fused with a final Softmax, else "cross_entropy" on the logits. optimizer: an Optimizer, or a name
    ("sgd", "adam", ...) built with `lr` (None means plain SGD). verbose=0 prints nothing;
    verbose=1 shows a progress bar per epoch with the running loss, then val_loss and metrics.
    metrics: names ("accuracy", "precision", "recall", "f1", "macro_f1") or functions
    (y_true, y_pred labels) -> float, computed on each epoch's training batches and on the
    validation data. error_threshold stops training once an epoch's loss falls below it.
    A fresh optimizer is made on every call unless you pass one (its state then carries over).
    Lazy layers are built by the first batch, from arrays and from a DataLoader alike (or
    beforehand by `model.build(input_shape)`); a named optimizer is made once they exist.
    scheduler: an LRScheduler built on the `optimizer` you pass, stepped after every epoch (a
    ReduceLROnPlateau with the epoch's val_loss, or its loss when there is no validation data).
    resume_from: a file written by ModelCheckpoint(..., save_optimizer=True); the model,
    optimizer, scheduler, random generators and History are restored from it and training
    continues with the epoch after the saved one, up to `epochs` in all, exactly as if it had
    never stopped (given the same model, data, loss, optimizer kind and seeds).

    Examples:
        >>> from sklearn.datasets import load_iris
        >>> from jaring import nn
        >>> from jaring.training import evaluate, fit
        >>> x, y = load_iris(return_X_y=True)
        >>> model = nn.Sequential(nn.Dense(16, activation="relu", seed=0), nn.Dense(3, seed=1))
        >>> history = fit(model, x / 8, y, loss="cross_entropy", optimizer="adam", lr=0.01, epochs=30, seed=0)
        >>> len(history.history["loss"]), evaluate(model, x / 8, y, metrics=["accuracy"])["accuracy"] > 0.9
        (30, True)
    """
    what = "fit"
    checks.check_model(what, model)
    checks.check_fit_options(shuffle=shuffle, resume_from=resume_from)
    batch_size = _check_positive(what, "batch_size", batch_size)
    epochs = _check_positive(what, "epochs", epochs, allow_zero=True)
    if verbose not in (0, 1, True, False):
        raise ValueError(f"{what}: verbose must be 0 (silent) or 1 (progress bar), got {verbose!r}")
    objective = Objective(model, loss)
    metric_fns = get_metrics(what, metrics)
    rng = get_rng(seed)
    check = TargetCheck(objective)
    train = _batches(what, model, x, y, objective, batch_size, shuffle, rng, check)
    val = None
    if validation_data is not None:
        if _is_loader(validation_data):
            val = validation_data
        elif isinstance(validation_data, (tuple, list)) and len(validation_data) == 2:
            val = _batches(
                "fit (validation_data)", model, *validation_data, objective, batch_size, False, None, check
            )
        else:
            raise ValueError("fit: validation_data must be a pair (x_val, y_val) or a DataLoader")
    # A model with lazy layers gets its weights from the first batch; its optimizer waits for them.
    opt = _resolve_optimizer(model, optimizer, lr) if model.built else None
    checks.check_scheduler(scheduler, opt)
    if resume_from is not None and opt is None:
        raise ValueError(
            "fit: resume_from needs a built model (call model.build(input_shape) first), so that the "
            "saved weights and optimizer state have somewhere to go"
        )
    callbacks = checks.check_callbacks(callbacks)
    if error_threshold is not None:
        callbacks.append(ErrorThreshold(error_threshold))
    history = History()
    # ModelCheckpoints see each epoch last, so the file they write holds the others' counters for it.
    callbacks.sort(key=lambda cb: isinstance(cb, ModelCheckpoint))
    run = TrainingRun(model, opt, scheduler, history, checks.run_generators(rng, train, val), callbacks)
    for cb in callbacks:
        cb.set_context(model, history)
        cb.training_run = run
    first_epoch = 1 if resume_from is None else run.restore(resume_from) + 1
    device = _model_device(model)
    penalty = getattr(model, "regularization_loss", None)
    logs: dict[str, float] = {}
    for cb in callbacks:
        cb.on_train_begin(logs)
    if resume_from is not None and run.resume_callbacks():
        first_epoch = epochs + 1  # the saved run had already been stopped early: train no more
    for epoch in range(first_epoch, epochs + 1):
        for cb in callbacks:
            cb.on_epoch_begin(epoch, logs)
        model.train()
        bar = ProgressBar(_length(train), epoch, epochs, verbose)
        total, count = 0.0, 0
        y_true: list = []
        y_pred: list = []
        stop = False
        for i, batch in enumerate(train):
            xb, yb = _split(batch)
            xb, yb = _to_device(xb, device), _to_device(yb, device)
            out = objective.forward(xb)
            if not check.done:
                check.first_batch(what, yb, out.shape)
            if opt is None:
                opt = run.optimizer = _resolve_optimizer(model, optimizer, lr)
            batch_loss = objective.loss(out, objective.fit_targets(yb, out.shape))
            if penalty is not None:
                extra = penalty()
                if extra is not None:
                    batch_loss = batch_loss + extra
            opt.zero_grad()
            batch_loss.backward()
            opt.step()
            value = float(batch_loss.data)
            n = len(yb)
            total += value * n
            count += n
            bar.update(total / count)
            if metric_fns:
                y_true.append(to_labels(yb))
                y_pred.append(objective.predicted_labels(out.data))
            for cb in callbacks:
                cb.on_batch_end(i, {"loss": value})
            if any(cb.stop_training for cb in callbacks):
                stop = True
                break
        if count == 0:
            raise ValueError("fit: the training data yielded no batches")
        logs = {"loss": total / count, **_metric_logs(metric_fns, y_true, y_pred)}
        if val is not None:
            val_logs = _evaluate(model, objective, val, metric_fns, device)
            logs.update({"val_" + k: v for k, v in val_logs.items()})
        bar.close(logs)
        history.append(epoch, logs)
        if scheduler is not None:
            checks.step_scheduler(scheduler, logs)
        for cb in callbacks:
            cb.on_epoch_end(epoch, logs)
        if not math.isfinite(logs["loss"]):
            warnings.warn(
                f"fit: the training loss became {logs['loss']} in epoch {epoch}, so training stopped; "
                "try a smaller learning rate or check the data's scale"
            )
            break
        if stop or any(cb.stop_training for cb in callbacks):
            break
    for cb in callbacks:
        cb.on_train_end(logs)
    return history


def _evaluate(
    model: Any,
    objective: Objective,
    batches: Iterable,
    metric_fns: Sequence,
    device: str,
    check: TargetCheck | None = None,
) -> dict:
    total, count = 0.0, 0
    y_true: list = []
    y_pred: list = []
    with no_grad(), _eval_mode(model):
        for batch in batches:
            xb, yb = _split(batch)
            xb, yb = _to_device(xb, device), _to_device(yb, device)
            out = objective.forward(xb)
            if check is not None and not check.done:
                check.first_batch("evaluate", yb, out.shape)
            n = len(yb)
            total += float(objective.loss(out, objective.fit_targets(yb, out.shape)).data) * n
            count += n
            if metric_fns:
                y_true.append(to_labels(yb))
                y_pred.append(objective.predicted_labels(out.data))
    if count == 0:
        raise ValueError("evaluate: the data yielded no batches")
    return {"loss": total / count, **_metric_logs(metric_fns, y_true, y_pred)}


def evaluate(
    model: Any,
    x: Any,
    y: Any = None,
    loss: str | Callable | None = None,
    metrics: Sequence[str | Callable] = (),
    batch_size: int = 256,
) -> dict[str, float]:
    """{"loss": ..., metric: ...} over (x, y) or a DataLoader, in eval mode without gradients.

    Examples:
        >>> import numpy as np
        >>> from jaring import nn
        >>> from jaring.training import evaluate
        >>> model = nn.Sequential(nn.Linear(2, 2, seed=0))
        >>> x, y = np.ones((4, 2)), np.array([0, 1, 0, 1])
        >>> sorted(evaluate(model, x, y, loss="cross_entropy", metrics=["accuracy"]))
        ['accuracy', 'loss']
    """
    checks.check_model("evaluate", model)
    if y is None and not _is_loader(x):
        raise ValueError("evaluate: y is required with array inputs (the targets to compare against)")
    batch_size = _check_positive("evaluate", "batch_size", batch_size)
    objective = Objective(model, loss)
    metric_fns = get_metrics("evaluate", metrics)
    check = TargetCheck(objective)
    batches = _batches("evaluate", model, x, y, objective, batch_size, False, None, check)
    return _evaluate(model, objective, batches, metric_fns, _model_device(model), check)


def predict(model: Any, x: Any, batch_size: int = 256) -> np.ndarray:
    """The model's outputs for x (an array, Tensor or DataLoader) as one NumPy array.

    Runs in eval mode without gradients, batch by batch, so large inputs fit in memory.

    Examples:
        >>> import numpy as np
        >>> from jaring import nn
        >>> from jaring.training import predict
        >>> predict(nn.Sequential(nn.Linear(2, 3, seed=0)), np.ones((5, 2))).shape
        (5, 3)
    """
    checks.check_model("predict", model)
    batch_size = _check_positive("predict", "batch_size", batch_size)
    if _is_loader(x):
        batches = (b[0] if isinstance(b, (tuple, list)) else b for b in x)
    else:
        data = check_arrays("predict", model, x, None, None)[0]
        batches = (data[i : i + batch_size] for i in range(0, len(data), batch_size))
    device = _model_device(model)
    outputs = []
    with no_grad(), _eval_mode(model):
        for xb in batches:
            xb = xb if isinstance(xb, Tensor) else Tensor._from_op(xb, None)
            outputs.append(backend.to_numpy(model(_to_device(xb, device)).data))
    return np.concatenate(outputs)
