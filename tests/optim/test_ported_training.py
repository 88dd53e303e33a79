"""The optimizers ported from torch.optim in fit: by name, as an instance, with a scheduler, and
resumed from a ModelCheckpoint(save_optimizer=True) file bit for bit."""

import pytest

import jaring
from jaring import nn, optim
from jaring.training import ModelCheckpoint, fit
from tests.training.helpers import blobs

MAKERS = {
    "nadam": lambda p: optim.NAdam(p, lr=0.01, weight_decay=0.01, decoupled_weight_decay=True),
    "adadelta": lambda p: optim.Adadelta(p, lr=0.5, weight_decay=0.01),
    "radam": lambda p: optim.RAdam(p, lr=0.01),
    "asgd": lambda p: optim.ASGD(p, lr=0.05, t0=10),
    "rprop": lambda p: optim.Rprop(p, lr=0.01),
    "adamax": lambda p: optim.Adamax(p, lr=0.01),
}


def net() -> nn.Sequential:
    return nn.Sequential(nn.Linear(4, 8, seed=0), nn.ReLU(), nn.Dropout(0.2, seed=4), nn.Linear(8, 3, seed=1))


def train(name, path=None, epochs=4, resume_from=None):
    jaring.manual_seed(123)
    x, y = blobs(50)
    model = net()
    opt = MAKERS[name](model.parameters())
    sched = optim.StepLR(opt, step_size=1, gamma=0.7)
    callbacks = [ModelCheckpoint(path, monitor="loss", save_optimizer=True)] if path else []
    history = fit(
        model, x, y, loss="cross_entropy", optimizer=opt, batch_size=8, epochs=epochs,
        shuffle=True, seed=3, callbacks=callbacks, scheduler=sched, resume_from=resume_from,
    )  # fmt: skip
    return model, opt, history


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_stop_after_two_epochs_and_resume_equals_four_straight(tmp_path, name):
    straight, straight_opt, straight_history = train(name)
    path = tmp_path / "ckpt.jaring"
    train(name, path, epochs=2)
    jaring.manual_seed(999)
    resumed, resumed_opt, resumed_history = train(name, epochs=4, resume_from=path)
    for (key, a), (_, b) in zip(straight.state_dict().items(), resumed.state_dict().items()):
        assert a.tobytes() == b.tobytes(), key
    assert resumed_history.history == straight_history.history
    assert (
        resumed_opt.lr
        == straight_opt.lr
        == pytest.approx(MAKERS[name]([jaring.ones(1, requires_grad=True)]).lr * 0.7**4)
    )
    for p, q in zip(straight.parameters(), resumed.parameters()):
        assert set(straight_opt.state[p]) == set(resumed_opt.state[q])


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_fit_by_name_learns(name):
    x, y = blobs(60)
    model = net()
    lr = {"adadelta": 1.0, "asgd": 0.1, "radam": 0.05}.get(name, 0.01)
    batch_size = 60 if name == "rprop" else 10  # Rprop is for full batches, as torch says
    history = fit(
        model, x, y, loss="cross_entropy", optimizer=name, lr=lr, batch_size=batch_size, epochs=15, seed=0,
        verbose=0,
    )  # fmt: skip
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0], losses
