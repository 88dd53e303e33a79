"""Callbacks: small objects fit() calls at the start and end of training, epochs and batches.

A callback sees the model (`self.model`) and the History (`self.history`); it stops training
by setting `self.stop_training = True`. Built in: EarlyStopping, ErrorThreshold (stop once
the training loss falls below a value) and ModelCheckpoint (save with jaring.io.save).

A callback that counts across epochs (EarlyStopping's best value and patience, ModelCheckpoint's
best) returns its counters from `state_dict()` and takes them back in `load_state_dict()`, so a
training checkpoint holds them and `fit(resume_from=)` stops on the epoch an uninterrupted run
stops on. fit() calls every ModelCheckpoint's on_epoch_end after the other callbacks', so the
file it writes holds their counters for that epoch.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from jaring.training.history import History

MODES = ("auto", "min", "max")


class Callback:
    """Base class: override the hooks you need; `logs` holds the numbers fit() has so far.

    Examples:
        >>> import numpy as np
        >>> from jaring.models import FFNN
        >>> from jaring.training import Callback
        >>> class Epochs(Callback):
        ...     def on_train_begin(self, logs):
        ...         self.seen = []
        ...
        ...     def on_epoch_end(self, epoch, logs):
        ...         self.seen.append((epoch, sorted(logs)))
        >>> x, y = np.ones((8, 4), dtype=np.float32), np.arange(8) % 2
        >>> epochs = Epochs()
        >>> _ = FFNN([4, 8, 2], ["relu", "softmax"], seed=0).fit(x, y, epochs=2, callbacks=[epochs], seed=0)
        >>> epochs.seen
        [(1, ['loss']), (2, ['loss'])]
    """

    model: Any = None
    history: History | None = None
    stop_training: bool = False
    # What fit() trains (optimizer, scheduler, random generators): a jaring.training.resume.TrainingRun.
    training_run: Any = None

    def set_context(self, model: Any, history: History) -> None:
        self.model, self.history, self.stop_training = model, history, False

    def on_train_begin(self, logs: dict[str, float]) -> None:
        """Before the first epoch."""

    def on_epoch_begin(self, epoch: int, logs: dict[str, float]) -> None:
        """Before epoch `epoch` (counted from 1)."""

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        """After each optimizer step; logs["loss"] is that batch's loss."""

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        """After an epoch and its validation: logs has loss, val_loss and the metrics."""

    def on_train_end(self, logs: dict[str, float]) -> None:
        """After the last epoch, also when a callback stopped training early."""

    def state_dict(self) -> dict[str, Any]:
        """What this callback has counted so far, for a training checkpoint: JSON numbers, and
        at most one level of {name: NumPy array} dicts (e.g. saved weights). Empty by default."""
        return {}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Take back what `state_dict()` returned (after on_train_begin, when fit resumes)."""
        if state:
            raise ValueError(
                f"{type(self).__name__} keeps no state, but the checkpoint holds {sorted(state)}"
            )


def _monitored(owner: str, logs: dict[str, float], monitor: str) -> float:
    if monitor not in logs:
        hint = " (pass validation_data to fit)" if monitor.startswith("val_") else ""
        raise ValueError(f"{owner}: monitor {monitor!r} is not in the logs{hint}; available: {sorted(logs)}")
    return float(logs[monitor])


def _direction(owner: str, mode: str, monitor: str) -> int:
    """-1 when smaller is better, +1 when larger is better ('auto': only losses get smaller)."""
    if mode not in MODES:
        raise ValueError(f"{owner}: unknown mode {mode!r}; choose one of {list(MODES)}")
    if mode == "auto":
        return -1 if "loss" in monitor or "error" in monitor else 1
    return -1 if mode == "min" else 1


class EarlyStopping(Callback):
    """Stop when `monitor` has not improved by more than `min_delta` for `patience` epochs.

    restore_best_weights=True puts back the weights of the best epoch when training ends.

    Examples:
        >>> import numpy as np
        >>> from jaring.models import FFNN
        >>> from jaring.training import EarlyStopping
        >>> x, y = np.random.default_rng(0).random((40, 4), dtype=np.float32), np.arange(40) % 2
        >>> stop = EarlyStopping(monitor="loss", patience=0, min_delta=10.0)
        >>> model = FFNN([4, 8, 2], ["relu", "softmax"], seed=0)
        >>> history = model.fit(x, y, epochs=20, callbacks=[stop], seed=0)
        >>> len(history.history["loss"])
        2
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 0,
        min_delta: float = 0.0,
        mode: str = "auto",
        restore_best_weights: bool = False,
    ) -> None:
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(f"EarlyStopping: patience must be a non-negative integer, got {patience!r}")
        if not isinstance(min_delta, (int, float)) or min_delta < 0:
            raise ValueError(f"EarlyStopping: min_delta must be a number >= 0, got {min_delta!r}")
        self.monitor, self.patience, self.min_delta = monitor, patience, float(min_delta)
        self.sign = _direction("EarlyStopping", mode, monitor)
        self.restore_best_weights = bool(restore_best_weights)

    def on_train_begin(self, logs: dict[str, float]) -> None:
        self.best, self.best_epoch, self.wait = math.inf, 0, 0
        self.stopped_epoch = 0
        self.best_state: dict[str, np.ndarray] | None = None

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        # Work on sign * value so "smaller is better" holds in both modes.
        value = -self.sign * _monitored("EarlyStopping", logs, self.monitor)
        if value < self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_state = self.model.state_dict()
            return
        self.wait += 1
        if self.wait >= max(self.patience, 1):
            self.stopped_epoch = epoch
            self.stop_training = True

    def on_train_end(self, logs: dict[str, float]) -> None:
        if self.best_state is not None and self.history and self.history.epoch[-1] != self.best_epoch:
            self.model.load_state_dict(self.best_state)

    def state_dict(self) -> dict[str, Any]:
        state: dict[str, Any] = {"best": self.best, "best_epoch": self.best_epoch, "wait": self.wait}
        state["stopped_epoch"] = self.stopped_epoch
        state["best_state"] = self.best_state
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        counters = {key: state[key] for key in ("best_epoch", "wait", "stopped_epoch")}
        for key, value in counters.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"EarlyStopping: saved {key} must be an integer >= 0, got {value!r}")
        best, best_state = state["best"], state["best_state"]
        if isinstance(best, bool) or not isinstance(best, (int, float)) or math.isnan(best):
            raise ValueError(f"EarlyStopping: saved best must be a number, got {best!r}")
        if best_state is not None and not isinstance(best_state, dict):
            raise ValueError(
                f"EarlyStopping: saved best weights must be a dict of arrays, got {best_state!r:.80}"
            )
        if best_state is not None:
            own = self.model.state_dict()
            if set(best_state) != set(own) or any(best_state[k].shape != own[k].shape for k in own):
                raise ValueError("EarlyStopping: the saved best weights do not fit this model")
        self.best, self.best_state = float(best), best_state
        self.best_epoch, self.wait, self.stopped_epoch = counters.values()

    @property
    def best_value(self) -> float:
        """The best monitored value seen (in the monitor's own sign)."""
        return -self.sign * self.best


class ErrorThreshold(Callback):
    """Stop as soon as an epoch's training loss (or `monitor`) falls below `threshold`.

    Examples:
        >>> import numpy as np
        >>> from jaring.models import FFNN
        >>> from jaring.training import ErrorThreshold
        >>> x, y = np.ones((8, 4), dtype=np.float32), np.arange(8) % 2
        >>> model = FFNN([4, 8, 2], ["relu", "softmax"], seed=0)
        >>> history = model.fit(x, y, epochs=20, callbacks=[ErrorThreshold(10.0)], seed=0)
        >>> len(history.history["loss"])  # the first epoch's loss is already below 10
        1
    """

    def __init__(self, threshold: float, monitor: str = "loss") -> None:
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or math.isnan(threshold):
            raise ValueError(f"ErrorThreshold: threshold must be a number, got {threshold!r}")
        self.threshold, self.monitor = float(threshold), monitor

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if _monitored("ErrorThreshold", logs, self.monitor) < self.threshold:
            self.stop_training = True


class ModelCheckpoint(Callback):
    """Save the model to `path` after each epoch (atomic write; the file is a jaring.io file).

    `path` may contain "{epoch}" (e.g. "runs/ckpt-{epoch}.jaring"). save_best_only=True saves
    only when `monitor` improves, so the file always holds the best model so far.
    save_optimizer=True also saves the optimizer, scheduler, random generators, epoch and
    History in the same file, so `fit(..., resume_from=path)` continues exactly (see
    jaring.training.resume); `jaring.io.load(path)` still reads the model alone.

    Examples:
        >>> import numpy as np
        >>> from jaring.models import FFNN
        >>> from jaring.training import ModelCheckpoint
        >>> x, y = np.ones((8, 4), dtype=np.float32), np.arange(8) % 2
        >>> checkpoint = ModelCheckpoint("ckpt-{epoch}.jaring", monitor="loss")
        >>> _ = FFNN([4, 8, 2], ["relu", "softmax"], seed=0).fit(x, y, epochs=2, callbacks=[checkpoint])
        >>> checkpoint.saved
        ['ckpt-1.jaring', 'ckpt-2.jaring']
    """

    def __init__(
        self,
        path: str | os.PathLike,
        monitor: str = "val_loss",
        save_best_only: bool = False,
        mode: str = "auto",
        save_optimizer: bool = False,
    ) -> None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"ModelCheckpoint: path must be a file path, got {path!r:.100}")
        if not isinstance(monitor, str):
            raise TypeError(f"ModelCheckpoint: monitor must be a log name like 'val_loss', got {monitor!r}")
        self.path, self.monitor, self.save_best_only = os.fspath(path), monitor, bool(save_best_only)
        self.save_optimizer = bool(save_optimizer)
        self.sign = _direction("ModelCheckpoint", mode, monitor)

    def on_train_begin(self, logs: dict[str, float]) -> None:
        self.best = math.inf
        self.saved: list[str] = []

    def state_dict(self) -> dict[str, Any]:
        return {"best": self.best}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        best = state["best"]
        if isinstance(best, bool) or not isinstance(best, (int, float)) or math.isnan(best):
            raise ValueError(f"ModelCheckpoint: saved best must be a number, got {best!r}")
        self.best = float(best)

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        from jaring.io import save  # the io floor imports nn, so it is loaded only when used

        if self.save_best_only:
            value = -self.sign * _monitored("ModelCheckpoint", logs, self.monitor)
            if not value < self.best:
                return
            self.best = value
        path = self.path.format(epoch=epoch)
        training_state = None
        if self.save_optimizer:
            if self.training_run is None:
                raise ValueError("ModelCheckpoint(save_optimizer=True) saves a run, so it works inside fit()")
            training_state = self.training_run.state(epoch)
        extra = {"epoch": epoch, "logs": {k: float(v) for k, v in logs.items()}}
        self.saved.append(str(save(self.model, path, extra_config=extra, training_state=training_state)))
