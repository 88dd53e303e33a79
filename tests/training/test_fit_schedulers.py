"""fit with the newer schedulers: ReduceLROnPlateau watches val_loss (loss without validation data),
and LambdaLR, ReduceLROnPlateau, SequentialLR, OneCycleLR, ... resume from a checkpoint exactly."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn, optim
from jaring.training import Callback, ModelCheckpoint, fit
from tests.training.helpers import blobs


class LrLog(Callback):
    """The optimizer's lr at the end of every epoch (after fit stepped the scheduler)."""

    def __init__(self, opt):
        super().__init__()
        self.opt, self.lrs = opt, []

    def on_epoch_end(self, epoch, logs):
        self.lrs.append(self.opt.lr)


def regression(n=20):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 2)).astype(np.float32)
    y = (x @ np.array([[1.5], [-2.0]]) + 0.5).astype(np.float32)
    return x, y


def replay(values, **options):
    """The rates a fresh ReduceLROnPlateau gives for the monitored values, one per epoch."""
    opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=0.05)
    sched = optim.ReduceLROnPlateau(opt, **options)
    lrs = []
    for v in values:
        sched.step(v)
        lrs.append(opt.lr)
    return lrs


def plateau_fit(validation, **options):
    x, y = regression()
    model = nn.Sequential(nn.Linear(2, 1, seed=0))
    opt = optim.SGD(model.parameters(), lr=0.05)
    log = LrLog(opt)
    sched = optim.ReduceLROnPlateau(opt, **options)
    # targets of the opposite sign: the better the model fits y, the worse its validation loss
    val = (x, -3 * y) if validation else None
    history = fit(
        model, x, y, loss="mse", optimizer=opt, batch_size=20, epochs=6, validation_data=val,
        callbacks=[log], scheduler=sched, seed=0,
    )  # fmt: skip
    return history.history, log.lrs


def test_fit_steps_reduce_on_plateau_with_the_validation_loss():
    options = dict(factor=0.5, patience=0, threshold=0.0)
    logs, lrs = plateau_fit(True, **options)
    assert np.all(np.diff(logs["val_loss"]) > 0) and np.all(np.diff(logs["loss"]) < 0)
    assert lrs == replay(logs["val_loss"], **options) == [0.05 * 0.5**k for k in range(6)]
    assert replay(logs["loss"], **options) == [0.05] * 6  # the training loss would never reduce it


def test_fit_steps_reduce_on_plateau_with_the_training_loss_without_validation_data():
    options = dict(factor=0.5, patience=1, threshold=0.3)  # a gain under 30% does not count
    logs, lrs = plateau_fit(False, **options)
    assert "val_loss" not in logs
    assert lrs == replay(logs["loss"], **options)
    assert lrs[-1] < 0.05


def test_fit_still_refuses_what_is_not_a_jaring_scheduler():
    x, y = regression()
    model = nn.Sequential(nn.Linear(2, 1, seed=0))
    opt = optim.SGD(model.parameters(), lr=0.05)
    tparam = torch.ones(1, requires_grad=True)
    for bad in (
        torch.optim.lr_scheduler.ReduceLROnPlateau(torch.optim.SGD([tparam])),
        optim.ReduceLROnPlateau,
        3,
    ):
        with pytest.raises(TypeError, match="scheduler must be a jaring LRScheduler"):
            fit(model, x, y, loss="mse", optimizer=opt, scheduler=bad)
    other = optim.ReduceLROnPlateau(optim.SGD(nn.Linear(2, 1, seed=1).parameters()))
    with pytest.raises(ValueError, match="different optimizer"):
        fit(model, x, y, loss="mse", optimizer=opt, scheduler=other)


class Shrink:
    """A callable object with state of its own, which the checkpoint keeps (its __dict__)."""

    def __init__(self):
        self.calls = 0

    def __call__(self, epoch):
        self.calls += 1
        return 0.9 if self.calls % 2 else 0.7


SCHEDULERS = {
    "lambda": lambda o: optim.LambdaLR(o, lambda epoch: 0.8**epoch),
    "multiplicative-object": lambda o: optim.MultiplicativeLR(o, Shrink()),
    "plateau": lambda o: optim.ReduceLROnPlateau(o, factor=0.5, patience=0, threshold=0.2),
    "sequential": lambda o: optim.SequentialLR(
        o, [optim.LinearLR(o, start_factor=0.5, total_iters=2), optim.CosineAnnealingLR(o, T_max=3)], [2]
    ),
    "one-cycle": lambda o: optim.OneCycleLR(o, max_lr=0.2, total_steps=4),
    "restarts": lambda o: optim.CosineAnnealingWarmRestarts(o, T_0=2, eta_min=0.01),
    "multistep": lambda o: optim.MultiStepLR(o, milestones=[1, 3], gamma=0.5),
}


def train(make, path=None, epochs=4, resume_from=None):
    jaring.manual_seed(123)
    x, y = blobs(50)
    model = nn.Sequential(nn.Linear(4, 8, seed=0), nn.ReLU(), nn.Linear(8, 3, seed=1))
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = make(opt)
    callbacks = [ModelCheckpoint(path, monitor="loss", save_optimizer=True)] if path else []
    history = fit(
        model, x, y, loss="cross_entropy", optimizer=opt, batch_size=8, epochs=epochs, seed=3,
        validation_data=(x[:10], y[:10]), callbacks=callbacks, scheduler=sched, resume_from=resume_from,
    )  # fmt: skip
    return model, opt, sched, history


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_resume_with_the_scheduler_equals_never_stopping(tmp_path, name):
    make = SCHEDULERS[name]
    straight, straight_opt, straight_sched, straight_history = train(make)
    path = tmp_path / "ckpt.jaring"
    train(make, path, epochs=2)
    resumed, resumed_opt, resumed_sched, resumed_history = train(make, epochs=4, resume_from=path)
    for (key, a), (_, b) in zip(straight.state_dict().items(), resumed.state_dict().items()):
        assert a.tobytes() == b.tobytes(), key
    assert resumed_history.history == straight_history.history
    assert resumed_opt.param_groups[0]["lr"] == straight_opt.param_groups[0]["lr"]
    assert resumed_opt.param_groups[0]["momentum"] == straight_opt.param_groups[0]["momentum"]
    assert resumed_sched.state_dict() == straight_sched.state_dict()
    if name == "multiplicative-object":
        assert resumed_sched.lr_lambdas[0].calls == straight_sched.lr_lambdas[0].calls == 4
