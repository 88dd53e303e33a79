"""Helpers for the scheduler tests: a jaring and a torch optimizer side by side, and a step loop
that checks both give the same rates (and momenta) after every step."""

import json

import numpy as np
import torch

import jaring
from jaring import optim

LRS = (0.1, 0.03, 0.5)


def pair(lrs=LRS, kind="sgd", **options):
    """A jaring and a torch optimizer of `kind` ("sgd", "adam"), one group per learning rate."""
    jcls, tcls = {"sgd": (optim.SGD, torch.optim.SGD), "adam": (optim.Adam, torch.optim.Adam)}[kind]
    jopt = jcls([{"params": [jaring.tensor([1.0], requires_grad=True)], "lr": lr} for lr in lrs], **options)
    topt = tcls([{"params": [torch.ones(1, requires_grad=True)], "lr": lr} for lr in lrs], **options)
    return jopt, topt


def momenta(opt):
    """Each group's momentum, or beta1 for Adam."""
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]


def assert_same(jsched, tsched, jopt, topt, what, momentum=False):
    expected = tsched.get_last_lr()
    np.testing.assert_allclose(jsched.get_last_lr(), expected, rtol=1e-12, atol=0, err_msg=what)
    assert [g["lr"] for g in jopt.param_groups] == jsched.get_last_lr(), what
    if momentum:
        np.testing.assert_allclose(momenta(jopt), momenta(topt), rtol=1e-12, atol=0, err_msg=what)


def run_both(jsched, tsched, jopt, topt, steps, momentum=False, step=None):
    """Step both `steps` times (optimizer first, as torch wants), comparing after every step;
    return the jaring rates seen. `step(sched, i)` replaces sched.step() when given."""
    assert_same(jsched, tsched, jopt, topt, "after construction", momentum)
    seen = [jsched.get_last_lr()]
    for i in range(steps):
        jopt.step()
        topt.step()
        for sched in (jsched, tsched):
            sched.step() if step is None else step(sched, i)
        assert_same(jsched, tsched, jopt, topt, f"step {i + 1}", momentum)
        seen.append(jsched.get_last_lr())
    return seen


def round_trip(make, steps_before=7, steps_after=10, kind="sgd", options=None, step=None):
    """Save optimizer and scheduler after `steps_before` steps (the scheduler through JSON, which
    proves its state plain data), load both into fresh ones, and check that the next
    `steps_after` rates (and momenta) equal those of the scheduler that never stopped."""
    step = step or (lambda sched, i: sched.step())
    opt, _ = pair(kind=kind, **(options or {}))
    sched = make(opt)
    for i in range(steps_before):
        step(sched, i)
    saved_opt = opt.state_dict()
    saved = json.loads(json.dumps(sched.state_dict()))
    expected = []
    for i in range(steps_before, steps_before + steps_after):
        step(sched, i)
        expected.append((sched.get_last_lr(), momenta(opt)))
    fresh_opt, _ = pair(kind=kind, **(options or {}))
    fresh = make(fresh_opt)
    fresh_opt.load_state_dict(saved_opt)
    fresh.load_state_dict(saved)
    got = []
    for i in range(steps_before, steps_before + steps_after):
        step(fresh, i)
        got.append((fresh.get_last_lr(), momenta(fresh_opt)))
    assert got == expected
    return expected
