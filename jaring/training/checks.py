"""Checks of fit()'s arguments that are not arrays: callbacks, scheduler, and the run's generators
(and how fit steps its scheduler).

Each raises at the start of fit, with a message naming the argument, the value given and what
is allowed, instead of an AttributeError from deep inside the loop.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import numpy as np

from jaring.nn.module import Module
from jaring.optim import Optimizer
from jaring.optim.lr_plateau import ReduceLROnPlateau
from jaring.optim.lr_scheduler import LRScheduler
from jaring.training.callbacks import Callback


def check_callbacks(callbacks: Any) -> list[Callback]:
    """`callbacks` as a list of Callback instances, or a TypeError naming the one that is not."""
    if isinstance(callbacks, Callback):
        callbacks = [callbacks]
    if not isinstance(callbacks, Iterable) or isinstance(callbacks, (str, bytes, dict)):
        raise TypeError(f"fit: callbacks must be a list of Callback objects, got {callbacks!r:.200}")
    callbacks = list(callbacks)
    for i, cb in enumerate(callbacks):
        if isinstance(cb, type) and issubclass(cb, Callback):
            name = cb.__name__
            raise TypeError(f"fit: callbacks[{i}] is the class {name}; pass an instance: {name}()")
        if not isinstance(cb, Callback):
            raise TypeError(
                f"fit: callbacks[{i}] is {cb!r:.100} (a {type(cb).__name__}), not a jaring Callback; "
                "subclass jaring.training.Callback and override the hooks you need"
            )
    return callbacks


def check_model(what: str, model: Any) -> None:
    """fit, evaluate and predict train or run a jaring Module (FFNN, Sequential, your subclass)."""
    if not isinstance(model, Module):
        raise TypeError(
            f"{what}: model must be a jaring Module (e.g. an FFNN or nn.Sequential), got {model!r:.80} "
            f"(a {type(model).__name__})"
        )


def check_fit_options(shuffle: Any, resume_from: Any) -> None:
    """fit's flags and paths, each with its own message."""
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"fit: shuffle must be True or False, got {shuffle!r:.80}")
    if resume_from is not None and not isinstance(resume_from, (str, os.PathLike)):
        raise TypeError(
            f"fit: resume_from must be the path of a training checkpoint, got {resume_from!r:.80}"
        )


def as_array(what: str, name: str, value: Any) -> np.ndarray:
    """np.asarray(value), with a clear error for ragged nested lists and unsupported objects."""
    try:
        return np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{what}: {name} must be a rectangular array of numbers (nested lists of equal lengths), "
            f"got a {type(value).__name__} that is not ({exc})"
        ) from None


def check_scheduler(scheduler: Any, optimizer: Optimizer) -> None:
    """A scheduler must be a jaring LRScheduler built on the optimizer fit trains with."""
    if scheduler is None:
        return
    if not isinstance(scheduler, LRScheduler):
        raise TypeError(
            f"fit: scheduler must be a jaring LRScheduler (StepLR, ...), got {type(scheduler).__name__}"
        )
    if scheduler.optimizer is not optimizer:
        raise ValueError(
            "fit: the scheduler adjusts a different optimizer than the one fit trains with; build the "
            "optimizer yourself, pass it as optimizer=, and build the scheduler on it"
        )


def step_scheduler(scheduler: LRScheduler, logs: dict[str, float]) -> None:
    """Step fit's scheduler after an epoch: a ReduceLROnPlateau with the epoch's val_loss (its loss
    when there is no validation data), any other scheduler with no argument."""
    if isinstance(scheduler, ReduceLROnPlateau):
        scheduler.step(logs.get("val_loss", logs["loss"]))
    else:
        scheduler.step()


def run_generators(shuffle: np.random.Generator, train: Any, val: Any) -> dict[str, np.random.Generator]:
    """The random generators fit's data draws from, by name, for a training checkpoint."""
    named = {"shuffle": shuffle}
    for name, loader in (("loader", train), ("validation_loader", val)):
        g = getattr(loader, "_rng", None)
        if isinstance(g, np.random.Generator):
            named[name] = g
    return named


def check_cast(what: str, name: str, original: Any, cast: Any) -> None:
    """Finite data must stay finite in the model's dtype: 1e39 is inf in float32, so refuse it."""
    if not (hasattr(cast, "dtype") and cast.dtype.kind == "f" and cast is not original):
        return
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(cast.sum()) or np.isfinite(cast).all():
            return
    bad = tuple(int(i) for i in np.argwhere(~np.isfinite(cast))[0])
    value = float(np.asarray(original)[bad])
    raise ValueError(
        f"{what}: {name} holds {value:g} at index {bad}, beyond the range of the model's {cast.dtype} "
        f"(largest {float(np.finfo(cast.dtype).max):.3g}); rescale the data or use a float64 model"
    )
