"""The fused optimizers keep flat views of each parameter and its state between steps
(Optimizer._flat_arrays) and their scalar arguments by step and hyperparameters
(Optimizer._kernel_scalars): whatever a user replaces in between must still be what is updated."""

import copy

import numpy as np
import pytest

import jaring
from jaring import kernels, nn
from jaring.optim import SGD, Adam, AdamW, RMSprop

OPTIMIZERS = [
    (Adam, {}),
    (AdamW, {"weight_decay": 0.1}),
    (Adam, {"amsgrad": True}),
    (SGD, {"momentum": 0.9}),
    (RMSprop, {"momentum": 0.5, "centered": True}),
]


def _model() -> nn.Module:
    return nn.Sequential(nn.Linear(3, 4, seed=0), nn.ReLU(), nn.Linear(4, 2, seed=1))


def _backward(model: nn.Module, seed: int) -> None:
    x = jaring.tensor(np.random.default_rng(seed).standard_normal((5, 3)).astype(np.float32))
    model.zero_grad()
    (model(x) ** 2).sum().backward()


def _run(cls, options, mode, between):
    """Three steps of `cls` in kernels `mode`, calling between(model, opt, step) before each."""
    model = _model()
    opt = cls(model.parameters(), lr=0.01, **options)
    with kernels.use(mode):
        for step in range(3):
            between(model, opt, step)
            _backward(model, step)
            opt.step()
    return model, opt


@pytest.mark.parametrize("cls, options", OPTIMIZERS)
@pytest.mark.parametrize("change", ["new_data", "new_state", "new_lr", "loaded_state"])
def test_what_a_user_replaces_between_steps_is_what_the_kernel_updates(cls, options, change):
    def between(model, opt, step):
        if step != 2:
            return
        w = model[0].weight
        if change == "new_data":  # a new array behind the parameter, in the same memory order
            w.data = w.data * 0.5
            assert w.data.flags.f_contiguous and not w.data.flags.c_contiguous  # the kernel's layout
        elif change == "new_state":
            state = opt.state[w]
            for name, value in state.items():
                if isinstance(value, np.ndarray):
                    state[name] = value.copy() * 0.5
        elif change == "new_lr":
            for group in opt.param_groups:
                group["lr"] = 0.003
        else:
            opt.load_state_dict(copy.deepcopy(opt.state_dict()))

    results = {mode: _run(cls, options, mode, between)[0] for mode in kernels.MODES}
    for (name, kernel_p), (_, reference_p) in zip(
        results["numba"].named_parameters(), results["numpy"].named_parameters()
    ):
        np.testing.assert_allclose(kernel_p.numpy(), reference_p.numpy(), rtol=1e-6, atol=1e-7, err_msg=name)


@pytest.mark.parametrize("cls, options", OPTIMIZERS)
def test_a_deep_copy_steps_its_own_parameters(cls, options):
    model, opt = _run(cls, options, "numba", lambda *args: None)
    model_copy, opt_copy = copy.deepcopy((model, opt))
    before = [p.numpy().copy() for p in model.parameters()]
    _backward(model_copy, 7)
    opt_copy.step()
    # the copy moved its own weights and left the original's alone
    assert all(np.array_equal(p.numpy(), b) for p, b in zip(model.parameters(), before))
    assert not np.array_equal(model_copy[0].weight.numpy(), before[0])
    # and moved them as a fresh run of the same steps does
    _backward(model, 7)
    opt.step()
    for p, q in zip(model.parameters(), model_copy.parameters()):
        np.testing.assert_array_equal(p.numpy(), q.numpy())
