"""The backward engine: ordering, accumulation, freeing the graph, deep chains, errors."""

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from jaring.autograd.engine import unbroadcast


@pytest.mark.slow
def test_chain_of_100000_ops_backpropagates_without_recursion_error():
    x = jaring.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0


def test_gradients_accumulate_when_a_tensor_is_used_twice():
    x = jaring.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x + x  # x used three times
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.numpy() + 1)


def test_diamond_graph_matches_torch():
    data = np.array([0.5, -1.5, 2.0], np.float32)
    x = jaring.tensor(data, requires_grad=True)
    a = x.exp()
    b = a * x
    c = (a + b).sum() * b.sum()
    c.backward()
    tx = torch.tensor(data, requires_grad=True)
    ta = tx.exp()
    tb = ta * tx
    ((ta + tb).sum() * tb.sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-5)


def test_shared_subgraph_waits_for_every_consumer():
    # R = P + P*P: P must receive both contributions before its own backward runs.
    x = jaring.tensor([1.5], requires_grad=True)
    p = x * x
    (p + p * p).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2 * 1.5 + 4 * 1.5**3], rtol=1e-6)


@pytest.mark.parametrize("seed", range(20))
def test_random_dags_match_torch(seed):
    rng = np.random.default_rng(seed)
    data = rng.uniform(0.5, 1.5, size=(3, 2)).astype(np.float32)
    nodes_j = [jaring.tensor(d, requires_grad=True) for d in data]
    nodes_t = [torch.tensor(d, requires_grad=True) for d in data]
    leaves_j, leaves_t = list(nodes_j), list(nodes_t)
    for _ in range(12):
        i, k = rng.integers(len(nodes_j), size=2)
        if rng.random() < 0.5:
            nodes_j.append(nodes_j[i] * nodes_j[k] * 0.5)
            nodes_t.append(nodes_t[i] * nodes_t[k] * 0.5)
        else:
            nodes_j.append((nodes_j[i] + nodes_j[k]).tanh())
            nodes_t.append((nodes_t[i] + nodes_t[k]).tanh())
    picks = rng.integers(len(nodes_j), size=4)
    sum(nodes_j[p] for p in picks).sum().backward()
    sum(nodes_t[p] for p in picks).sum().backward()
    for j, t in zip(leaves_j, leaves_t):
        expected = t.grad.numpy() if t.grad is not None else np.zeros(2, np.float32)
        got = j.grad.numpy() if j.grad is not None else np.zeros(2, np.float32)
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def _alias(t):
    """A second Tensor object that is the same graph node as t, as nn's with_mask makes."""
    other = object.__new__(type(t))
    other.data, other._ctx, other.requires_grad = t.data, t._ctx, t.requires_grad
    return other


def test_two_tensor_objects_of_one_node_run_its_backward_once_with_both_gradients():
    x = jaring.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    alias = _alias(y)
    y.retain_grad()
    alias.retain_grad()
    (y * 2 + alias * 3).sum().backward()  # raised: the Mul ran twice, the second time freed
    np.testing.assert_allclose(x.grad.numpy(), 5 * 2 * np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(y.grad.numpy(), [5.0, 5.0, 5.0])  # each object: the node's total
    np.testing.assert_allclose(alias.grad.numpy(), [5.0, 5.0, 5.0])


def test_leaf_grads_accumulate_across_backward_calls_until_zeroed():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 6.0])
    x.zero_grad()
    assert x.grad is None


def test_second_backward_through_freed_graph_raises():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 4 * x.numpy())


def test_saved_arrays_are_released_after_backward():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    ctx = y._ctx
    y.sum().backward()
    assert ctx.saved == () and ctx.released


def test_backward_on_non_scalar_needs_grad_argument():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="scalar output"):
        y.backward()
    y.backward(grad=np.array([1.0, 10.0]))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 20.0])


def test_grad_argument_of_wrong_shape_is_refused():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match="shape"):
        (x * 2).backward(grad=np.ones(3))


def test_backward_without_any_grad_input_raises():
    x = jaring.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match="does not require grad"):
        (x * 2).sum().backward()


def test_no_two_leaves_share_a_gradient_array():
    a = jaring.tensor([1.0, 2.0], requires_grad=True)
    b = jaring.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    a.grad.data[0] = 100.0
    assert b.grad.numpy()[0] == 1.0


def test_leaf_gradients_do_not_alias_through_views():
    x = jaring.tensor(np.ones((2, 3), np.float32), requires_grad=True)
    w = jaring.tensor(np.ones(6, np.float32), requires_grad=True)
    (x.reshape(6) + w).backward(grad=np.arange(6.0))
    w.grad.data *= 0
    np.testing.assert_allclose(x.grad.numpy().ravel(), np.arange(6.0))


def test_broadcast_gradients_are_summed_to_input_shape():
    a = jaring.tensor(np.ones((3, 1), np.float32), requires_grad=True)
    b = jaring.tensor(np.ones((4,), np.float32), requires_grad=True)
    (a * b).sum().backward()
    assert a.grad.shape == (3, 1) and b.grad.shape == (4,)
    np.testing.assert_allclose(a.grad.numpy(), np.full((3, 1), 4.0))
    np.testing.assert_allclose(b.grad.numpy(), np.full((4,), 3.0))


def test_unbroadcast_reduces_leading_and_unit_axes():
    g = np.ones((2, 3, 4))
    assert unbroadcast(g, (3, 1)).shape == (3, 1)
    assert unbroadcast(g, ()).shape == ()
    assert unbroadcast(g, (1, 1, 4)).sum() == 24


def test_retain_grad_keeps_intermediate_gradient():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    h = (x * 3).retain_grad()
    (h * h).sum().backward()
    np.testing.assert_allclose(h.grad.numpy(), 2 * h.numpy())


def test_mixed_precision_grad_keeps_leaf_dtype():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    w = jaring.tensor(np.array([3.0, 4.0]), requires_grad=True)  # float64
    (x * w).sum().backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float64


def test_no_grad_records_nothing_and_restores_mode():
    x = jaring.tensor([1.0], requires_grad=True)
    with jaring.no_grad():
        y = x * 2
        assert not jaring.is_grad_enabled()
    assert jaring.is_grad_enabled()
    assert not y.requires_grad and y._ctx is None


def test_no_grad_as_decorator_and_enable_grad_inside():
    x = jaring.tensor([1.0], requires_grad=True)

    @jaring.no_grad()
    def infer(t):
        with jaring.enable_grad():
            inner = t * 2
        return t * 2, inner

    outer, inner = infer(x)
    assert not outer.requires_grad and inner.requires_grad
    assert jaring.is_grad_enabled()


def test_set_grad_enabled_as_context_manager():
    with jaring.set_grad_enabled(False):
        assert not jaring.is_grad_enabled()
    assert jaring.is_grad_enabled()


def test_detach_cuts_the_graph():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).detach() * x
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0])


def test_functional_and_operators_agree():
    x = jaring.tensor([1.0, 2.0])
    np.testing.assert_allclose((x + 1).numpy(), F.add(x, 1).numpy())
