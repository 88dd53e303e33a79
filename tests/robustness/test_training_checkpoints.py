"""Damaged or mismatched training checkpoints: resume_from refuses them and leaves the model as it was."""

import json
import zipfile

import numpy as np
import pytest
from safetensors.numpy import save as st_save

from jaring import nn
from jaring.io import CheckpointError
from jaring.training import ModelCheckpoint, fit
from jaring.training.resume import ResumeError
from tests.robustness.helpers import assert_clear_error

X = np.random.default_rng(0).normal(size=(16, 4)).astype(np.float32)
Y = np.arange(16) % 3


def net():
    return nn.Sequential(nn.Linear(4, 3, seed=0))


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    path = tmp_path_factory.mktemp("ckpt") / "ckpt.jaring"
    fit(
        net(),
        X,
        Y,
        optimizer="adam",
        epochs=1,
        seed=0,
        callbacks=[ModelCheckpoint(path, "loss", save_optimizer=True)],
    )
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def rewrite(members, tmp_path, name=None, data=None, change=None):
    members = dict(members)
    if change is not None:
        doc = json.loads(members["training.json"])
        change(doc)
        members["training.json"] = json.dumps(doc).encode()
    if name is not None:
        members[name] = data
    path = tmp_path / "bad.jaring"
    with zipfile.ZipFile(path, "w") as z:
        for key, value in members.items():
            z.writestr(key, value)
    return path


def set_key(*keys, value):
    def change(doc):
        target = doc
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


def delete(key):
    return lambda doc: doc.pop(key)


CHANGES = {
    "version": (set_key("version", value=7), "version 7"),
    "epoch str": (set_key("epoch", value="2"), "epoch must be an integer"),
    "epoch negative": (set_key("epoch", value=-1), "epoch must be an integer"),
    "epoch bool": (set_key("epoch", value=True), "epoch must be an integer"),
    "no epoch": (delete("epoch"), "damaged"),
    "no optimizer": (delete("optimizer"), "damaged"),
    "optimizer class": (set_key("optimizer", "class", value="SGD"), "saved while training with SGD"),
    "param groups": (set_key("optimizer", "param_groups", value=[]), "does not fit|damaged|groups"),
    "lr str": (lambda d: d["optimizer"]["param_groups"][0].update(lr="fast"), "lr must be a number"),
    "lr inf": (lambda d: d["optimizer"]["param_groups"][0].update(lr=float("inf")), "lr must be in"),
    "betas": (lambda d: d["optimizer"]["param_groups"][0].update(betas=[2, 2]), "beta1"),
    "state index": (set_key("optimizer", "state", value={"99": {"step": 1}}), "parameter 99"),
    "generators": (set_key("generators", value={}), "random generators"),
    "generator state": (
        lambda d: d["generators"].update(shuffle={"bit_generator": "MT19937"}),
        "damaged|fit",
    ),
    "generator garbage": (lambda d: d["generators"].update(shuffle=3), "damaged|fit"),
    "scheduler": (set_key("scheduler", value={"class": "StepLR", "state": {}}), "scheduler"),
    "history": (set_key("history", value=3), "damaged|fit"),
    "not a dict": (lambda d: d.clear(), "damaged"),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_damaged_training_state_is_refused_and_changes_nothing(checkpoint, tmp_path, name):
    change, message = CHANGES[name]
    path = rewrite(checkpoint, tmp_path, change=change)
    model = net()
    before = model.state_dict()
    assert_clear_error(
        lambda: fit(model, X, Y, optimizer="adam", seed=0, resume_from=path),
        message,
        (ResumeError, TypeError, ValueError),
    )
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key], err_msg=key)


MEMBERS = {
    "training json not json": ("training.json", b"{nope", "not valid JSON"),
    "training json list": ("training.json", b"[1]", "JSON object"),
    "optimizer weights garbage": ("optimizer.safetensors", b"garbage!", "corrupt or truncated"),
    "optimizer weights wrong shape": (
        "optimizer.safetensors",
        st_save({"0.exp_avg_sum": np.zeros(7, np.float32)}),
        "shape",
    ),
    "optimizer weights bad name": (
        "optimizer.safetensors",
        st_save({"nodot": np.zeros(1, np.float32)}),
        "damaged",
    ),
}


@pytest.mark.parametrize("name", sorted(MEMBERS))
def test_damaged_training_members_are_refused(checkpoint, tmp_path, name):
    member, data, message = MEMBERS[name]
    path = rewrite(checkpoint, tmp_path, member, data)
    assert_clear_error(
        lambda: fit(net(), X, Y, optimizer="adam", seed=0, resume_from=path),
        message,
        (ResumeError, CheckpointError, ValueError),
    )
