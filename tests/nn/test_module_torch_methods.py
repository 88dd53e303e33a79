"""torch.nn.Module's methods on jaring's Module, side by side with torch: lookup by dotted path,
add_module, requires_grad_, buffers, and forward (pre-)hooks with their handles."""

import copy

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from jaring.io import load, save


def twins():
    """The same network in jaring and in torch, holding the same weights."""
    ours = nn.Sequential(nn.Linear(3, 4, seed=0), nn.Sequential(nn.ReLU(), nn.Linear(4, 2, seed=1)))
    theirs = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(4, 2))
    )
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    return ours, theirs


X = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)


def run(model, x=X):
    """The model's output on x as NumPy, whichever library it is from."""
    if isinstance(model, torch.nn.Module):
        return model(torch.tensor(x)).detach().numpy()
    return model(jaring.tensor(x)).numpy()


def same_error(call_ours, call_theirs):
    """Both raise the same exception type with the same message; that message."""
    with pytest.raises(Exception) as theirs:
        call_theirs()
    with pytest.raises(type(theirs.value)) as ours:
        call_ours()
    assert str(ours.value) == str(theirs.value)
    return str(ours.value)


# ----- lookup by dotted path --------------------------------------------------------------
def test_get_submodule_walks_dotted_paths_as_torch():
    ours, theirs = twins()
    expected = {"": ours, "0": ours[0], "1": ours[1], "1.0": ours[1][0], "1.1": ours[1][1]}
    for target, module in expected.items():
        assert ours.get_submodule(target) is module
        assert type(module).__name__ == type(theirs.get_submodule(target)).__name__


@pytest.mark.parametrize(
    "method, target",
    [
        ("get_submodule", "2"),
        ("get_submodule", "1.2"),
        ("get_submodule", "0.weight"),
        ("get_submodule", "0.in_features"),
        ("get_submodule", "1.0.x"),
        ("get_parameter", "0.in_features"),
        ("get_parameter", "0.nope"),
        ("get_parameter", "1.0.weight"),
        ("get_parameter", "1"),
        ("get_parameter", "3.weight"),
        ("get_buffer", "0.weight"),
        ("get_buffer", "0.nope"),
        ("get_buffer", "1.5.running_mean"),
    ],
)
def test_lookup_errors_say_what_torch_says(method, target):
    ours, theirs = twins()
    message = same_error(lambda: getattr(ours, method)(target), lambda: getattr(theirs, method)(target))
    assert "`" in message


def test_get_parameter_and_get_buffer_return_the_tensors_torch_returns():
    ours, theirs = twins()
    for name in ["0.weight", "0.bias", "1.1.weight", "1.1.bias"]:
        assert ours.get_parameter(name) is dict(ours.named_parameters())[name]
        np.testing.assert_array_equal(ours.get_parameter(name).numpy(), theirs.get_parameter(name).detach())
    ours_bn = nn.Sequential(nn.Linear(3, 3, bias=False), nn.BatchNorm1d(3))
    theirs_bn = torch.nn.Sequential(torch.nn.Linear(3, 3, bias=False), torch.nn.BatchNorm1d(3))
    for name in ["1.running_mean", "1.running_var", "1.num_batches_tracked"]:
        np.testing.assert_array_equal(ours_bn.get_buffer(name).numpy(), theirs_bn.get_buffer(name).numpy())
    same_error(lambda: ours_bn.get_parameter("0.bias"), lambda: theirs_bn.get_parameter("0.bias"))
    same_error(lambda: ours_bn.get_buffer("1.weight"), lambda: theirs_bn.get_buffer("1.weight"))
    with pytest.raises(TypeError, match="dotted name"):
        ours.get_submodule(0)


def test_buffers_and_parameters_take_recurse_as_torch():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(np.ones(2, np.float32))
            self.register_buffer("steps", np.zeros((), np.int64))
            self.norm = nn.BatchNorm1d(2)

    class TorchNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = torch.nn.Parameter(torch.ones(2))
            self.register_buffer("steps", torch.zeros((), dtype=torch.int64))
            self.norm = torch.nn.BatchNorm1d(2)

    ours, theirs = Net(), TorchNet()
    for recurse in (True, False):
        assert [n for n, _ in ours.named_buffers(recurse=recurse)] == [
            n for n, _ in theirs.named_buffers(recurse=recurse)
        ]
        assert [n for n, _ in ours.named_parameters(recurse=recurse)] == [
            n for n, _ in theirs.named_parameters(recurse=recurse)
        ]
        assert [tuple(b.shape) for b in ours.buffers(recurse)] == [
            tuple(b.shape) for b in theirs.buffers(recurse)
        ]
        assert len(list(ours.parameters(recurse))) == len(list(theirs.parameters(recurse)))
    with pytest.raises(TypeError, match="recurse"):
        list(ours.buffers(recurse="no"))


# ----- add_module -------------------------------------------------------------------------
def test_add_module_registers_into_parameters_and_state_dict_as_torch():
    ours, theirs = nn.Module(), torch.nn.Module()
    for i, width in enumerate([3, 4]):
        ours.add_module(f"layer{i}", nn.Linear(width, 2, seed=i))
        theirs.add_module(f"layer{i}", torch.nn.Linear(width, 2))
    ours.register_module("head", nn.ReLU())
    theirs.register_module("head", torch.nn.ReLU())
    ours.add_module("spare", None)
    theirs.add_module("spare", None)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert ours.spare is None and isinstance(ours.layer1, nn.Linear)
    ours.add_module("layer0", nn.Linear(5, 1))  # a submodule may be replaced, as in torch
    assert ours.layer0.in_features == 5 and ours.get_submodule("layer0") is ours.layer0
    assert ours.load_state_dict(ours.state_dict()).missing_keys == []


@pytest.mark.parametrize(
    "name, module",
    [
        ("a.b", "linear"),
        ("", "linear"),
        (3, "linear"),
        ("training", "linear"),
        ("forward", "linear"),
        ("weight", "linear"),
        ("x", 3),
        ("x", "a string"),
        (3, 3),
    ],
)
def test_add_module_refuses_what_torch_refuses(name, module):
    ours, theirs = nn.Linear(2, 2), torch.nn.Linear(2, 2)
    mine = nn.Linear(2, 2) if module == "linear" else module
    torchs = torch.nn.Linear(2, 2) if module == "linear" else module
    same_error(lambda: ours.add_module(name, mine), lambda: theirs.add_module(name, torchs))
    assert [n for n, _ in ours.named_parameters()] == ["weight", "bias"]


# ----- requires_grad_ ---------------------------------------------------------------------
def test_requires_grad_false_stops_gradients_as_in_torch():
    ours, theirs = twins()
    assert ours[0].requires_grad_(False) is ours[0]
    theirs[0].requires_grad_(False)
    run_ours = ours(jaring.tensor(X)).sum()
    run_ours.backward()
    theirs(torch.tensor(X)).sum().backward()
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert p.requires_grad == q.requires_grad
        if q.grad is None:
            assert p.grad is None, name
        else:
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-5, atol=1e-6, err_msg=name)
    assert ours.num_parameters(trainable_only=True) == 10
    ours.requires_grad_()
    assert all(p.requires_grad for p in ours.parameters())
    with pytest.raises(TypeError, match="requires_grad"):
        ours.requires_grad_("no")


def test_requires_grad_on_an_unbuilt_lazy_layer_warns():
    model = nn.Sequential(nn.Dense(3))
    with pytest.warns(UserWarning, match="requires_grad_ cannot reach"):
        model.requires_grad_(False)


# ----- forward hooks ----------------------------------------------------------------------
def test_hooks_change_inputs_and_outputs_as_torchs_do():
    hooks = [
        ("pre", lambda m, args: args[0] * 2),  # a single value: becomes the 1-tuple of input
        ("pre", lambda m, args: (args[0] - 1,)),
        ("pre", lambda m, args: None),
        ("post", lambda m, args, out: out * 3 + args[0].sum()),
        ("post", lambda m, args, out: None),
    ]
    for target in ["", "0", "1.1"]:
        ours, theirs = twins()
        for kind, hook in hooks:
            for model in (ours, theirs):
                module = model.get_submodule(target)
                (module.register_forward_pre_hook if kind == "pre" else module.register_forward_hook)(hook)
        np.testing.assert_allclose(run(ours), run(theirs), rtol=1e-5, atol=1e-5)


def logger(log, tag):
    """A hook (pre or forward) that appends `tag` to `log`."""
    return lambda *module_args_output: log.append(tag)


def test_hook_order_prepend_and_removal_as_torch():
    def record(model, log):
        handles = []
        for tag, prepend in [("a", False), ("b", False), ("c", True), ("d", False)]:
            handles.append(model.register_forward_pre_hook(logger(log, f"pre-{tag}"), prepend=prepend))
            handles.append(model.register_forward_hook(logger(log, f"post-{tag}"), prepend=prepend))
        return handles

    ours, theirs = twins()
    logs = {"ours": [], "theirs": []}
    handles = {"ours": record(ours, logs["ours"]), "theirs": record(theirs, logs["theirs"])}
    for step in range(4):
        run(ours), run(theirs)
        assert logs["ours"] == logs["theirs"]
        assert len(logs["ours"]) == 8 - 2 * step
        for key in logs:
            logs[key].clear()
            handles[key][2 * step].remove()
            handles[key][2 * step + 1].remove()
            handles[key][2 * step].remove()  # removing twice does nothing
    run(ours)
    assert logs["ours"] == [] and ours._hooks is not None and not ours._hooks


def test_hooks_fire_once_per_call_inside_nested_containers():
    ours, theirs = twins()
    counts = {}
    for lib, model in [("ours", ours), ("theirs", theirs)]:
        for name, module in model.named_modules():
            key = f"{lib}:{name or 'top'}"
            counts[key] = 0

            def count(m, args, out, key=key):
                counts[key] += 1

            module.register_forward_hook(count)
    for _ in range(3):
        run(ours), run(theirs)
    assert counts == {key: 3 for key in counts} and len(counts) == 10


def test_a_handle_is_a_context_manager_and_a_hook_may_remove_itself():
    ours, theirs = twins()
    base = run(ours)
    with ours[0].register_forward_hook(lambda m, args, out: out * 0) as handle:
        assert not np.allclose(run(ours), base)
    np.testing.assert_array_equal(run(ours), base)
    assert isinstance(handle.id, int) and "RemovableHandle" in repr(handle)
    for model in (ours, theirs):
        assert hook_that_removes_itself(model) == [None]


def hook_that_removes_itself(model):
    """What a pre-hook that removes its own handle logs over two calls."""
    calls, handles = [], []
    handles.append(model.register_forward_pre_hook(lambda m, args: calls.append(handles[0].remove())))
    run(model), run(model)
    return calls


def test_hooks_with_kwargs_as_torch():
    class Scale(nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    class TorchScale(torch.nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    def pre(m, args, kwargs):
        return (args[0] + 1,), {"factor": kwargs.get("factor", 1.0) * 2}

    def post(m, args, kwargs, out):
        return out - kwargs["factor"]

    ours, theirs = Scale(), TorchScale()
    for model in (ours, theirs):
        model.register_forward_pre_hook(pre, with_kwargs=True)
        model.register_forward_hook(post, with_kwargs=True)
    out_ours, out_theirs = ours(jaring.tensor(X), factor=3.0), theirs(torch.tensor(X), factor=3.0)
    np.testing.assert_allclose(out_ours.numpy(), out_theirs.numpy(), rtol=1e-6)
    ours, theirs = Scale(), TorchScale()
    ours.register_forward_pre_hook(lambda m, a, k: a, with_kwargs=True)
    theirs.register_forward_pre_hook(lambda m, a, k: a, with_kwargs=True)
    with pytest.raises(RuntimeError, match="must return None or a tuple of"):
        ours(jaring.tensor([1.0]))
    with pytest.raises(RuntimeError, match="must return None or a tuple of"):
        theirs(torch.tensor([1.0]))


def test_always_call_hooks_run_when_forward_raises_as_in_torch():
    class Broken(nn.Module):
        def forward(self, x):
            raise ValueError("broken forward")

    class TorchBroken(torch.nn.Module):
        def forward(self, x):
            raise ValueError("broken forward")

    def hooks_seen(model):
        log = []
        model.register_forward_hook(lambda m, args, out: log.append(("plain", out)))
        model.register_forward_hook(lambda m, args, out: log.append(("always", out)), always_call=True)
        model.register_forward_hook(lambda m, args, out: 1 / 0, always_call=True)
        with pytest.warns(UserWarning, match="always_call=True"), pytest.raises(ValueError, match="broken"):
            model(1.0)
        return log

    assert hooks_seen(Broken()) == hooks_seen(TorchBroken()) == [("always", None)]


def test_hooks_stay_out_of_state_config_and_files_and_follow_deepcopy(tmp_path):
    ours, theirs = twins()
    counts = {"ours": 0, "theirs": 0}
    handles = {}
    for lib, model in [("ours", ours), ("theirs", theirs)]:

        def count(m, args, out, lib=lib):
            counts[lib] += 1

        handles[lib] = model[0].register_forward_hook(count)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert ours[0].get_config() == twins()[0][0].get_config()
    save(ours, tmp_path / "hooked.jaring")
    reloaded = load(tmp_path / "hooked.jaring")
    run(reloaded)
    assert counts["ours"] == 0 and reloaded[0]._hooks is None
    copies = {"ours": copy.deepcopy(ours), "theirs": copy.deepcopy(theirs)}
    for lib in counts:
        run(copies[lib])
        handles[lib].remove()  # the original's handle: the copy keeps its hook
        run(copies[lib])
        run(ours if lib == "ours" else theirs)
    assert counts == {"ours": 2, "theirs": 2}


def test_hook_arguments_are_checked():
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="hook must be a function"):
        layer.register_forward_hook("print")
    with pytest.raises(TypeError, match="prepend"):
        layer.register_forward_pre_hook(print, prepend="yes")
    with pytest.raises(TypeError):
        layer.register_forward_hook(print, True)  # the flags are keyword-only, as torch's
    assert layer._hooks is None or not layer._hooks


def test_a_hook_on_a_lazy_layer_sees_the_first_input_and_the_built_output():
    layer = nn.Dense(3, seed=0)
    shapes = []
    layer.register_forward_pre_hook(lambda m, args: shapes.append((m.built, args[0].shape)))
    layer.register_forward_hook(lambda m, args, out: shapes.append((m.built, out.shape)))
    layer(jaring.ones(2, 5))
    assert shapes == [(False, (2, 5)), (True, (2, 3))]
