"""The optimizers ported from torch.optim refuse what torch refuses, in torch's words, and accept
what it accepts; get_optimizer knows their names; schedulers drive them."""

import numpy as np
import pytest
import torch

import jaring
from jaring import optim

PORTED = {
    "adadelta": (optim.Adadelta, torch.optim.Adadelta),
    "adamax": (optim.Adamax, torch.optim.Adamax),
    "nadam": (optim.NAdam, torch.optim.NAdam),
    "radam": (optim.RAdam, torch.optim.RAdam),
    "asgd": (optim.ASGD, torch.optim.ASGD),
    "rprop": (optim.Rprop, torch.optim.Rprop),
}
BAD = [(name, dict(lr=-1)) for name in PORTED] + [
    ("adadelta", dict(rho=1.5)),
    ("adadelta", dict(rho=-0.1)),
    ("adadelta", dict(eps=-1e-6)),
    ("adadelta", dict(weight_decay=-0.1)),
    ("adamax", dict(betas=(1.0, 0.999))),
    ("adamax", dict(betas=(0.9, -0.5))),
    ("adamax", dict(eps=-1)),
    ("nadam", dict(momentum_decay=-0.1)),
    ("nadam", dict(betas=(0.9, 1.0))),
    ("nadam", dict(weight_decay=-1)),
    ("radam", dict(betas=(-0.1, 0.999))),
    ("radam", dict(eps=-1e-8)),
    ("asgd", dict(weight_decay=-0.5)),
    ("rprop", dict(etas=(1.5, 1.2))),
    ("rprop", dict(etas=(0.5, 0.9))),
    ("rprop", dict(etas=(0.0, 1.2))),
    ("rprop", dict(etas=(0.5, 1.0))),
]


def _param(shape=(2, 3)):
    return jaring.tensor(np.ones(shape, np.float32), requires_grad=True)


@pytest.mark.parametrize("name, option", BAD, ids=str)
def test_bad_arguments_raise_torchs_message(name, option):
    jcls, tcls = PORTED[name]
    with pytest.raises(ValueError) as expected:
        tcls([torch.ones(1, requires_grad=True)], **option)
    with pytest.raises(ValueError) as got:
        jcls([_param()], **option)
    assert str(got.value) == f"{jcls.__name__}: {expected.value}"


@pytest.mark.parametrize("name", sorted(PORTED))
def test_a_bad_group_option_is_refused_too(name):
    jcls, _ = PORTED[name]
    with pytest.raises(ValueError, match="Invalid learning rate: -0.5"):
        jcls([{"params": [_param()]}, {"params": [_param((1,))], "lr": -0.5}])
    with pytest.raises(TypeError, match="learning rate must be a number, got '0.1'"):
        jcls([_param()], lr="0.1")


@pytest.mark.parametrize(
    "name, option, message",
    [
        ("adamax", dict(betas=(0.9,)), "betas must be a pair"),
        ("nadam", dict(betas="0.9"), "betas must be a pair"),
        ("radam", dict(eps=float("inf")), "Invalid epsilon value: inf"),
        ("rprop", dict(step_sizes=(50, 1e-6)), r"min <= max"),
        ("rprop", dict(step_sizes=(-1, 1)), "Invalid step_sizes value: -1"),
        ("rprop", dict(etas=(0.5,)), "etas must be a pair"),
        ("asgd", dict(t0=float("nan")), "t0 must be finite"),
    ],
)
def test_what_torch_would_take_but_cannot_work_is_refused(name, option, message):
    with pytest.raises(ValueError, match=message):
        PORTED[name][0]([_param()], **option)


@pytest.mark.parametrize("name", sorted(PORTED))
def test_defaults_are_torchs(name):
    jcls, tcls = PORTED[name]
    jgroup = jcls([_param()]).param_groups[0]
    tgroup = tcls([torch.ones(1, requires_grad=True)]).param_groups[0]
    for key, value in jgroup.items():
        if key != "params":
            assert tgroup[key] == value, key


@pytest.mark.parametrize("name", sorted(PORTED))
def test_get_optimizer_builds_them_by_name(name):
    opt = optim.get_optimizer(name.upper(), [_param()], lr=0.25)
    assert type(opt) is PORTED[name][0] and opt.lr == 0.25


def test_a_parameter_without_gradient_gets_no_state():
    for jcls, _ in PORTED.values():
        a, b = _param(), _param((1,))
        opt = jcls([a, b])
        a.grad = jaring.tensor(np.ones(a.shape, np.float32))
        opt.step()
        assert a in opt.state and b not in opt.state
        np.testing.assert_array_equal(b.numpy(), [1.0])


def test_unknown_state_entry_is_refused_and_nothing_changes():
    w = _param()
    w.grad = jaring.tensor(np.ones(w.shape, np.float32))
    opt = optim.NAdam([w])
    opt.step()
    saved = opt.state_dict()
    saved["state"][0]["momentum_buffer"] = saved["state"][0]["exp_avg"]
    with pytest.raises(ValueError, match="unknown state entry 'momentum_buffer'"):
        opt.load_state_dict(saved)
    assert opt.state[w]["step"] == 1 and set(opt.state[w]) == {"step", "mu_product", "exp_avg", "exp_avg_sq"}


@pytest.mark.parametrize("name", sorted(PORTED))
def test_step_lr_drives_them_as_torch(name):
    jcls, tcls = PORTED[name]
    rng = np.random.default_rng(0)
    init = rng.standard_normal((3, 4))
    j, t = jaring.tensor(init.copy(), requires_grad=True), torch.tensor(init.copy(), requires_grad=True)
    jopt = jcls([{"params": [j], "lr": 0.1}])
    topt = tcls([{"params": [t], "lr": 0.1}])
    jsched, tsched = optim.StepLR(jopt, step_size=2, gamma=0.5), torch.optim.lr_scheduler.StepLR(topt, 2, 0.5)
    for _ in range(7):
        g = rng.standard_normal((3, 4))
        j.grad, t.grad = jaring.tensor(g.copy()), torch.tensor(g.copy())
        jopt.step()
        topt.step()
        jsched.step()
        tsched.step()
        assert jsched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-12)
        np.testing.assert_allclose(j.numpy(), t.detach().numpy(), rtol=1e-6, atol=1e-12)
