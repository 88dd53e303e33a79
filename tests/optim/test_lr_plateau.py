"""ReduceLROnPlateau follows torch on scripted metrics: both modes, both threshold modes, cooldown,
min_lr and eps; its state survives a round trip; bad arguments are named."""

import json

import numpy as np
import pytest
import torch

import jaring
from jaring.optim import LRScheduler, ReduceLROnPlateau
from tests.optim.schedules import pair


def metrics(n=80, seed=0):
    """A loss that falls, stalls (with exact repeats and tiny gains), falls again and wobbles."""
    rng = np.random.default_rng(seed)
    values = list(np.round(2.0 * 0.97 ** np.arange(20), 6))
    values += [values[-1]] * 4 + [values[-1] * (1 - 5e-5), values[-1] * (1 - 2e-4)]
    values += list(np.round(values[-1] + rng.normal(0, 0.02, n - len(values)), 4))
    return [float(v) for v in values]


SETTINGS = [
    dict(),
    dict(patience=2),
    dict(mode="min", threshold_mode="abs", threshold=0.01, patience=1, cooldown=2, factor=0.5),
    dict(mode="max", threshold=0.01, patience=0, factor=0.5, min_lr=[0.01, 0.001, 0.02]),
    dict(mode="max", threshold_mode="abs", threshold=0.005, patience=1, cooldown=3, min_lr=0.005),
    dict(patience=0, factor=0.9, eps=2e-3, min_lr=0.004),
    dict(patience=3, threshold=0.0, cooldown=1, factor=0.7),
]


def sign(options):
    return -1.0 if options.get("mode") == "max" else 1.0


@pytest.mark.parametrize("options", SETTINGS)
def test_sequence_matches_torch(options):
    jopt, topt = pair()
    jsched = ReduceLROnPlateau(jopt, **options)
    tsched = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, **options)
    seen = {tuple(jsched.get_last_lr())}
    for i, value in enumerate(metrics()):
        value *= sign(options)  # "max" watches an accuracy-like value that stalls the same way
        jopt.step()
        topt.step()
        jsched.step(value)
        tsched.step(value)
        np.testing.assert_allclose(jsched.get_last_lr(), tsched.get_last_lr(), rtol=1e-12, atol=0, err_msg=i)
        assert [g["lr"] for g in jopt.param_groups] == jsched.get_last_lr()
        for name in ("best", "num_bad_epochs", "cooldown_counter", "last_epoch"):
            assert getattr(jsched, name) == getattr(tsched, name), (i, name)
        seen.add(tuple(jsched.get_last_lr()))
    assert len(seen) >= 3  # the rate was reduced at least twice


def test_patience_cooldown_and_min_lr_by_hand():
    opt, _ = pair((1.0,))
    sched = ReduceLROnPlateau(opt, factor=0.5, patience=1, cooldown=1, min_lr=0.2)
    lrs = []
    for value in [5, 4, 4, 4, 4, 4, 4, 4, 4, 4]:
        sched.step(value)
        lrs.append(opt.lr)
    # bad epochs 2 -> halve; one cooldown epoch ignored; 2 more bad -> halve; ... floor at 0.2
    assert lrs == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2]


def test_state_dict_round_trip_continues_identically():
    values = metrics()
    options = dict(patience=1, cooldown=2, factor=0.5, threshold_mode="abs", threshold=0.01)
    opt, _ = pair()
    sched = ReduceLROnPlateau(opt, **options)
    for v in values[:30]:
        sched.step(v)
    assert sched.cooldown_counter or sched.num_bad_epochs  # saved in the middle of something
    saved_opt, saved = opt.state_dict(), json.loads(json.dumps(sched.state_dict()))
    expected = []
    for v in values[30:]:
        sched.step(v)
        expected.append(sched.get_last_lr())
    fresh_opt, _ = pair()
    fresh = ReduceLROnPlateau(fresh_opt, **options)
    fresh_opt.load_state_dict(saved_opt)
    fresh.load_state_dict(saved)
    got = []
    for v in values[30:]:
        fresh.step(v)
        got.append(fresh.get_last_lr())
    assert got == expected and len({tuple(lrs) for lrs in got}) > 1


def test_it_is_an_lr_scheduler_stepped_with_tensors_and_numpy_numbers():
    opt, _ = pair()
    sched = ReduceLROnPlateau(opt, patience=0)
    assert isinstance(sched, LRScheduler)
    sched.step(jaring.tensor(1.0))
    sched.step(np.float32(2.0))
    assert sched.best == 1.0 and opt.param_groups[0]["lr"] == pytest.approx(0.01)
    assert repr(sched).startswith("ReduceLROnPlateau(mode=min, threshold_mode=rel, factor=0.1,")


@pytest.mark.parametrize(
    "make, error, message",
    [
        (
            lambda o: ReduceLROnPlateau(o, mode="minimum"),
            ValueError,
            "ReduceLROnPlateau: mode must be 'min' or 'max'",
        ),
        (
            lambda o: ReduceLROnPlateau(o, threshold_mode="relative"),
            ValueError,
            "threshold_mode must be 'rel'",
        ),
        (
            lambda o: ReduceLROnPlateau(o, factor=1.0),
            ValueError,
            r"ReduceLROnPlateau: factor must be in \[0.0, 1.0\)",
        ),
        (lambda o: ReduceLROnPlateau(o, factor="0.5"), TypeError, "factor must be a number"),
        (lambda o: ReduceLROnPlateau(o, patience=-1), ValueError, "patience must be an integer >= 0"),
        (lambda o: ReduceLROnPlateau(o, patience=1.5), ValueError, "patience must be an integer"),
        (lambda o: ReduceLROnPlateau(o, cooldown=-2), ValueError, "cooldown must be an integer >= 0"),
        (lambda o: ReduceLROnPlateau(o, threshold=-1e-4), ValueError, "threshold must be in"),
        (
            lambda o: ReduceLROnPlateau(o, min_lr=[0.1, 0.2]),
            ValueError,
            "min_lr must be one value or a list of 3",
        ),
        (lambda o: ReduceLROnPlateau(o, min_lr=[0.1, -0.2, 0.0]), ValueError, r"min_lr\[1\] must be in"),
        (lambda o: ReduceLROnPlateau(o, eps=-1.0), ValueError, "eps must be in"),
        (
            lambda o: ReduceLROnPlateau(torch.optim.SGD([torch.ones(1, requires_grad=True)])),
            TypeError,
            "jaring",
        ),
        (lambda o: ReduceLROnPlateau(o).step(), TypeError, r"step needs the monitored value"),
        (lambda o: ReduceLROnPlateau(o).step("low"), TypeError, "must be a single number"),
        (
            lambda o: ReduceLROnPlateau(o).step(jaring.tensor([1.0, 2.0])),
            TypeError,
            "must be a single number",
        ),
    ],
)
def test_bad_arguments_raise(make, error, message):
    with pytest.raises(error, match=message):
        make(pair()[0])


def test_load_state_dict_checks_the_modes():
    sched = ReduceLROnPlateau(pair()[0])
    with pytest.raises(ValueError, match="mode must be"):
        sched.load_state_dict({**sched.state_dict(), "mode": "sideways"})
