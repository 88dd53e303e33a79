"""Training checkpoints: stopping and resuming equals never stopping, bit for bit."""

import json
import zipfile

import numpy as np
import pytest

import jaring
from jaring import nn, optim
from jaring.data import DataLoader, TensorDataset
from jaring.training import EarlyStopping, ModelCheckpoint, fit
from jaring.training.resume import ResumeError
from tests.training.helpers import blobs

OPTIMIZERS = {
    "sgd_momentum": lambda p: optim.SGD(p, lr=0.05, momentum=0.9),
    "adam": lambda p: optim.Adam(p, lr=0.01),
    "adamw": lambda p: optim.AdamW(p, lr=0.01, weight_decay=0.1),
    "rmsprop": lambda p: optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True),
}


def net(seeded_dropout: bool = True) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(4, 16, seed=0),
        nn.ReLU(),
        nn.Dropout(0.3, seed=7 if seeded_dropout else None),
        nn.Linear(16, 8, seed=1),
        nn.Tanh(),
        nn.Dropout(0.2),  # unseeded: draws from jaring's process-wide generator
        nn.Linear(8, 3, seed=2),
    )


def train(opt_name, path=None, epochs=4, resume_from=None, scheduler=False, loader=False):
    jaring.manual_seed(123)
    x, y = blobs(50)
    model = net()
    opt = OPTIMIZERS[opt_name](model.parameters())
    sched = optim.StepLR(opt, step_size=1, gamma=0.5) if scheduler else None
    callbacks = [ModelCheckpoint(path, monitor="loss", save_optimizer=True)] if path else []
    data = (DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True, seed=5), None) if loader else (x, y)
    history = fit(
        model, *data, loss="cross_entropy", optimizer=opt, batch_size=8, epochs=epochs,
        shuffle=True, seed=3, callbacks=callbacks, scheduler=sched, resume_from=resume_from,
    )  # fmt: skip
    return model, opt, history


@pytest.mark.parametrize("opt_name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("scheduler,loader", [(False, False), (True, True)])
def test_stop_after_two_epochs_and_resume_equals_four_straight(tmp_path, opt_name, scheduler, loader):
    straight, straight_opt, straight_history = train(opt_name, scheduler=scheduler, loader=loader)
    path = tmp_path / "ckpt.jaring"
    train(opt_name, path, epochs=2, scheduler=scheduler, loader=loader)
    jaring.manual_seed(999)  # the resumed run must not depend on the process's generator now
    resumed, resumed_opt, resumed_history = train(
        opt_name, epochs=4, resume_from=path, scheduler=scheduler, loader=loader
    )
    for (name, a), (_, b) in zip(straight.state_dict().items(), resumed.state_dict().items()):
        assert a.tobytes() == b.tobytes(), name
    assert resumed_history.history == straight_history.history
    assert resumed_history.epoch == [1, 2, 3, 4]
    assert resumed_opt.lr == straight_opt.lr


def test_a_training_checkpoint_is_still_a_model_file_and_holds_no_pickle(tmp_path):
    path = tmp_path / "ckpt.jaring"
    model, _, _ = train("adam", path, epochs=1)
    loaded = jaring.io.load(path)
    np.testing.assert_array_equal(loaded[0].weight.numpy(), model[0].weight.numpy())
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        state = json.loads(archive.read("training.json"))
    assert names == ["model.json", "optimizer.safetensors", "training.json", "weights.safetensors"]
    assert state["epoch"] == 1 and state["optimizer"]["class"] == "Adam"
    assert "global" in state["generators"] and "shuffle" in state["generators"]


def test_resume_refuses_what_does_not_fit(tmp_path):
    path = tmp_path / "ckpt.jaring"
    train("adam", path, epochs=1)
    x, y = blobs(50)
    with pytest.raises(ResumeError, match="saved while training with Adam"):
        fit(net(), x, y, optimizer=optim.SGD(net().parameters()), resume_from=path)
    plain = jaring.io.save(net(), tmp_path / "plain.jaring")
    with pytest.raises(ResumeError, match="save_optimizer=True"):
        fit(net(), x, y, optimizer="adam", resume_from=plain)
    with pytest.raises(FileNotFoundError):
        fit(net(), x, y, optimizer="adam", resume_from=tmp_path / "missing.jaring")
    other = nn.Sequential(nn.Linear(4, 3, seed=0))
    with pytest.raises(ResumeError):
        fit(other, x, y, optimizer="adam", seed=3, resume_from=path)


def test_resume_past_the_last_epoch_trains_nothing(tmp_path):
    path = tmp_path / "ckpt.jaring"
    model, _, _ = train("adam", path, epochs=2)
    again, _, history = train("adam", epochs=2, resume_from=path)
    assert history.epoch == [1, 2]
    np.testing.assert_array_equal(again[0].weight.numpy(), model[0].weight.numpy())


def test_a_ready_model_resumes_through_its_own_fit(tmp_path):
    from jaring.models import FFNN

    x, y = blobs(40)

    def run(epochs, callbacks=(), resume_from=None):
        model = FFNN([4, 8, 3], ["relu", "softmax"], seed=0)
        model.fit(x, y, epochs=epochs, optimizer="adam", lr=0.01, batch_size=8, seed=1, callbacks=callbacks,
                  resume_from=resume_from)  # fmt: skip
        return model

    straight = run(3)
    path = tmp_path / "ffnn"
    run(1, [ModelCheckpoint(path, monitor="loss", save_optimizer=True)])
    resumed = run(3, resume_from=path)  # "ffnn" means ffnn.jaring, as the checkpoint wrote it
    for a, b in zip(straight.state_dict().values(), resumed.state_dict().values()):
        assert a.tobytes() == b.tobytes()


def early_stopped(epochs, path=None, resume_from=None, order="checkpoint last", model=None):
    """Adam on blobs with EarlyStopping(patience=2, min_delta=0.03): uninterrupted, it stops at epoch
    14 (best 12) and puts back epoch 12's weights."""
    jaring.manual_seed(123)
    x, y = blobs(60)
    model = net() if model is None else model
    stopper = EarlyStopping(patience=2, min_delta=0.03, restore_best_weights=True)
    callbacks = [stopper]
    if path:
        saver = ModelCheckpoint(path, monitor="val_loss", save_best_only=False, save_optimizer=True)
        callbacks = [stopper, saver] if order == "checkpoint last" else [saver, stopper]
    history = fit(
        model, x[:40], y[:40], validation_data=(x[40:], y[40:]), loss="cross_entropy",
        optimizer=optim.Adam(model.parameters(), lr=0.01), batch_size=8, epochs=epochs, shuffle=True,
        seed=3, callbacks=callbacks, resume_from=resume_from,
    )  # fmt: skip
    return model, stopper, history


@pytest.mark.parametrize("k", [5, 13, 14])
@pytest.mark.parametrize("order", ["checkpoint last", "checkpoint first"])
def test_early_stopping_resumes_and_stops_on_the_same_epoch(tmp_path, k, order):
    """k=5: long before the stop; 13: one epoch without improvement already counted, so the stop
    comes right after the resume; 14: the saved run had stopped, so the resume trains nothing."""
    straight, straight_stopper, straight_history = early_stopped(30)
    assert (straight_stopper.stopped_epoch, straight_stopper.best_epoch) == (14, 12)
    path = tmp_path / "ckpt.jaring"
    early_stopped(k, path, order=order)
    jaring.manual_seed(999)
    resumed, stopper, history = early_stopped(30, resume_from=path)
    assert (stopper.stopped_epoch, stopper.best_epoch, stopper.wait) == (14, 12, straight_stopper.wait)
    assert stopper.best == straight_stopper.best
    assert history.epoch == straight_history.epoch == list(range(1, 15))
    assert history.history == straight_history.history
    for (name, a), (_, b) in zip(straight.state_dict().items(), resumed.state_dict().items()):
        assert a.tobytes() == b.tobytes(), name


def test_model_checkpoint_keeps_its_best_across_a_resume(tmp_path):
    x, y = blobs(50)

    def run(epochs, resume_from=None):
        saver = ModelCheckpoint(
            tmp_path / "best.jaring", monitor="loss", save_best_only=True, save_optimizer=True
        )
        jaring.manual_seed(0)
        model = net()
        fit(model, x, y, loss="cross_entropy", optimizer="sgd", lr=0.05, epochs=epochs, seed=3,
            callbacks=[saver], resume_from=resume_from)  # fmt: skip
        return saver

    first = run(2)
    best = first.best
    resumed = run(2, resume_from=tmp_path / "best.jaring")  # nothing left to train: the best is the saved one
    assert resumed.best == best and resumed.saved == []


def test_a_saved_callback_state_that_does_not_fit_is_refused(tmp_path):
    path = tmp_path / "ckpt.jaring"
    early_stopped(3, path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    state = json.loads(members["training.json"])
    state["callbacks"][0]["state"]["wait"] = "two"
    members["training.json"] = json.dumps(state).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    model = net()
    before = model.state_dict()
    with pytest.raises(ResumeError, match="callback.*wait must be an integer"):
        early_stopped(10, resume_from=path, model=model)
    for name, value in model.state_dict().items():  # the refused resume left the model as it was
        assert value.tobytes() == before[name].tobytes(), name
