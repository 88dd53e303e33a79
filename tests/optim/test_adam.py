"""Adam and AdamW against torch.optim: betas, eps, coupled/decoupled weight decay, amsgrad."""

import itertools
from pathlib import Path

import numpy as np
import pytest
import torch

import jaring
from jaring import kernels, nn
from jaring.optim import Adam, AdamW
from jaring.training import fit
from tests.optim.reference import run_both

OLD_CHECKPOINT = Path(__file__).parent / "data" / "adam_old_state.jaring"

COMBOS = [
    dict(lr=0.01, betas=b, eps=e, weight_decay=w, amsgrad=a)
    for b, e, w, a in itertools.product([(0.9, 0.999), (0.5, 0.9)], [1e-8, 1e-2], [0.0, 0.1], [False, True])
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_adam_matches_torch(options, dtype):
    run_both(Adam, torch.optim.Adam, options, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_adamw_matches_torch(options, dtype):
    run_both(AdamW, torch.optim.AdamW, options, dtype)


def test_defaults_match_torch():
    run_both(Adam, torch.optim.Adam, {}, np.float32, steps=3)
    run_both(AdamW, torch.optim.AdamW, {}, np.float32, steps=3)
    assert AdamW([jaring.tensor([1.0], requires_grad=True)]).param_groups[0]["weight_decay"] == 1e-2


@pytest.mark.parametrize("betas", [(1.0, 0.999), (0.9, 1.0), (-0.1, 0.9), (0.9,), "0.9"])
def test_bad_betas_raise(betas):
    w = jaring.tensor([1.0], requires_grad=True)
    with pytest.raises((ValueError, TypeError), match="beta"):
        Adam([w], betas=betas)


def test_negative_eps_raises():
    with pytest.raises(ValueError, match="eps"):
        Adam([jaring.tensor([1.0], requires_grad=True)], eps=-1e-8)


def _adam_pair(betas=(0.9, 0.999), amsgrad=False):
    rng = np.random.default_rng(1)
    init = rng.standard_normal((3, 4))
    j = jaring.tensor(init.copy(), requires_grad=True)
    t = torch.tensor(init.copy(), requires_grad=True)
    return (
        j,
        t,
        Adam([j], lr=0.01, betas=betas, amsgrad=amsgrad),
        torch.optim.Adam([t], lr=0.01, betas=betas, amsgrad=amsgrad),
    )


def _step_both(j, t, jopt, topt, seed):
    g = np.random.default_rng(seed).standard_normal((3, 4))
    j.grad, t.grad = jaring.tensor(g.copy()), torch.tensor(g.copy())
    jopt.step()
    topt.step()


@pytest.mark.parametrize("amsgrad", [False, True])
def test_resumes_from_a_torch_adam_state(amsgrad):
    # jaring keeps PyTorch's state, so PyTorch's exp_avg and exp_avg_sq load as they are and
    # the run continues as PyTorch's does.
    j, t, jopt, topt = _adam_pair(amsgrad=amsgrad)
    for seed in range(3):
        _step_both(j, t, jopt, topt, seed)
    torch_state = topt.state_dict()["state"][0]
    resumed = Adam([j], lr=0.01, amsgrad=amsgrad)
    resumed.load_state_dict(
        {
            "state": {0: {k: (v.item() if k == "step" else v.numpy()) for k, v in torch_state.items()}},
            "param_groups": jopt.state_dict()["param_groups"],
        }
    )
    for seed in range(3, 6):
        _step_both(j, t, resumed, topt, seed)
        np.testing.assert_allclose(j.numpy(), t.detach().numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("mode", kernels.MODES)
@pytest.mark.parametrize("amsgrad", [False, True])
def test_state_of_older_jaring_is_converted_to_torchs_on_load(mode, amsgrad):
    # jaring used to save the moments as running sums m / (1 - beta1) and v / (1 - beta2) with
    # the betas they assume; such a state loads as PyTorch's and the run continues as PyTorch's.
    j, t, jopt, topt = _adam_pair(betas=(0.8, 0.99), amsgrad=amsgrad)
    for seed in range(3):
        _step_both(j, t, jopt, topt, seed)
    torch_state = {k: v.numpy().copy() for k, v in topt.state_dict()["state"][0].items()}
    old = {
        "step": int(torch_state["step"]),
        "exp_avg_sum": torch_state["exp_avg"] / (1 - 0.8),
        "exp_avg_sq_sum": torch_state["exp_avg_sq"] / (1 - 0.99),
        "betas": [0.8, 0.99],
    }
    if amsgrad:
        old["max_exp_avg_sq_sum"] = torch_state["max_exp_avg_sq"] / (1 - 0.99)
    resumed = Adam([j], lr=0.01, betas=(0.8, 0.99), amsgrad=amsgrad)
    resumed.load_state_dict({"state": {0: old}, "param_groups": jopt.state_dict()["param_groups"]})
    assert set(resumed.state_dict()["state"][0]) == set(torch_state)
    with kernels.use(mode):
        for seed in range(3, 6):
            _step_both(j, t, resumed, topt, seed)
            np.testing.assert_allclose(j.numpy(), t.detach().numpy(), rtol=1e-9, atol=1e-12)


def _checkpoint_problem():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((40, 3)).astype(np.float32), rng.integers(0, 2, 40)
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.ReLU(), nn.Linear(4, 2, seed=1))
    opt = Adam(model.parameters(), lr=0.01, betas=(0.8, 0.99), amsgrad=True)
    return model, opt, dict(x=x, y=y, loss="cross_entropy", optimizer=opt, batch_size=10, seed=0, verbose=0)


def test_a_checkpoint_written_by_older_jaring_resumes_training():
    # adam_old_state.jaring: the problem above after 2 epochs, saved by ModelCheckpoint(...,
    # save_optimizer=True) when Adam kept running sums. Resuming it for a third epoch must land
    # where three epochs in one go land.
    whole, _, options = _checkpoint_problem()
    fit(whole, epochs=3, **options)
    resumed, opt, options = _checkpoint_problem()
    fit(resumed, epochs=3, resume_from=OLD_CHECKPOINT, **options)
    assert opt.state_dict()["state"][0]["step"] == 12 and "exp_avg" in opt.state_dict()["state"][0]
    for (name, a), b in zip(whole.state_dict().items(), resumed.state_dict().values()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6, err_msg=name)


def test_changing_betas_between_steps_matches_torch():
    j, t, jopt, topt = _adam_pair()
    for seed in range(3):
        _step_both(j, t, jopt, topt, seed)
    jopt.param_groups[0]["betas"] = topt.param_groups[0]["betas"] = (0.5, 0.9)
    for seed in range(3, 6):
        _step_both(j, t, jopt, topt, seed)
        np.testing.assert_allclose(j.numpy(), t.detach().numpy(), rtol=1e-9, atol=1e-12)


def test_unknown_state_entry_is_refused_and_nothing_changes():
    j, t, jopt, topt = _adam_pair()
    _step_both(j, t, jopt, topt, 0)
    saved = jopt.state_dict()
    saved["state"][0]["momentum"] = saved["state"][0]["exp_avg"]
    before = {k: (v.copy() if hasattr(v, "copy") else v) for k, v in jopt.state[j].items()}
    with pytest.raises(ValueError, match="unknown state entry 'momentum'"):
        jopt.load_state_dict(saved)
    np.testing.assert_array_equal(jopt.state[j]["exp_avg"], before["exp_avg"])
