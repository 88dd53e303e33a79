"""Callbacks: early stopping (patience, min_delta, mode, restore best), error threshold, checkpoints."""

import numpy as np
import pytest

from jaring import io, nn
from jaring.training import Callback, EarlyStopping, ErrorThreshold, ModelCheckpoint, fit
from tests.training.helpers import blobs


class Scripted(Callback):
    """Replaces the monitored value with a scripted sequence and snapshots the weights per epoch."""

    def __init__(self, key, values):
        self.key, self.values, self.snapshots = key, values, {}

    def on_epoch_end(self, epoch, logs):
        logs[self.key] = self.values[epoch - 1]
        self.snapshots[epoch] = self.model.state_dict()


def model():
    return nn.Sequential(nn.Linear(4, 6, seed=0), nn.ReLU(), nn.Linear(6, 3, seed=1))


def run(values, stopper, key="val_loss", epochs=None):
    x, y = blobs(30)
    script = Scripted(key, values)
    m = model()
    h = fit(
        m, x, y, lr=0.1, epochs=epochs or len(values), validation_data=(x, y), callbacks=[script, stopper]
    )
    return m, h, script


@pytest.mark.parametrize(
    "values, patience, min_delta, stopped_after",
    [
        ([1.0, 0.5, 0.6, 0.55, 0.4, 0.3], 2, 0.0, 4),  # two epochs without a new best
        ([1.0, 0.5, 0.6, 0.55, 0.4, 0.3], 3, 0.0, 6),  # the 5th epoch improves in time
        ([1.0, 0.9, 0.85, 0.8, 0.75, 0.7], 2, 0.2, 3),  # improvements smaller than min_delta do not count
        ([1.0, 1.0, 1.0], 0, 0.0, 2),  # patience 0: stop at the first epoch without improvement
    ],
)
def test_early_stopping_patience_and_min_delta(values, patience, min_delta, stopped_after):
    stopper = EarlyStopping(patience=patience, min_delta=min_delta)
    _, h, _ = run(values, stopper)
    assert len(h) == stopped_after


def test_restore_best_weights():
    stopper = EarlyStopping(patience=2, restore_best_weights=True)
    m, h, script = run([1.0, 0.4, 0.6, 0.7, 0.2], stopper)
    assert len(h) == 4 and stopper.best_epoch == 2 and stopper.best_value == pytest.approx(0.4)
    for name, array in m.state_dict().items():
        np.testing.assert_array_equal(array, script.snapshots[2][name])
    assert not np.array_equal(script.snapshots[2]["0.weight"], script.snapshots[4]["0.weight"])


def test_without_restore_the_last_weights_stay():
    m, _, script = run([1.0, 0.4, 0.6, 0.7], EarlyStopping(patience=2))
    np.testing.assert_array_equal(m.state_dict()["0.weight"], script.snapshots[4]["0.weight"])


def test_mode_max_for_accuracy():
    stopper = EarlyStopping(monitor="val_accuracy", patience=1)
    assert stopper.sign == 1
    _, h, _ = run([0.5, 0.8, 0.7, 0.9], stopper, key="val_accuracy")
    assert len(h) == 3


def test_missing_monitor_and_bad_arguments():
    x, y = blobs(30)
    with pytest.raises(ValueError, match="monitor 'val_loss' is not in the logs.*validation_data.*'loss'"):
        fit(model(), x, y, callbacks=[EarlyStopping()])
    with pytest.raises(ValueError, match="patience must be a non-negative integer"):
        EarlyStopping(patience=-1)
    with pytest.raises(ValueError, match="unknown mode 'down'.*'min'"):
        EarlyStopping(mode="down")
    with pytest.raises(ValueError, match="threshold must be a number"):
        ErrorThreshold(float("nan"))


def test_error_threshold_callback_monitors_any_key():
    cb = ErrorThreshold(0.5, monitor="val_loss")
    cb.on_epoch_end(1, {"loss": 0.1, "val_loss": 0.6})
    assert not cb.stop_training
    cb.on_epoch_end(2, {"loss": 0.1, "val_loss": 0.4})
    assert cb.stop_training


def test_model_checkpoint_keeps_the_best_model(tmp_path):
    path = tmp_path / "best.jaring"
    ckpt = ModelCheckpoint(path, save_best_only=True)
    m, _, script = run([1.0, 0.3, 0.5, 0.6], ckpt)
    assert ckpt.saved == [str(path), str(path)]
    best = io.load(path)
    np.testing.assert_array_equal(best.state_dict()["2.bias"], script.snapshots[2]["2.bias"])
    assert io.read_metadata(path)["extra"]["epoch"] == 2


def test_model_checkpoint_every_epoch_with_epoch_in_the_name(tmp_path):
    ckpt = ModelCheckpoint(tmp_path / "ckpt-{epoch}.jaring", monitor="loss")
    run([1.0, 0.9, 0.8], ckpt)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt-1.jaring", "ckpt-2.jaring", "ckpt-3.jaring"]


def test_hooks_are_called_in_order():
    events = []

    class Recorder(Callback):
        def on_train_begin(self, logs):
            events.append("train_begin")

        def on_epoch_begin(self, epoch, logs):
            events.append(f"epoch_begin {epoch}")

        def on_batch_end(self, batch, logs):
            events.append(f"batch {batch} {'loss' in logs}")

        def on_epoch_end(self, epoch, logs):
            events.append(f"epoch_end {epoch}")

        def on_train_end(self, logs):
            events.append("train_end")

    x, y = blobs(20)
    fit(model(), x, y, batch_size=10, epochs=2, callbacks=[Recorder()])
    assert events == [
        "train_begin",
        "epoch_begin 1", "batch 0 True", "batch 1 True", "epoch_end 1",
        "epoch_begin 2", "batch 0 True", "batch 1 True", "epoch_end 2",
        "train_end",
    ]  # fmt: skip
