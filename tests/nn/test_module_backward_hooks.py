"""Module backward hooks (jaring/nn/module_backward_hooks.py) against torch's: the order the hooks
run in, the grad_input / grad_output they see, and the gradients after hooks that replace them."""

import warnings

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from tests.oracle import CASES


def _numpy(g):
    return None if g is None else np.array(g.detach().numpy() if isinstance(g, torch.Tensor) else g.numpy())


def _mlp(lib):
    if lib is torch:
        torch.manual_seed(0)
        return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    return nn.Sequential(nn.Linear(3, 4, seed=0), nn.ReLU(), nn.Linear(4, 2, seed=1))


def _record(model, replace):
    """Hooks on every layer and on the Sequential that log what they see; with `replace`, layer 0
    doubles its grad_input, ReLU's full hook subtracts 0.5 from its grad_input and layer 2's
    pre-hook triples its grad_output."""
    log = []

    def full(name):
        def hook(module, grad_input, grad_output):
            log.append(("full", name, [_numpy(g) for g in grad_input], [_numpy(g) for g in grad_output]))
            if replace and name == "0" and grad_input[0] is not None:
                return (grad_input[0] * 2,)
            if replace and name == "1":
                return (grad_input[0] - 0.5,)

        return hook

    def pre(name):
        def hook(module, grad_output):
            log.append(("pre", name, [_numpy(g) for g in grad_output]))
            if replace and name == "2":
                return (grad_output[0] * 3,)

        return hook

    for name, layer in [*((str(i), m) for i, m in enumerate(model)), ("seq", model)]:
        layer.register_full_backward_hook(full(name))
        layer.register_full_backward_pre_hook(pre(name))
    return log


def _run(lib, x_requires_grad, replace, twice=False):
    model = _mlp(lib)
    if lib is jaring:
        model.load_state_dict({k: v.detach().numpy() for k, v in _mlp(torch).state_dict().items()})
    log = _record(model, replace)
    data = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)
    x = lib.tensor(data, requires_grad=x_requires_grad)
    weights = lib.tensor(np.array([[1.0, -2.0], [0.5, 3.0]], np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # both warn that hooks fire at the outputs when x needs no grad
        loss = (model(x) * weights).sum()
        loss.backward(retain_graph=twice)
        if twice:
            loss.backward()
    return log, [_numpy(p.grad) for p in model.parameters()], _numpy(x.grad)


def _assert_same(got, want):
    if isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(want), (got, want)
        for g, w in zip(got, want):
            _assert_same(g, w)
    elif isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), (got, want)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    else:
        assert got == want


@pytest.mark.parametrize("x_requires_grad", [True, False])
@pytest.mark.parametrize("replace", [False, True])
@pytest.mark.parametrize("twice", [False, True])
def test_hooks_on_a_sequential_run_and_replace_as_torchs(x_requires_grad, replace, twice):
    want = _run(torch, x_requires_grad, replace, twice)
    got = _run(jaring, x_requires_grad, replace, twice)
    assert [entry[:2] for entry in got[0]] == [entry[:2] for entry in want[0]]  # the order
    _assert_same(got, want)  # what each hook saw, the parameter and input gradients
    CASES["torch"] += 1


class _TorchSplit(torch.nn.Module):
    def forward(self, x, k, y, z):
        return x * 2, k, y * x + z


class _JaringSplit(nn.Module):
    def forward(self, x, k, y, z):
        return x * 2, k, y * x + z


def _split(lib, module, use):
    log = []
    module.register_full_backward_pre_hook(lambda m, go: log.append(("pre", [_numpy(g) for g in go])))

    def full(m, gi, go):
        log.append(("full", [_numpy(g) for g in gi], [_numpy(g) for g in go]))
        return (gi[0] + 1, None, gi[2], gi[3] * -1)

    module.register_full_backward_hook(full)
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = lib.tensor([3.0, 4.0])  # needs no grad: torch shows zeros for it
    z = lib.tensor([0.5, -0.5], requires_grad=True)
    a, k, b = module(x, 5, y, z)
    loss = {"first": a.sum(), "last": (b * b).sum(), "both": a.sum() + (b * 3).sum()}[use]
    loss.backward()
    return log, _numpy(x.grad), _numpy(z.grad), k


@pytest.mark.parametrize("use", ["first", "last", "both"])
def test_several_inputs_and_outputs_with_non_tensors_and_unused_ones(use):
    _assert_same(_split(jaring, _JaringSplit(), use), _split(torch, _TorchSplit(), use))
    CASES["torch"] += 1


def test_prepend_order_and_removal():
    layer, order = nn.Linear(2, 2, seed=0), []
    first = layer.register_full_backward_hook(lambda m, gi, go: order.append("a"))
    layer.register_full_backward_hook(lambda m, gi, go: order.append("b"), prepend=True)
    with layer.register_full_backward_pre_hook(lambda m, go: order.append("pre")):
        layer(jaring.ones(1, 2, requires_grad=True)).sum().backward()
    assert order == ["pre", "b", "a"]
    first.remove()
    order.clear()
    layer(jaring.ones(1, 2, requires_grad=True)).sum().backward()
    assert order == ["b"]


def test_no_hooks_run_without_a_graph():
    layer, calls = nn.Linear(2, 2, seed=0), []
    layer.register_full_backward_hook(lambda m, gi, go: calls.append(1))
    with jaring.no_grad():
        out = layer(jaring.ones(1, 2, requires_grad=True))
    assert not out.requires_grad and calls == []
    layer.requires_grad_(False)
    assert not layer(jaring.ones(1, 2)).requires_grad


def test_a_module_that_returns_no_tensor_warns():
    module = nn.Lambda(lambda x: [x, x])
    module.register_full_backward_hook(lambda m, gi, go: None)
    with pytest.warns(UserWarning, match="should be a Tensor or a tuple of Tensors"):
        module(jaring.ones(2, requires_grad=True))


def test_hooks_stay_out_of_the_state_dict_and_the_config():
    layer = nn.Linear(2, 3, seed=0)
    layer.register_full_backward_hook(lambda m, gi, go: None)
    assert list(layer.state_dict()) == ["weight", "bias"] and "hook" not in str(layer.get_config())


def test_bad_hook_results_raise_torchs_errors():
    layer = nn.Linear(2, 2, seed=0)
    with layer.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0])):
        with pytest.raises(RuntimeError, match="invalid number of grad_input, got 2, but expected 1"):
            layer(jaring.ones(1, 2, requires_grad=True)).sum().backward()
    with layer.register_full_backward_pre_hook(lambda m, go: (go[0], go[0])):
        with pytest.raises(RuntimeError, match="invalid number of grad_output, got 2, but expected 1"):
            layer(jaring.ones(1, 2, requires_grad=True)).sum().backward()
    with layer.register_full_backward_hook(lambda m, gi, go: (jaring.ones(3),)):
        with pytest.raises(RuntimeError, match=r"grad_input 0 .* has shape \(3,\), expected \(1, 2\)"):
            layer(jaring.ones(1, 2, requires_grad=True)).sum().backward()
    with layer.register_full_backward_hook(lambda m, gi, go: ([1.0, 2.0],)):
        with pytest.raises(TypeError, match="must be a Tensor or None"):
            layer(jaring.ones(1, 2, requires_grad=True)).sum().backward()
    with layer.register_full_backward_hook(lambda m, gi, go: (go[0],)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(RuntimeError, match="no input requires gradient should always return None"):
                layer(jaring.ones(1, 2)).sum().backward()
    with pytest.raises(TypeError, match="hook must be a function"):
        layer.register_full_backward_hook("not a function")
    with pytest.raises(TypeError, match="prepend"):
        layer.register_full_backward_pre_hook(lambda m, go: None, prepend="yes")


def test_an_embedding_output_keeps_its_mask_through_the_hooks():
    embedding = nn.Embedding(5, 3, mask_zero=True, seed=0)
    seen = []
    embedding.register_full_backward_pre_hook(lambda m, go: seen.append(go[0].shape))
    out = embedding(np.array([[1, 2, 0]]))
    assert out.mask.tolist() == [[True, True, False]]
    out.sum().backward()
    assert seen == [(1, 3, 3)] and embedding.weight.grad is not None
