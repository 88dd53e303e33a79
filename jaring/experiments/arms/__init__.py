"""The arms that train a trial: jaring, pytorch, sklearn and keras, each `train(run) -> ArmResult`.

Every arm trains the same setting on the same arrays from the same seed and reports the same
test metrics, so a study's table compares frameworks, not set-ups.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from jaring.experiments.arms.common import ArmResult, ArmRun

_MODULES = {
    "jaring": "jaring.experiments.arms.jaring_arm",
    "pytorch": "jaring.experiments.arms.torch_arm",
    "sklearn": "jaring.experiments.arms.sklearn_arm",
    "keras": "jaring.experiments.arms.keras_arm",
}


def arm_trainer(arm: str) -> Callable[[ArmRun], ArmResult]:
    """The `train` function of `arm` (imported on first use: torch and keras load slowly)."""
    return importlib.import_module(_MODULES[arm]).train


__all__ = ["ArmResult", "ArmRun", "arm_trainer"]
