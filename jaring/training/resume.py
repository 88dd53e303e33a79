"""Training checkpoints: everything fit() needs to continue a run exactly where it stopped.

`ModelCheckpoint(path, save_optimizer=True)` writes, in one atomic .jaring file, the model and
a training state: the epoch, the History, the optimizer's hyperparameters and per-parameter
arrays, the scheduler's counters, and the state of every random generator the run draws from
(jaring's process-wide generator, fit's shuffling generator, a DataLoader's, and each layer's
own, such as a seeded Dropout's), and the counters of the callbacks (EarlyStopping's best value,
wait and best weights, ModelCheckpoint's best), with whether a callback had stopped the run.
`fit(..., resume_from=path)` restores all of it, so that stopping after epoch k and resuming
gives the same weights, bit for bit, as never stopping, and early stopping triggers on the
same epoch. Callbacks are matched by class and order (the second EarlyStopping takes the
second saved one); a callback the file has no state for starts afresh.
Loading never unpickles: numbers go to JSON, arrays to safetensors.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np

from jaring import random as jrandom
from jaring.optim import Optimizer
from jaring.optim.lr_scheduler import LRScheduler
from jaring.training.history import History

STATE_VERSION = 1


class ResumeError(ValueError):
    """A training checkpoint that does not fit the run asked to resume from it.

    Examples:
        >>> import numpy as np
        >>> from jaring.io import save
        >>> from jaring.models import FFNN
        >>> x, y = np.ones((8, 4), dtype=np.float32), np.arange(8) % 2
        >>> model = FFNN([4, 8, 2], ["relu", "softmax"], seed=0)
        >>> _ = save(model, "plain.jaring")  # a model file, without a training state
        >>> model.fit(x, y, epochs=3, resume_from="plain.jaring")
        Traceback (most recent call last):
            ...
        jaring.training.resume.ResumeError: plain.jaring holds a model but no training state; ...
    """


class TrainingRun:
    """What fit() is training: the model, its optimizer and scheduler, the History, and the random
    generators the run draws from. Callbacks see it as `self.training_run`.

    Examples:
        >>> import numpy as np
        >>> from jaring.models import FFNN
        >>> from jaring.training import Callback
        >>> class Peek(Callback):
        ...     def on_train_end(self, logs):
        ...         run = self.training_run
        ...         self.seen = type(run.optimizer).__name__, run.optimizer.lr, len(run.history)
        >>> x, y = np.ones((8, 4), dtype=np.float32), np.arange(8) % 2
        >>> peek = Peek()
        >>> model = FFNN([4, 8, 2], ["relu", "softmax"], seed=0)
        >>> _ = model.fit(x, y, optimizer="adam", lr=0.01, epochs=3, callbacks=[peek], seed=0)
        >>> peek.seen
        ('Adam', 0.01, 3)
    """

    def __init__(
        self,
        model: Any,
        optimizer: Optimizer,
        scheduler: LRScheduler | None,
        history: History,
        generators: dict[str, np.random.Generator],
        callbacks: list | None = None,
    ) -> None:
        self.model, self.optimizer, self.scheduler, self.history = model, optimizer, scheduler, history
        self.generators = _unique_generators(model, generators)
        self.callbacks = list(callbacks or [])
        self._callback_states: list[tuple[Any, dict]] = []
        self._before: dict[str, np.ndarray] | None = None
        self.stopped = False  # whether the checkpoint was written by a run a callback had stopped

    def state(self, epoch: int) -> tuple[dict, dict[str, np.ndarray]]:
        """The training state after `epoch`, as (JSON document, {name: array}) for jaring.io.save."""
        saved = self.optimizer.state_dict()
        arrays, state = {}, {}
        for index, entry in saved["state"].items():
            numbers = {}
            for name, value in entry.items():
                if isinstance(value, np.ndarray):
                    arrays[f"{index}.{name}"] = value
                else:
                    numbers[name] = value
            state[str(index)] = numbers
        document = {
            "version": STATE_VERSION,
            "epoch": int(epoch),
            "history": {"epoch": list(self.history.epoch), "history": self.history.history},
            "optimizer": {
                "class": type(self.optimizer).__name__,
                "param_groups": [_plain(g) for g in saved["param_groups"]],
                "state": state,
            },
            "scheduler": None if self.scheduler is None else _scheduler_state(self.scheduler),
            "generators": {name: g.bit_generator.state for name, g in self.generators.items()},
            "callbacks": self._callbacks_state(arrays),
            "stopped": any(cb.stop_training for cb in self.callbacks),
        }
        return document, arrays

    def _callbacks_state(self, arrays: dict[str, np.ndarray]) -> list[dict]:
        """Each callback's state_dict as JSON; its dicts of arrays go to `arrays` as callback:i:key:name."""
        saved = []
        for i, cb in enumerate(self.callbacks):
            numbers, array_keys = {}, []
            for key, value in cb.state_dict().items():
                if isinstance(value, dict) and all(isinstance(a, np.ndarray) for a in value.values()):
                    array_keys.append(key)
                    arrays.update({f"callback:{i}:{key}:{name}": a for name, a in value.items()})
                else:
                    numbers[key] = value
            saved.append({"class": type(cb).__name__, "state": numbers, "arrays": array_keys})
        return saved

    def resume_callbacks(self) -> bool:
        """Give each callback its saved state (fit calls it after on_train_begin); return whether
        the saved run had already been stopped by a callback. A refused state undoes the resume."""
        try:
            for cb, state in self._callback_states:
                cb.load_state_dict(state)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            if self._before is not None:
                self.model.load_state_dict(self._before)
            raise ResumeError(f"the saved state of a callback does not fit this run: {exc!r:.300}") from None
        return self.stopped

    def restore(self, path: str | os.PathLike) -> int:
        """Load model, optimizer, scheduler, generators and History from `path`; return its epoch."""
        from jaring.io.checkpoint import load_weights_into, read_training_state

        found = read_training_state(path)
        if found is None:
            raise ResumeError(
                f"{path} holds a model but no training state; save it with "
                "ModelCheckpoint(..., save_optimizer=True) to resume from it"
            )
        document, arrays = found
        try:
            epoch, plan = self._plan(path, document, arrays)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            if isinstance(exc, ResumeError):
                raise
            raise ResumeError(f"{path}: the training state is damaged: {exc!r:.300}") from None
        before = self._before = self.model.state_dict()
        load_weights_into(self.model, path)
        try:
            plan()
        except (KeyError, TypeError, ValueError) as exc:
            self.model.load_state_dict(before)  # a bad file leaves the model as it was
            raise ResumeError(f"{path}: the training state does not fit this run: {exc}") from None
        return epoch

    def _plan(
        self, path: Any, document: dict, arrays: dict[str, np.ndarray]
    ) -> tuple[int, Callable[[], None]]:
        """Check the whole saved state against this run; return its epoch and a function that
        applies it (which can then fail only where the optimizer refuses its state)."""
        if document.get("version") != STATE_VERSION:
            raise ResumeError(f"{path}: training state version {document.get('version')!r}; expected 1")
        epoch = document["epoch"]
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
            raise ResumeError(f"{path}: the saved epoch must be an integer >= 0, got {epoch!r}")
        saved_opt = document["optimizer"]
        if saved_opt["class"] != type(self.optimizer).__name__:
            raise ResumeError(
                f"{path} was saved while training with {saved_opt['class']}; resume with the same "
                f"optimizer, not {type(self.optimizer).__name__}"
            )
        state: dict[int, dict] = {}
        for index, numbers in saved_opt["state"].items():
            state[int(index)] = dict(numbers)
        callback_states = self._match_callbacks(path, document.get("callbacks", []), arrays)
        stopped = document.get("stopped", False)
        if not isinstance(stopped, bool):
            raise ResumeError(f"{path}: 'stopped' must be true or false, got {stopped!r}")
        for key, value in arrays.items():
            if key.startswith("callback:"):
                continue
            index, name = key.split(".", 1)
            state.setdefault(int(index), {})[name] = value
        opt_state = {"state": state, "param_groups": saved_opt["param_groups"]}
        saved_sched = document["scheduler"]
        if (saved_sched is None) != (self.scheduler is None):
            have = "no scheduler" if self.scheduler is None else type(self.scheduler).__name__
            raise ResumeError(
                f"{path} was saved with scheduler {None if saved_sched is None else saved_sched['class']}, "
                f"but this run has {have}; pass the same kind of scheduler"
            )
        if saved_sched is not None and saved_sched["class"] != type(self.scheduler).__name__:
            raise ResumeError(
                f"{path} was saved with {saved_sched['class']}, this run has {type(self.scheduler).__name__}"
            )
        generators = document["generators"]
        if set(generators) != set(self.generators):
            raise ResumeError(
                f"{path} holds random generators {sorted(generators)}, but this run draws from "
                f"{sorted(self.generators)}; resume with the same model, data and seeds"
            )
        for name, g in self.generators.items():  # a bad state raises here, on a scratch generator
            type(g.bit_generator)().state = generators[name]
        if saved_sched is not None and set(saved_sched["state"]) - set(vars(self.scheduler)):
            raise ResumeError(f"{path}: unknown scheduler entries {sorted(saved_sched['state'])}")
        history = document["history"]
        epochs = [int(e) for e in history["epoch"]]
        logs = {str(k): [float(v) for v in values] for k, values in history["history"].items()}

        def apply() -> None:
            self.optimizer.load_state_dict(opt_state)  # checks everything before it changes anything
            if self.scheduler is not None:
                self.scheduler.load_state_dict(saved_sched["state"])
            for name, g in self.generators.items():
                g.bit_generator.state = generators[name]
            self.history.epoch[:] = epochs
            self.history.history.clear()
            self.history.history.update(logs)
            self._callback_states, self.stopped = callback_states, stopped

        return epoch, apply

    def _match_callbacks(
        self, path: Any, saved: list, arrays: dict[str, np.ndarray]
    ) -> list[tuple[Any, dict]]:
        """(callback, saved state) pairs: the n-th saved callback of a class goes to the n-th of this run."""
        if not isinstance(saved, list):
            raise ResumeError(f"{path}: the saved callbacks must be a list, got {saved!r:.80}")
        by_class: dict[str, list] = {}
        for i, entry in enumerate(saved):
            state = dict(entry["state"])
            for key in entry["arrays"]:
                prefix = f"callback:{i}:{key}:"
                state[key] = {k[len(prefix) :]: a for k, a in arrays.items() if k.startswith(prefix)}
            by_class.setdefault(str(entry["class"]), []).append(state)
        pairs = []
        for cb in self.callbacks:
            states = by_class.get(type(cb).__name__)
            if states:
                pairs.append((cb, states.pop(0)))
        return pairs


def _plain(group: dict) -> dict:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in group.items()}


def _scheduler_state(scheduler: LRScheduler) -> dict:
    return {"class": type(scheduler).__name__, "state": scheduler.state_dict()}


def _unique_generators(model: Any, named: dict[str, np.random.Generator]) -> dict[str, np.random.Generator]:
    """Every distinct Generator of the run, by a stable name: jaring's global one first, then those
    given (fit's shuffling, a DataLoader's), then each layer's attributes that hold one."""
    found: dict[str, np.random.Generator] = {}
    seen: set[int] = set()

    def add(name: str, g: Any) -> None:
        if isinstance(g, np.random.Generator) and id(g) not in seen:
            seen.add(id(g))
            found[name] = g

    add("global", jrandom.get_rng())
    for name, g in named.items():
        add(name, g)
    for module_name, module in model.named_modules():
        for attr, value in sorted(vars(module).items()):
            add(f"layer:{module_name or '<model>'}.{attr}", value)
    return found
