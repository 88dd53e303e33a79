"""The PyTorch arm takes the same steps as jaring: same initial weights, same batches, same loss."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")

from jaring.experiments.arms import ArmRun, arm_trainer  # noqa: E402
from jaring.experiments.data import StudyData  # noqa: E402
from jaring.experiments.models import resolve  # noqa: E402
from jaring.experiments.plan import Setting, TrialSpec  # noqa: E402
from jaring.experiments.schema import load_study_file  # noqa: E402
from tests.experiments.test_schema import GOOD, write  # noqa: E402


def synthetic(n: int = 200, features: int = 20, classes: int = 4) -> StudyData:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(n, features)).astype(np.float32)
    y = (x[:, :classes].argmax(1)).astype(np.int64)
    return StudyData(x[:150], y[:150], x[150:170], y[150:170], x[170:], y[170:], (features,), classes)


@pytest.mark.slow  # trains both arms side by side, step by step
@pytest.mark.parametrize(
    ("args", "optimizer"),
    [
        ('{ hidden = [16, 8], activation = "relu" }', "sgd"),
        ('{ hidden = [16], activation = "leaky_relu", rmsnorm = true, l1 = 1e-3, l2 = 1e-3 }', "sgd"),
        ('{ hidden = [16], activation = "tanh", weight_init = "glorot_uniform" }', "adam"),
    ],
)
def test_first_steps_equal_jaring(tmp_path: Path, args: str, optimizer: str):
    text = GOOD.replace('args = { activation = "relu" }', f"args = {args}").replace('"sgd"', f'"{optimizer}"')
    text = text.replace("epochs = 1", "epochs = 2\nlog_every = 1").replace(
        "batch_size = 32", "batch_size = 16"
    )
    s = load_study_file(write(tmp_path, text))
    setting = Setting("s00", "x", {})
    model_args, train = resolve(s, {})
    data = synthetic()
    results = {}
    for arm in ("jaring", "pytorch"):
        run = ArmRun(s, TrialSpec(setting, arm, 3), model_args, train, data, tmp_path / arm)
        results[arm] = arm_trainer(arm)(run)
    ours, theirs = results["jaring"], results["pytorch"]
    steps = len(ours.history["step"]["loss"])
    assert steps == 2 * 10  # 150 samples in batches of 16, two epochs
    np.testing.assert_allclose(
        ours.history["step"]["loss"][:5], theirs.history["step"]["loss"][:5], rtol=1e-5
    )
    np.testing.assert_allclose(ours.history["step"]["loss"], theirs.history["step"]["loss"], rtol=1e-3)
    np.testing.assert_allclose(
        ours.history["epoch"]["val_loss"], theirs.history["epoch"]["val_loss"], rtol=1e-3
    )
    assert ours.metrics["test_accuracy"] == theirs.metrics["test_accuracy"]
