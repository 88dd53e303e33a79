"""Tensor.register_hook against torch: what each hook sees, what it changes, removal and order."""

import numpy as np
import pytest
import torch

import jaring
from jaring.autograd.hooks import RemovableHandle


def _pair(shape, seed):
    data = np.random.default_rng(seed).uniform(-1, 1, size=shape).astype(np.float32)
    return jaring.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)


def _network(x, w1, w2, hook_maker, seen):
    """A two-layer net with a hook on every tensor; returns the loss."""
    for name, t in (("x", x), ("w1", w1), ("w2", w2)):
        t.register_hook(hook_maker(name, seen))
    h = (x @ w1).tanh()
    h.register_hook(hook_maker("h", seen))
    out = h @ w2
    out.register_hook(hook_maker("out", seen))
    return (out * out).sum() + h.sum()


def _recorder(name, seen):
    def hook(grad):
        seen.setdefault(name, []).append(np.array(grad.tolist(), dtype=np.float64))

    return hook


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("batch", [1, 3])
def test_hooks_on_leaves_and_intermediates_see_torchs_gradients(seed, batch):
    jx, tx = _pair((batch, 4), seed)
    jw1, tw1 = _pair((4, 5), seed + 10)
    jw2, tw2 = _pair((5, 2), seed + 20)
    jseen, tseen = {}, {}
    _network(jx, jw1, jw2, _recorder, jseen).backward()
    _network(tx, tw1, tw2, _recorder, tseen).backward()
    assert jseen.keys() == tseen.keys() == {"x", "w1", "w2", "h", "out"}
    for name in tseen:
        assert len(jseen[name]) == len(tseen[name]) == 1  # once each, with the total gradient
        np.testing.assert_allclose(jseen[name][0], tseen[name][0], rtol=1e-5, atol=1e-6)
    for j, t in ((jx, tx), (jw1, tw1), (jw2, tw2)):
        np.testing.assert_allclose(j.grad.numpy(), t.grad.numpy(), rtol=1e-5, atol=1e-6)


def _doubler(name, seen):
    return lambda grad: grad * 2


@pytest.mark.parametrize("seed", range(4))
def test_a_hook_doubling_the_gradient_changes_what_flows_on_as_in_torch(seed):
    jx, tx = _pair((2, 4), seed)
    jw1, tw1 = _pair((4, 3), seed + 1)
    jw2, tw2 = _pair((3, 2), seed + 2)
    _network(jx, jw1, jw2, _doubler, {}).backward()
    _network(tx, tw1, tw2, _doubler, {}).backward()
    for j, t in ((jx, tx), (jw1, tw1), (jw2, tw2)):
        np.testing.assert_allclose(j.grad.numpy(), t.grad.numpy(), rtol=1e-5, atol=1e-6)


def _used_twice(lib_x, seen):
    lib_x.register_hook(lambda g, seen=seen: seen.append(("x", g.tolist())))
    h = lib_x * 3
    h.register_hook(lambda g, seen=seen: seen.append(("h", g.tolist())))
    return (h * h + h + lib_x * lib_x).sum()


def test_a_tensor_used_twice_calls_its_hook_once_with_the_summed_gradient():
    jx, tx = _pair((3,), 0)
    jseen, tseen = [], []
    _used_twice(jx, jseen).backward()
    _used_twice(tx, tseen).backward()
    assert [n for n, _ in jseen] == [n for n, _ in tseen] == ["h", "x"]
    for (_, j), (_, t) in zip(jseen, tseen):
        np.testing.assert_allclose(j, t, rtol=1e-6)
    np.testing.assert_allclose(jx.grad.numpy(), tx.grad.numpy(), rtol=1e-6)


def test_hooks_of_one_tensor_run_in_registration_order_each_on_the_last_result():
    for lib_x in _pair((2,), 1):
        seen = []
        lib_x.register_hook(lambda g, seen=seen: seen.append(("first", g.tolist())) or g * 10)
        lib_x.register_hook(lambda g, seen=seen: seen.append(("second", g.tolist())) or g + 1)
        (lib_x * 2).sum().backward()
        assert seen == [("first", [2.0, 2.0]), ("second", [20.0, 20.0])]
        assert lib_x.grad.tolist() == [21.0, 21.0]


def test_hooks_fire_from_the_output_back_in_torchs_order_along_a_chain():
    orders = []
    for lib_x in _pair((2,), 2):
        order = []
        a = lib_x * 2
        b = a.exp()
        c = b * 3
        for name, t in (("x", lib_x), ("a", a), ("b", b), ("c", c)):
            t.register_hook(lambda g, name=name, order=order: order.append(name))
        c.sum().backward()
        orders.append(order)
    assert orders[0] == orders[1] == ["c", "b", "a", "x"]


def test_a_weight_hook_runs_as_soon_as_its_gradient_is_complete_as_in_torch():
    orders = []
    for lib in (jaring, torch):
        x, w = lib.ones(2, requires_grad=True), lib.ones(2, requires_grad=True)
        order = []
        h = x * 2
        h.register_hook(lambda g, order=order: order.append("h"))
        w.register_hook(lambda g, order=order: order.append("w"))
        (h * w).sum().backward()
        orders.append(order)
    assert orders[0] == orders[1] == ["w", "h"]


def test_removed_hooks_are_not_called_and_removing_twice_is_harmless():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    calls = []
    handle = x.register_hook(lambda g, calls=calls: calls.append(1))
    kept = x.register_hook(lambda g, calls=calls: calls.append(2))
    assert isinstance(handle, RemovableHandle) and handle.id != kept.id
    handle.remove()
    handle.remove()
    (x * 2).sum().backward()
    assert calls == [2]
    with x.register_hook(lambda g, calls=calls: calls.append(3)):
        (x * 2).sum().backward()
    (x * 2).sum().backward()
    assert calls == [2, 2, 3, 2]


def test_a_hook_on_the_output_sees_the_starting_gradient_and_may_scale_it():
    for lib_x in _pair((3,), 3):
        y = lib_x * 4
        seen = []
        y.register_hook(lambda g, seen=seen: seen.append(g.tolist()) or g * 0.5)
        y.backward(lib_x.detach() * 0 + 1)
        assert seen == [[1.0, 1.0, 1.0]]
        assert lib_x.grad.tolist() == [2.0, 2.0, 2.0]


def test_retain_grad_stores_the_gradient_after_the_hooks_as_in_torch():
    grads = []
    for lib_x in _pair((2,), 4):
        f = lib_x * 2
        f.retain_grad()
        f.register_hook(lambda g: g * 10)
        (f * 3).sum().backward()
        grads.append((f.grad.tolist(), lib_x.grad.tolist()))
    assert grads[0] == grads[1] == ([30.0, 30.0], [60.0, 60.0])


def test_hooks_run_on_every_backward_of_a_retained_graph():
    x = jaring.tensor([1.0], requires_grad=True)
    calls = []
    h = x * 5
    h.register_hook(lambda g, calls=calls: calls.append(g.item()))
    y = (h * h).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert calls == [10.0, 10.0] and x.grad.item() == 100.0


def test_the_hook_gets_a_read_only_tensor_that_requires_no_grad():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    got = []
    x.register_hook(got.append)
    (x * 2).sum().backward()
    assert isinstance(got[0], jaring.Tensor) and not got[0].requires_grad
    y = jaring.tensor([1.0, 2.0], requires_grad=True)

    def in_place(g):
        g.data += 1

    y.register_hook(in_place)
    with pytest.raises(ValueError, match="read-only"):
        (y * 2).sum().backward()


def test_broadcast_gradients_reach_the_hook_in_the_tensors_own_shape():
    jb, tb = _pair((1, 3), 5)
    shapes = []
    for lib_b, lib in ((jb, jaring), (tb, torch)):
        lib_b.register_hook(lambda g: shapes.append(tuple(g.shape)))
        (lib.ones(4, 3) * lib_b).sum().backward()
    assert shapes == [(1, 3), (1, 3)]


def test_refused_on_a_tensor_that_does_not_require_grad_in_torchs_words():
    message = "cannot register a hook on a tensor that doesn't require gradient"
    with pytest.raises(RuntimeError, match=message):
        torch.ones(2).register_hook(print)
    with pytest.raises(RuntimeError, match=message):
        jaring.ones(2).register_hook(print)
    with pytest.raises(TypeError, match="function"):
        jaring.ones(2, requires_grad=True).register_hook("not a function")


def test_a_hook_returning_a_wrong_shape_or_a_non_tensor_is_refused():
    x = jaring.ones(2, requires_grad=True)
    handle = x.register_hook(lambda g: jaring.ones(3))
    with pytest.raises(RuntimeError, match="has changed the size of value"):
        (x * 2).sum().backward()
    handle.remove()
    handle = x.register_hook(lambda g: g.numpy())
    with pytest.raises(TypeError, match="expected Tensor"):
        (x * 2).sum().backward()
    handle.remove()
    x.register_hook(lambda g: g.double())
    with pytest.raises(RuntimeError, match="changed the type of value"):
        (x * 2).sum().backward()


def test_a_hook_on_a_parameter_sees_its_gradient():
    layer = jaring.nn.Linear(3, 2, seed=0)
    seen = []
    layer.weight.register_hook(lambda g, seen=seen: seen.append(g.shape))
    layer(jaring.ones(4, 3)).sum().backward()
    assert seen == [(2, 3)] and layer.weight.grad.shape == (2, 3)
