"""StepLR, ExponentialLR and CosineAnnealingLR produce torch's learning-rate sequences."""

import numpy as np
import pytest
import torch

import jaring
from jaring.optim import SGD, Adam, CosineAnnealingLR, ExponentialLR, StepLR

SCHEDULES = [
    (StepLR, dict(step_size=3)),
    (StepLR, dict(step_size=1, gamma=0.5)),
    (ExponentialLR, dict(gamma=0.9)),
    (CosineAnnealingLR, dict(T_max=5)),
    (CosineAnnealingLR, dict(T_max=1)),
    (CosineAnnealingLR, dict(T_max=4, eta_min=0.01)),
]


def _pair(lrs=(0.1, 0.03)):
    """A jaring and a torch optimizer with one group per learning rate."""
    jopt = SGD([{"params": [jaring.tensor([1.0], requires_grad=True)], "lr": lr} for lr in lrs])
    topt = torch.optim.SGD([{"params": [torch.ones(1, requires_grad=True)], "lr": lr} for lr in lrs])
    return jopt, topt


@pytest.mark.parametrize("cls, options", SCHEDULES, ids=lambda x: getattr(x, "__name__", str(x)))
def test_sequence_matches_torch(cls, options):
    jopt, topt = _pair()
    jsched = cls(jopt, **options)
    tsched = getattr(torch.optim.lr_scheduler, cls.__name__)(topt, **options)
    assert jsched.get_last_lr() == tsched.get_last_lr()
    for epoch in range(25):
        jopt.step()
        topt.step()
        jsched.step()
        tsched.step()
        expected = tsched.get_last_lr()
        np.testing.assert_allclose(jsched.get_last_lr(), expected, rtol=1e-14, err_msg=f"epoch {epoch + 1}")
        assert [g["lr"] for g in jopt.param_groups] == jsched.get_last_lr()


def test_step_lr_closed_form():
    opt, _ = _pair((1.0,))
    sched = StepLR(opt, step_size=2, gamma=0.5)
    seen = []
    for _ in range(6):
        seen.append(opt.lr)
        sched.step()
    assert seen == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]


def test_scheduler_changes_the_update():
    w = jaring.tensor(np.array([0.0]), requires_grad=True)
    opt = SGD([w], lr=1.0)
    sched = ExponentialLR(opt, gamma=0.5)
    for _ in range(3):
        w.grad = jaring.tensor(np.array([-1.0]))
        opt.step()
        sched.step()
    np.testing.assert_allclose(w.numpy(), [1.75])


@pytest.mark.parametrize("cls, options", SCHEDULES, ids=lambda x: getattr(x, "__name__", str(x)))
def test_state_dict_round_trip(cls, options):
    opt, _ = _pair()
    sched = cls(opt, **options)
    for _ in range(7):
        sched.step()
    saved_opt, saved = opt.state_dict(), sched.state_dict()
    assert all(isinstance(v, (int, float, list)) for v in saved.values())
    expected = []
    for _ in range(5):
        sched.step()
        expected.append(sched.get_last_lr())
    fresh_opt, _ = _pair()
    fresh = cls(fresh_opt, **options)
    fresh_opt.load_state_dict(saved_opt)
    fresh.load_state_dict(saved)
    got = []
    for _ in range(5):
        fresh.step()
        got.append(fresh.get_last_lr())
    assert got == expected


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda opt: StepLR(opt, step_size=0), "step_size must be a positive integer"),
        (lambda opt: StepLR(opt, step_size=2.5), "step_size must be a positive integer"),
        (lambda opt: ExponentialLR(opt, gamma=-0.5), "gamma"),
        (lambda opt: CosineAnnealingLR(opt, T_max=0), "T_max must be a positive integer"),
        (lambda opt: CosineAnnealingLR(opt, T_max=3, eta_min=-1.0), "eta_min"),
        (lambda opt: StepLR(torch.optim.SGD([torch.ones(1, requires_grad=True)]), 2), "jaring optimizer"),
    ],
)
def test_bad_arguments_raise(make, message):
    opt = Adam([jaring.tensor([1.0], requires_grad=True)])
    with pytest.raises((TypeError, ValueError), match=message):
        make(opt)


def test_load_state_dict_rejects_unknown_entries():
    sched = StepLR(Adam([jaring.tensor([1.0], requires_grad=True)]), 2)
    with pytest.raises(ValueError, match="unknown entries"):
        sched.load_state_dict({"T_max": 3})
