"""jaring.autograd.grad, jaring.autograd.backward and Tensor.backward's torch keywords, against torch."""

import numpy as np
import pytest
import torch

import jaring
from jaring import autograd


def _leaves(seed, *shapes):
    rng = np.random.default_rng(seed)
    data = [rng.uniform(-1, 1, size=s).astype(np.float32) for s in shapes]
    return [jaring.tensor(d, requires_grad=True) for d in data], [
        torch.tensor(d, requires_grad=True) for d in data
    ]


def _net(x, w, b):
    """A small graph with a hidden activation; returns (hidden, scalar loss)."""
    h = (x @ w + b).tanh()
    return h, (h * h).sum() + (h * x[:, :1]).sum()


def _close(j, t):
    np.testing.assert_allclose(j.numpy(), t.detach().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("seed", range(8))
def test_grad_of_several_inputs_leaves_and_hidden_matches_torch(seed):
    (jx, jw, jb), (tx, tw, tb) = _leaves(seed, (3, 4), (4, 2), (2,))
    jh, jloss = _net(jx, jw, jb)
    th, tloss = _net(tx, tw, tb)
    jgrads = autograd.grad(jloss, [jw, jh, jx, jb])
    tgrads = torch.autograd.grad(tloss, [tw, th, tx, tb])
    assert isinstance(jgrads, tuple) and len(jgrads) == 4
    for j, t in zip(jgrads, tgrads):
        assert not j.requires_grad
        _close(j, t)


def test_grad_leaves_every_grad_untouched():
    (jx, jw, jb), _ = _leaves(0, (3, 4), (4, 2), (2,))
    jw.grad = jaring.full((4, 2), 7.0)
    h, loss = _net(jx, jw, jb)
    h.retain_grad()
    autograd.grad(loss, [jw, jx])
    assert jw.grad.tolist() == np.full((4, 2), 7.0).tolist()
    assert jx.grad is None and jb.grad is None and h.grad is None


def test_a_single_input_gives_a_one_tuple_and_the_same_tensor_twice_two_gradients():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    (g,) = autograd.grad((x * x).sum(), x)
    assert g.tolist() == [2.0, 4.0]
    g1, g2 = autograd.grad((x * 3).sum(), [x, x])
    assert g1.tolist() == g2.tolist() == [3.0, 3.0] and not np.shares_memory(g1.data, g2.data)


def test_gradients_of_two_inputs_do_not_share_memory():
    a = jaring.tensor([1.0, 2.0], requires_grad=True)
    b = jaring.tensor([3.0, 4.0], requires_grad=True)
    ga, gb = autograd.grad((a + b).sum(), [a, b])
    ga.data[0] = 100.0
    assert gb.tolist() == [1.0, 1.0]


def test_unused_inputs_raise_in_torchs_words_unless_allowed():
    jx = jaring.tensor([1.0, 2.0], requires_grad=True)
    ju = jaring.tensor([5.0], requires_grad=True)
    tx = torch.tensor([1.0, 2.0], requires_grad=True)
    tu = torch.tensor([5.0], requires_grad=True)
    message = (
        "appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior."
    )
    with pytest.raises(RuntimeError, match=message):
        torch.autograd.grad((tx * 2).sum(), [tx, tu])
    with pytest.raises(RuntimeError, match="index 1 " + message):
        autograd.grad((jx * 2).sum(), [jx, ju])
    gx, gu = autograd.grad((jx * 2).sum(), [jx, ju], allow_unused=True)
    assert gx.tolist() == [2.0, 2.0] and gu is None
    gx, gu = autograd.grad((jx * 2).sum(), [jx, ju], materialize_grads=True)
    tgx, tgu = torch.autograd.grad((tx * 2).sum(), [tx, tu], materialize_grads=True)
    assert gu.tolist() == tgu.tolist() == [0.0] and gx.tolist() == tgx.tolist()
    with pytest.raises(ValueError, match="Expected allow_unused to be True or not passed"):
        autograd.grad((jx * 2).sum(), jx, allow_unused=False, materialize_grads=True)


def test_an_input_reached_only_through_no_grad_paths_is_unused():
    x = jaring.tensor([1.0], requires_grad=True)
    w = jaring.tensor([2.0], requires_grad=True)
    y = (x * w.detach()).sum()
    assert autograd.grad(y, [x, w], allow_unused=True)[1] is None


@pytest.mark.parametrize("seed", range(4))
def test_grad_outputs_for_non_scalar_and_several_outputs_match_torch(seed):
    (jx, jw), (tx, tw) = _leaves(seed, (3, 2), (2, 2))
    v = np.random.default_rng(seed + 100).normal(size=(3, 2)).astype(np.float32)
    jy, ty = jx @ jw, tx @ tw
    jz, tz = (jx * jx).sum(), (tx * tx).sum()
    jgrads = autograd.grad([jy, jz], [jx, jw], grad_outputs=[jaring.tensor(v), None])
    tgrads = torch.autograd.grad([ty, tz], [tx, tw], grad_outputs=[torch.tensor(v), None])
    for j, t in zip(jgrads, tgrads):
        _close(j, t)


def test_a_non_scalar_output_needs_grad_outputs_in_torchs_words():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        autograd.grad(x * 2, x)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()
    with pytest.raises(ValueError, match="shape"):
        autograd.grad(x * 2, x, grad_outputs=jaring.ones(3))
    with pytest.raises(RuntimeError, match="length 1"):
        autograd.grad(x * 2, x, grad_outputs=[jaring.ones(2), jaring.ones(2)])


def test_the_graph_is_freed_after_grad_unless_retain_graph():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    assert autograd.grad(y, x, retain_graph=True)[0].tolist() == [2.0, 4.0]
    assert autograd.grad(y, x)[0].tolist() == [2.0, 4.0]
    with pytest.raises(RuntimeError, match="second time"):
        autograd.grad(y, x)
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


def test_create_graph_is_refused_clearly():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    for call in (
        lambda: autograd.grad(y, x, create_graph=True),
        lambda: y.backward(create_graph=True),
        lambda: autograd.backward(y, create_graph=True),
    ):
        with pytest.raises(NotImplementedError, match="higher-order gradients"):
            call()


def test_errors_on_inputs_and_outputs_in_torchs_words():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="`inputs` argument to `grad\\(\\)` cannot be empty."):
        autograd.grad((x * 2).sum(), [])
    with pytest.raises(RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be empty."):
        (x * 2).sum().backward(inputs=[])
    with pytest.raises(RuntimeError, match="One of the differentiated Tensors does not require grad"):
        autograd.grad((x * 2).sum(), [x, jaring.ones(2)])
    with pytest.raises(
        RuntimeError, match="element 0 of tensors does not require grad and does not have a grad_fn"
    ):
        autograd.grad(jaring.ones(2).sum(), x)
    with pytest.raises(TypeError, match="Tensors"):
        autograd.grad((x * 2).sum(), [np.ones(2)])


@pytest.mark.parametrize("seed", range(4))
def test_backward_with_inputs_accumulates_only_there_as_torch(seed):
    (jx, jw, jb), (tx, tw, tb) = _leaves(seed, (3, 4), (4, 2), (2,))
    jh, jloss = _net(jx, jw, jb)
    th, tloss = _net(tx, tw, tb)
    jloss.backward(inputs=[jw, jh], retain_graph=True)
    tloss.backward(inputs=[tw, th], retain_graph=True)
    _close(jw.grad, tw.grad)
    _close(jh.grad, th.grad)
    assert jx.grad is None and tx.grad is None and jb.grad is None and tb.grad is None
    jloss.backward(inputs=jw)  # accumulates into what is there
    tloss.backward(inputs=tw)
    _close(jw.grad, tw.grad)


def test_hooks_fire_only_on_the_part_of_the_graph_that_leads_to_the_inputs_as_torch():
    seen = []
    for lib in (jaring, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        w = lib.tensor([3.0, 4.0], requires_grad=True)
        calls = []
        x.register_hook(lambda g, calls=calls: calls.append("x"))
        w.register_hook(lambda g, calls=calls: calls.append("w"))
        h = x * w
        h.register_hook(lambda g, calls=calls: calls.append("h"))
        y = (h * h).sum() + (w * 5).sum()
        lib.autograd.grad(y, [x], retain_graph=True)
        lib.autograd.grad(y, [h], retain_graph=True)
        y.backward(inputs=[x], retain_graph=True)
        y.backward()
        seen.append(calls)
    assert seen[0] == seen[1] == ["h", "x", "h", "h", "x", "h", "x", "w"]


def test_autograd_backward_of_several_tensors_matches_torch():
    (jx, jw), (tx, tw) = _leaves(3, (2, 3), (3, 3))
    v = np.arange(6, dtype=np.float32).reshape(2, 3)
    for lib, x, w in ((jaring, jx, jw), (torch, tx, tw)):
        h = x @ w
        seen = []
        h.register_hook(lambda g, seen=seen: seen.append(g.sum().item()))
        lib.autograd.backward([h, (h * h).sum()], [lib.tensor(v), None])
        assert len(seen) == 1  # the hook sees both outputs' gradients, summed, once
    _close(jx.grad, tx.grad)
    _close(jw.grad, tw.grad)


def test_tensor_backward_takes_gradient_by_torchs_name_by_jarings_and_by_position():
    for call in (
        lambda y, v: y.backward(gradient=v),
        lambda y, v: y.backward(grad=v),
        lambda y, v: y.backward(v),
        lambda y, v: jaring.autograd.backward(y, grad_tensors=v),
        lambda y, v: jaring.autograd.backward([y], [v]),
    ):
        x = jaring.tensor([1.0, 2.0], requires_grad=True)
        call(x * 3, jaring.tensor([1.0, 10.0]))
        assert x.grad.tolist() == [3.0, 30.0]
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).backward(gradient=np.array([2.0, 2.0]))
    assert x.grad.tolist() == [6.0, 6.0]


def test_grad_walks_a_long_chain_without_recursion():
    x = jaring.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0
    assert autograd.grad(y, x)[0].item() == 1.0
