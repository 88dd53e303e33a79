"""What an arm gets (ArmRun) and gives back (ArmResult), and the scores every arm reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from jaring.experiments.data import StudyData
from jaring.experiments.plan import TrialSpec
from jaring.experiments.schema import StudyFile
from jaring.training.metrics import accuracy, macro_f1


@dataclass
class ArmRun:
    """One trial's inputs: the study, the trial, its resolved settings, the data and its folder.

    `report(epoch, value)` hands the epoch's validation metric to the pruner and returns True
    when the trial should stop (always False for studies without pruning).
    """

    study: StudyFile
    spec: TrialSpec
    model_args: dict
    train: dict
    data: StudyData
    folder: Path
    report: Callable[[int, float], bool] = lambda epoch, value: False


@dataclass
class ArmResult:
    """What an arm produced: per-epoch (and per-step) history, metrics, and the jaring model if any."""

    history: dict
    metrics: dict
    model: Any = None
    pruned: bool = False
    extra_files: dict = field(default_factory=dict)


def scores(y_true: np.ndarray, y_pred: np.ndarray, prefix: str = "test_") -> dict[str, float]:
    """Accuracy and macro-F1 of predicted labels, as fractions."""
    return {
        f"{prefix}accuracy": float(accuracy(y_true, y_pred)),
        f"{prefix}macro_f1": float(macro_f1(y_true, y_pred)),
    }


def val_metric_name(run: ArmRun) -> str:
    """The per-epoch validation key matching the study's metric (what the pruner watches)."""
    return "val_macro_f1" if run.study.study["metric"] == "test_macro_f1" else "val_accuracy"


def time_metrics(seconds: float, epochs_run: int) -> dict[str, float]:
    return {"seconds": float(seconds), "seconds_per_epoch": float(seconds) / max(epochs_run, 1),
            "epochs_run": int(epochs_run)}  # fmt: skip
